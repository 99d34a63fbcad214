/**
 * The k-means kernels on their own: k-means++ picks what a plain one-candidate-at-a-time version picks,
 * Lloyd with Hamerly's bounds and running sums gives exactly plain Lloyd's result,
 * Hartigan's refinement ends at a partition no single transfer improves, and the restarts split over
 * workers give the same result bit for bit. Data: Wholesale (log1p + standardize) and seeded blobs.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { hashString, mulberry32 } from "../../src/random/index.ts";
import type { KernelRunner } from "../../src/seg/kernel-runner.ts";
import { inProcessKernels } from "../../src/seg/kernel-runner.ts";
import { featureMatrix } from "../../src/seg/features.ts";
import { hartiganRefine } from "../../src/seg/kmeans-hartigan-kernel.ts";
import {
  kmeansClaimKernel,
  kmeansKernel,
  kmeansPlusPlus,
  runStream,
  scaledTolerance,
} from "../../src/seg/kmeans-kernel.ts";
import {
  centredLloydData,
  inertiaOf,
  lloydData,
  lloydKernel,
  squaredDistance,
} from "../../src/seg/kmeans-lloyd-kernel.ts";
import { restartRanges, runKmeansRestarts, sharedCounter } from "../../src/seg/kmeans-restarts.ts";
import { openDatasets, segContext } from "../helpers/datasets.ts";

interface Data {
  name: string;
  x: Float64Array;
  n: number;
  d: number;
}

/** n points in d dimensions around k centres in [-box, box]^d with unit noise (sum of uniforms). */
function blobs(n: number, d: number, k: number, box: number, seed: number): Data {
  const random = mulberry32(hashString("kmeans kernel test", seed));
  const centres = Float64Array.from({ length: k * d }, () => (random() * 2 - 1) * box);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; ++i) {
    const blob = Math.floor(random() * k);
    for (let f = 0; f < d; ++f) x[i * d + f] = centres[blob * d + f]! + (random() + random() + random() - 1.5) * 2;
  }
  return { name: `blobs ${n}x${d}, box ${box}`, x, n, d };
}

/**
 * Plain Lloyd as sklearn's `_kmeans_single_lloyd` (the kernel before Hamerly's bounds): every point
 * scores every centre each iteration. No empty-cluster relocation: the cases below never empty one.
 */
function plainLloyd(x: Float64Array, n: number, d: number, init: Float64Array, maxIter: number, tolerance: number) {
  const k = init.length / d;
  let centers = Float64Array.from(init);
  const labels = new Int32Array(n).fill(-1);
  const estep = () => {
    const norms = Array.from({ length: k }, (_, c) => {
      let sq = 0;
      for (let f = 0; f < d; ++f) sq += centers[c * d + f]! * centers[c * d + f]!;
      return sq;
    });
    for (let i = 0; i < n; ++i) {
      let best = 0;
      let bestScore = Infinity;
      for (let c = 0; c < k; ++c) {
        let dot = 0;
        for (let f = 0; f < d; ++f) dot += x[i * d + f]! * centers[c * d + f]!;
        const score = norms[c]! + -2 * dot;
        if (score < bestScore) [bestScore, best] = [score, c];
      }
      labels[i] = best;
    }
  };
  let iteration = 0;
  let strict = false;
  for (; iteration < maxIter; ++iteration) {
    const previous = labels.slice();
    estep();
    const sums = new Float64Array(k * d);
    const weights = new Float64Array(k);
    for (let i = 0; i < n; ++i) {
      weights[labels[i]!]! += 1;
      for (let f = 0; f < d; ++f) sums[labels[i]! * d + f]! += x[i * d + f]!;
    }
    if (weights.includes(0)) throw new Error("plainLloyd: a cluster emptied; pick another case");
    for (let c = 0; c < k; ++c) for (let f = 0; f < d; ++f) sums[c * d + f] = sums[c * d + f]! * (1 / weights[c]!);
    let shift = 0;
    for (let c = 0; c < k; ++c) shift += squaredDistance(sums, c, centers, c, d);
    centers = sums;
    if (labels.every((v, i) => v === previous[i])) {
      strict = true;
      break;
    }
    if (shift <= tolerance) break;
  }
  if (!strict) estep();
  return { labels, centers, iterations: Math.min(iteration + 1, maxIter) };
}

let wholesale: Data;

beforeAll(async () => {
  const engine = await openDatasets(["wholesale"]);
  try {
    const fm = await featureMatrix(segContext(engine), "wholesale", {
      features: ["Fresh", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen"],
      transform: ["log1p", "standardize"],
    });
    wholesale = { name: "Wholesale", x: fm.matrix, n: fm.n, d: fm.d };
  } finally {
    await engine.close();
  }
});

const cases = () => [wholesale, blobs(3000, 8, 8, 2, 1), blobs(2000, 3, 5, 10, 2), blobs(1500, 2, 12, 3, 3)];
const initFrom = (data: Data, k: number, seed: number) => {
  const picked = kmeansPlusPlus(data.x, data.n, data.d, k, runStream(seed, 0));
  return Float64Array.from(
    Array.from(picked).flatMap((p) => Array.from(data.x.subarray(p * data.d, p * data.d + data.d))),
  );
};

describe("lloydKernel (Hamerly's bounds)", () => {
  it("lloydKernel gives plain Lloyd's labels, centres and iteration count bit for bit", () => {
    for (const data of cases()) {
      for (const [k, seed, tol] of [
        [3, 1, 1e-4],
        [6, 2, 1e-4],
        [8, 3, 0],
        [5, 4, 0],
      ] as const) {
        const init = initFrom(data, k, seed);
        const tolerance = scaledTolerance(data.x, data.n, data.d, tol);
        const ours = lloydKernel(data.x, data.n, data.d, init, 300, tolerance);
        const plain = plainLloyd(data.x, data.n, data.d, init, 300, tolerance);
        const where = `${data.name}, k = ${k}, seed ${seed}, tol ${tol}`;
        expect(ours.iterations, where).toBe(plain.iterations);
        expect(Array.from(ours.labels), where).toEqual(Array.from(plain.labels));
        expect(Array.from(ours.centers), where).toEqual(Array.from(plain.centers));
        expect(ours.inertia).toBe(inertiaOf(data.x, data.n, data.d, plain.centers, plain.labels));
      }
    }
  });
});

/**
 * sklearn's greedy k-means++ one candidate at a time, every distance computed (no pruning), with the
 * same arithmetic as kmeansPlusPlus: ||x||^2 + ||p||^2 - 2 x.p clipped at 0, sums in point order.
 */
function plainPlusPlus(x: Float64Array, n: number, d: number, k: number, random: () => number): number[] {
  const norm = (i: number) => {
    let sq = 0;
    for (let f = 0; f < d; ++f) sq += x[i * d + f]! * x[i * d + f]!;
    return sq;
  };
  const norms = Array.from({ length: n }, (_, i) => norm(i));
  const distancesTo = (p: number, closest: number[]) =>
    closest.map((near, i) => {
      let dot = 0;
      for (let f = 0; f < d; ++f) dot += x[i * d + f]! * x[p * d + f]!;
      return Math.min(near, Math.max(0, norms[i]! + norms[p]! - 2 * dot));
    });
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const trials = 2 + Math.floor(Math.log(k));
  const picked = [Math.min(n - 1, Math.floor(random() * n))];
  let closest = distancesTo(picked[0]!, new Array<number>(n).fill(Infinity));
  while (picked.length < k) {
    let running = 0;
    const cumulative = closest.map((v) => (running += v));
    const candidates = Array.from({ length: trials }, () => {
      const r = random() * sum(closest);
      const at = cumulative.findIndex((c) => !(c < r));
      return at < 0 ? n - 1 : at;
    });
    const options = candidates.map((p) => distancesTo(p, closest));
    const potentials = options.map(sum);
    const best = potentials.indexOf(Math.min(...potentials));
    picked.push(candidates[best]!);
    closest = options[best]!;
  }
  return picked;
}

describe("kmeansPlusPlus", () => {
  it.each([2, 3, 8, 25])("kmeansPlusPlus with k = %i picks what one candidate at a time without pruning picks", (k) => {
    // k = 25 draws 5 candidates: a sweep of four and a sweep of one.
    for (const data of cases()) {
      for (const seed of [1, 2]) {
        const ours = kmeansPlusPlus(data.x, data.n, data.d, k, runStream(seed, 0));
        const plain = plainPlusPlus(data.x, data.n, data.d, k, runStream(seed, 0));
        expect(Array.from(ours), `${data.name}, seed ${seed}`).toEqual(plain);
      }
    }
  });
});

describe("hartiganRefine", () => {
  it("hartiganRefine lowers the inertia to a partition no single transfer improves, emptying no cluster", () => {
    let moved = 0;
    for (const data of cases()) {
      const { x, n, d } = data;
      for (const [k, seed] of [
        [4, 1],
        [6, 2],
        [8, 3],
      ] as const) {
        const lloyd = lloydKernel(x, n, d, initFrom(data, k, seed), 300, scaledTolerance(x, n, d, 1e-4));
        const labels = lloyd.labels.slice();
        const { centers, transfers } = hartiganRefine(x, n, d, k, labels);
        moved += transfers;
        const inertia = inertiaOf(x, n, d, centers, labels);
        expect(inertia).toBeLessThanOrEqual(lloyd.inertia);
        const counts = new Array<number>(k).fill(0);
        for (const label of labels) counts[label]!++;
        expect(counts.every((c) => c > 0)).toBe(true);
        // The centres are the clusters' means, and no point would lower the inertia by moving.
        const sums = new Float64Array(k * d);
        for (let i = 0; i < n; ++i) for (let f = 0; f < d; ++f) sums[labels[i]! * d + f]! += x[i * d + f]!;
        const offMean = Array.from(sums).filter(
          (sum, j) => Math.abs(centers[j]! - sum / counts[Math.floor(j / d)]!) > 1e-12,
        );
        expect(offMean).toEqual([]);
        let improving = 0;
        for (let i = 0; i < n; ++i) {
          const a = labels[i]!;
          if (counts[a] === 1) continue;
          const stay = (counts[a]! / (counts[a]! - 1)) * squaredDistance(x, i, centers, a, d);
          for (let c = 0; c < k; ++c) {
            const go = (counts[c]! / (counts[c]! + 1)) * squaredDistance(x, i, centers, c, d);
            if (c !== a && go < stay * (1 - 1e-9)) improving++;
          }
        }
        expect(improving, `${data.name}, k = ${k}`).toBe(0);
      }
    }
    // Lloyd's fixed points are not all Hartigan optima: the refinement did move points here.
    expect(moved).toBeGreaterThan(0);
  });

  it("kmeansKernel({refine: 'hartigan'}) is never worse than {refine: 'none'} restart by restart", () => {
    for (const data of cases()) {
      for (let run = 0; run < 5; ++run) {
        const options = { k: 6, nInit: 5, maxIter: 300, tol: 1e-4, seed: 7, runs: [run, run + 1] as const };
        const refined = kmeansKernel(data.x, data.n, data.d, { ...options, refine: "hartigan" });
        const lloyd = kmeansKernel(data.x, data.n, data.d, { ...options, refine: "none" });
        expect([refined.run, lloyd.run, lloyd.transfers]).toEqual([run, run, 0]);
        expect(refined.inertia).toBeLessThanOrEqual(lloyd.inertia);
      }
    }
  });
});

describe("centredLloydData", () => {
  it.each([
    [3000, 8, 8],
    [1001, 3, 5],
    [10, 1, 1],
  ])(
    "on %i x %i (k = %i) gives lloydData of the centred copy and scaledTolerance's squares, bit for bit",
    (n, d, k) => {
      const { x: matrix } = blobs(n, d, k, 3, n + d);
      const shifted = matrix.map((v, i) => v * 1.7 + (i % d) * 40); // far from 0, as raw features are
      const mean = new Float64Array(d);
      for (let i = 0; i < n; ++i) for (let f = 0; f < d; ++f) mean[f] = mean[f]! + shifted[i * d + f]!;
      for (let f = 0; f < d; ++f) mean[f] = mean[f]! / n;
      const copy = shifted.map((v, i) => v - mean[i % d]!);
      const before = lloydData(copy, n, d, k);
      const { data, squares } = centredLloydData(shifted, n, d, k, mean);
      expect(data.workspace).not.toBeNull();
      expect(Array.from(data.x)).toEqual(Array.from(before.x));
      expect(Array.from(data.xNorms)).toEqual(Array.from(before.xNorms));
      expect(data.slack).toBe(before.slack);
      let total = 0;
      for (let f = 0; f < d; ++f) total += squares[f]! / n;
      expect((total / d) * 1e-4).toBe(scaledTolerance(shifted, n, d, 1e-4));
    },
  );
});

describe("k-means restarts split over workers", () => {
  it.each([
    [10, 1, [[0, 10]]],
    [
      10,
      3,
      [
        [0, 3],
        [3, 6],
        [6, 10],
      ],
    ],
    [
      2,
      4,
      [
        [0, 1],
        [1, 2],
      ],
    ],
    [1, 4, [[0, 1]]],
  ])("restartRanges(%i, %i) covers every restart once", (total, parts, expected) => {
    expect(restartRanges(total, parts)).toEqual(expected);
  });

  afterEach(() => vi.unstubAllGlobals());

  it("runKmeansRestarts on a runner of 3 workers without shared memory splits the restarts in fixed shares, with the in-process result bit for bit", async () => {
    // A page that is not cross-origin isolated cannot post a SharedArrayBuffer: fixed shares then.
    vi.stubGlobal("crossOriginIsolated", false);
    expect(sharedCounter()).toBeNull();
    const calls: unknown[] = [];
    // The real kernels, run in-process, on a runner that says it has three workers.
    const threeWorkers: KernelRunner = {
      parallelism: 3,
      run: (name, ...args) => {
        calls.push(args[3]);
        return inProcessKernels.run(name, ...args);
      },
    };
    for (const data of cases()) {
      const options = { k: 6, nInit: 10, maxIter: 300, tol: 1e-4, seed: 42 };
      const whole = kmeansKernel(data.x, data.n, data.d, options);
      const split = await runKmeansRestarts(threeWorkers, data.x, data.n, data.d, options);
      expect(split.run).toBe(whole.run);
      expect(split.inertia).toBe(whole.inertia);
      expect(Array.from(split.labels)).toEqual(Array.from(whole.labels));
      expect(Array.from(split.centers)).toEqual(Array.from(whole.centers));
    }
    expect(calls).toHaveLength(12);
    expect(calls.slice(0, 3)).toEqual(
      [0, 3, 6].map((from, i) => expect.objectContaining({ runs: [from, [3, 6, 10][i]] })),
    );
  });

  it("runKmeansRestarts on a runner of 3 workers with shared memory lets each job take restarts until none are left, with the in-process result bit for bit", async () => {
    expect(sharedCounter()).not.toBeNull();
    const calls: { name: string; ran: boolean }[] = [];
    // Run one after the other in-process, the first job takes every restart and the others none.
    const threeWorkers: KernelRunner = {
      parallelism: 3,
      run: async (name, ...args) => {
        const value = await inProcessKernels.run(name, ...args);
        calls.push({ name, ran: value !== null });
        return value;
      },
    };
    for (const data of cases()) {
      const options = { k: 6, nInit: 10, maxIter: 300, tol: 1e-4, seed: 42 };
      const whole = kmeansKernel(data.x, data.n, data.d, options);
      const split = await runKmeansRestarts(threeWorkers, data.x, data.n, data.d, options);
      expect(split.run).toBe(whole.run);
      expect(split.inertia).toBe(whole.inertia);
      expect(Array.from(split.labels)).toEqual(Array.from(whole.labels));
      expect(Array.from(split.centers)).toEqual(Array.from(whole.centers));
    }
    expect(calls).toHaveLength(12);
    expect(calls.slice(0, 3)).toEqual([
      { name: "kmeansClaim", ran: true },
      { name: "kmeansClaim", ran: false },
      { name: "kmeansClaim", ran: false },
    ]);
  });

  it("kmeansClaimKernel runs the restarts its counter hands out, whichever job takes them: the best of the parts is the whole's", () => {
    const { x, n, d } = blobs(600, 3, 4, 3, 8);
    const options = { k: 4, nInit: 6, maxIter: 100, tol: 1e-4, seed: 5 };
    const whole = kmeansKernel(x, n, d, options);
    // Two jobs sharing a counter, interleaved by hand: the second starts when the first has taken 0..3.
    const claim = new Int32Array(new SharedArrayBuffer(4));
    claim[0] = 4;
    const last = kmeansClaimKernel(x, n, d, options, claim)!;
    expect(claim[0]).toBe(7); // took 4 and 5, then found none left
    claim[0] = 0;
    const first = kmeansClaimKernel(x, n, d, { ...options, runs: [0, 4] }, claim)!;
    expect([first.run, last.run]).toContain(whole.run);
    const best = first.inertia <= last.inertia ? first : last;
    expect(best.inertia).toBe(whole.inertia);
    expect(Array.from(best.labels)).toEqual(Array.from(whole.labels));
    // Nothing left: null, and the data are not even prepared.
    expect(kmeansClaimKernel(x, n, d, options, Int32Array.of(6))).toBeNull();
  });

  it("kmeansKernel rejects runs outside 0..nInit", () => {
    const { x, n, d } = blobs(100, 2, 3, 5, 4);
    expect(() => kmeansKernel(x, n, d, { k: 3, nInit: 4, maxIter: 10, tol: 1e-4, seed: 1, runs: [2, 5] })).toThrow(
      /runs must be \[from, to\) within 0..4, got \[2, 5\)/,
    );
  });
});
