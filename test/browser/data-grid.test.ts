/**
 * The data grid on the built site: a million-row SQL result scrolls to its end with few rows in the
 * DOM, sorts and filters in DuckDB, and downloads the filtered result as CSV.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import type { Locator, Page } from "playwright-core";
import { repoRoot } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();
const N = 1_000_000;

/** Text of the first data cell (the `id` column) of the grid row showing result row `index`. */
function idAt(grid: Locator, index: number): Promise<string | null> {
  return grid.locator(`.grid-row[data-row-index="${index}"] [role=gridcell]`).first().textContent();
}

/** The grid's row count once it is ready (not while a sort or filter is being applied). */
async function readyCount(grid: Locator): Promise<number | undefined> {
  return (await grid.getAttribute("data-state")) === "ready"
    ? Number(await grid.getAttribute("data-row-count"))
    : undefined;
}

/** A number from a DuckDB query run by the page's own engine. */
function duckdbNumber(page: Page, sql: string): Promise<number> {
  return page.evaluate(async (text) => {
    type Result = { getChildAt(i: number): { get(row: number): unknown } };
    const { engine } = (globalThis as unknown as { segbook: { engine: { query(s: string): Promise<Result> } } })
      .segbook;
    const result = await engine.query(text);
    return Number(result.getChildAt(0).get(0));
  }, sql);
}

test("DataGrid scrolls a 1,000,000-row result to its end, sorts, filters and downloads it", async () => {
  const w = await workbench.open();
  const { page } = w;
  await page.goto(workbench.url("__test-notebooks__/big-table.md"));
  await waitForSettled(page);
  const grid = page.locator(".data-grid").first();
  await expect.poll(() => readyCount(grid), { timeout: 30_000 }).toBe(N);
  expect((await grid.locator(".grid-caption").textContent())?.replace(/\s+/g, " ")).toContain(
    "big · 1,000,000 rows × 3 columns",
  );
  expect((await grid.locator(".grid-header").textContent())?.replace(/\s+/g, " ").trim()).toMatch(
    /^id ?BIGINT ?bucket ?BIGINT ?label ?VARCHAR$/,
  );
  await expect.poll(() => idAt(grid, 0)).toBe("0");

  // Scroll the scrollbar to its very end: the last row shows, and few rows are in the DOM.
  const scroller = grid.locator(".grid-scroller");
  const height = await scroller.evaluate((e) => e.scrollHeight);
  expect(height).toBeLessThan(10_000_000); // scaled below browsers' element height limits
  await scroller.evaluate((e) => (e.scrollTop = e.scrollHeight));
  await expect.poll(() => idAt(grid, N - 1), { timeout: 30_000 }).toBe(String(N - 1));
  expect(await grid.locator(".grid-row").count()).toBeLessThan(200);
  expect(await page.locator("[role=row]").count()).toBeLessThan(200);

  // Keyboard: Home back to the top, End to the bottom again.
  await scroller.focus();
  await page.keyboard.press("Home");
  await expect.poll(() => idAt(grid, 0)).toBe("0");
  await page.keyboard.press("End");
  await expect.poll(() => idAt(grid, N - 1), { timeout: 30_000 }).toBe(String(N - 1));
  await page.keyboard.press("PageUp");
  await page.keyboard.press("ArrowUp");
  await expect.poll(() => grid.locator(".grid-row[data-row-index]").first().count()).toBe(1);

  // Sort by id descending: two header clicks (ascending, then descending), pushed down to DuckDB.
  const idHeader = grid.locator('.grid-column[data-column="id"]');
  await idHeader.locator(".grid-sort").click();
  await expect.poll(() => idHeader.getAttribute("aria-sort")).toBe("ascending");
  await idHeader.locator(".grid-sort").click();
  await expect.poll(() => idHeader.getAttribute("aria-sort")).toBe("descending");
  await expect.poll(() => readyCount(grid), { timeout: 30_000 }).toBe(N);
  await expect.poll(() => idAt(grid, 0), { timeout: 30_000 }).toBe(String(N - 1));
  await expect.poll(() => idAt(grid, 1)).toBe(String(N - 2));

  // Filter: bucket = 3 and label contains "99"; the count is DuckDB's own.
  const expected = await duckdbNumber(page, "SELECT count(*) FROM big WHERE bucket = 3 AND label LIKE '%99%'");
  expect(expected).toBeGreaterThan(0);
  await grid.locator('input.grid-filter[data-column="bucket"]').fill("3");
  await grid.locator('input.grid-filter[data-column="label"]').fill("99");
  await grid.locator('input.grid-filter[data-column="label"]').press("Enter");
  await expect.poll(() => readyCount(grid), { timeout: 30_000 }).toBe(expected);
  expect((await grid.locator(".grid-caption").textContent())?.replace(/\s+/g, " ")).toContain(
    `${expected.toLocaleString("en-US")} of 1,000,000 rows`,
  );
  const topId = await duckdbNumber(page, "SELECT max(id) FROM big WHERE bucket = 3 AND label LIKE '%99%'");
  await expect.poll(() => idAt(grid, 0), { timeout: 30_000 }).toBe(String(topId));

  // An invalid numeric filter is flagged, not run.
  await grid.locator('input.grid-filter[data-column="id"]').fill("> lots");
  await grid.locator('input.grid-filter[data-column="id"]').press("Enter");
  await expect
    .poll(() => grid.locator('input.grid-filter[data-column="id"]').getAttribute("aria-invalid"))
    .toBe("true");
  expect(await readyCount(grid)).toBe(expected);

  // Download the filtered, sorted result as CSV: a header line plus one line per matching row.
  const [download] = await Promise.all([page.waitForEvent("download"), grid.locator("[data-download=csv]").click()]);
  expect(download.suggestedFilename()).toBe("big.csv");
  const csv = fs.readFileSync((await download.path())!, "utf8");
  const lines = csv.trimEnd().split("\n");
  expect(lines).toHaveLength(expected + 1);
  expect(lines[0]).toBe("id,bucket,label");
  expect(lines[1]).toBe(`${topId},3,name ${topId}`);

  const dir = path.join(repoRoot, "test-results");
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, "data-grid.png") });

  expect(w.blockedRequests).toEqual([]);
  expect(w.pageErrors).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
});
