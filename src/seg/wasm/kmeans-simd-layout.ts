/**
 * Where the arrays of a k-means WebAssembly workspace live in its memory (kmeans-simd.ts): one
 * layout per (n, d, k), byte offsets baked into the emitted code as constants.
 */
import { ln } from "../portable-math.ts";

/** Byte offsets of a workspace's arrays in its memory (see {@link LloydWorkspace}). */
export interface Layout {
  x: number;
  xNorms: number;
  labels: number;
  upper: number;
  lower: number;
  centres: number;
  centresT: number;
  norms: number;
  half: number;
  moved: number;
  sums: number;
  weights: number;
  nearest: number;
  reach: number;
  /** The k-means++ distance arrays (trials + 1 of n f64), one after the other. */
  dists: number;
  /** k-means++'s running sums of `closest`. */
  cumulative: number;
  /** Hartigan's refinement: when each point's bounds were set, and per cluster its size and cost factors. */
  stamp: number;
  counts: number;
  stay: number;
  join: number;
  candidatesT: number;
  candidateNorms: number;
  potential: number;
  bytes: number;
}

/** Candidates per k-means++ step, as kmeans-kernel.ts's `kmeansPlusPlus` draws them. */
export const seedingTrials = (k: number): number => 2 + Math.floor(ln(k));

export function layout(n: number, d: number, k: number): Layout {
  const pairs = Math.ceil(k / 2);
  let bytes = 0;
  // Every array starts on 16 bytes (v128 loads need no alignment, but aligned ones are faster).
  const take = (size: number) => {
    const at = bytes;
    bytes += Math.ceil(size / 16) * 16;
    return at;
  };
  const out = {
    x: take(n * d * 8),
    xNorms: take(n * 8),
    labels: take(n * 4),
    upper: take(n * 8),
    lower: take(n * 8),
    centres: take(k * d * 8),
    centresT: take(pairs * d * 16),
    norms: take(pairs * 16),
    half: take(k * 8),
    moved: take(k * 8),
    sums: take(k * d * 8),
    weights: take(k * 8),
    nearest: take(n * 4),
    reach: take(k * 8),
    dists: take((seedingTrials(k) + 1) * n * 8),
    cumulative: take(n * 8),
    stamp: take(n * 8),
    counts: take(k * 8),
    stay: take(k * 8),
    join: take(k * 8),
    candidatesT: take(2 * d * 16),
    candidateNorms: take(4 * 8),
    potential: take(4 * 8),
  };
  return { ...out, bytes };
}
