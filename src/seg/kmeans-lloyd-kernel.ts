/**
 * Lloyd's k-means iterations as scikit-learn's `_kmeans_single_lloyd` does them (same E-step
 * arithmetic, empty-cluster relocation, convergence test and final E-step), made fast with Hamerly's
 * bounds: each point keeps an upper bound on the distance to its own centre and a lower bound on the
 * distance to every other centre, so most points skip the k distance computations once clusters settle.
 * A point is skipped only when the bounds prove, with a margin for rounding, that the full E-step would
 * give it the same label. The clusters' coordinate sums are kept across iterations and updated only
 * for the points that change cluster (most do not, late on); the centres between iterations can so
 * differ from plain Lloyd's freshly summed means by rounding (around 1e-16 relative), which changes a
 * label only for a point on a boundary to that precision. The final centres are summed afresh, so
 * the result is plain Lloyd's bit for bit (test/seg/kmeans-kernel.test.ts).
 * The E-step runs as WebAssembly SIMD where available (wasm/kmeans-simd.ts, same results bit for bit:
 * it mirrors {@link assignStep} statement for statement), else as the JS below.
 * Pure and synchronous (runs in a Web Worker too).
 */
import { lloydWorkspace, type LloydWorkspace } from "./wasm/kmeans-simd.ts";

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
  /**
   * The WebAssembly E-step's memory and code for k centres, holding `x` and `xNorms` (so they are views
   * of it), or null: the JS E-step. Its per-run arrays are reused by every {@link lloydWithBounds} call.
   */
  workspace: LloydWorkspace | null;
}

/**
 * Precomputes {@link LloydData} for `x` (n x d) and k centres; with `simd` (default) the data are
 * copied into a WebAssembly SIMD workspace when the engine has one (then `data.x` is that copy).
 */
export function lloydData(x: Float64Array, n: number, d: number, k: number, simd = true): LloydData {
  const workspace = simd ? lloydWorkspace(n, d, k) : null;
  if (workspace) {
    workspace.x.set(x.subarray(0, n * d));
    x = workspace.x;
  }
  const xNorms = workspace?.xNorms ?? new Float64Array(n);
  let largest = 0;
  for (let i = 0, base = 0; i < n; ++i, base += d) {
    let sq = 0;
    for (let f = 0; f < d; ++f) sq += x[base + f]! * x[base + f]!;
    xNorms[i] = sq;
    if (sq > largest) largest = sq;
  }
  return { x, n, d, xNorms, slack: (d + 16) * 1e-12 * largest, workspace };
}

/**
 * {@link lloydData} of `matrix` minus `mean` (k-means centres the data first, as sklearn does), made
 * in one pass that also sums each feature's squared deviations from its mean (`squares`, for the
 * tolerance): the same bits as centring into a copy, then lloydData, then `scaledTolerance`, without
 * the copy or the extra passes (at 1M x 8 those cost a worker about as much as a restart's E-step).
 * @example
 * const { data, squares } = centredLloydData(matrix, n, d, k, mean); // data.x = matrix - mean
 */
export function centredLloydData(
  matrix: Float64Array,
  n: number,
  d: number,
  k: number,
  mean: Float64Array,
): { data: LloydData; squares: Float64Array } {
  const workspace = lloydWorkspace(n, d, k);
  const x = workspace?.x ?? new Float64Array(n * d);
  const xNorms = workspace?.xNorms ?? new Float64Array(n);
  const squares = new Float64Array(d);
  let largest = 0;
  for (let i = 0, base = 0; i < n; ++i, base += d) {
    let sq = 0;
    for (let f = 0; f < d; ++f) {
      const diff = matrix[base + f]! - mean[f]!;
      x[base + f] = diff;
      squares[f] = squares[f]! + diff * diff;
      sq += diff * diff;
    }
    xNorms[i] = sq;
    if (sq > largest) largest = sq;
  }
  return { data: { x, n, d, xNorms, slack: (d + 16) * 1e-12 * largest, workspace }, squares };
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
 * given (the running sums and counts of the clusters under the old labels; unlabelled points are -1),
 * each point that changes cluster is moved from its old cluster's sum and count to its new one's.
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
  const { x, n, d, xNorms, slack, workspace } = data;
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
  // The same steps in WebAssembly, over the workspace's arrays (labels, bounds, norms, half, sums and
  // weights are already those; the centres and shifts are copied in).
  if (workspace && labels === workspace.labels) {
    workspace.centres.set(centers);
    if (moved) workspace.moved.set(moved);
    workspace.assign(moved !== null, sums !== null, top, runnerUp, topCentre, slack);
    return;
  }
  for (let i = 0, base = 0; i < n; ++i, base += d) {
    const was = labels[i]!;
    let a = was;
    let full = moved === null;
    if (moved !== null) {
      let u = upper[i]! + moved[a]!;
      const l = lower[i]! - (a === topCentre ? runnerUp : top);
      lower[i] = l;
      // Every other centre is at least max(l, 2 * half[a] - u) away (the second by the triangle inequality).
      let bound = Math.max(l, 2 * half[a]! - u);
      if (!(bound > u && (bound - u) * (bound + u) > slack)) {
        // Only a bound: two partial sums halve the dependency chain (rounding is far below `slack`).
        let dotA = 0;
        let dotB = 0;
        const ab = a * d;
        let f = 0;
        for (; f + 2 <= d; f += 2) {
          dotA += x[base + f]! * centers[ab + f]!;
          dotB += x[base + f + 1]! * centers[ab + f + 1]!;
        }
        if (f < d) dotA += x[base + f]! * centers[ab + f]!;
        u = Math.sqrt(Math.max(0, norms[a]! + -2 * (dotA + dotB) + xNorms[i]!));
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
        // Two features per pass (less loop overhead); each sum still adds its terms in f order.
        let f = 0;
        for (; f + 2 <= d; f += 2) {
          const v = x[base + f]!;
          const w = x[base + f + 1]!;
          dot0 += v * centers[b0 + f]!;
          dot1 += v * centers[b1 + f]!;
          dot2 += v * centers[b2 + f]!;
          dot3 += v * centers[b3 + f]!;
          dot0 += w * centers[b0 + f + 1]!;
          dot1 += w * centers[b1 + f + 1]!;
          dot2 += w * centers[b2 + f + 1]!;
          dot3 += w * centers[b3 + f + 1]!;
        }
        if (f < d) {
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
          if (s0 < bestScore) {
            secondScore = bestScore;
            bestScore = s0;
            best = c;
          } else secondScore = s0;
        }
        if (s1 < secondScore) {
          if (s1 < bestScore) {
            secondScore = bestScore;
            bestScore = s1;
            best = c + 1;
          } else secondScore = s1;
        }
        if (s2 < secondScore) {
          if (s2 < bestScore) {
            secondScore = bestScore;
            bestScore = s2;
            best = c + 2;
          } else secondScore = s2;
        }
        if (s3 < secondScore) {
          if (s3 < bestScore) {
            secondScore = bestScore;
            bestScore = s3;
            best = c + 3;
          } else secondScore = s3;
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
    // The sums are kept across iterations: only a point that changes cluster moves its coordinates.
    if (sums && a !== was) {
      if (was >= 0) {
        weights[was] = weights[was]! - 1;
        for (let f = 0, wb = was * d; f < d; ++f) sums[wb + f] = sums[wb + f]! - x[base + f]!;
      }
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
  // With a workspace for this k, the E-step's arrays are its views (reused run after run).
  const ws = data.workspace && data.workspace.weights.length === k ? data.workspace : null;
  const labels = ws ? ws.labels.fill(-1) : new Int32Array(n).fill(-1);
  const previous = new Int32Array(n).fill(-1);
  const upper = ws ? ws.upper.fill(0) : new Float64Array(n);
  const lower = ws ? ws.lower.fill(0) : new Float64Array(n);
  const norms = ws ? ws.norms : new Float64Array(k);
  const half = ws ? ws.half : new Float64Array(k);
  const weights = ws ? ws.weights.fill(0) : new Float64Array(k);
  const sums = ws ? ws.sums.fill(0) : new Float64Array(k * d);
  const shifts = new Float64Array(k);
  let moved: Float64Array | null = null;
  let reference = centers;
  let strict = false;
  let iteration = 0;
  for (; iteration < maxIter; ++iteration) {
    centreGeometry(centers, k, d, norms, half);
    assignStep(data, k, centers, norms, half, labels, upper, lower, moved, sums, weights);
    // A relocated point is its new cluster's only member; zero bounds make it computed next time.
    // (Relocation moves it between the running sums as sklearn does between its fresh ones.)
    for (const point of relocateEmptyClusters(data, k, centers, sums, labels, weights)) upper[point] = lower[point] = 0;
    next.set(sums);
    let shift = 0;
    for (let c = 0; c < k; ++c) {
      const w = weights[c]!;
      const alpha = w > 0 ? 1 / w : 0; // sklearn multiplies by the reciprocal
      for (let f = 0; f < d; ++f) next[c * d + f] = next[c * d + f]! * alpha;
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
  // The running sums carry rounding from every move: the final centres are the means summed afresh
  // in point order, as plain Lloyd's (and sklearn's) last update computes them.
  if (ws) freshMeansIn(ws, k, d, centers);
  else freshMeans(x, n, d, k, labels, centers);
  if (!strict) {
    centreGeometry(centers, k, d, norms, half);
    assignStep(data, k, centers, norms, half, labels, upper, lower, moved, null, weights);
    reference = centers;
  }
  // sklearn reports i + 1 for the loop index it stopped at (maxIter when it ran out).
  const iterations = Math.min(iteration + 1, maxIter);
  const inertia = ws ? ws.inertia(centers) : inertiaOf(x, n, d, centers, labels);
  // The workspace's labels are overwritten by the next run: return a copy (its bounds are used at once).
  return { labels: ws ? labels.slice() : labels, centers, inertia, iterations, bounds: { upper, lower, reference } };
}

/** Overwrites each non-empty cluster's row of `centers` with the mean of its points (summed in point order). */
function freshMeans(x: Float64Array, n: number, d: number, k: number, labels: Int32Array, centers: Float64Array): void {
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0, base = 0; i < n; ++i, base += d) {
    const c = labels[i]!;
    counts[c] = counts[c]! + 1;
    for (let f = 0, cb = c * d; f < d; ++f) sums[cb + f] = sums[cb + f]! + x[base + f]!;
  }
  for (let c = 0; c < k; ++c) {
    if (counts[c] === 0) continue;
    const alpha = 1 / counts[c]!;
    for (let f = 0; f < d; ++f) centers[c * d + f] = sums[c * d + f]! * alpha;
  }
}

/** {@link freshMeans} of the workspace's points and labels, summed there (in the same order: the same bits). */
function freshMeansIn(ws: LloydWorkspace, k: number, d: number, centers: Float64Array): void {
  // Lloyd's running sums and sizes are done with: the fresh ones are summed into them.
  ws.clusterSums(ws.sums, ws.weights);
  for (let c = 0; c < k; ++c) {
    if (ws.weights[c] === 0) continue;
    const alpha = 1 / ws.weights[c]!;
    for (let f = 0; f < d; ++f) centers[c * d + f] = ws.sums[c * d + f]! * alpha;
  }
}

/** {@link lloydWithBounds} on data `x` (n x d), without the bounds; `simd` false forces the JS E-step. */
export function lloydKernel(
  x: Float64Array,
  n: number,
  d: number,
  init: Float64Array,
  maxIter: number,
  tolerance: number,
  simd = true,
): LloydResult {
  const data = lloydData(x, n, d, init.length / d, simd);
  const { labels, centers, inertia, iterations } = lloydWithBounds(data, init, maxIter, tolerance);
  return { labels, centers, inertia, iterations };
}
