/**
 * Cell operations and keyboard in the built workbench: add, delete and undo, move, duplicate and
 * change kind through the buttons and the Jupyter-like keys change the cells and re-run the
 * dependants; the help dialog lists the shortcuts; the dependency view names the right variables;
 * the outline scrolls to its cells; run all shows progress and stop-waiting ends the wait.
 */
import { expect, test } from "vitest";
import type { Page } from "playwright-core";
import { useWorkbench } from "./helpers/setup.ts";
import { cellSnapshots, codeCellId, waitForSettled } from "./helpers/workbench.ts";
import type { WatchedPage } from "./helpers/browser.ts";
import { SHORTCUTS } from "../../src/ui/shortcuts.ts";

const workbench = useWorkbench();
const cell = (page: Page, id: string) => page.locator(`[data-cell-id="${id}"]`);
const lastMarkdown = (page: Page) => page.locator("[data-cell-kind=md]").last().textContent();
const ids = async (page: Page) => (await cellSnapshots(page)).map((c) => c.id);
const focusedCellId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("data-cell-id") ?? null);

function expectClean(w: WatchedPage) {
  expect(w.blockedRequests).toEqual([]);
  expect(w.pageErrors).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
}

async function openEdit(w: WatchedPage): Promise<{ factorId: string; totalId: string; scaledId: string }> {
  await w.page.goto(workbench.url("__test-notebooks__/edit.md"));
  await waitForSettled(w.page);
  await w.page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor");
  await expect.poll(() => lastMarkdown(w.page)).toContain("Total is 6.");
  return {
    factorId: await codeCellId(w.page, "const factor = 2"),
    totalId: await codeCellId(w.page, "const total"),
    scaledId: await codeCellId(w.page, "range * "),
  };
}

test("cell buttons: delete + Undo delete, duplicate, move and insert change the cells and re-run dependants", async () => {
  const w = await workbench.open();
  const { page } = w;
  const { factorId, totalId } = await openEdit(w);
  const order = await ids(page);

  // Delete the cell that defines `total`: the Markdown that reads it fails.
  await cell(page, totalId).locator("[data-action=deleteCell]").click();
  expect(await ids(page)).toEqual(order.filter((id) => id !== totalId));
  await expect.poll(() => page.locator("[data-cell-kind=md]").last().getAttribute("data-cell-status")).toBe("error");
  // Undo from the toast puts it back at its place and the reader recovers.
  await page.locator(".toast button", { hasText: "Undo delete" }).click();
  expect(await ids(page)).toEqual(order);
  await expect.poll(() => lastMarkdown(page), { timeout: 30_000 }).toContain("Total is 6.");

  // Duplicating `factor` defines it twice: readers fail; deleting the copy heals them.
  await cell(page, factorId).locator("[data-action=duplicate]").click();
  const withCopy = await ids(page);
  expect(withCopy).toHaveLength(order.length + 1);
  const copyId = withCopy[withCopy.indexOf(factorId) + 1]!;
  await expect.poll(() => cell(page, copyId).getAttribute("data-cell-status")).toBe("error");
  expect(await cell(page, copyId).textContent()).toContain("factor is defined more than once");
  await cell(page, copyId).locator("[data-action=deleteCell]").click();
  await waitForSettled(page);
  expect((await cellSnapshots(page)).every((c) => c.status === "ok")).toBe(true);

  // Moving a cell changes the order only; reactive cells do not care about order.
  await cell(page, totalId).locator("[data-action=moveUp]").click();
  const moved = await ids(page);
  expect(moved.indexOf(totalId)).toBe(order.indexOf(totalId) - 1);
  await waitForSettled(page);
  expect(await lastMarkdown(page)).toContain("Total is 6.");

  // "+ SQL" after the last cell adds an empty SQL cell there.
  await page.locator(`.insert-bar[data-insert-index="${order.length}"] [data-insert-kind=sql]`).click();
  const added = await cellSnapshots(page);
  expect(added).toHaveLength(order.length + 1);
  expect(added.at(-1)!.kind).toBe("sql");
  expectClean(w);
});

test("keyboard: Esc, B, Enter, Shift+Enter, K, D D, Z, M/Y/Q and Ctrl+Enter act as listed", async () => {
  const w = await workbench.open();
  const { page } = w;
  const { factorId } = await openEdit(w);
  const order = await ids(page);

  // Esc leaves the editor: the cell itself has the focus (command mode).
  await cell(page, factorId).locator(".monaco-editor .view-lines").click();
  await page.keyboard.press("Escape");
  await expect.poll(() => focusedCellId(page)).toBe(factorId);
  expect(await cell(page, factorId).evaluate((e) => getComputedStyle(e).outlineStyle)).not.toBe("none");

  // B inserts a TypeScript cell below and selects it; Enter edits it; Shift+Enter runs and moves on.
  await page.keyboard.press("b");
  const afterB = await ids(page);
  const newId = afterB[afterB.indexOf(factorId) + 1]!;
  expect(afterB).toHaveLength(order.length + 1);
  await expect.poll(() => focusedCellId(page)).toBe(newId);
  await page.keyboard.press("Enter");
  await page.waitForFunction(
    (id) => document.activeElement?.closest("[data-cell-id]")?.getAttribute("data-cell-id") === id,
    newId,
  );
  // The ";" closes Monaco's suggestions (Shift+Enter would accept one instead of running).
  await page.keyboard.type("factor * 7;");
  await page.keyboard.press("Shift+Enter");
  await expect.poll(() => cell(page, newId).locator(".outputs").textContent(), { timeout: 30_000 }).toContain("14");
  await expect.poll(() => focusedCellId(page)).toBe(afterB[afterB.indexOf(newId) + 1]);

  // K goes back up; D D deletes; Z restores it at its place.
  await page.keyboard.press("k");
  await expect.poll(() => focusedCellId(page)).toBe(newId);
  await page.keyboard.press("d");
  await page.keyboard.press("d");
  expect(await ids(page)).toEqual(order);
  await page.keyboard.press("z");
  expect(await ids(page)).toEqual(afterB);
  await expect.poll(() => focusedCellId(page)).toBe(newId);
  await expect.poll(() => cell(page, newId).locator(".outputs").textContent(), { timeout: 30_000 }).toContain("14");

  // M, Q and Y change the kind and keep the text.
  await page.keyboard.press("m");
  await expect.poll(() => cell(page, newId).getAttribute("data-cell-kind")).toBe("md");
  await page.keyboard.press("q");
  await expect.poll(() => cell(page, newId).getAttribute("data-cell-kind")).toBe("sql");
  await page.keyboard.press("y");
  await expect.poll(() => cell(page, newId).getAttribute("data-cell-kind")).toBe("ts");
  // The editor follows the kind: a TypeScript editor holding the same text, not a blank one
  // (Monaco draws spaces as no-break spaces).
  const editorText = async () =>
    ((await cell(page, newId).locator(".monaco-editor .view-lines").textContent()) ?? "").replace(/\u00a0/g, " ");
  await expect.poll(editorText).toContain("factor * 7");
  await expect.poll(() => cell(page, newId).locator(".outputs").textContent(), { timeout: 30_000 }).toContain("14");

  // Alt+ArrowUp moves the selected cell above `factor`; order does not change results.
  await page.keyboard.press("Alt+ArrowUp");
  expect((await ids(page)).indexOf(newId)).toBe(afterB.indexOf(factorId));

  // Ctrl+Enter in the editor runs in place: the dependants of `factor` re-run with the new value.
  // The click puts the caret in `factor` and keeps it there (the cell edited before, with Enter,
  // does not take the focus back when this one enters edit mode).
  await cell(page, factorId).locator(".monaco-editor .view-lines").click();
  await page.waitForFunction(
    (id) => document.activeElement?.closest("[data-cell-id]")?.getAttribute("data-cell-id") === id,
    factorId,
  );
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type("const factor = 5;");
  await page.keyboard.press("ControlOrMeta+Enter");
  await expect.poll(() => lastMarkdown(page), { timeout: 30_000 }).toContain("Total is 15.");
  await expect.poll(() => cell(page, newId).locator(".outputs").textContent(), { timeout: 30_000 }).toContain("35");
  expect(
    await page.evaluate(() => document.activeElement?.closest("[data-cell-id]")?.getAttribute("data-cell-id")),
  ).toBe(factorId);
  expectClean(w);
});

test("? opens the help dialog listing every shortcut of the table", async () => {
  const w = await workbench.open();
  const { page } = w;
  const { factorId } = await openEdit(w);
  await cell(page, factorId).locator(".cell-header .kind").click();
  await page.keyboard.press("Shift+?");
  await page.waitForSelector("dialog.help[open]");
  const rows = await page.$$eval("dialog.help tbody tr", (trs) =>
    trs.map((tr) => ({ action: tr.getAttribute("data-shortcut"), text: tr.textContent ?? "" })),
  );
  expect(rows.map((r) => r.action)).toEqual(SHORTCUTS.map((s) => s.action));
  for (const [i, s] of SHORTCUTS.entries()) expect(rows[i]!.text).toContain(s.description);
  expect(rows.find((r) => r.action === "deleteCell")!.text).toContain("D then D");
  await page.keyboard.press("Escape");
  await expect.poll(() => page.locator("dialog.help[open]").count()).toBe(0);
  expectClean(w);
});

test("the dependency view lists the names a cell reads and the cells that read it, with links", async () => {
  const w = await workbench.open();
  const { page } = w;
  const { factorId, scaledId, totalId } = await openEdit(w);
  await cell(page, scaledId).locator("[data-action=showDependencies]").click();
  const view = cell(page, scaledId).locator(".dependencies");
  const reads = view.locator("[data-links=reads] li");
  expect(await reads.count()).toBe(1);
  expect(await reads.textContent()).toContain("factor");
  expect(await reads.locator("[data-link-id]").getAttribute("data-link-id")).toBe(factorId);
  const readBy = view.locator("[data-links=read-by] li");
  expect(await readBy.count()).toBe(1);
  expect(await readBy.textContent()).toContain("scaled");
  expect(await readBy.locator("[data-link-id]").getAttribute("data-link-id")).toBe(totalId);
  // A link selects the cell it names.
  await readBy.locator("[data-link-id]").click();
  await expect.poll(() => focusedCellId(page)).toBe(totalId);
  expectClean(w);
});

test("clicking an outline heading scrolls its cell into view below the header", async () => {
  const w = await workbench.open();
  const { page } = w;
  await page.goto(workbench.url());
  await waitForSettled(page);
  const entries = page.locator(".outline-panel [data-outline-cell]");
  expect(await entries.count()).toBeGreaterThan(2);
  const last = entries.last();
  const target = (await last.getAttribute("data-outline-cell"))!;
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await last.click();
  // The heading's cell is selected (focused) as well as scrolled to.
  await expect.poll(() => focusedCellId(page)).toBe(target);
  await expect
    .poll(() => cell(page, target).evaluate((e) => Math.round(e.getBoundingClientRect().top)), { timeout: 10_000 })
    .toBeLessThan(200);
  const top = await cell(page, target).evaluate((e) => e.getBoundingClientRect().top);
  const headerBottom = await page.locator(".page-header").evaluate((e) => e.getBoundingClientRect().bottom);
  expect(top).toBeGreaterThanOrEqual(headerBottom - 1);
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  expectClean(w);
});

test("run all shows n of m cells done, and Stop waiting marks the waiting cells and ignores their results", async () => {
  const w = await workbench.open();
  const { page } = w;
  await page.goto(workbench.url("__test-notebooks__/slow.md"));
  await waitForSettled(page);
  const slowId = await codeCellId(page, "const slow");
  const readerId = await codeCellId(page, "slow * 10");
  expect(await cell(page, readerId).locator(".outputs").textContent()).toContain("20");

  await page.locator("button", { hasText: "Run all" }).click();
  const progress = page.locator(".progress");
  await expect.poll(() => progress.textContent()).toMatch(/\d+ of \d+ cells done/);
  const total = Number(await progress.getAttribute("data-progress-total"));
  expect(total).toBe((await cellSnapshots(page)).length);
  await expect.poll(() => progress.getAttribute("data-progress-done")).toBe(String(total - 2));

  await page.locator("button", { hasText: "Stop waiting" }).click();
  for (const id of [slowId, readerId]) {
    expect(await cell(page, id).getAttribute("data-cell-status")).toBe("error");
    expect(await cell(page, id).textContent()).toContain("Stopped waiting");
  }
  expect(await progress.textContent()).toBe("");
  // The slow run finishing later changes nothing.
  await page.waitForTimeout(4500);
  expect(await cell(page, readerId).getAttribute("data-cell-status")).toBe("error");
  // Running again works.
  await cell(page, slowId).locator("[data-action=runFrom]").click();
  await expect.poll(() => cell(page, readerId).locator(".outputs").textContent(), { timeout: 30_000 }).toContain("20");
  expectClean(w);
});
