/**
 * Cluster-quality scores, synchronous in the calling thread: checked wrappers over metrics-kernel.ts
 * (same formulas and special cases as scikit-learn's silhouette_score, calinski_harabasz_score,
 * davies_bouldin_score and adjusted_rand_score) taking a row-major matrix and labels. Cells get the
 * asynchronous `seg.silhouetteScore`, … of cluster-metrics.ts instead, which take a table
 * `{features, segment}` or a matrix and give the same numbers.
 */
import {
  adjustedRandKernel,
  calinskiHarabaszKernel,
  daviesBouldinKernel,
  silhouetteSampleKernel,
} from "./metrics-kernel.ts";

/** Options of {@link silhouetteScore}. */
export interface SilhouetteOptions {
  /** Score a seeded random sample of this many points when n is larger (exact otherwise). */
  sampleSize?: number;
  /** Seed of the sample (default 0; seg functions pass the notebook seed). */
  seed?: number;
}

/** Checks a matrix and labels for the metrics and returns the matrix as a Float64Array. */
export function checkInput(
  fn: string,
  matrix: ArrayLike<number>,
  n: number,
  d: number,
  labels: ArrayLike<unknown>,
): Float64Array {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 1 || d < 1) {
    throw new Error(`${fn}: n and d must be positive integers, got n = ${n}, d = ${d}`);
  }
  if (matrix?.length !== n * d) {
    throw new Error(`${fn}: matrix has ${matrix?.length} values, expected n * d = ${n * d} (row-major)`);
  }
  if (labels?.length !== n) throw new Error(`${fn}: ${labels?.length} labels for ${n} points`);
  const values = matrix instanceof Float64Array ? matrix : Float64Array.from(matrix);
  if (!values.every(Number.isFinite)) throw new Error(`${fn}: matrix has NaN or infinite values`);
  return values;
}

/**
 * Mean silhouette coefficient (Euclidean): for each point (b - a) / max(a, b), with a its mean
 * distance to its own cluster and b to the nearest other cluster; 0 for points alone in their cluster.
 * Exact (O(n^2) time, O(n k) memory) unless `sampleSize` is given and smaller than n. Synchronous, in
 * the calling thread; cells get the asynchronous one that runs on the worker pool (silhouette.ts),
 * which gives the same bits.
 *
 * @example
 * silhouetteScore(matrix, n, d, labels); // 0.55
 */
export function silhouetteScore(
  matrix: ArrayLike<number>,
  n: number,
  d: number,
  labels: ArrayLike<unknown>,
  options: SilhouetteOptions = {},
): number {
  const values = checkInput("silhouetteScore", matrix, n, d, labels);
  const sampleSize = options.sampleSize ?? n;
  if (!Number.isInteger(sampleSize) || sampleSize < 2) {
    throw new Error(`silhouetteScore: sampleSize must be an integer >= 2, got ${sampleSize}`);
  }
  return silhouetteSampleKernel(values, n, d, labels, sampleSize, options.seed ?? 0);
}

/**
 * Calinski-Harabasz score (higher is better): between- over within-cluster dispersion.
 *
 * @example
 * calinskiHarabasz(matrix, n, d, labels); // higher for tighter, better-separated clusters
 */
export function calinskiHarabasz(matrix: ArrayLike<number>, n: number, d: number, labels: ArrayLike<unknown>): number {
  return calinskiHarabaszKernel(checkInput("calinskiHarabasz", matrix, n, d, labels), n, d, labels);
}

/**
 * Davies-Bouldin score (lower is better): mean over clusters of the worst spread-to-separation ratio.
 *
 * @example
 * daviesBouldin(matrix, n, d, labels); // 0 for perfectly separated clusters, larger when they overlap
 */
export function daviesBouldin(matrix: ArrayLike<number>, n: number, d: number, labels: ArrayLike<unknown>): number {
  return daviesBouldinKernel(checkInput("daviesBouldin", matrix, n, d, labels), n, d, labels);
}

/**
 * Adjusted Rand index of two labelings of the same points (labels may be any values): 1 for the
 * same partition (whatever the label names), about 0 for chance agreement, negative below chance.
 *
 * @example
 * adjustedRandIndex([0, 0, 1, 1], ["a", "a", "b", "b"]); // 1: the same partition, whatever the names
 */
export function adjustedRandIndex(a: ArrayLike<unknown>, b: ArrayLike<unknown>): number {
  return adjustedRandKernel(a, b);
}
