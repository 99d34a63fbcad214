/**
 * The k-means restarts split over a kernel runner's workers. Each restart depends only on the data,
 * the options and its own index (its k-means++ stream is derived from the seed and the index), and
 * the best one is chosen by inertia then index, so the result is the same bit for bit whatever the
 * number of workers: one worker (Node, `segbook run`) and a pool of four (the browser) agree.
 * Where memory can be shared with workers (Node's worker threads; a cross-origin isolated page) the
 * workers take restarts one at a time from a shared counter, so none waits on another's slow share.
 */
import { handOver, type KernelRunner } from "./kernel-runner.ts";
import { betterRun, type KmeansKernelOptions, type KmeansRun } from "./kmeans-kernel.ts";

/** Splits restarts 0..total-1 into `parts` contiguous [from, to) ranges of near-equal size (no empty ones). */
export function restartRanges(total: number, parts: number): [number, number][] {
  const count = Math.max(1, Math.min(total, Math.floor(parts)));
  return Array.from({ length: count }, (_, p): [number, number] => [
    Math.floor((p * total) / count),
    Math.floor(((p + 1) * total) / count),
  ]);
}

/**
 * A counter the runner's workers can share (an Int32Array over a SharedArrayBuffer), or null where
 * memory cannot be shared with workers: no SharedArrayBuffer, or a page that is not cross-origin
 * isolated (posting one would fail there).
 * @example
 * const claim = sharedCounter(); // Int32Array [0] in Node; null in a page without COOP/COEP
 */
export function sharedCounter(): Int32Array | null {
  const scope = globalThis as { crossOriginIsolated?: boolean };
  if (typeof SharedArrayBuffer !== "function" || scope.crossOriginIsolated === false) return null;
  return new Int32Array(new SharedArrayBuffer(4));
}

/**
 * Runs the k-means restarts on `runner.parallelism` jobs (one job when the runner runs one kernel at
 * a time) and returns the best restart, as one job running them all would. With a shared counter
 * ({@link sharedCounter}) each job takes restarts one at a time until none is left ("kmeansClaim");
 * without one the restarts are split into fixed contiguous shares ("kmeans" with `runs`).
 * With `giveUpMatrix` the caller no longer needs `matrix`: the last job takes it (see handOver), so a
 * worker pool copies it once less (not at all with one worker).
 */
export async function runKmeansRestarts(
  runner: KernelRunner,
  matrix: Float64Array,
  n: number,
  d: number,
  options: KmeansKernelOptions,
  giveUpMatrix = false,
): Promise<KmeansRun> {
  const total = options.init ? 1 : options.nInit;
  const ranges = restartRanges(total, runner.parallelism ?? 1);
  const last = ranges.length - 1;
  const claim = ranges.length > 1 ? sharedCounter() : null;
  // Runners read their arguments when run() is called, so handing over just before the last call
  // leaves the earlier calls copying the matrix.
  const jobs = ranges.map((runs, p) => {
    const input = p === last && giveUpMatrix ? handOver(matrix) : matrix;
    if (claim) return runner.run("kmeansClaim", input, n, d, options, claim);
    return runner.run("kmeans", input, n, d, ranges.length === 1 ? options : { ...options, runs });
  });
  const parts = (await Promise.all(jobs)).filter((part): part is KmeansRun => part !== null);
  return parts.reduce(betterRun);
}
