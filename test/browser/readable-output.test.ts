/**
 * Readable output on the built site: formatted numbers, dates and timestamps in the grid and in
 * Markdown, captions with the names the user gave (never `__segbook_…`), an array of objects as a
 * grid, seg.scorecard as a table of marks with its flags as sentences, an unknown-column error naming
 * the user's table and suggesting the column, no grid cell cut off, and screenshots in both themes.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import type { Locator, Page } from "playwright-core";
import { repoRoot } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();
const dir = path.join(repoRoot, "test-results", "screenshots");

/** The n-th cell on the page (Markdown cells count). */
const cell = (page: Page, index: number) => page.locator("[data-cell-id]").nth(index);
const text = async (locator: Locator) => ((await locator.textContent()) ?? "").replace(/\s+/g, " ").trim();

/** Cells of the first rows of every grid whose text is wider than the cell (cut off). */
function truncatedCells(page: Page): Promise<string[]> {
  return page.$$eval(".grid-row .grid-cell, .grid-column .column-name, .grid-caption", (elements) =>
    elements.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent ?? ""),
  );
}

/** Texts of the first data row of a grid, by column name. */
async function firstRow(grid: Locator): Promise<Record<string, string>> {
  const names = await grid.locator(".grid-column").evaluateAll((els) => els.map((e) => e.getAttribute("data-column")));
  const cells = await grid.locator('.grid-row[data-row-index="0"] [role=gridcell]').allTextContents();
  return Object.fromEntries(names.map((n, i) => [n ?? "", (cells[i] ?? "").trim()]));
}

test("cell outputs read well: formatted values, user's names, scorecard marks, errors that suggest, nothing cut off", async () => {
  const w = await workbench.open();
  const { page } = w;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(workbench.url("__test-notebooks__/readable-output.md"));
  await waitForSettled(page);
  await expect.poll(() => page.locator(".data-grid[data-state=ready]").count(), { timeout: 30_000 }).toBe(5);

  // Markdown interpolation: formatted number, timestamp and share.
  expect(await text(cell(page, 0))).toContain(
    "Revenue so far: 7,308,392; first order 2010-12-01 08:26; share 0.363992.",
  );

  // The named SQL result: ids ungrouped, timestamps to the minute, doubles to 6 digits, big integers grouped.
  const orders = cell(page, 1).locator(".data-grid");
  expect(await text(orders.locator(".grid-caption"))).toContain("orders · 300 rows × 7 columns");
  await expect
    .poll(() => firstRow(orders))
    .toEqual({
      CustomerID: "17850",
      InvoiceDate: "2010-12-01 08:26",
      day: "2010-12-01",
      amount: "0.363992",
      huge: "9,007,199,254,740,993",
      segment: "A",
      email_opt_in: "false",
    });
  // The full value is on hover.
  const amount = orders.locator('.grid-row[data-row-index="0"] [role=gridcell]').nth(3);
  expect(await amount.getAttribute("title")).toBe("0.363992174");

  // A table a TS cell bound to `rfm`: captioned by that name, never by its engine name.
  const rfm = cell(page, 3).locator(".data-grid");
  expect(await text(rfm.locator(".grid-caption"))).toContain("rfm · 40 rows × 5 columns");
  const rfmRow = await firstRow(rfm);
  expect(rfmRow.last_order).toMatch(/^2010-12-\d\d \d\d:\d\d$/);
  expect(rfmRow.monetary).toMatch(/^[\d,]+(\.\d+)?$/);
  expect(rfmRow.monetary!.replace(/[,.]/g, "").length).toBeLessThanOrEqual(6);

  // An array of plain objects is a grid.
  const objects = cell(page, 4).locator(".data-grid");
  expect(await text(objects.locator(".grid-caption"))).toContain("3 rows × 4 columns");
  await expect
    .poll(() => firstRow(objects))
    .toEqual({
      segment: "Champions",
      customers: "1,200",
      share: "0.363992",
      revenue: "7,308,392",
    });

  // The scorecard: one row per segment, a mark per test, flags as sentences.
  const card = cell(page, 5).locator(".scorecard");
  await expect.poll(() => card.locator("tbody tr").count()).toBe(3);
  expect(await card.locator("thead th").allTextContents()).toEqual([
    "Segment",
    "Customers",
    "Share",
    "Revenue",
    "substantial",
    "stable",
    "differentiable",
    "identifiable",
    "accessible",
    "measurable",
    "actionable",
  ]);
  const marks = (segment: string) =>
    card
      .locator(`tr[data-segment="${segment}"] td.mark`)
      .evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.test}:${e.textContent}`));
  expect(await marks("A")).toContain("actionable:✓");
  expect(await marks("B")).toContain("actionable:✗");
  expect(await marks("A")).toContain("substantial:✓");
  expect(await marks("A")).toContain("stable:–");
  expect((await card.locator('tr[data-segment="A"] > *').allTextContents()).slice(0, 3)).toEqual(["A", "100", "33.3%"]);
  const flags = await card.locator(".scorecard-flags li").allTextContents();
  expect(flags).toContain("Segment B has no action planned: add one to the scorecard's notes.");
  expect(flags).toContain("Segment C has no action planned: add one to the scorecard's notes.");
  // Rule thresholds read as numbers do elsewhere (6 significant digits), not 2179.4139921739998.
  expect(flags.join(" ")).toMatch(
    /Segment A is hard to identify by a rule: rule precision 100\.0%, recall [\d.]+%: amount <= 4\.01399 /,
  );

  // The error names the user's table, lists its columns and suggests the one meant.
  const problem = await text(cell(page, 6).locator(".problem"));
  expect(problem).toContain('seg.scorecard: unknown column "customerid" in table "rfm"');
  expect(problem).toContain('Did you mean "CustomerID"?');

  // The inspector shows the plain object (formatted by Observable, legible in both themes).
  await expect.poll(() => cell(page, 7).locator(".inspector").count()).toBe(1);

  // An object holding a table: its other fields in the inspector, the table in a grid named by its field.
  const fields = cell(page, 8).locator(".output-fields");
  expect(await text(fields.locator(".inspector"))).toContain("inertia: 12.5");
  expect(await text(fields.locator(".grid-caption"))).toContain("km.labels · 40 rows × 2 columns");

  // A seg result: its warnings above the table, its info folded away until asked for.
  const result = cell(page, 9).locator(".output-seg");
  expect(await result.locator(".seg-warnings li").allTextContents()).toEqual(['segment "refunded" matches no row']);
  expect(await text(result.locator(".grid-caption"))).toContain("groups · 40 rows");
  expect(await text(result.locator(".seg-info > summary"))).toMatch(/^info: .*\bsizes\b/);
  expect(await result.locator(".seg-info .inspector").count()).toBe(0);
  await result.locator(".seg-info > summary").click();
  // Opened, it shows info's keys at once (one level), each value expandable in place.
  await expect.poll(() => text(result.locator(".seg-info .inspector"))).toMatch(/sizes: Array\(2\).*exclusive: true/);

  // No internal name anywhere on the page, and nothing cut off: no grid cell, header or caption, and
  // the scorecard fits the notebook's column at this width.
  expect(await page.evaluate(() => document.body.innerText)).not.toContain("__segbook_");
  expect(await truncatedCells(page)).toEqual([]);
  const scorecardOutput = cell(page, 5).locator(".output").first();
  expect(await scorecardOutput.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);

  fs.mkdirSync(dir, { recursive: true });
  for (const theme of ["light", "dark"]) {
    // Headless Chromium starts light; the toolbar's toggle switches the page and the editors to dark.
    if (theme === "dark") await page.locator("[data-theme-toggle]").click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme ?? "light")).toBe(theme);
    for (const [name, index] of [
      ["grids", 1],
      ["named", 3],
      ["scorecard", 5],
      ["seg-result", 9],
    ] as const) {
      await cell(page, index).scrollIntoViewIfNeeded();
      await page.evaluate(() => window.scrollBy(0, -20));
      await page.screenshot({ path: path.join(dir, `readable-output-${name}-${theme}.png`), timeout: 90_000 });
    }
    // The inspector's text takes the page's text colour in both themes (its own CSS is light-only:
    // #1b1e23 on the dark page was unreadable).
    const colours = await cell(page, 7)
      .locator(".inspector .observablehq--collapsed")
      .evaluate((e) => [getComputedStyle(e).color, getComputedStyle(document.body).color]);
    expect(colours[0]).toBe(colours[1]);
    if (theme === "dark") expect(colours[0]).not.toBe("rgb(27, 30, 35)");
    await cell(page, 7).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(dir, `readable-output-inspector-${theme}.png`), timeout: 90_000 });
  }
  expect(w.pageErrors).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
}, 180_000);
