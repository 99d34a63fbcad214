/**
 * A record the page keeps from before the app starts (installed with page.addInitScript): main-thread
 * long tasks, optional timer ticks, and every cell's `data-cell-status` change, in performance.now()
 * time. Used by the responsiveness browser test and the app benchmark's long-task figures.
 */
import type { Page } from "playwright-core";

/** What the page recorded. */
export interface PageRecord {
  longTasks: { start: number; duration: number }[];
  ticks: number[];
  statuses: { id: string; status: string; at: number }[];
}

/**
 * Runs in the page (self-contained: addInitScript serialises it): a buffered long-task observer, a
 * timer ticking every `tickMs` ms when above 0, and a MutationObserver on cells' statuses.
 */
export function recordPage(tickMs: number): void {
  const record: PageRecord = { longTasks: [], ticks: [], statuses: [] };
  (globalThis as unknown as { __segbookRecord: PageRecord }).__segbookRecord = record;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) record.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: "longtask", buffered: true });
  if (tickMs > 0) setInterval(() => record.ticks.push(performance.now()), tickMs);
  new MutationObserver((mutations) => {
    const at = performance.now();
    for (const m of mutations) {
      const element = m.target as Element;
      const id = element.getAttribute("data-cell-id");
      const status = element.getAttribute("data-cell-status");
      if (id && status) record.statuses.push({ id, status, at });
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-cell-status"] });
}

/** The page's record so far and the page's clock now. */
export async function readPageRecord(page: Page): Promise<{ record: PageRecord; now: number }> {
  return page.evaluate(() => ({
    record: (globalThis as unknown as { __segbookRecord: PageRecord }).__segbookRecord,
    now: performance.now(),
  }));
}

/** Whether cell `id` has reported `status` after page time `after` (for page.waitForFunction). */
export function statusSeen([id, status, after]: [string, string, number]): boolean {
  const record = (globalThis as unknown as { __segbookRecord: PageRecord }).__segbookRecord;
  return record.statuses.some((s) => s.id === id && s.status === status && s.at >= after);
}
