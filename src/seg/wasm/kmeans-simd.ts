/**
 * WebAssembly SIMD kernels for k-means' hot loops, emitted at run time for one feature count d and
 * centre count k (src/seg/wasm/encoder.ts), with every loop over features and centres unrolled.
 *
 * Results are bit for bit those of the plain JS loops they replace: the two f64 lanes hold two
 * CENTRES (not two features), so each lane sums its dot product x.c over f in order, exactly as the
 * scalar JS does; products and sums are separate IEEE operations (no fused multiply-add: relaxed SIMD
 * is not used), and scores are compared centre by centre in order, so ties go to the first centre.
 * That keeps Node, every browser and any number of workers agreeing, and the JS loops remain the
 * fallback where WebAssembly SIMD is unavailable.
 * Pure (no DOM, no engine): a kernel file.
 */
import { encodeModule } from "./encoder.ts";
import { assignFunction } from "./kmeans-simd-assign.ts";
import { HARTIGAN_GAIN, hartiganFunction } from "./kmeans-simd-hartigan.ts";
import { inertiaFunction, sumsFunction } from "./kmeans-simd-means.ts";
import { layout, seedingTrials, type Layout } from "./kmeans-simd-layout.ts";
import { seedFunction, seedPassFunctions } from "./kmeans-simd-seed.ts";

/**
 * Lloyd's arrays for n points, d features and k centres in one WebAssembly memory, and the
 * E-step over them compiled for exactly that shape. The typed arrays are views of the memory
 * (which never grows, so they stay valid): fill them, call {@link LloydWorkspace.assign}, read them.
 */
export interface LloydWorkspace {
  x: Float64Array;
  xNorms: Float64Array;
  labels: Int32Array;
  upper: Float64Array;
  lower: Float64Array;
  /** Current centres, row-major k x d. */
  centres: Float64Array;
  /** Their squared norms (k values, then +Infinity padding to an even count). */
  norms: Float64Array;
  half: Float64Array;
  moved: Float64Array;
  sums: Float64Array;
  weights: Float64Array;
  /** k-means++: nearest chosen centre of each point, bound per chosen centre, trials + 1 distance arrays. */
  nearest: Int32Array;
  reach: Float64Array;
  dists: Float64Array[];
  /** k-means++: running sums of `closest` (one of `dists`), by {@link LloydWorkspace.cumulativeSum}. */
  cumulative: Float64Array;
  /** cumulative[i] = closest[0] + … + closest[i], added in order. */
  cumulativeSum(closest: Float64Array): void;
  /** nearest[i] = c wherever picked[i] < closest[i] (both among `dists`). */
  nearestUpdate(picked: Float64Array, closest: Float64Array, c: number): void;
  /**
   * One group of k-means++ candidate distances (see kmeans-kernel.ts `distancesToCandidates`): rows
   * `candidates` (4 point indices), m chosen centres so far (with `reach` filled), outputs `out` and
   * `closest` among `dists`. Returns the four potentials (sums of `out`).
   */
  seed(candidates: ArrayLike<number>, m: number, out: Float64Array[], closest: Float64Array): Float64Array;
  /** Hartigan's refinement (kmeans-hartigan-kernel.ts): per point the drift when its bounds were set; per cluster its size, n/(n-1) and n/(n+1). */
  stamp: Float64Array;
  counts: Float64Array;
  stay: Float64Array;
  join: Float64Array;
  /** Copies centre `c` of `centres` (row-major k x d) to where {@link LloydWorkspace.hartiganScan} reads it. */
  placeCentre(centres: Float64Array, c: number): void;
  /**
   * Hartigan's pass from point `start` over `labels`, `upper`, `lower` and the arrays above (see
   * kmeans-simd-hartigan.ts): returns the first point that moves (for the JS to move), or n.
   */
  hartiganScan(start: number, drift: number, cheapest: number): number;
  /**
   * Each cluster's coordinate sums (into `sums`, k x d) and size (into `counts`, k) under `labels`,
   * summed in point order; both must be arrays of this workspace (e.g. `sums` and `weights`).
   */
  clusterSums(sums: Float64Array, counts: Float64Array): void;
  /** The sum over points in order of the squared distance to their label's centre in `centres` (k x d). */
  inertia(centres: Float64Array): number;
  /** The E-step for all points (see kmeans-lloyd-kernel.ts `assignStep`), over the arrays above. */
  assign(bounded: boolean, withSums: boolean, top: number, runnerUp: number, topCentre: number, slack: number): void;
}

let simdSupported: boolean | undefined;

/** Whether this engine runs WebAssembly SIMD (checked once, on a small module of the kind emitted here). */
export function wasmSimdSupported(): boolean {
  if (simdSupported === undefined) {
    try {
      simdSupported = typeof WebAssembly === "object" && WebAssembly.validate(kmeansSimdBytes(2, 2, 1));
    } catch {
      simdSupported = false;
    }
  }
  return simdSupported;
}

/** The module's bytes for n points, d features and k centres. */
export function kmeansSimdBytes(n: number, d: number, k: number): Uint8Array<ArrayBuffer> {
  const at = layout(n, d, k);
  return encodeModule(functions(d, k, at), Math.max(1, Math.ceil(at.bytes / 65536)));
}

/** The module's functions for d features, k centres and layout `at`. */
const functions = (d: number, k: number, at: Layout) => [
  assignFunction(d, k, at),
  seedFunction(d, at),
  hartiganFunction(d, k, at, HARTIGAN_GAIN),
  sumsFunction(d, at),
  inertiaFunction(d, at),
  ...seedPassFunctions(at),
];

/**
 * A {@link LloydWorkspace} for (n, d, k), or null where WebAssembly SIMD is unavailable or refused
 * (no WebAssembly, no SIMD, a content security policy without 'wasm-unsafe-eval', a memory too large
 * to allocate): the caller then runs the JS loops, which give the same results.
 */
export function lloydWorkspace(n: number, d: number, k: number): LloydWorkspace | null {
  if (!wasmSimdSupported() || n < 1 || d < 1 || k < 1) return null;
  const at = layout(n, d, k);
  let instance: WebAssembly.Instance;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(at.bytes / 65536)) });
    const module = new WebAssembly.Module(encodeModule(functions(d, k, at), memory.buffer.byteLength / 65536));
    instance = new WebAssembly.Instance(module, { env: { memory } });
  } catch {
    return null;
  }
  const buffer = memory.buffer;
  const pairs = Math.ceil(k / 2);
  const f64 = (start: number, length: number) => new Float64Array(buffer, start, length);
  const centresT = f64(at.centresT, pairs * d * 2);
  const centres = f64(at.centres, k * d);
  const candidatesT = f64(at.candidatesT, 2 * d * 2);
  const candidateNorms = f64(at.candidateNorms, 4);
  const potential = f64(at.potential, 4);
  const x = f64(at.x, n * d);
  const xNorms = f64(at.xNorms, n);
  const seedScan = instance.exports.seedScan as (n: number, m: number, ...pointers: number[]) => void;
  const run = instance.exports.assign as (
    n: number,
    bounded: number,
    withSums: number,
    top: number,
    runnerUp: number,
    topCentre: number,
    slack: number,
  ) => void;
  const sums = instance.exports.clusterSums as (n: number, sums: number, counts: number) => void;
  const inertia = instance.exports.inertia as (n: number) => number;
  const cumulativeSum = instance.exports.cumulativeSum as (n: number, from: number, to: number) => void;
  const nearestUpdate = instance.exports.nearestUpdate as (n: number, a: number, b: number, c: number) => void;
  const cumulative = f64(at.cumulative, n);
  const scan = instance.exports.hartiganScan as (start: number, n: number, drift: number, cheapest: number) => number;
  return {
    x,
    xNorms,
    labels: new Int32Array(buffer, at.labels, n),
    upper: f64(at.upper, n),
    lower: f64(at.lower, n),
    centres,
    norms: f64(at.norms, pairs * 2).fill(Infinity),
    half: f64(at.half, k),
    moved: f64(at.moved, k),
    sums: f64(at.sums, k * d),
    weights: f64(at.weights, k),
    nearest: new Int32Array(buffer, at.nearest, n),
    reach: f64(at.reach, k),
    dists: Array.from({ length: seedingTrials(k) + 1 }, (_, t) => f64(at.dists + t * n * 8, n)),
    cumulative,
    cumulativeSum: (closest) => cumulativeSum(n, closest.byteOffset, cumulative.byteOffset),
    nearestUpdate: (picked, closest, c) => nearestUpdate(n, picked.byteOffset, closest.byteOffset, c),
    stamp: f64(at.stamp, n),
    counts: f64(at.counts, k),
    stay: f64(at.stay, k),
    join: f64(at.join, k),
    placeCentre(from, c) {
      for (let f = 0, to = (c >> 1) * d * 2 + (c & 1); f < d; ++f) centresT[to + f * 2] = from[c * d + f]!;
    },
    hartiganScan: (start, drift, cheapest) => scan(start, n, drift, cheapest),
    clusterSums(into, counts) {
      if (into.buffer !== buffer || counts.buffer !== buffer)
        throw new Error("clusterSums: arrays of this workspace only");
      into.fill(0);
      counts.fill(0);
      sums(n, into.byteOffset, counts.byteOffset);
    },
    inertia(from) {
      centres.set(from);
      return inertia(n);
    },
    seed(candidates, m, out, closest) {
      for (let t = 0; t < 4; ++t) {
        const row = candidates[t]! * d;
        candidateNorms[t] = xNorms[candidates[t]!]!;
        for (let f = 0; f < d; ++f) candidatesT[((t >> 1) * d + f) * 2 + (t & 1)] = x[row + f]!;
      }
      seedScan(n, m, ...out.map((o) => o.byteOffset), closest.byteOffset);
      return potential;
    },
    assign(bounded, withSums, top, runnerUp, topCentre, slack) {
      // Centres by pairs for the full scan: feature f of centres 2p and 2p+1 side by side.
      for (let c = 0; c < k; ++c) {
        for (let f = 0, to = (c >> 1) * d * 2 + (c & 1); f < d; ++f) centresT[to + f * 2] = centres[c * d + f]!;
      }
      run(n, bounded ? 1 : 0, withSums ? 1 : 0, top, runnerUp, topCentre, slack);
    },
  };
}
