/**
 * The exact silhouette on a kernel runner: the parts of silhouette-kernel.ts go to the runner's
 * workers side by side (the browser's pool), so a 100,000-point score neither freezes the page nor
 * waits on one core, and the sums add up in part order to the same bits as in Node.
 */
import type { SegContext } from "./context.ts";
import { inProcessKernels, type KernelRunner } from "./kernel-runner.ts";
import { checkLabelCount, encodeLabels, meanOf, silhouetteSubset } from "./metrics-kernel.ts";
import { checkInput, type SilhouetteOptions } from "./metrics.ts";
import { orderByCluster, silhouetteFromSums, silhouetteRanges } from "./silhouette-kernel.ts";

/** Per-point silhouettes (sklearn's `silhouette_samples`), the pair loop split over `runner`. */
export async function silhouetteSamplesOn(
  runner: KernelRunner,
  matrix: Float64Array,
  n: number,
  d: number,
  labels: ArrayLike<unknown>,
): Promise<Float64Array> {
  const { codes, k } = encodeLabels(labels);
  checkLabelCount(k, n, "silhouette");
  const cluster = orderByCluster(matrix, n, d, codes, k);
  const parts = await Promise.all(
    silhouetteRanges(n).map(([from, to]) =>
      runner.run("silhouettePart", cluster.matrix, n, d, cluster.labels, cluster.starts, from, to),
    ),
  );
  return silhouetteFromSums(parts, cluster);
}

/** Mean silhouette (of a seeded sample when `sampleSize < n`), the pair loop split over `runner`. */
export async function silhouetteScoreOn(
  runner: KernelRunner,
  matrix: Float64Array,
  n: number,
  d: number,
  labels: ArrayLike<unknown>,
  sampleSize: number,
  seed: number,
): Promise<number> {
  const subset = silhouetteSubset(matrix, n, d, labels, sampleSize, seed);
  return meanOf(await silhouetteSamplesOn(runner, subset.matrix, subset.n, d, subset.labels));
}

/**
 * Mean silhouette coefficient (Euclidean), exact unless `sampleSize` is given and smaller than n:
 * for each point (b - a) / max(a, b), with a its mean distance to its own cluster and b to the
 * nearest other cluster; 0 for points alone in their cluster. Equal to scikit-learn's
 * `silhouette_score`. O(n^2) time: in the browser it runs across the worker pool, off the page.
 *
 * @example
 * const fm = await seg.featureMatrix(mall, {features: ["income", "score"]});
 * const km = await seg.kmeans(mall, {features: ["income", "score"], k: 5});
 * await seg.silhouetteScore(fm.matrix, fm.n, fm.d, km.clusters); // 0.55
 */
export async function silhouette(
  ctx: SegContext,
  matrix: ArrayLike<number>,
  n: number,
  d: number,
  labels: ArrayLike<unknown>,
  options: SilhouetteOptions = {},
): Promise<number> {
  const values = checkInput("silhouetteScore", matrix, n, d, labels);
  const sampleSize = options.sampleSize ?? n;
  if (!Number.isInteger(sampleSize) || sampleSize < 2) {
    throw new Error(`silhouetteScore: sampleSize must be an integer >= 2, got ${sampleSize}`);
  }
  return silhouetteScoreOn(ctx.kernels ?? inProcessKernels, values, n, d, labels, sampleSize, options.seed ?? 0);
}
