/**
 * Cells as first-class objects on the built site in headless Chromium: the Tables panel lists every
 * engine table under the user's name (`sql\`…\`` and `seg.rfm` results too) with a profile; "defined
 * more than once" names the other cell and links to it; a SQL cell is named and renamed from its
 * header (bad, builtin and taken names refused, naming the other cell; readers of the old name
 * pointed out).
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { repoRoot } from "./helpers/static-server.ts";
import type { Page } from "playwright-core";
import { useWorkbench } from "./helpers/setup.ts";
import { waitForSettled } from "./helpers/workbench.ts";
import type { WatchedPage } from "./helpers/browser.ts";

const workbench = useWorkbench();
const cellAt = (page: Page, n: number) => page.locator("[data-cell-id]").nth(n);

async function rename(page: Page, n: number, name: string) {
  const cell = cellAt(page, n);
  const input = cell.locator("[data-cell-name-input]");
  // A click can miss while the editors above still grow into Monaco (the header moves under the
  // pointer): click again until the name field is there.
  await expect
    .poll(
      async () => {
        if ((await input.count()) === 0) await cell.locator("[data-action=rename-cell]").click();
        return input.count();
      },
      { timeout: 30_000 },
    )
    .toBe(1);
  await input.fill(name);
  await input.press("Enter");
}

describe("cell names and tables", () => {
  let w: WatchedPage;
  beforeAll(async () => {
    w = await workbench.open();
    await w.page.goto(workbench.url("__test-notebooks__/names.md"));
    await waitForSettled(w.page);
    await w.page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor");
  }, 120_000);

  test("the Tables panel lists sql`…` and seg.rfm results under their variables, with a profile, never an internal name", async () => {
    const page = w.page;
    for (const name of ["orders", "segments", "top", "r"]) {
      await page.locator(`[data-schema-table="${name}"]`).waitFor({ timeout: 30_000 });
    }
    expect(await page.getAttribute('[data-schema-table="top"]', "data-rows")).toBe("26");
    expect(await page.getAttribute('[data-schema-table="r"]', "data-rows")).toBe("5");
    expect(await page.locator(".schema-panel").textContent()).not.toContain("__segbook_");
    await page.click('button[aria-label="Profile r"]');
    await page.waitForSelector('[data-profile-table="r"][data-profile-state="ready"]', { timeout: 60_000 });
    expect(await page.locator('[data-profile-table="r"] h2').textContent()).toBe("r");
    expect(await page.locator('[data-profile-column="recency"]').count()).toBe(1);
    await page.click('button[aria-label="Close profile"]');
  });

  test("'dup is defined more than once' names the other cell and its link selects it", async () => {
    const page = w.page;
    const first = cellAt(page, 7);
    expect(await first.getAttribute("data-cell-status")).toBe("error");
    expect(await first.locator(".problem").textContent()).toContain("dup is defined more than once: also in cell 9");
    const other = await cellAt(page, 8).getAttribute("data-cell-id");
    await first.locator(`[data-related-cell="${other}"]`).click();
    await expect.poll(() => cellAt(page, 8).getAttribute("data-selected")).toBe("true");
  });

  test("naming the unnamed SQL cell refuses bad, builtin and taken names, then makes its result a table", async () => {
    const page = w.page;
    const cell = cellAt(page, 2);
    expect(await cell.locator("[data-action=rename-cell]").textContent()).toBe("name…");
    await rename(page, 2, "2nd");
    expect(await cell.locator("[data-cell-name-problem]").textContent()).toContain("cannot name a cell");
    await rename(page, 2, "db");
    expect(await cell.locator("[data-cell-name-problem]").textContent()).toContain("is a builtin");
    await rename(page, 2, "segments");
    expect(await cell.locator("[data-cell-name-problem]").textContent()).toContain(
      "`segments` is already the name of cell 4 (SQL)",
    );
    await cell.locator("[data-cell-name-problem] [data-related-cell]").click();
    await expect.poll(() => cellAt(page, 3).getAttribute("data-selected")).toBe("true");
    // Back in the name field of the other cell: selecting that cell must not pull the focus away
    // from the field to the cell (command mode), or the typed name would go to the cell's keys.
    await cell.locator("[data-cell-name-input]").click();
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    expect(await page.evaluate(() => document.activeElement?.hasAttribute("data-cell-name-input"))).toBe(true);
    await rename(page, 2, "order_count");
    await expect.poll(() => cell.locator("[data-action=rename-cell]").textContent()).toBe("order_count");
    await waitForSettled(page);
    await page.locator('[data-schema-table="order_count"]').waitFor({ timeout: 30_000 });
    expect(await page.getAttribute('[data-schema-table="order_count"]', "data-rows")).toBe("1");
  });

  test("renaming segments points out the cell that reads it, which is then blocked", async () => {
    const page = w.page;
    await rename(page, 3, "by_customer");
    const readers = cellAt(page, 3).locator("[data-cell-name-readers]");
    await readers.waitFor();
    expect(await readers.textContent()).toContain("1 cell reads segments: cell 7 (TypeScript)");
    await waitForSettled(page);
    expect(await cellAt(page, 6).getAttribute("data-cell-status")).toBe("error");
    expect(await cellAt(page, 6).locator(".problem").textContent()).toContain("segments is not defined");
    // The refusal and the readers, as the user sees them, in both themes.
    await rename(page, 2, "by_customer");
    const shots = path.join(repoRoot, "test-results", "screenshots");
    fs.mkdirSync(shots, { recursive: true });
    await cellAt(page, 2).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "cell-names-light.png") });
    await page.locator("[data-theme-toggle]").click();
    await page.screenshot({ path: path.join(shots, "cell-names-dark.png") });
    await page.locator("[data-theme-toggle]").click();
    await cellAt(page, 2).locator("[data-cell-name-input]").press("Escape");
    await readers.locator("[data-related-cell]").click();
    await expect.poll(() => cellAt(page, 6).getAttribute("data-selected")).toBe("true");
  });
});
