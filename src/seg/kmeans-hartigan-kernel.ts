/**
 * Hartigan-style refinement of a k-means partition (the single-point transfers of Hartigan & Wong's
 * algorithm, R's default `kmeans`): moving point x from cluster j (n_j points, centre c_j) to cluster
 * l changes the inertia by n_l/(n_l+1)·|x-c_l|² − n_j/(n_j-1)·|x-c_j|², so every move with a negative
 * change is made, both centres updated at once, until no move helps. Each move strictly lowers the
 * inertia, so it ends; where it ends every point is strictly nearest its own centre, so the result is
 * also a fixed point of Lloyd's iterations, only a better one than Lloyd alone often stops at.
 * With Lloyd's WebAssembly workspace the passes run there (wasm/kmeans-simd-hartigan.ts: the bound
 * checks and distances of the points that stay, which are nearly all) and the moves here, with the
 * same decisions bit for bit as the JS alone.
 * Pure and synchronous (runs in a Web Worker too).
 */
import { squaredDistance, type LloydBounds } from "./kmeans-lloyd-kernel.ts";
import type { LloydWorkspace } from "./wasm/kmeans-simd.ts";
import { HARTIGAN_GAIN as GAIN } from "./wasm/kmeans-simd-hartigan.ts";
/** Passes over the points at most (far more than real data need; a guard against pathological input). */
const MAX_PASSES = 1000;

/** What {@link hartiganRefine} did. */
export interface HartiganResult {
  /** Centres of the refined clusters (their means), row-major k x d. */
  centers: Float64Array;
  /** Points moved. */
  transfers: number;
}

/**
 * Refines `labels` (in place) by single-point transfers and returns the clusters' means. A cluster
 * is never emptied. With `bounds` from Lloyd's iterations (upper bound to the own centre, lower
 * bound to the others, relative to `bounds.reference`) points that provably cannot move are skipped:
 * every centre's movement since a point's bounds were set is at most the total `drift` of all moves
 * since, and a point is skipped when even then the cheapest destination costs more than staying.
 * With `workspace` (Lloyd's, holding `x`) the passes run in WebAssembly; the result is the same.
 */
export function hartiganRefine(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  labels: Int32Array,
  bounds?: LloydBounds,
  workspace: LloydWorkspace | null = null,
): HartiganResult {
  // The WebAssembly scan reads the workspace's arrays: the labels and bounds are copied in (unless
  // they are those already) and the labels copied back at the end.
  const ws = workspace && workspace.x === x && workspace.counts.length === k ? workspace : null;
  const counts = ws ? ws.counts : new Float64Array(k);
  const given = labels;
  let upper = bounds?.upper;
  let lower = bounds?.lower;
  if (ws) {
    if (labels !== ws.labels) ws.labels.set(labels);
    if (upper !== ws.upper) ws.upper.set(upper ?? new Float64Array(n).fill(Infinity));
    if (lower !== ws.lower) ws.lower.set(lower ?? new Float64Array(n));
    [labels, upper, lower] = [ws.labels, ws.upper, ws.lower];
  }
  const means = () => (ws ? clusterMeansIn(ws, k, d) : clusterMeans(x, n, d, k, labels, counts));
  const centers = means();
  upper ??= new Float64Array(n).fill(Infinity);
  lower ??= new Float64Array(n);
  let drift = 0;
  if (bounds) {
    for (let c = 0; c < k; ++c) drift = Math.max(drift, Math.sqrt(squaredDistance(centers, c, bounds.reference, c, d)));
  }
  // The drift when each point's bounds were last set (0: the bounds from Lloyd, loosened by the first drift).
  const stamp = ws ? ws.stamp.fill(0) : new Float64Array(n);
  const dist = new Float64Array(k);
  // Per cluster, the factors of the move cost, n/(n-1) to leave and n/(n+1) to join: they change only
  // when a point moves, so they are computed then (the same expressions, so the same bits), not per
  // point; the divisions were most of a pass's cost, which is mostly bound checks.
  const stay = ws ? ws.stay : new Float64Array(k);
  const join = ws ? ws.join : new Float64Array(k);
  const factors = (c: number) => {
    const m = counts[c]!;
    stay[c] = m / (m - 1);
    join[c] = m / (m + 1);
    ws?.placeCentre(centers, c);
  };
  for (let c = 0; c < k; ++c) factors(c);
  // n_l/(n_l+1) grows with n_l, so the smallest cluster's factor is the cheapest any move can be.
  let smallest = Math.min(...counts);
  let cheapest = smallest / (smallest + 1);
  let transfers = 0;
  for (let pass = 0; pass < MAX_PASSES; ++pass) {
    let moves = 0;
    for (let i = 0, base = 0; i < n; ++i, base += d) {
      if (ws) {
        // WebAssembly passes over the points that stay; the next one that moves is done below.
        i = ws.hartiganScan(i, drift, cheapest);
        if (i >= n) break;
        base = i * d;
      }
      const a = labels[i]!;
      const na = counts[a]!;
      if (na <= 1) continue;
      const stayFactor = stay[a]!;
      const loosen = drift - stamp[i]!;
      const u = upper[i]! + loosen;
      const l = lower[i]! - loosen;
      if (l > 0 && cheapest * l * l >= stayFactor * u * u) continue;
      let target = -1;
      let targetCost = Infinity;
      let nearestOther = Infinity;
      for (let c = 0; c < k; ++c) {
        // Inline (not squaredDistance): this loop is the refinement's whole cost.
        let sq = 0;
        for (let f = 0, cb = c * d; f < d; ++f) {
          const diff = x[base + f]! - centers[cb + f]!;
          sq += diff * diff;
        }
        dist[c] = sq;
        if (c === a) continue;
        if (sq < nearestOther) nearestOther = sq;
        const cost = join[c]! * sq;
        if (cost < targetCost) {
          targetCost = cost;
          target = c;
        }
      }
      const stayCost = stayFactor * dist[a]!;
      if (target >= 0 && targetCost < stayCost * (1 - GAIN)) {
        const nt = counts[target]!;
        for (let f = 0, ab = a * d, tb = target * d; f < d; ++f) {
          const v = x[base + f]!;
          centers[ab + f] = centers[ab + f]! + (centers[ab + f]! - v) / (na - 1);
          centers[tb + f] = centers[tb + f]! + (v - centers[tb + f]!) / (nt + 1);
        }
        // The two centres moved by |x-c_a|/(n_a-1) and |x-c_t|/(n_t+1).
        drift += Math.max(Math.sqrt(dist[a]!) / (na - 1), Math.sqrt(dist[target]!) / (nt + 1));
        counts[a] = na - 1;
        counts[target] = nt + 1;
        factors(a); // (and with the workspace, its centre to where the scan reads it)
        factors(target);
        labels[i] = target;
        smallest = Math.min(...counts);
        cheapest = smallest / (smallest + 1);
        // Its other distances changed with c_a: compute it afresh next pass.
        upper[i] = Infinity;
        lower[i] = 0;
        moves++;
      } else {
        upper[i] = Math.sqrt(dist[a]!);
        lower[i] = Math.sqrt(nearestOther);
      }
      stamp[i] = drift;
    }
    transfers += moves;
    if (moves === 0) break;
  }
  if (labels !== given) given.set(labels);
  // The incremental updates drift by rounding: the result's centres are the clusters' exact means.
  return { centers: transfers > 0 ? means() : centers, transfers };
}

/** Means of the clusters (sums times the reciprocal count, as the Lloyd step computes them); fills `counts`. */
function clusterMeans(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  labels: Int32Array,
  counts: Float64Array,
): Float64Array {
  const sums = new Float64Array(k * d);
  counts.fill(0);
  for (let i = 0, base = 0; i < n; ++i, base += d) {
    const c = labels[i]!;
    counts[c] = counts[c]! + 1;
    for (let f = 0, cb = c * d; f < d; ++f) sums[cb + f] = sums[cb + f]! + x[base + f]!;
  }
  for (let c = 0; c < k; ++c) {
    const alpha = 1 / counts[c]!;
    for (let f = 0; f < d; ++f) sums[c * d + f] = sums[c * d + f]! * alpha;
  }
  return sums;
}

/** {@link clusterMeans} of the workspace's points and labels, summed there (the same bits); sizes into `counts`. */
function clusterMeansIn(ws: LloydWorkspace, k: number, d: number): Float64Array {
  // Lloyd's running sums are done with when the refinement starts: the sums are made in them.
  ws.clusterSums(ws.sums, ws.counts);
  const means = new Float64Array(k * d);
  for (let c = 0; c < k; ++c) {
    const alpha = 1 / ws.counts[c]!;
    for (let f = 0; f < d; ++f) means[c * d + f] = ws.sums[c * d + f]! * alpha;
  }
  return means;
}
