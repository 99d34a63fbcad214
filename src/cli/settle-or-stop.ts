/**
 * How `segbook run` waits for a notebook: until every cell settles, until the whole-run timeout
 * (`--timeout`), or until Node has nothing left to do while cells still wait. The last happens when
 * a cell awaits a promise that can never settle (no timer, I/O or worker left that could resolve
 * it): Node would otherwise end the process silently with exit code 0, as if the run had passed.
 */

/** Why the wait ended. */
export type SettleOutcome = "settled" | "timeout" | "drained";

/** The whole-run timeout when `--timeout` is not given (seconds): half an hour. */
export const DEFAULT_RUN_TIMEOUT_SECONDS = 1800;

/**
 * Waits for `settled`, at most `timeoutMs`, and no longer than Node has work that could settle it.
 * The timer does not keep the process alive by itself, so an empty event loop is noticed (Node's
 * `beforeExit`) even while it is pending.
 * @example
 * const outcome = await settleOrStop(session.settled(), 1800_000); // "settled" | "timeout" | "drained"
 */
export function settleOrStop(settled: Promise<void>, timeoutMs: number): Promise<SettleOutcome> {
  return new Promise((resolve) => {
    const finish = (outcome: SettleOutcome) => {
      clearTimeout(timer);
      process.off("beforeExit", drained);
      resolve(outcome);
    };
    const drained = () => finish("drained");
    const timer = setTimeout(() => finish("timeout"), timeoutMs);
    timer.unref();
    process.on("beforeExit", drained);
    settled.then(() => finish("settled"));
  });
}
