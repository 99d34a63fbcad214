/**
 * The split exact silhouette: parts cover every pair once, the generated and generic pair loops give
 * the same bits, and any runner (one at a time, or parts finishing in any order) gives the same bits
 * as the in-process kernel and the textbook double loop up to rounding.
 */
import { describe, expect, it } from "vitest";
import { hashString, mulberry32 } from "../../src/random/index.ts";
import { inProcessKernels, type KernelRunner } from "../../src/seg/kernel-runner.ts";
import { encodeLabels, silhouetteKernel, silhouetteSamplesKernel } from "../../src/seg/metrics-kernel.ts";
import { createSeg } from "../../src/seg/namespace.ts";
import { silhouetteSamplesOn, silhouetteScoreOn } from "../../src/seg/silhouette.ts";
import {
  orderByCluster,
  silhouetteFromSums,
  silhouettePartCount,
  silhouettePartKernel,
  silhouetteRanges,
} from "../../src/seg/silhouette-kernel.ts";
import type { SegContext } from "../../src/seg/context.ts";

/** n points in d dimensions (uniform noise around k grid centres) with labels 0..k-1 mostly matching. */
function points(n: number, d: number, k: number, seed: number) {
  const random = mulberry32(hashString("silhouette test", seed));
  const matrix = new Float64Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; ++i) {
    const c = Math.floor(random() * k);
    labels[i] = random() < 0.9 ? c : (c + 1) % k;
    for (let f = 0; f < d; ++f) matrix[i * d + f] = c * (f % 2 ? 1 : -1) * 2 + random() * 3;
  }
  return { matrix, labels };
}

/** The textbook definition, every distance computed twice, as an independent check. */
function textbook(matrix: Float64Array, n: number, d: number, labels: Int32Array, k: number): number {
  const sizes = new Float64Array(k);
  for (const l of labels) sizes[l]! += 1;
  let total = 0;
  for (let i = 0; i < n; ++i) {
    const sums = new Float64Array(k);
    for (let j = 0; j < n; ++j) {
      if (j === i) continue;
      let s = 0;
      for (let f = 0; f < d; ++f) s += (matrix[i * d + f]! - matrix[j * d + f]!) ** 2;
      sums[labels[j]!]! += Math.sqrt(s);
    }
    const own = labels[i]!;
    if (sizes[own]! <= 1) continue;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; ++c) if (c !== own) b = Math.min(b, sums[c]! / sizes[c]!);
    total += (b - a) / Math.max(a, b);
  }
  return total / n;
}

/** A runner that finishes jobs in reverse order of submission, as a busy pool might. */
function reversingRunner(): KernelRunner & { jobs: number } {
  const runner = {
    jobs: 0,
    parallelism: 3,
    async run(name: string, ...args: unknown[]) {
      const index = ++runner.jobs;
      await new Promise((resolve) => setTimeout(resolve, 50 - index * 5));
      return (inProcessKernels.run as (name: string, ...args: unknown[]) => Promise<unknown>)(name, ...args);
    },
  };
  return runner as KernelRunner & { jobs: number };
}

describe("silhouetteRanges", () => {
  it.each([2, 3, 17, 4095, 4096, 10_001, 100_000])("covers 0..%i once, with even inner bounds", (n) => {
    const ranges = silhouetteRanges(n);
    expect(ranges).toHaveLength(silhouettePartCount(n));
    expect(ranges[0]![0]).toBe(0);
    expect(ranges[ranges.length - 1]![1]).toBe(n);
    for (let p = 1; p < ranges.length; ++p) {
      expect(ranges[p]![0]).toBe(ranges[p - 1]![1]);
      expect(ranges[p]![0] % 2).toBe(0);
    }
    if (n >= 4096) {
      // About equal numbers of pairs per part (each part within 2% of its share).
      const pairs = ranges.map(([from, to]) => ((to - from) * (2 * n - from - to - 1)) / 2);
      const share = (n * (n - 1)) / 2 / ranges.length;
      for (const count of pairs) expect(Math.abs(count / share - 1)).toBeLessThan(0.02);
    }
  });
});

describe("silhouettePartKernel", () => {
  it.each([1, 2, 3, 8, 13, 70])("generated and generic pair loops give the same bits, d = %i", (d) => {
    const n = 301; // odd: the last row has no partner
    const { matrix, labels } = points(n, d, 4, d);
    const cluster = orderByCluster(matrix, n, d, labels, 4);
    for (const [from, to] of silhouetteRanges(n, 3)) {
      const fast = silhouettePartKernel(cluster.matrix, n, d, cluster.labels, cluster.starts, from, to);
      const generic = silhouettePartKernel(cluster.matrix, n, d, cluster.labels, cluster.starts, from, to, false);
      expect(fast).toEqual(generic);
    }
  });

  it("parts add up to the distance sums of every pair, counted once each way", () => {
    const n = 50;
    const d = 3;
    const { matrix, labels } = points(n, d, 3, 1);
    const cluster = orderByCluster(matrix, n, d, labels, 3);
    const parts = silhouetteRanges(n, 4).map(([from, to]) =>
      silhouettePartKernel(cluster.matrix, n, d, cluster.labels, cluster.starts, from, to),
    );
    const samples = silhouetteFromSums(parts, cluster);
    expect(Math.abs(samples.reduce((a, b) => a + b, 0) / n - textbook(matrix, n, d, labels, 3))).toBeLessThan(1e-13);
  });
});

describe("silhouetteSamplesOn / silhouetteScoreOn", () => {
  const n = 5000; // above the split threshold: 8 parts
  const d = 5;
  const { matrix, labels } = points(n, d, 6, 2);

  it("gives the in-process kernel's bits on a runner whose parts finish out of order", async () => {
    const runner = reversingRunner();
    const pooled = await silhouetteSamplesOn(runner, matrix, n, d, labels);
    expect(runner.jobs).toBe(silhouettePartCount(n));
    expect(pooled).toEqual(silhouetteSamplesKernel(matrix, n, d, labels));
    expect(await silhouetteScoreOn(runner, matrix, n, d, labels, n, 0)).toBe(silhouetteKernel(matrix, n, d, labels));
  });

  it("equals the textbook double loop to rounding", () => {
    const { k } = encodeLabels(labels);
    expect(Math.abs(silhouetteKernel(matrix, n, d, labels) - textbook(matrix, n, d, labels, k))).toBeLessThan(1e-12);
  });

  it("seg.silhouetteScore runs on the context's kernel runner and checks its input", async () => {
    const runner = reversingRunner();
    const seg = createSeg({ db: undefined as never, seed: 1, kernels: runner } satisfies SegContext);
    expect(await seg.silhouetteScore({ matrix, n, d }, { labels })).toBe(silhouetteKernel(matrix, n, d, labels));
    expect(runner.jobs).toBe(8);
    await expect(seg.silhouetteScore({ matrix, n, d }, { labels: labels.slice(1) })).rejects.toThrow(
      /4999 labels for 5000 points/,
    );
    await expect(seg.silhouetteScore({ matrix, n, d }, { labels, sampleSize: 1 })).rejects.toThrow(/sampleSize/);
  });
});
