/**
 * What the page does when a cell holds the thread: a page whose thread is busy cannot show its own
 * UI, so the one thing that still works — the browser's modal confirm — asks whether to stop the cell.
 */
import type { RunawayInfo, RunawayPolicy } from "../runtime/index.ts";

/** Milliseconds a cell may hold the page before the user is asked. */
export const RUNAWAY_AFTER_MS = 5000;

/** Asks the user (window.confirm) whether to stop a cell that has held the page for a while. */
export function browserRunawayPolicy(describe: (cellId: string) => string): RunawayPolicy {
  return {
    afterMs: RUNAWAY_AFTER_MS,
    ask: ({ cellId, elapsedMs, line }: RunawayInfo) =>
      window.confirm(
        `${describe(cellId)} has been running for ${(elapsedMs / 1000).toFixed(0)} s without pausing (a loop at its line ${line}).\n\n` +
          "OK stops it (the notebook and loaded data stay). Cancel keeps it running.",
      ),
  };
}
