/**
 * seg.kmeans on a large table leaves the page's thread free: the features are laid out and the
 * restarts run in the kernel workers, so a timer on the page keeps ticking while the cell runs. If
 * the kernels ran on the page's thread, the timer would stall for (nearly) the whole run. No timing
 * threshold: the check compares the page's longest stall with the cell's own run time.
 */
import { expect, test } from "vitest";
import { readPageRecord, recordPage, statusSeen } from "./helpers/page-record.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { cellSnapshots, codeCellId, waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();

test("seg.kmeans on 200,000 x 6 rows runs while the page keeps ticking (kernels off the page's thread)", async () => {
  const w = await workbench.open();
  const { page } = w;
  await page.addInitScript(recordPage, 10);
  await page.goto(workbench.url("__test-notebooks__/kmeans-responsive.md"));
  await waitForSettled(page, 180_000);
  expect((await cellSnapshots(page)).map((c) => c.status)).toEqual(["ok", "ok", "ok", "ok"]);
  await expect.poll(() => page.locator("main").textContent()).toContain("Clustered 200,000 rows");

  // Re-run the k-means cell on the loaded page (the first run competes with the page's own start).
  const id = await codeCellId(page, "seg.kmeans");
  const since = await page.evaluate(() => performance.now());
  await page.locator(`[data-cell-id="${id}"] .cell-header .kind`).click();
  await page.keyboard.press("ControlOrMeta+Enter");
  await page.waitForFunction(statusSeen, [id, "ok", since] as [string, string, number], { timeout: 180_000 });
  await waitForSettled(page, 180_000);
  const { ticks, statuses } = (await readPageRecord(page)).record;
  const mine = statuses.filter((s) => s.id === id && s.at > since);
  const start = mine.find((s) => s.status === "running")!.at;
  const end = mine.find((s) => s.status === "ok")!.at;
  const during = ticks.filter((t) => t > start && t < end);
  const edges = [start, ...during, end];
  const longestStall = Math.max(...edges.slice(1).map((t, i) => t - edges[i]!));
  const runTime = end - start;
  // The page ticked throughout: many ticks, and no stall anywhere near the length of the run.
  expect(during.length, `ticks during a ${runTime.toFixed(0)} ms run`).toBeGreaterThan(10);
  expect(longestStall, `longest stall of the page during a ${runTime.toFixed(0)} ms run`).toBeLessThan(runTime / 2);
  expect(await page.locator(`[data-cell-id="${id}"]`).getAttribute("data-cell-status")).toBe("ok");
  expect(w.pageErrors).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
  expect(w.blockedRequests).toEqual([]);
});
