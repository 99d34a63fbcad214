/**
 * Lloyd's k-means iterations as scikit-learn's `_kmeans_single_lloyd` does them (same E-step
 * arithmetic, empty-cluster relocation, convergence test and final E-step), made fast with Hamerly's
 * bounds: each point keeps an upper bound on the distance to its own centre and a lower bound on the
 * distance to every other centre, so most points skip the k distance computations once clusters settle.
 * A point is skipped only when the bounds prove, with a margin for rounding, that the full E-step would
 * give it the same label; so the labels, centres and iteration count are exactly those of plain Lloyd.
 * Pure and synchronous (runs in a Web Worker too).
 */

/** What Lloyd's iterations found. */
export interface LloydResult {
  /** Cluster of each point, 0..k-1. */
  labels: Int32Array;
  /** Final centres, row-major k x d. */
  centers: Float64Array;
  /** Sum of squared distances of points to their centre. */
  inertia: number;
  /** Lloyd iterations done (sklearn's `n_iter_`). */
  iterations: number;
}

/**
 * Hamerly's bounds after the last E-step, relative to the centres `reference` (which the final
 * centres moved away from when the last step was an update): Hartigan's refinement starts from them.
 */
export interface LloydBounds {
  upper: Float64Array;
  lower: Float64Array;
  reference: Float64Array;
}

/** The data once per fit: the (centred) points, their squared norms and the rounding margin. */
export interface LloydData {
  x: Float64Array;
  n: number;
  d: number;
  /** Squared norm of each point, for the E-step's ||x - c||^2 = ||x||^2 + ||c||^2 - 2 x.c. */
  xNorms: Float64Array;
  /**
   * Margin in squared distance by which the bounds must separate a point's own centre from the
   * others before it is skipped: far above the rounding error of the E-step's scores and of the
   * bound updates (both of order d * 1e-16 * max ||x||^2), so a skip never changes a label.
   */
  slack: number;
}

/** Precomputes {@link LloydData} for `x` (n x d). */
export function lloydData(x: Float64Array, n: number, d: number): LloydData {
  const xNorms = new Float64Array(n);
  let largest = 0;
  for (let i = 0, base = 0; i < n; ++i, base += d) {
    let sq = 0;
    for (let f = 0; f < d; ++f) sq += x[base + f]! * x[base + f]!;
    xNorms[i] = sq;
    if (sq > largest) largest = sq;
  }
  return { x, n, d, xNorms, slack: (d + 16) * 1e-12 * largest };
}

/** Squared Euclidean distance between row `i` of `a` and row `j` of `b` (both with `d` columns). */
export function squaredDistance(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let sum = 0;
  for (let f = 0, p = i * d, q = j * d; f < d; ++f) {
    const diff = a[p + f]! - b[q + f]!;
    sum += diff * diff;
  }
  return sum;
}

/** Sum of squared distances of points to their assigned centre. */
export function inertiaOf(x: Float64Array, n: number, d: number, centers: Float64Array, labels: Int32Array): number {
  let total = 0;
  for (let i = 0; i < n; ++i) total += squaredDistance(x, i, centers, labels[i]!, d);
  return total;
}

/** Squared norm of each centre (for the E-step scores) and half the distance to its nearest other centre. */
function centreGeometry(centers: Float64Array, k: number, d: number, norms: Float64Array, half: Float64Array): void {
  for (let c = 0; c < k; ++c) {
    let sq = 0;
    for (let f = 0; f < d; ++f) sq += centers[c * d + f]! * centers[c * d + f]!;
    norms[c] = sq;
  }
  half.fill(Infinity);
  for (let a = 0; a < k; ++a) {
    for (let b = a + 1; b < k; ++b) {
      const h = Math.sqrt(squaredDistance(centers, a, centers, b, d)) / 2;
      if (h < half[a]!) half[a] = h;
      if (h < half[b]!) half[b] = h;
    }
  }
}

/**
 * One E-step: each point goes to the centre with the lowest ||c||^2 - 2 x.c (sklearn's arithmetic,
 * first on ties), unless its bounds, loosened by how far the centres `moved` since they were set,
 * prove that this is its current centre. With `moved` null every point is computed. When `sums` is
 * given, each point is added to its cluster's sum and count (in point order, as plain Lloyd does).
 */
function assignStep(
  data: LloydData,
  k: number,
  centers: Float64Array,
  norms: Float64Array,
  half: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  moved: Float64Array | null,
  sums: Float64Array | null,
  weights: Float64Array,
): void {
  const { x, n, d, xNorms, slack } = data;
  // A lower bound drops by the largest shift among the *other* centres: keep the two largest shifts.
  let top = 0;
  let runnerUp = 0;
  let topCentre = -1;
  if (moved) {
    for (let c = 0; c < k; ++c) {
      const m = moved[c]!;
      if (m > top) {
        runnerUp = top;
        top = m;
        topCentre = c;
      } else if (m > runnerUp) runnerUp = m;
    }
  }
  for (let i = 0, base = 0; i < n; ++i, base += d) {
    let a = labels[i]!;
    let full = moved === null;
    if (moved !== null) {
      let u = upper[i]! + moved[a]!;
      const l = lower[i]! - (a === topCentre ? runnerUp : top);
      lower[i] = l;
      // Every other centre is at least max(l, 2 * half[a] - u) away (the second by the triangle inequality).
      let bound = Math.max(l, 2 * half[a]! - u);
      if (!(bound > u && (bound - u) * (bound + u) > slack)) {
        u = Math.sqrt(squaredDistance(x, i, centers, a, d));
        bound = Math.max(l, 2 * half[a]! - u);
        full = !(bound > u && (bound - u) * (bound + u) > slack);
      }
      upper[i] = u;
    }
    if (full) {
      let best = 0;
      let bestScore = Infinity;
      let secondScore = Infinity;
      // Four centres at a time: four independent sums keep the FPU busy (each sum is still over f in
      // order, so the scores are exactly those of one centre at a time).
      let c = 0;
      for (; c + 4 <= k; c += 4) {
        const b0 = c * d;
        const b1 = b0 + d;
        const b2 = b1 + d;
        const b3 = b2 + d;
        let dot0 = 0;
        let dot1 = 0;
        let dot2 = 0;
        let dot3 = 0;
        for (let f = 0; f < d; ++f) {
          const v = x[base + f]!;
          dot0 += v * centers[b0 + f]!;
          dot1 += v * centers[b1 + f]!;
          dot2 += v * centers[b2 + f]!;
          dot3 += v * centers[b3 + f]!;
        }
        // Compared in centre order, so the first of equal scores wins as one at a time.
        const s0 = norms[c]! + -2 * dot0;
        const s1 = norms[c + 1]! + -2 * dot1;
        const s2 = norms[c + 2]! + -2 * dot2;
        const s3 = norms[c + 3]! + -2 * dot3;
        if (s0 < secondScore) {
          if (s0 < bestScore) [secondScore, bestScore, best] = [bestScore, s0, c];
          else secondScore = s0;
        }
        if (s1 < secondScore) {
          if (s1 < bestScore) [secondScore, bestScore, best] = [bestScore, s1, c + 1];
          else secondScore = s1;
        }
        if (s2 < secondScore) {
          if (s2 < bestScore) [secondScore, bestScore, best] = [bestScore, s2, c + 2];
          else secondScore = s2;
        }
        if (s3 < secondScore) {
          if (s3 < bestScore) [secondScore, bestScore, best] = [bestScore, s3, c + 3];
          else secondScore = s3;
        }
      }
      for (; c < k; ++c) {
        let dot = 0;
        for (let f = 0, cb = c * d; f < d; ++f) dot += x[base + f]! * centers[cb + f]!;
        const score = norms[c]! + -2 * dot;
        if (score < bestScore) {
          secondScore = bestScore;
          bestScore = score;
          best = c;
        } else if (score < secondScore) secondScore = score;
      }
      labels[i] = a = best;
      upper[i] = Math.sqrt(Math.max(0, bestScore + xNorms[i]!));
      lower[i] = Math.sqrt(Math.max(0, secondScore + xNorms[i]!));
    }
    if (sums) {
      weights[a] = weights[a]! + 1;
      for (let f = 0, ab = a * d; f < d; ++f) sums[ab + f] = sums[ab + f]! + x[base + f]!;
    }
  }
}

/**
 * sklearn's `_relocate_empty_clusters_dense`: the e empty clusters each take one of the e points
 * farthest from their (old) centre, farthest first (ties: lower index first), moving that point's
 * contribution out of its old cluster's sum. Returns the points moved.
 */
function relocateEmptyClusters(
  data: LloydData,
  k: number,
  centers: Float64Array,
  sums: Float64Array,
  labels: Int32Array,
  weights: Float64Array,
): number[] {
  const { x, n, d } = data;
  const empty: number[] = [];
  for (let c = 0; c < k; ++c) if (weights[c] === 0) empty.push(c);
  if (empty.length === 0) return [];
  const far = new Float64Array(n);
  for (let i = 0; i < n; ++i) far[i] = squaredDistance(x, i, centers, labels[i]!, d);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => far[b]! - far[a]! || a - b);
  return empty.map((cluster, e) => {
    const point = order[e]!;
    const old = labels[point]!;
    for (let f = 0; f < d; ++f) {
      sums[old * d + f] = sums[old * d + f]! - x[point * d + f]!;
      sums[cluster * d + f] = x[point * d + f]!;
    }
    weights[cluster] = 1;
    weights[old] = weights[old]! - 1;
    labels[point] = cluster;
    return point;
  });
}

/**
 * Lloyd iterations from `init` (k x d) as sklearn's `_kmeans_single_lloyd`: stop when labels no
 * longer change (strict convergence) or the squared centre shift is <= `tolerance` (already scaled),
 * or after `maxIter`; unless strictly converged, a final E-step makes the labels match the final
 * centres. Also returns the bounds for Hartigan's refinement.
 */
export function lloydWithBounds(
  data: LloydData,
  init: Float64Array,
  maxIter: number,
  tolerance: number,
): LloydResult & { bounds: LloydBounds } {
  const { x, n, d } = data;
  const k = init.length / d;
  let centers = Float64Array.from(init);
  let next = new Float64Array(k * d);
  const labels = new Int32Array(n).fill(-1);
  const previous = new Int32Array(n).fill(-1);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const norms = new Float64Array(k);
  const half = new Float64Array(k);
  const weights = new Float64Array(k);
  const shifts = new Float64Array(k);
  let moved: Float64Array | null = null;
  let reference = centers;
  let strict = false;
  let iteration = 0;
  for (; iteration < maxIter; ++iteration) {
    centreGeometry(centers, k, d, norms, half);
    next.fill(0);
    weights.fill(0);
    assignStep(data, k, centers, norms, half, labels, upper, lower, moved, next, weights);
    // A relocated point is its new cluster's only member; zero bounds make it computed next time.
    for (const point of relocateEmptyClusters(data, k, centers, next, labels, weights)) upper[point] = lower[point] = 0;
    let shift = 0;
    for (let c = 0; c < k; ++c) {
      const w = weights[c]!;
      if (w > 0) {
        const alpha = 1 / w; // sklearn multiplies by the reciprocal
        for (let f = 0; f < d; ++f) next[c * d + f] = next[c * d + f]! * alpha;
      }
      const sq = squaredDistance(next, c, centers, c, d);
      shift += sq;
      shifts[c] = Math.sqrt(sq);
    }
    moved = shifts;
    reference = centers;
    [centers, next] = [next, centers];
    let same = true;
    for (let i = 0; i < n && same; ++i) same = labels[i] === previous[i];
    if (same) {
      strict = true;
      break;
    }
    if (shift <= tolerance) break;
    previous.set(labels);
  }
  if (!strict) {
    centreGeometry(centers, k, d, norms, half);
    assignStep(data, k, centers, norms, half, labels, upper, lower, moved, null, weights);
    reference = centers;
  }
  // sklearn reports i + 1 for the loop index it stopped at (maxIter when it ran out).
  const iterations = Math.min(iteration + 1, maxIter);
  const inertia = inertiaOf(x, n, d, centers, labels);
  return { labels, centers, inertia, iterations, bounds: { upper, lower, reference } };
}

/** {@link lloydWithBounds} on data `x` (n x d), without the bounds. */
export function lloydKernel(
  x: Float64Array,
  n: number,
  d: number,
  init: Float64Array,
  maxIter: number,
  tolerance: number,
): LloydResult {
  const { labels, centers, inertia, iterations } = lloydWithBounds(lloydData(x, n, d), init, maxIter, tolerance);
  return { labels, centers, inertia, iterations };
}
