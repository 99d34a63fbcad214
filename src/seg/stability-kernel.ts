/**
 * Hennig's clusterboot on a flat row-major Float64Array: cluster a bootstrap sample (drawn with
 * replacement) with k-means and, for every original cluster, keep the best Jaccard similarity with a
 * bootstrap cluster, both taken as sets of the DISTINCT original points present in the sample.
 * Replicates are independent and each is seeded by its index, so any subset can run anywhere (the
 * browser spreads them over its worker pool) and the result never depends on how they were split.
 */
import { hashString, mulberry32 } from "../random/index.ts";
import { kmeansKernel } from "./kmeans-kernel.ts";

/** k-means settings for every replicate (the seed of replicate r is derived from `seed` and r). */
export interface ClusterbootKmeans {
  k: number;
  nInit: number;
  maxIter: number;
  tol: number;
}

/** The n row indices (0-based, with replacement) of bootstrap replicate `replicate` for `seed`. */
export function bootstrapSample(n: number, seed: number, replicate: number): Int32Array {
  const random = mulberry32(hashString(`clusterboot sample ${replicate}`, hashString(String(seed))));
  return Int32Array.from({ length: n }, () => Math.min(n - 1, Math.floor(random() * n)));
}

/** The k-means seed of replicate `replicate`. */
export function replicateSeed(seed: number, replicate: number): number {
  return hashString(`clusterboot kmeans ${replicate}`, hashString(String(seed)));
}

/**
 * Best Jaccard per original cluster for one sample: `labels` are the original clusters (0..k-1) of
 * all n points, `boot` the bootstrap clusters (0..kb-1) of the sample's rows. A point drawn several
 * times counts once (its first draw's cluster; k-means gives equal points the same one). NaN for an
 * original cluster with no point in the sample.
 */
export function bestJaccard(
  labels: Int32Array,
  k: number,
  sample: Int32Array,
  boot: Int32Array,
  kb: number,
): Float64Array {
  const seen = new Uint8Array(labels.length);
  const table = new Float64Array(k * kb);
  const original = new Float64Array(k);
  const bootSizes = new Float64Array(kb);
  for (let r = 0; r < sample.length; ++r) {
    const i = sample[r]!;
    if (seen[i]) continue;
    seen[i] = 1;
    const c = labels[i]!;
    const b = boot[r]!;
    table[c * kb + b]! += 1;
    original[c]! += 1;
    bootSizes[b]! += 1;
  }
  const out = new Float64Array(k).fill(NaN);
  for (let c = 0; c < k; ++c) {
    if (original[c] === 0) continue;
    let best = 0;
    for (let b = 0; b < kb; ++b) {
      const both = table[c * kb + b]!;
      if (both > 0) best = Math.max(best, both / (original[c]! + bootSizes[b]! - both));
    }
    out[c] = best;
  }
  return out;
}

/**
 * Runs the replicates numbered in `replicates` (or the explicit `samples` of row indices, one per
 * replicate, e.g. to reproduce another implementation's draws) and returns their best Jaccard per
 * original cluster, row-major replicates x k.
 */
export function clusterbootKernel(
  matrix: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  kmeans: ClusterbootKmeans,
  seed: number,
  replicates: Int32Array,
  samples?: readonly Int32Array[],
): Float64Array {
  const { k } = kmeans;
  const out = new Float64Array(replicates.length * k);
  replicates.forEach((replicate, r) => {
    const sample = samples ? samples[r]! : bootstrapSample(n, seed, replicate);
    const data = new Float64Array(sample.length * d);
    for (let i = 0; i < sample.length; ++i) data.set(matrix.subarray(sample[i]! * d, sample[i]! * d + d), i * d);
    const run = kmeansKernel(data, sample.length, d, {
      ...kmeans,
      seed: replicateSeed(seed, replicate),
    });
    out.set(bestJaccard(labels, k, sample, run.labels, k), r * k);
  });
  return out;
}
