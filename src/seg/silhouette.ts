/**
 * The exact silhouette on a kernel runner: the parts of silhouette-kernel.ts go to the runner's
 * workers side by side (the browser's pool), so a 100,000-point score neither freezes the page nor
 * waits on one core, and the sums add up in part order to the same bits as in Node.
 */
import type { KernelRunner } from "./kernel-runner.ts";
import { checkLabelCount, encodeLabels, meanOf, silhouetteSubset } from "./metrics-kernel.ts";
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
