/**
 * k-prototypes (Huang 1997, 1998) for mixed data: numeric columns as a row-major Float64Array
 * (n x p) and categorical columns as category codes (Int32Array, n x m). The cost of a point to a
 * prototype is the squared Euclidean distance on the numeric part plus gamma times the number of
 * categorical mismatches. Pure and synchronous (runs in a Web Worker too); randomness comes only
 * from mulberry32 streams derived from the seed.
 */
import { hashString, mulberry32 } from "../random/index.ts";
import { cos, ln } from "./portable-math.ts";

/** Options of {@link kprototypesKernel}. */
export interface KprototypesKernelOptions {
  k: number;
  /** Weight of one categorical mismatch against squared numeric distance. */
  gamma: number;
  /** Seeded restarts; the lowest cost wins (the earliest on ties). */
  nInit: number;
  /** Assignment/update rounds per restart. */
  maxIter: number;
  seed: number;
}

/** What one k-prototypes run (or the best of several) found. */
export interface KprototypesRun {
  labels: Int32Array;
  /** Numeric part of the prototypes, k x p (cluster means). */
  numeric: Float64Array;
  /** Categorical part of the prototypes, k x m codes (cluster modes). */
  categorical: Int32Array;
  /** Total cost of the final partition. */
  cost: number;
  /** The cost after each round's prototype update: never increases. */
  costHistory: number[];
  /** Prototype updates done. */
  iterations: number;
  /** True when a round changed no label (false when maxIter ran out first). */
  converged: boolean;
  /** Which restart won (0-based). */
  run: number;
}

/**
 * gamma as the kmodes package defaults it: half the mean over numeric columns of their (population)
 * standard deviation; 0.5 for standardized columns.
 */
export function defaultGamma(num: Float64Array, n: number, p: number): number {
  let total = 0;
  for (let f = 0; f < p; ++f) {
    let mean = 0;
    for (let i = 0; i < n; ++i) mean += num[i * p + f]!;
    mean /= n;
    let sq = 0;
    for (let i = 0; i < n; ++i) sq += (num[i * p + f]! - mean) ** 2;
    total += Math.sqrt(sq / n);
  }
  return (0.5 * total) / p;
}

/** Cost of point i (data) to prototype c. */
function pointCost(
  num: Float64Array,
  cat: Int32Array,
  p: number,
  m: number,
  i: number,
  protoNum: Float64Array,
  protoCat: Int32Array,
  c: number,
  gamma: number,
): number {
  let sq = 0;
  for (let f = 0; f < p; ++f) {
    const diff = num[i * p + f]! - protoNum[c * p + f]!;
    sq += diff * diff;
  }
  let mismatches = 0;
  for (let a = 0; a < m; ++a) if (cat[i * m + a] !== protoCat[c * m + a]) mismatches++;
  return sq + gamma * mismatches;
}

/** The random stream of restart `run` for `seed`: independent of how many restarts there are. */
function runStream(seed: number, run: number): () => number {
  return mulberry32(hashString(`kprototypes run ${run}`, hashString(String(seed))));
}

function samePoint(num: Float64Array, cat: Int32Array, p: number, m: number, i: number, j: number): boolean {
  for (let f = 0; f < p; ++f) if (num[i * p + f] !== num[j * p + f]) return false;
  for (let a = 0; a < m; ++a) if (cat[i * m + a] !== cat[j * m + a]) return false;
  return true;
}

/**
 * Huang's frequency-based initialisation, as the kmodes package's `init_huang` for k-prototypes:
 * each prototype's categorical values are drawn attribute by attribute with probability
 * proportional to their frequency (a uniformly drawn row's value), and its numeric values from a
 * normal with each column's mean and std; each draw is then replaced by the nearest data point (by
 * the mixed cost, lowest index on ties) that differs from the prototypes already chosen, so the
 * prototypes are k distinct records and no cluster starts empty. Returns the chosen row indices.
 */
export function huangInit(
  num: Float64Array,
  n: number,
  p: number,
  cat: Int32Array,
  m: number,
  k: number,
  gamma: number,
  random: () => number,
): Int32Array {
  const mean = new Float64Array(p);
  const std = new Float64Array(p);
  for (let f = 0; f < p; ++f) {
    for (let i = 0; i < n; ++i) mean[f] = mean[f]! + num[i * p + f]!;
    mean[f] = mean[f]! / n;
    let sq = 0;
    for (let i = 0; i < n; ++i) sq += (num[i * p + f]! - mean[f]!) ** 2;
    std[f] = Math.sqrt(sq / n);
  }
  const normal = () => Math.sqrt(-2 * ln(1 - random())) * cos(2 * Math.PI * random()); // Box-Muller
  const drawNum = new Float64Array(p);
  const drawCat = new Int32Array(m);
  const chosen = new Int32Array(k);
  for (let c = 0; c < k; ++c) {
    for (let f = 0; f < p; ++f) drawNum[f] = mean[f]! + normal() * std[f]!;
    for (let a = 0; a < m; ++a) drawCat[a] = cat[Math.min(n - 1, Math.floor(random() * n)) * m + a]!;
    let best = -1;
    let bestCost = Infinity;
    for (let i = 0; i < n; ++i) {
      const cost = pointCost(num, cat, p, m, i, drawNum, drawCat, 0, gamma);
      if (cost >= bestCost) continue;
      let taken = false;
      for (let e = 0; e < c && !taken; ++e) taken = samePoint(num, cat, p, m, i, chosen[e]!);
      if (taken) continue;
      best = i;
      bestCost = cost;
    }
    if (best < 0) throw new Error(`fewer than k = ${k} distinct points`);
    chosen[c] = best;
  }
  return chosen;
}

/** Means (numeric) and modes (categorical; the lowest code on ties) of each cluster's points. */
function updatePrototypes(
  num: Float64Array,
  cat: Int32Array,
  n: number,
  p: number,
  m: number,
  categoryCounts: Int32Array,
  labels: Int32Array,
  k: number,
  protoNum: Float64Array,
  protoCat: Int32Array,
): void {
  const sizes = new Float64Array(k);
  const sums = new Float64Array(k * p);
  for (let i = 0; i < n; ++i) {
    const c = labels[i]!;
    sizes[c] = sizes[c]! + 1;
    for (let f = 0; f < p; ++f) sums[c * p + f] = sums[c * p + f]! + num[i * p + f]!;
  }
  for (let c = 0; c < k; ++c) {
    if (sizes[c] === 0) continue; // cannot happen after relocation; keep the old prototype
    for (let f = 0; f < p; ++f) protoNum[c * p + f] = sums[c * p + f]! / sizes[c]!;
  }
  for (let a = 0; a < m; ++a) {
    const levels = categoryCounts[a]!;
    const counts = new Float64Array(k * levels);
    for (let i = 0; i < n; ++i) {
      const code = cat[i * m + a]!;
      if (code >= 0) counts[labels[i]! * levels + code] = counts[labels[i]! * levels + code]! + 1;
    }
    for (let c = 0; c < k; ++c) {
      if (sizes[c] === 0) continue;
      let mode = 0;
      for (let v = 1; v < levels; ++v) if (counts[c * levels + v]! > counts[c * levels + mode]!) mode = v;
      protoCat[c * m + a] = mode;
    }
  }
}

/**
 * One assignment round: each point goes to its cheapest prototype, staying where it is on ties (so
 * a round that changes labels strictly lowers the cost and rounds cannot cycle). A cluster left
 * empty takes the point that costs most in a cluster with more than one point (ties: lowest index),
 * which costs nothing once that point is its prototype. Returns the number of labels changed.
 */
function assignRound(
  num: Float64Array,
  cat: Int32Array,
  n: number,
  p: number,
  m: number,
  protoNum: Float64Array,
  protoCat: Int32Array,
  k: number,
  gamma: number,
  labels: Int32Array,
  costs: Float64Array,
): number {
  let changed = 0;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; ++i) {
    const current = labels[i]!;
    let best = current;
    let bestCost = current >= 0 ? pointCost(num, cat, p, m, i, protoNum, protoCat, current, gamma) : Infinity;
    for (let c = 0; c < k; ++c) {
      if (c === current) continue;
      const cost = pointCost(num, cat, p, m, i, protoNum, protoCat, c, gamma);
      if (cost < bestCost) {
        bestCost = cost;
        best = c;
      }
    }
    if (best !== current) changed++;
    labels[i] = best;
    costs[i] = bestCost;
    sizes[best] = sizes[best]! + 1;
  }
  for (let c = 0; c < k; ++c) {
    if (sizes[c]! > 0) continue;
    let far = -1;
    for (let i = 0; i < n; ++i) if (sizes[labels[i]!]! > 1 && (far < 0 || costs[i]! > costs[far]!)) far = i;
    if (far < 0) break;
    sizes[labels[far]!] = sizes[labels[far]!]! - 1;
    labels[far] = c;
    sizes[c] = 1;
    costs[far] = 0;
    changed++;
  }
  return changed;
}

function totalCost(
  num: Float64Array,
  cat: Int32Array,
  n: number,
  p: number,
  m: number,
  protoNum: Float64Array,
  protoCat: Int32Array,
  gamma: number,
  labels: Int32Array,
): number {
  let total = 0;
  for (let i = 0; i < n; ++i) total += pointCost(num, cat, p, m, i, protoNum, protoCat, labels[i]!, gamma);
  return total;
}

/**
 * k-prototypes with restarts: each of `nInit` restarts starts from {@link huangInit} with its own
 * seeded stream and alternates batch rounds (assign every point, then recompute every prototype as
 * the mean / mode of its points) until a round changes no label, or `maxIter` updates (then a final
 * assignment). The restart with the lowest cost wins.
 */
export function kprototypesKernel(
  num: Float64Array,
  n: number,
  p: number,
  cat: Int32Array,
  m: number,
  categoryCounts: Int32Array,
  options: KprototypesKernelOptions,
): KprototypesRun {
  const { k, gamma, maxIter } = options;
  let best: KprototypesRun | undefined;
  for (let run = 0; run < options.nInit; ++run) {
    const seeds = huangInit(num, n, p, cat, m, k, gamma, runStream(options.seed, run));
    const protoNum = new Float64Array(k * p);
    const protoCat = new Int32Array(k * m);
    seeds.forEach((i, c) => {
      protoNum.set(num.subarray(i * p, i * p + p), c * p);
      protoCat.set(cat.subarray(i * m, i * m + m), c * m);
    });
    const labels = new Int32Array(n).fill(-1);
    const costs = new Float64Array(n);
    const costHistory: number[] = [];
    let converged = false;
    let iterations = 0;
    while (true) {
      const changed = assignRound(num, cat, n, p, m, protoNum, protoCat, k, gamma, labels, costs);
      if (changed === 0) {
        converged = true;
        break;
      }
      if (iterations === maxIter) break;
      updatePrototypes(num, cat, n, p, m, categoryCounts, labels, k, protoNum, protoCat);
      iterations++;
      costHistory.push(totalCost(num, cat, n, p, m, protoNum, protoCat, gamma, labels));
    }
    const cost = totalCost(num, cat, n, p, m, protoNum, protoCat, gamma, labels);
    if (!best || cost < best.cost) {
      best = { labels, numeric: protoNum, categorical: protoCat, cost, costHistory, iterations, converged, run };
    }
  }
  return best!;
}

/** Cheapest prototype of each point for fixed prototypes (first on ties); code -1 never matches. */
export function kprototypesAssignKernel(
  num: Float64Array,
  n: number,
  p: number,
  cat: Int32Array,
  m: number,
  protoNum: Float64Array,
  protoCat: Int32Array,
  gamma: number,
): Int32Array {
  const k = m > 0 ? protoCat.length / m : protoNum.length / p;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; ++i) {
    let best = 0;
    let bestCost = Infinity;
    for (let c = 0; c < k; ++c) {
      const cost = pointCost(num, cat, p, m, i, protoNum, protoCat, c, gamma);
      if (cost < bestCost) {
        bestCost = cost;
        best = c;
      }
    }
    labels[i] = best;
  }
  return labels;
}
