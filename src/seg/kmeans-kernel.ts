/**
 * k-means on a flat row-major Float64Array (n x d), following scikit-learn 1.2's `KMeans` (Lloyd)
 * step for step so results can be checked against it: greedy k-means++ seeding, the same E-step
 * arithmetic, empty-cluster relocation, convergence test, final E-step and best-of-nInit choice
 * (kmeans-lloyd-kernel.ts). Restarts from k-means++ then refine Lloyd's result with Hartigan's
 * single-point transfers (kmeans-hartigan-kernel.ts), which only ever lowers the inertia.
 * Pure and synchronous (runs in a Web Worker too); randomness comes only from mulberry32 streams.
 */
import { hashString, mulberry32 } from "../random/index.ts";
import { hartiganRefine } from "./kmeans-hartigan-kernel.ts";
import { centredLloydData, inertiaOf, lloydWithBounds, squaredDistance } from "./kmeans-lloyd-kernel.ts";
import { ln } from "./portable-math.ts";
import type { LloydWorkspace } from "./wasm/kmeans-simd.ts";

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
  /** Points moved by Hartigan's refinement after Lloyd's iterations (0 with `refine: "none"`). */
  transfers: number;
  /** Which restart this was (0-based); the best one when several ran. */
  run: number;
  /** Whether the distances ran in WebAssembly SIMD (false: the JS fallback, which gives the same bits). */
  simd?: boolean;
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
  /**
   * After Lloyd's iterations, "hartigan" moves single points between clusters while that lowers the
   * inertia (R's default algorithm; reaches a better local optimum than Lloyd alone more often);
   * "none" stops where Lloyd stops, as sklearn does. Default "hartigan", "none" with explicit `init`.
   */
  refine?: "hartigan" | "none";
  /** Only the restarts `from` (inclusive) to `to` (exclusive) of 0..nInit-1 (default all): how a worker pool splits them. */
  runs?: readonly [number, number];
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
    for (let i = 0; i < n; ++i) {
      const diff = matrix[i * d + f]! - mean;
      sq += diff * diff;
    }
    total += sq / n;
  }
  return (total / d) * tol;
}

/** The random stream of restart `run` for `seed`: independent of how many restarts there are. */
export function runStream(seed: number, run: number): () => number {
  return mulberry32(hashString(`kmeans++ run ${run}`, hashString(String(seed))));
}

/**
 * Greedy k-means++ seeding as sklearn's `_kmeans_plusplus`: the first centre is a uniform pick; each
 * next one draws `2 + floor(ln k)` candidates with probability proportional to D^2 (squared distance
 * to the nearest chosen centre) and keeps the candidate that lowers the potential (sum of D^2) most.
 * Distances use sklearn's arithmetic there, ||x||^2 + ||p||^2 - 2 x.p clipped at 0 (`xNorms`: the
 * squared norms of the rows, computed when not given). Returns the chosen point indices. With the
 * `workspace` holding `matrix` and `xNorms` (lloydData's), the distances are computed in WebAssembly
 * SIMD in its memory, with the same results.
 */
export function kmeansPlusPlus(
  matrix: Float64Array,
  n: number,
  d: number,
  k: number,
  random: () => number,
  xNorms: Float64Array = rowNorms(matrix, n, d),
  workspace: LloydWorkspace | null = null,
): Int32Array {
  const trials = 2 + Math.floor(ln(k));
  const ws = workspace?.x === matrix && workspace.xNorms === xNorms && workspace.weights.length === k;
  const wasm = ws ? workspace : null;
  const indices = new Int32Array(k);
  indices[0] = Math.min(n - 1, Math.floor(random() * n));
  let closest = wasm ? wasm.dists[trials]! : new Float64Array(n);
  // Which chosen centre is nearest to each point (its index in `indices`), for the pruning below.
  const nearest = wasm ? wasm.nearest.fill(0) : new Int32Array(n);
  const first = new Int32Array([indices[0]!]);
  const none = { indices: new Int32Array(0), nearest };
  const firstPotential = new Float64Array(1);
  const step = (candidates: Int32Array, chosen: typeof none, out: Float64Array[], potential: Float64Array) =>
    distancesToCandidates(matrix, n, d, xNorms, candidates, chosen, closest, out, potential, wasm);
  step(first, none, [closest.fill(Infinity)], firstPotential);
  let potential = firstPotential[0]!;
  const cumulative = wasm ? wasm.cumulative : new Float64Array(n);
  // One array of candidate distances per trial, plus a spare that becomes `closest`.
  const candidateDist = wasm ? wasm.dists.slice(0, trials) : Array.from({ length: trials }, () => new Float64Array(n));
  const candidates = new Int32Array(trials);
  const candidatePotential = new Float64Array(trials);
  for (let c = 1; c < k; ++c) {
    if (wasm) wasm.cumulativeSum(closest);
    else {
      let running = 0;
      for (let i = 0; i < n; ++i) cumulative[i] = running += closest[i]!;
    }
    // The same draws as one trial at a time: each is np.searchsorted(cumsum, r, side="left"),
    // clipped to the last point.
    for (let t = 0; t < trials; ++t) {
      const r = random() * potential;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid]! < r) lo = mid + 1;
        else hi = mid;
      }
      candidates[t] = lo;
    }
    const chosen = { indices: indices.subarray(0, c), nearest };
    step(candidates, chosen, candidateDist, candidatePotential);
    // Strictly lower wins, so the first of equal candidates is kept (np.argmin).
    let best = 0;
    for (let t = 1; t < trials; ++t) if (candidatePotential[t]! < candidatePotential[best]!) best = t;
    indices[c] = candidates[best]!;
    const picked = candidateDist[best]!;
    if (wasm) wasm.nearestUpdate(picked, closest, c);
    else for (let i = 0; i < n; ++i) if (picked[i]! < closest[i]!) nearest[i] = c;
    [closest, candidateDist[best]] = [candidateDist[best]!, closest];
    potential = candidatePotential[best]!;
  }
  return indices;
}

/** Squared norm of each row of `matrix` (n x d). */
export function rowNorms(matrix: Float64Array, n: number, d: number): Float64Array {
  const norms = new Float64Array(n);
  for (let i = 0, base = 0; i < n; ++i, base += d) {
    let sq = 0;
    for (let f = 0; f < d; ++f) sq += matrix[base + f]! * matrix[base + f]!;
    norms[i] = sq;
  }
  return norms;
}

/**
 * For every candidate t: out[t][i] = min(closest[i], D(i, candidate)) with D sklearn's squared
 * distance (see {@link kmeansPlusPlus}), and potential[t] = the sum of out[t] (in point order).
 * One sweep over the points per four candidates: each row is read once, and the four dot products
 * (each summed over f in order) and four sums overlap. A point is skipped (its values are
 * `closest[i]`) when the triangle inequality proves every candidate of the sweep is no nearer than
 * its nearest chosen centre c: |p - c|^2 >= 4 closest[i], with a 1e-9 margin for rounding.
 */
function distancesToCandidates(
  matrix: Float64Array,
  n: number,
  d: number,
  xNorms: Float64Array,
  candidates: Int32Array,
  chosen: { indices: Int32Array; nearest: Int32Array },
  closest: Float64Array,
  out: Float64Array[],
  potential: Float64Array,
  wasm: LloydWorkspace | null,
): void {
  const { indices, nearest } = chosen;
  const m = indices.length;
  for (let t0 = 0; t0 < candidates.length; t0 += 4) {
    const group = Math.min(4, candidates.length - t0);
    // reach[j]: a point nearest to chosen centre j with closest[i] <= reach[j] moves to no candidate of the group.
    const reach = new Float64Array(m).fill(Infinity);
    for (let t = t0; t < t0 + group; ++t) {
      for (let j = 0; j < m; ++j) {
        const r = squaredDistance(matrix, candidates[t]!, matrix, indices[j]!, d) / (4 + 4e-9);
        if (r < reach[j]!) reach[j] = r;
      }
    }
    // Unused lanes of a short group repeat its first candidate, so they write that lane's very values.
    const lane = (g: number) => t0 + (g < group ? g : 0);
    const [p0, p1, p2, p3] = [0, 1, 2, 3].map((g) => candidates[lane(g)]! * d);
    const [n0, n1, n2, n3] = [0, 1, 2, 3].map((g) => xNorms[candidates[lane(g)]!]!);
    const [o0, o1, o2, o3] = [0, 1, 2, 3].map((g) => out[lane(g)]!);
    if (wasm) {
      wasm.reach.set(reach);
      const sums = wasm.seed([p0! / d, p1! / d, p2! / d, p3! / d], m, [o0!, o1!, o2!, o3!], closest);
      for (let g = 0; g < group; ++g) potential[t0 + g] = sums[g]!;
      continue;
    }
    let sum0 = 0;
    let sum1 = 0;
    let sum2 = 0;
    let sum3 = 0;
    for (let i = 0, base = 0; i < n; ++i, base += d) {
      const near = closest[i]!;
      if (m > 0 && near <= reach[nearest[i]!]!) {
        o0![i] = o1![i] = o2![i] = o3![i] = near;
        sum0 += near;
        sum1 += near;
        sum2 += near;
        sum3 += near;
        continue;
      }
      let dot0 = 0;
      let dot1 = 0;
      let dot2 = 0;
      let dot3 = 0;
      for (let f = 0; f < d; ++f) {
        const v = matrix[base + f]!;
        dot0 += v * matrix[p0! + f]!;
        dot1 += v * matrix[p1! + f]!;
        dot2 += v * matrix[p2! + f]!;
        dot3 += v * matrix[p3! + f]!;
      }
      const xn = xNorms[i]!;
      const value0 = Math.min(near, Math.max(0, xn + n0! - 2 * dot0));
      const value1 = Math.min(near, Math.max(0, xn + n1! - 2 * dot1));
      const value2 = Math.min(near, Math.max(0, xn + n2! - 2 * dot2));
      const value3 = Math.min(near, Math.max(0, xn + n3! - 2 * dot3));
      o0![i] = value0;
      o1![i] = value1;
      o2![i] = value2;
      o3![i] = value3;
      sum0 += value0;
      sum1 += value1;
      sum2 += value2;
      sum3 += value3;
    }
    const sums = [sum0, sum1, sum2, sum3];
    for (let g = 0; g < group; ++g) potential[t0 + g] = sums[g]!;
  }
}

/** The better of two runs: the lower inertia, the earlier restart on ties (so any split of the restarts agrees). */
export function betterRun(a: KmeansRun, b: KmeansRun): KmeansRun {
  return b.inertia < a.inertia || (b.inertia === a.inertia && b.run < a.run) ? b : a;
}

/**
 * k-means with restarts: like sklearn's `KMeans.fit`, the data are centred on their mean first (for
 * numerical accuracy; centres are shifted back at the end), each of `nInit` restarts is seeded by
 * k-means++ from its own stream derived from `seed` (see {@link runStream}), runs Lloyd's iterations
 * (with Hamerly's bounds, same result as plain Lloyd) and then, unless `refine` is "none", Hartigan's
 * single-point transfers; the run with the lowest inertia wins (the earliest on ties). With explicit
 * `init` there is exactly one run. Each restart depends only on the data, options and its index, so
 * `runs` can split the restarts over workers and {@link betterRun} of the parts is the same result.
 */
export function kmeansKernel(matrix: Float64Array, n: number, d: number, options: KmeansKernelOptions): KmeansRun {
  const [from, to] = restartRange(options);
  let run = from;
  return fitRestarts(matrix, n, d, options, () => (run < to ? run++ : -1))!;
}

/**
 * {@link kmeansKernel} where the workers of a pool take the restarts one at a time from a shared
 * counter (`claim`: an Int32Array over a SharedArrayBuffer, starting at 0, one per fit): a worker
 * that finishes a restart takes the next one not yet taken, so fast and slow restarts even out over
 * the workers instead of the slowest fixed share deciding the wall time. Restart r of `runs` [from,
 * to) is taken as from + the counter's old value. Returns the best restart this worker ran, or null
 * when the others took them all first; the best of the workers' results is the same whoever ran which.
 * @example
 * const claim = new Int32Array(new SharedArrayBuffer(4));
 * const parts = await Promise.all([0, 1].map(() => pool.run("kmeansClaim", matrix, n, d, options, claim)));
 */
export function kmeansClaimKernel(
  matrix: Float64Array,
  n: number,
  d: number,
  options: KmeansKernelOptions,
  claim: Int32Array,
): KmeansRun | null {
  const [from, to] = restartRange(options);
  return fitRestarts(matrix, n, d, options, () => {
    const run = from + Atomics.add(claim, 0, 1);
    return run < to ? run : -1;
  });
}

/** The restarts [from, to) of `options` (all of them unless `runs` narrows them), checked. */
function restartRange(options: KmeansKernelOptions): [number, number] {
  const total = options.init ? 1 : options.nInit;
  const [from, to] = options.runs ?? [0, total];
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from < to && to <= total)) {
    throw new Error(`kmeansKernel: runs must be [from, to) within 0..${total}, got [${from}, ${to})`);
  }
  return [from, to];
}

/**
 * Runs the restarts `next()` hands out (-1: no more) and returns the best, or null when it hands out
 * none (then nothing is prepared: a worker with no restart left costs no copy of the data).
 */
function fitRestarts(
  matrix: Float64Array,
  n: number,
  d: number,
  options: KmeansKernelOptions,
  next: () => number,
): KmeansRun | null {
  const first = next();
  if (first < 0) return null;
  const { k, maxIter } = options;
  const refine = options.refine ?? (options.init ? "none" : "hartigan");
  const mean = new Float64Array(d);
  for (let i = 0; i < n; ++i) for (let f = 0; f < d; ++f) mean[f] = mean[f]! + matrix[i * d + f]!;
  for (let f = 0; f < d; ++f) mean[f] = mean[f]! / n;
  // Centred straight into the WebAssembly memory (where there is one), with the deviations' squares
  // for the tolerance summed on the way: scaledTolerance's value, bit for bit, in one pass.
  const { data, squares } = centredLloydData(matrix, n, d, k, mean);
  const x = data.x;
  let tolerance = 0;
  if (options.tol !== 0) {
    let total = 0;
    for (let f = 0; f < d; ++f) total += squares[f]! / n;
    tolerance = (total / d) * options.tol;
  }
  let best: KmeansRun | undefined;
  for (let run = first; run >= 0; run = next()) {
    const init = new Float64Array(k * d);
    if (options.init) {
      for (let c = 0; c < k; ++c) for (let f = 0; f < d; ++f) init[c * d + f] = options.init[c * d + f]! - mean[f]!;
    } else {
      const picked = kmeansPlusPlus(x, n, d, k, runStream(options.seed, run), data.xNorms, data.workspace);
      picked.forEach((point, c) => init.set(x.subarray(point * d, point * d + d), c * d));
    }
    const { bounds, ...lloyd } = lloydWithBounds(data, init, maxIter, tolerance);
    let result: KmeansRun = { ...lloyd, transfers: 0, run };
    if (refine === "hartigan") {
      const { centers, transfers } = hartiganRefine(x, n, d, k, lloyd.labels, bounds, data.workspace);
      // Summed in WebAssembly where there is a workspace (over its labels: the refined ones).
      const ws = data.workspace;
      const inertia = ws
        ? (ws.labels.set(lloyd.labels), ws.inertia(centers))
        : inertiaOf(x, n, d, centers, lloyd.labels);
      result = { ...result, centers, transfers, inertia };
    }
    best = best ? betterRun(best, result) : result;
  }
  const centers = best!.centers;
  for (let c = 0; c < k; ++c) for (let f = 0; f < d; ++f) centers[c * d + f] = centers[c * d + f]! + mean[f]!;
  return { ...best!, simd: data.workspace !== null };
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
