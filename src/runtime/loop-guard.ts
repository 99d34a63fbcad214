/**
 * Making runaway cells stoppable. JavaScript on the page cannot be interrupted from outside, so the
 * compiler puts a call to a per-run "tick" at the top of every loop body in a cell. The tick is cheap
 * (a counter and a version check) and does three things:
 * - a run that is no longer current (the cell was edited, re-run or "stop" was pressed) throws at its
 *   next loop iteration, so an abandoned `while (true) { await … }` really ends;
 * - when a cell has held the thread without yielding for longer than the policy allows, the host is
 *   asked whether to stop it (the browser asks the user with a modal dialog — the only UI a blocked
 *   page can still show; `segbook run --cell-timeout` answers "stop");
 * - once stopped, every later tick throws again, so a `try/catch` inside the loop cannot swallow it.
 * Code that loops inside a library call is not reached by ticks; heavy kernels run in workers instead.
 */

/** The name compiled cells call; a parameter of every code cell's body. */
export const TICK_NAME = "__segbook_tick";

/** How long a cell may hold the thread before the host is asked, and how it answers. */
export interface RunawayPolicy {
  /** Milliseconds of continuous running without yielding before {@link ask} is called. */
  afterMs: number;
  /**
   * Called (synchronously, from inside the cell's loop) when the limit is reached. Return true to stop
   * the cell; false to keep going (the next question comes after twice the time).
   */
  ask(info: RunawayInfo): boolean;
}

/** What the host is told about a cell that holds the thread. */
export interface RunawayInfo {
  /** The id of the cell that holds the thread. */
  cellId: string;
  /** How long the cell has run without yielding, in milliseconds. */
  elapsedMs: number;
  /** The cell line of the loop that is running. */
  line: number;
}

/** Thrown into a stopped cell's code; the cell shows its message. */
export class CellStopped extends Error {
  override name = "CellStopped";
}

/** Checks the clock once per this many loop iterations: reading it is what costs. */
const CLOCK_EVERY = 1024;

/** Options of {@link createTick}; the clock and scheduler are injectable for tests. */
export interface TickOptions {
  /** The cell the tick belongs to, for {@link RunawayInfo}. */
  cellId: string;
  /** Whether the run is still the cell's current one. */
  isCurrent: () => boolean;
  policy?: RunawayPolicy;
  now?: () => number;
  /** Runs `fn` once the thread is free again (a macrotask): it marks the end of a blocking slice. */
  afterYield?: (fn: () => void) => void;
}

/** The tick function for one run of one cell. */
export function createTick(options: TickOptions): (line: number) => void {
  const { cellId, isCurrent, policy } = options;
  const now = options.now ?? (() => performance.now());
  const afterYield = options.afterYield ?? ((fn: () => void) => void setTimeout(fn, 0));
  let count = 0;
  let stopped: string | undefined;
  // Start of the current stretch of running without a macrotask in between; reset once one runs.
  let sliceStart: number | undefined;
  let askAt = policy?.afterMs ?? Infinity;
  return (line: number) => {
    if (stopped !== undefined) throw new CellStopped(stopped);
    if (!isCurrent()) {
      stopped = `Stopped at line ${line}: this run was cancelled (the cell was stopped, edited or re-run).`;
      throw new CellStopped(stopped);
    }
    if (!policy || ++count % CLOCK_EVERY !== 0) return;
    const t = now();
    if (sliceStart === undefined) {
      sliceStart = t;
      afterYield(() => (sliceStart = undefined));
      return;
    }
    const elapsedMs = t - sliceStart;
    if (elapsedMs < askAt) return;
    if (policy.ask({ cellId, elapsedMs, line })) {
      const seconds = (elapsedMs / 1000).toFixed(1);
      stopped = `Stopped at line ${line}: the loop there ran for ${seconds} s without pausing. Check its exit condition, or run heavy work through seg (it uses background workers).`;
      throw new CellStopped(stopped);
    }
    askAt = elapsedMs * 2;
  };
}
