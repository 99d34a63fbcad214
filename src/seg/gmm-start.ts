/**
 * The k-means partition a Gaussian mixture starts from (sklearn's `init_params="kmeans"`). By default
 * it is scikit-learn's exactly: one k-means++ seed and Lloyd's iterations, nothing after, so a
 * mixture fitted here starts from the partition sklearn's `KMeans(n_init=1)` reaches from the same
 * centres. `refine: "hartigan"` adds seg.kmeans' single-point transfers (a partition of lower
 * inertia, hence sometimes a different EM optimum than sklearn's). Pure: runs in a Web Worker too.
 */
import { kmeansKernel } from "./kmeans-kernel.ts";

/**
 * What runs after Lloyd's iterations in the start: nothing (sklearn's, default) or Hartigan transfers.
 * @example
 * const refine: GmmStartRefine = "hartigan";
 */
export type GmmStartRefine = "none" | "hartigan";

/**
 * The refinement of the k-means start when none is given: none, as scikit-learn.
 * @example
 * gmmStartRefine(undefined, "gmm") === GMM_START_REFINE; // true
 */
export const GMM_START_REFINE: GmmStartRefine = "none";

/**
 * Checks the `refine` option of seg.gmm (the same word and values as seg.kmeans') and returns it,
 * "none" when absent.
 * @example
 * gmmStartRefine(undefined, "gmm"); // "none"
 * gmmStartRefine("hartigan", "gmm"); // "hartigan"
 */
export function gmmStartRefine(value: unknown, fn: string): GmmStartRefine {
  const refine = value ?? GMM_START_REFINE;
  if (refine !== "none" && refine !== "hartigan") {
    throw new Error(
      `seg.${fn}: refine must be "none" (scikit-learn's k-means start, the default) or "hartigan" (seg.kmeans' refined start), got ${JSON.stringify(value)}`,
    );
  }
  return refine;
}

/**
 * The starting partition of one EM run: k-means with one k-means++ seed from `seed` and sklearn's
 * `KMeans(n_init=1)` defaults (300 iterations, tol 1e-4), then `refine`. Its labels equal
 * seg.kmeans({k, nInit: 1, seed, refine}) on the same matrix.
 * @example
 * gmmStartLabels(matrix, n, d, 3, 42, "none"); // Int32Array of n labels in 0..2
 */
export function gmmStartLabels(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  seed: number,
  refine: GmmStartRefine,
): Int32Array {
  return kmeansKernel(x, n, d, { k, nInit: 1, maxIter: 300, tol: 1e-4, seed, refine }).labels;
}
