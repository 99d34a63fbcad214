/**
 * The rows k-means++ picks as the first centres of restart 0 of seg.kmeans (and of the k-means start
 * of seg.gmm's first run) for a seed: the data centred on their column means as kmeansKernel centres
 * them, then kmeansPlusPlus with that restart's stream. A reference script hands these rows to
 * scikit-learn's KMeans as `init`, so both run Lloyd from the very same centres.
 */
import { kmeansPlusPlus, runStream } from "../../../src/seg/kmeans-kernel.ts";

/**
 * Row indices of the k initial centres of restart 0 for `seed` on `matrix` (n x d, row-major).
 * @example
 * kmeansPlusPlusPicks(fm.matrix, fm.n, fm.d, 3, 42); // e.g. [87, 12, 160]
 */
export function kmeansPlusPlusPicks(matrix: Float64Array, n: number, d: number, k: number, seed: number): number[] {
  // The same centring arithmetic as kmeansKernel (sum, then divide; subtract per entry).
  const mean = new Float64Array(d);
  for (let i = 0; i < n; ++i) for (let f = 0; f < d; ++f) mean[f] = mean[f]! + matrix[i * d + f]!;
  for (let f = 0; f < d; ++f) mean[f] = mean[f]! / n;
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; ++i) for (let f = 0; f < d; ++f) x[i * d + f] = matrix[i * d + f]! - mean[f]!;
  return Array.from(kmeansPlusPlus(x, n, d, k, runStream(seed, 0)));
}
