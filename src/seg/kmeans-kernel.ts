/**
 * k-means on a flat row-major Float64Array (n x d), following scikit-learn 1.2's `KMeans` (Lloyd)
 * step for step so results can be checked against it: greedy k-means++ seeding, the same E-step
 * arithmetic, empty-cluster relocation, convergence test, final E-step and best-of-nInit choice.
 * Pure and synchronous (runs in a Web Worker too); randomness comes only from mulberry32 streams.
 */
import { hashString, mulberry32 } from "../runtime/random.ts";

/** What one k-means run (or the best of several) found. */
export interface KmeansRun {
  /** Cluster of each point, 0..k-1. */
  labels: Int32Array;
  /** Centres, row-major k x d, in the input's units. */
  centers: Float64Array;
  /** Sum of squared distances of points to their centre. */
  inertia: number;
  /** Lloyd iterations done (sklearn's `n_iter_`). */
  iterations: number;
  /** Which restart this was (0-based); the best one when several ran. */
  run: number;
}

/** Options of {@link kmeansKernel}. */
export interface KmeansKernelOptions {
  k: number;
  /** Restarts from k-means++ seeds; the lowest inertia wins (ignored with explicit `init`). */
  nInit: number;
  maxIter: number;
  /** Relative tolerance, scaled by the mean feature variance like sklearn's `_tolerance`. */
  tol: number;
  seed: number;
  /** Explicit initial centres, row-major k x d; then a single run. */
  init?: Float64Array;
}

/** sklearn's `_tolerance`: `tol` times the mean over features of the (population) variance. */
export function scaledTolerance(matrix: Float64Array, n: number, d: number, tol: number): number {
  if (tol === 0) return 0;
  let total = 0;
  for (let f = 0; f < d; ++f) {
    let mean = 0;
    for (let i = 0; i < n; ++i) mean += matrix[i * d + f]!;
    mean /= n;
    let sq = 0;
    for (let i = 0; i < n; ++i) sq += (matrix[i * d + f]! - mean) ** 2;
    total += sq / n;
  }
  return (total / d) * tol;
}

/** The random stream of restart `run` for `seed`: independent of how many restarts there are. */
export function runStream(seed: number, run: number): () => number {
  return mulberry32(hashString(`kmeans++ run ${run}`, hashString(String(seed))));
}

function squaredDistance(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let sum = 0;
  for (let f = 0; f < d; ++f) {
    const diff = a[i * d + f]! - b[j * d + f]!;
    sum += diff * diff;
  }
  return sum;
}

/**
 * Greedy k-means++ seeding as sklearn's `_kmeans_plusplus`: the first centre is a uniform pick; each
 * next one draws `2 + floor(ln k)` candidates with probability proportional to D^2 (squared distance
 * to the nearest chosen centre) and keeps the candidate that lowers the potential (sum of D^2) most.
 * Returns the chosen point indices.
 */
export function kmeansPlusPlus(
  matrix: Float64Array,
  n: number,
  d: number,
  k: number,
  random: () => number,
): Int32Array {
  const trials = 2 + Math.floor(Math.log(k));
  const indices = new Int32Array(k);
  indices[0] = Math.min(n - 1, Math.floor(random() * n));
  let closest = new Float64Array(n);
  for (let i = 0; i < n; ++i) closest[i] = squaredDistance(matrix, i, matrix, indices[0]!, d);
  let potential = closest.reduce((a, b) => a + b, 0);
  const cumulative = new Float64Array(n);
  let candidateDist = new Float64Array(n);
  let bestDist = new Float64Array(n);
  for (let c = 1; c < k; ++c) {
    let running = 0;
    for (let i = 0; i < n; ++i) cumulative[i] = running += closest[i]!;
    let bestPotential = Infinity;
    let bestIndex = -1;
    for (let t = 0; t < trials; ++t) {
      // np.searchsorted(cumsum, r, side="left"), clipped to the last point.
      const r = random() * potential;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid]! < r) lo = mid + 1;
        else hi = mid;
      }
      let candidatePotential = 0;
      for (let i = 0; i < n; ++i) {
        const value = Math.min(closest[i]!, squaredDistance(matrix, i, matrix, lo, d));
        candidateDist[i] = value;
        candidatePotential += value;
      }
      // Strictly lower wins, so the first of equal candidates is kept (np.argmin).
      if (candidatePotential < bestPotential) {
        bestPotential = candidatePotential;
        bestIndex = lo;
        [bestDist, candidateDist] = [candidateDist, bestDist];
      }
    }
    indices[c] = bestIndex;
    [closest, bestDist] = [bestDist, closest];
    potential = bestPotential;
  }
  return indices;
}

/**
 * One E-step (and M-step when `update`): each point goes to the centre with the lowest
 * ||c||^2 - 2 x.c (sklearn's arithmetic, so near-ties break the same way); new centres are the means.
 * Empty clusters take the points farthest from their old centre, as sklearn relocates them.
 * Returns the sum of squared centre shifts (sklearn's `center_shift_tot`).
 */
function lloydStep(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  centers: Float64Array,
  next: Float64Array,
  labels: Int32Array,
  update: boolean,
): number {
  const norms = new Float64Array(k);
  for (let c = 0; c < k; ++c) {
    let sq = 0;
    for (let f = 0; f < d; ++f) sq += centers[c * d + f]! ** 2;
    norms[c] = sq;
  }
  const weights = new Float64Array(k);
  if (update) next.fill(0);
  for (let i = 0; i < n; ++i) {
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < k; ++c) {
      let dot = 0;
      for (let f = 0; f < d; ++f) dot += x[i * d + f]! * centers[c * d + f]!;
      const dist = norms[c]! + -2 * dot;
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    labels[i] = best;
    if (update) {
      weights[best] = weights[best]! + 1;
      for (let f = 0; f < d; ++f) next[best * d + f] = next[best * d + f]! + x[i * d + f]!;
    }
  }
  if (!update) return 0;
  relocateEmptyClusters(x, n, d, k, centers, next, labels, weights);
  let shift = 0;
  for (let c = 0; c < k; ++c) {
    const w = weights[c]!;
    if (w > 0) {
      const alpha = 1 / w; // sklearn multiplies by the reciprocal
      for (let f = 0; f < d; ++f) next[c * d + f] = next[c * d + f]! * alpha;
    }
    shift += squaredDistance(next, c, centers, c, d);
  }
  return shift;
}

/**
 * sklearn's `_relocate_empty_clusters_dense`: the e empty clusters each take one of the e points
 * farthest from their (old) centre, farthest first (ties: lower index first), moving that point's
 * contribution out of its old cluster's sum.
 */
function relocateEmptyClusters(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  centers: Float64Array,
  sums: Float64Array,
  labels: Int32Array,
  weights: Float64Array,
): void {
  const empty: number[] = [];
  for (let c = 0; c < k; ++c) if (weights[c] === 0) empty.push(c);
  if (empty.length === 0) return;
  const far = new Float64Array(n);
  for (let i = 0; i < n; ++i) far[i] = squaredDistance(x, i, centers, labels[i]!, d);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => far[b]! - far[a]! || a - b);
  empty.forEach((cluster, e) => {
    const point = order[e]!;
    const old = labels[point]!;
    for (let f = 0; f < d; ++f) {
      sums[old * d + f] = sums[old * d + f]! - x[point * d + f]!;
      sums[cluster * d + f] = x[point * d + f]!;
    }
    weights[cluster] = 1;
    weights[old] = weights[old]! - 1;
    labels[point] = cluster;
  });
}

/** Sum of squared distances of points to their assigned centre. */
export function inertiaOf(x: Float64Array, n: number, d: number, centers: Float64Array, labels: Int32Array): number {
  let total = 0;
  for (let i = 0; i < n; ++i) total += squaredDistance(x, i, centers, labels[i]!, d);
  return total;
}

/**
 * Lloyd iterations from `init` (k x d) on data `x`, as sklearn's `_kmeans_single_lloyd`: stop when
 * labels no longer change (strict convergence) or the squared centre shift is <= `tolerance`
 * (already scaled), or after `maxIter`; unless strictly converged, a final E-step makes the labels
 * match the final centres.
 */
export function lloydKernel(
  x: Float64Array,
  n: number,
  d: number,
  init: Float64Array,
  maxIter: number,
  tolerance: number,
): Omit<KmeansRun, "run"> {
  const k = init.length / d;
  let centers = Float64Array.from(init);
  let next = new Float64Array(k * d);
  const labels = new Int32Array(n).fill(-1);
  const previous = new Int32Array(n).fill(-1);
  let strict = false;
  let iteration = 0;
  for (; iteration < maxIter; ++iteration) {
    const shift = lloydStep(x, n, d, k, centers, next, labels, true);
    [centers, next] = [next, centers];
    if (labels.every((label, i) => label === previous[i])) {
      strict = true;
      break;
    }
    if (shift <= tolerance) break;
    previous.set(labels);
  }
  if (!strict) lloydStep(x, n, d, k, centers, next, labels, false);
  // sklearn reports i + 1 for the loop index it stopped at (maxIter when it ran out).
  const iterations = Math.min(iteration + 1, maxIter);
  return { labels, centers, inertia: inertiaOf(x, n, d, centers, labels), iterations };
}

/**
 * k-means with restarts: like sklearn's `KMeans.fit`, the data are centred on their mean first (for
 * numerical accuracy; centres are shifted back at the end), each of `nInit` restarts is seeded by
 * k-means++ from its own stream derived from `seed` (see {@link runStream}), and the run with the
 * lowest inertia wins (the earliest on ties). With explicit `init` there is exactly one run.
 */
export function kmeansKernel(matrix: Float64Array, n: number, d: number, options: KmeansKernelOptions): KmeansRun {
  const { k, maxIter } = options;
  const tolerance = scaledTolerance(matrix, n, d, options.tol);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; ++i) for (let f = 0; f < d; ++f) mean[f] = mean[f]! + matrix[i * d + f]!;
  for (let f = 0; f < d; ++f) mean[f] = mean[f]! / n;
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; ++i) for (let f = 0; f < d; ++f) x[i * d + f] = matrix[i * d + f]! - mean[f]!;
  const runs = options.init ? 1 : options.nInit;
  let best: KmeansRun | undefined;
  for (let run = 0; run < runs; ++run) {
    const init = new Float64Array(k * d);
    if (options.init) {
      for (let c = 0; c < k; ++c) for (let f = 0; f < d; ++f) init[c * d + f] = options.init[c * d + f]! - mean[f]!;
    } else {
      const picked = kmeansPlusPlus(x, n, d, k, runStream(options.seed, run));
      picked.forEach((point, c) => init.set(x.subarray(point * d, point * d + d), c * d));
    }
    const result = lloydKernel(x, n, d, init, maxIter, tolerance);
    if (!best || result.inertia < best.inertia) best = { ...result, run };
  }
  const centers = best!.centers;
  for (let c = 0; c < k; ++c) for (let f = 0; f < d; ++f) centers[c * d + f] = centers[c * d + f]! + mean[f]!;
  return best!;
}

/** Labels of points for fixed centres (nearest centre by squared Euclidean distance, first on ties). */
export function assignKernel(matrix: Float64Array, n: number, d: number, centers: Float64Array): Int32Array {
  const k = centers.length / d;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; ++i) {
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < k; ++c) {
      const dist = squaredDistance(matrix, i, centers, c, d);
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    labels[i] = best;
  }
  return labels;
}
