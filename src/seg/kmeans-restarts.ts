/**
 * The k-means restarts split over a kernel runner's workers. Each restart depends only on the data,
 * the options and its own index (its k-means++ stream is derived from the seed and the index), and
 * the best one is chosen by inertia then index, so the result is the same bit for bit whatever the
 * number of workers: one worker (Node, `segbook run`) and a pool of four (the browser) agree.
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
 * Runs the "kmeans" kernel with its restarts split over `runner.parallelism` jobs (one job when the
 * runner runs one kernel at a time) and returns the best restart, as one job running them all would.
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
  // Runners read their arguments when run() is called, so handing over just before the last call
  // leaves the earlier calls copying the matrix.
  const jobs = ranges.map((runs, p) => {
    const input = p === last && giveUpMatrix ? handOver(matrix) : matrix;
    return runner.run("kmeans", input, n, d, ranges.length === 1 ? options : { ...options, runs });
  });
  const parts = await Promise.all(jobs);
  return parts.reduce(betterRun);
}
