/**
 * Cluster-quality kernels over a flat row-major Float64Array (n x d) and integer labels, with
 * scikit-learn's formulas and special cases (sklearn.metrics 1.2): silhouette, Calinski-Harabasz,
 * Davies-Bouldin and the adjusted Rand index. Pure and synchronous: they run in a Web Worker too.
 */
import { mulberry32 } from "../random/index.ts";
import { orderByCluster, silhouetteFromSums, silhouettePartKernel, silhouetteRanges } from "./silhouette-kernel.ts";

/** Labels re-coded as 0..k-1 in order of first appearance (any numbers or strings in). */
export interface EncodedLabels {
  codes: Int32Array;
  k: number;
}

/** Re-codes labels as dense integers 0..k-1 (like sklearn's LabelEncoder, order does not matter here). */
export function encodeLabels(labels: ArrayLike<unknown>): EncodedLabels {
  const codes = new Int32Array(labels.length);
  const seen = new Map<unknown, number>();
  for (let i = 0; i < labels.length; ++i) {
    const label = labels[i];
    let code = seen.get(label);
    if (code === undefined) {
      code = seen.size;
      seen.set(label, code);
    }
    codes[i] = code;
  }
  return { codes, k: seen.size };
}

/** Fails like sklearn when the labels have fewer than 2 or more than n - 1 distinct values. */
export function checkLabelCount(k: number, n: number, fn: string): void {
  // sklearn raises for these: the scores are undefined with one cluster or one point per cluster.
  if (k < 2 || k > n - 1) {
    throw new Error(`${fn}: number of labels is ${k} for ${n} points; valid values are 2 to n - 1 (inclusive)`);
  }
}

/**
 * Per-point silhouette values (sklearn's `silhouette_samples`, Euclidean). Exact and O(n^2) in time
 * but O(n k) in memory: pair distances are computed on the fly, each pair once, and only per-point
 * per-cluster distance sums are kept (see silhouette-kernel.ts, whose parts this runs one after the
 * other; the worker pool runs the same parts side by side and gets the same bits). A point alone in
 * its cluster scores 0.
 */
export function silhouetteSamplesKernel(
  matrix: Float64Array,
  n: number,
  d: number,
  labels: ArrayLike<unknown>,
): Float64Array {
  const { codes, k } = encodeLabels(labels);
  checkLabelCount(k, n, "silhouette");
  const cluster = orderByCluster(matrix, n, d, codes, k);
  const parts = silhouetteRanges(n).map(([from, to]) =>
    silhouettePartKernel(cluster.matrix, n, d, cluster.labels, cluster.starts, from, to),
  );
  return silhouetteFromSums(parts, cluster);
}

/** Mean of per-point silhouettes, added in point order (the same in every runner). */
export function meanOf(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; ++i) total += values[i]!;
  return total / values.length;
}

/** Mean silhouette over all points (sklearn's `silhouette_score` without `sample_size`). */
export function silhouetteKernel(matrix: Float64Array, n: number, d: number, labels: ArrayLike<unknown>): number {
  return meanOf(silhouetteSamplesKernel(matrix, n, d, labels));
}

/**
 * Indices of a seeded random sample of `size` of `n` points without replacement (a partial
 * Fisher-Yates shuffle with mulberry32), in sample order.
 */
export function sampleIndices(n: number, size: number, seed: number): Int32Array {
  const take = Math.min(size, n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; ++i) order[i] = i;
  const random = mulberry32(seed);
  for (let i = 0; i < take; ++i) {
    const j = i + Math.floor(random() * (n - i));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order.slice(0, take);
}

/**
 * Mean silhouette of a seeded random sample of `sampleSize` points, computed among the sampled
 * points only (what sklearn's `silhouette_score(..., sample_size=)` does, with our own generator).
 * When `sampleSize >= n` this is the exact score.
 */
export function silhouetteSampleKernel(
  matrix: Float64Array,
  n: number,
  d: number,
  labels: ArrayLike<unknown>,
  sampleSize: number,
  seed: number,
): number {
  const subset = silhouetteSubset(matrix, n, d, labels, sampleSize, seed);
  return silhouetteKernel(subset.matrix, subset.n, d, subset.labels);
}

/**
 * The points a silhouette is computed on: all of them when `sampleSize >= n`, else a seeded random
 * sample of `sampleSize` (see {@link sampleIndices}) in sample order.
 */
export function silhouetteSubset(
  matrix: Float64Array,
  n: number,
  d: number,
  labels: ArrayLike<unknown>,
  sampleSize: number,
  seed: number,
): { matrix: Float64Array; n: number; labels: ArrayLike<unknown> } {
  if (sampleSize >= n) return { matrix, n, labels };
  const picked = sampleIndices(n, sampleSize, seed);
  const m = picked.length;
  const sub = new Float64Array(m * d);
  const subLabels: unknown[] = new Array(m);
  for (let s = 0; s < m; ++s) {
    const i = picked[s]!;
    sub.set(matrix.subarray(i * d, i * d + d), s * d);
    subLabels[s] = labels[i];
  }
  return { matrix: sub, n: m, labels: subLabels };
}

/** Per-cluster sizes and centroids (means) of labelled points. */
function centroidsOf(matrix: Float64Array, n: number, d: number, codes: Int32Array, k: number) {
  const sizes = new Float64Array(k);
  const centroids = new Float64Array(k * d);
  for (let i = 0; i < n; ++i) {
    const c = codes[i]!;
    sizes[c] = sizes[c]! + 1;
    for (let f = 0; f < d; ++f) centroids[c * d + f] = centroids[c * d + f]! + matrix[i * d + f]!;
  }
  for (let c = 0; c < k; ++c) for (let f = 0; f < d; ++f) centroids[c * d + f] = centroids[c * d + f]! / sizes[c]!;
  return { sizes, centroids };
}

/**
 * Calinski-Harabasz score (variance ratio criterion): between-cluster dispersion over within-cluster
 * dispersion, times (n - k) / (k - 1). As in sklearn, 1 when the within dispersion is 0.
 */
export function calinskiHarabaszKernel(matrix: Float64Array, n: number, d: number, labels: ArrayLike<unknown>): number {
  const { codes, k } = encodeLabels(labels);
  checkLabelCount(k, n, "calinskiHarabasz");
  const mean = new Float64Array(d);
  for (let i = 0; i < n; ++i) for (let f = 0; f < d; ++f) mean[f] = mean[f]! + matrix[i * d + f]!;
  for (let f = 0; f < d; ++f) mean[f] = mean[f]! / n;
  const { sizes, centroids } = centroidsOf(matrix, n, d, codes, k);
  let extra = 0;
  for (let c = 0; c < k; ++c) {
    let sq = 0;
    for (let f = 0; f < d; ++f) sq += (centroids[c * d + f]! - mean[f]!) ** 2;
    extra += sizes[c]! * sq;
  }
  let intra = 0;
  for (let i = 0; i < n; ++i) {
    const c = codes[i]!;
    for (let f = 0; f < d; ++f) intra += (matrix[i * d + f]! - centroids[c * d + f]!) ** 2;
  }
  return intra === 0 ? 1 : (extra * (n - k)) / (intra * (k - 1));
}

/**
 * Davies-Bouldin score: the mean over clusters of the worst (s_i + s_j) / dist(c_i, c_j), where s is
 * the mean distance of a cluster's points to its centroid. As in sklearn, 0 when every s or every
 * centroid distance is within 1e-8 of 0, and coincident centroids are ignored (distance = infinity).
 */
export function daviesBouldinKernel(matrix: Float64Array, n: number, d: number, labels: ArrayLike<unknown>): number {
  const { codes, k } = encodeLabels(labels);
  checkLabelCount(k, n, "daviesBouldin");
  const { sizes, centroids } = centroidsOf(matrix, n, d, codes, k);
  const intra = new Float64Array(k);
  for (let i = 0; i < n; ++i) {
    const c = codes[i]!;
    let sq = 0;
    for (let f = 0; f < d; ++f) sq += (matrix[i * d + f]! - centroids[c * d + f]!) ** 2;
    intra[c] = intra[c]! + Math.sqrt(sq);
  }
  for (let c = 0; c < k; ++c) intra[c] = intra[c]! / sizes[c]!;
  const between = new Float64Array(k * k);
  for (let a = 0; a < k; ++a) {
    for (let b = 0; b < k; ++b) {
      let sq = 0;
      for (let f = 0; f < d; ++f) sq += (centroids[a * d + f]! - centroids[b * d + f]!) ** 2;
      between[a * k + b] = Math.sqrt(sq);
    }
  }
  // np.allclose(x, 0): every |x| <= 1e-8.
  if (intra.every((v) => Math.abs(v) <= 1e-8) || between.every((v) => Math.abs(v) <= 1e-8)) return 0;
  let total = 0;
  for (let a = 0; a < k; ++a) {
    let worst = 0;
    for (let b = 0; b < k; ++b) {
      const dist = between[a * k + b]!;
      if (dist === 0) continue; // the diagonal, or coincident centroids: ratio 0 in sklearn
      const ratio = (intra[a]! + intra[b]!) / dist;
      if (ratio > worst) worst = ratio;
    }
    total += worst;
  }
  return total / k;
}

/**
 * Adjusted Rand index of two labelings (any values), from the pair confusion matrix exactly as
 * sklearn computes it: 1 when no pair is split differently (including both labelings having one
 * cluster, or every point alone, or no points). Big counts are combined as BigInt so large n loses
 * no precision in the numerator's subtraction.
 */
export function adjustedRandKernel(a: ArrayLike<unknown>, b: ArrayLike<unknown>): number {
  if (a.length !== b.length) {
    throw new Error(`adjustedRandIndex: labelings have different lengths (${a.length} and ${b.length})`);
  }
  const n = a.length;
  const ea = encodeLabels(a);
  const eb = encodeLabels(b);
  const cells = new Map<number, number>();
  const rows = new Float64Array(ea.k);
  const cols = new Float64Array(eb.k);
  for (let i = 0; i < n; ++i) {
    const key = ea.codes[i]! * eb.k + eb.codes[i]!;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    rows[ea.codes[i]!] = rows[ea.codes[i]!]! + 1;
    cols[eb.codes[i]!] = cols[eb.codes[i]!]! + 1;
  }
  let sumSquares = 0n;
  let rowDot = 0n; // sum over cells n_ij * n_.j
  let colDot = 0n; // sum over cells n_ij * n_i.
  for (const [key, count] of cells) {
    const r = Math.floor(key / eb.k);
    const c = key - r * eb.k;
    const v = BigInt(count);
    sumSquares += v * v;
    rowDot += v * BigInt(cols[c]!);
    colDot += v * BigInt(rows[r]!);
  }
  const nn = BigInt(n);
  const tp = sumSquares - nn;
  const fp = rowDot - sumSquares;
  const fn = colDot - sumSquares;
  const tn = nn * nn - fp - fn - sumSquares;
  if (fn === 0n && fp === 0n) return 1;
  const numerator = 2n * (tp * tn - fn * fp);
  const denominator = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
  return Number(numerator) / Number(denominator);
}
