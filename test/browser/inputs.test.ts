/**
 * Inputs bound to variables in the built workbench: `const k = view(Inputs.range(...))` shows the
 * slider in its cell; moving it re-runs the cells that read `k` with the new value while the defining
 * cell keeps its run count and its control; a table's row selection feeds its reader the same way.
 */
import { expect, test } from "vitest";
import type { Page } from "playwright-core";
import { useWorkbench } from "./helpers/setup.ts";
import { codeCellId, waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();
const cell = (page: Page, id: string) => page.locator(`[data-cell-id="${id}"]`);
const runs = async (page: Page, id: string) => Number(await cell(page, id).getAttribute("data-cell-runs"));
const shown = (page: Page, id: string) => cell(page, id).locator(".inspector").first().textContent();

test("view(Inputs.range) re-runs the dependant when the slider moves, not the defining cell", async () => {
  const w = await workbench.open();
  const { page } = w;
  await page.goto(workbench.url("__test-notebooks__/inputs.md"));
  await waitForSettled(page);
  const sliderId = await codeCellId(page, "const k = view");
  const readerId = await codeCellId(page, "k * 10");
  expect(await shown(page, readerId)).toContain("50");
  expect(await runs(page, readerId)).toBe(1);
  expect(await runs(page, sliderId)).toBe(1);

  // Move the slider as a user does: the range input's value changes and it sends "input".
  const slider = cell(page, sliderId).locator("input[type=range]");
  expect(await slider.inputValue()).toBe("5");
  await slider.evaluate((input: HTMLInputElement) => {
    input.value = "8";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await expect.poll(() => shown(page, readerId)).toContain("80");
  await waitForSettled(page);
  expect(await runs(page, readerId)).toBe(2);
  expect(await runs(page, sliderId)).toBe(1);
  // The control kept its state (the cell did not re-run and rebuild it).
  expect(await slider.inputValue()).toBe("8");
  expect(await cell(page, sliderId).locator("input[type=number]").inputValue()).toBe("8");

  // Table selection: ticking rows re-runs the reader with the selected rows.
  const tableId = await codeCellId(page, "const picked = view");
  const pickedId = await codeCellId(page, "picked: ");
  expect(await shown(page, pickedId)).toContain("picked: ");
  const rows = cell(page, tableId).locator("tbody input[type=checkbox]");
  await rows.nth(0).check();
  await rows.nth(2).check();
  await expect.poll(() => shown(page, pickedId)).toContain("picked: Ann,Cy");
  await waitForSettled(page);
  expect(await runs(page, tableId)).toBe(1);
  expect(w.pageErrors).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
  expect(w.blockedRequests).toEqual([]);
});
