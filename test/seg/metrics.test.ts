/**
 * Cluster-quality scores against scikit-learn 1.2 (test/reference/cluster_reference.py): silhouette,
 * Calinski-Harabasz and Davies-Bouldin of sklearn's own k-means labels on Mall Customers and
 * Wholesale (log1p + StandardScaler), and adjusted_rand_score on the examples of sklearn's docs.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { featureMatrix, type FeatureMatrix } from "../../src/seg/features.ts";
import {
  silhouetteKernel,
  silhouetteSampleKernel,
  silhouetteSamplesKernel,
  sampleIndices,
} from "../../src/seg/metrics-kernel.ts";
import { adjustedRandIndex, calinskiHarabasz, daviesBouldin, silhouetteScore } from "../../src/seg/metrics.ts";
import { openDatasets, segContext } from "../helpers/datasets.ts";

interface Run {
  k: number;
  labels: number[];
  silhouette: number;
  calinskiHarabasz: number;
  daviesBouldin: number;
}
const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../reference/expected/${name}`, import.meta.url), "utf8")) as {
    runs: Run[];
    cases: { a: unknown[]; b: unknown[]; ari: number }[];
  };
const mallRef = read("cluster-mall.json");
const wholesaleRef = read("cluster-wholesale.json");
const ariRef = read("cluster-ari.json");

let engine: Engine;
let mall: FeatureMatrix;
let wholesale: FeatureMatrix;

beforeAll(async () => {
  engine = await openDatasets(["wholesale", "mall"]);
  const ctx: SegContext = segContext(engine);
  mall = await featureMatrix(ctx, "mall", { features: ["Annual Income (k$)", "Spending Score (1-100)"] });
  wholesale = await featureMatrix(ctx, "wholesale", {
    features: ["Fresh", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen"],
    transform: ["log1p", "standardize"],
  });
});

afterAll(async () => {
  await engine?.close();
});

const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9);

describe("silhouetteScore / calinskiHarabasz / daviesBouldin on sklearn's labels", () => {
  for (const [name, ref, get] of [
    ["Mall Customers (raw units)", mallRef, () => mall],
    ["Wholesale (log1p + standardize)", wholesaleRef, () => wholesale],
  ] as const) {
    it.each(ref.runs.map((run) => [run.k, run] as const))(`scores equal sklearn's on ${name}, k = %i`, (_, run) => {
      const { matrix, n, d } = get();
      close(silhouetteScore(matrix, n, d, run.labels), run.silhouette);
      close(calinskiHarabasz(matrix, n, d, run.labels) / run.calinskiHarabasz, 1);
      close(daviesBouldin(matrix, n, d, run.labels), run.daviesBouldin);
    });
  }
});

describe("silhouette kernels", () => {
  it("silhouetteSamplesKernel gives 0 to a point alone in its cluster and matches a hand computation", () => {
    // Points on a line: 0, 1 | 10 | 20, 22.
    const matrix = Float64Array.from([0, 1, 10, 20, 22]);
    const samples = silhouetteSamplesKernel(matrix, 5, 1, ["a", "a", "b", "c", "c"]);
    expect(samples[2]).toBe(0);
    // Point 0: a = 1, b = mean distance to "b" = 10 -> (10 - 1) / 10.
    expect(samples[0]).toBeCloseTo(0.9, 15);
    // Point 3 (20): a = 2, b = 10 (to "b") -> 0.8.
    expect(samples[3]).toBeCloseTo(0.8, 15);
  });

  it("silhouetteScore with sampleSize >= n is exact; smaller samples are seeded and near the exact score", () => {
    const { matrix, n, d } = wholesale;
    const labels = wholesaleRef.runs[0]!.labels;
    const exact = silhouetteKernel(matrix, n, d, labels);
    expect(silhouetteScore(matrix, n, d, labels, { sampleSize: n })).toBe(exact);
    const a = silhouetteScore(matrix, n, d, labels, { sampleSize: 300, seed: 7 });
    expect(silhouetteScore(matrix, n, d, labels, { sampleSize: 300, seed: 7 })).toBe(a);
    expect(silhouetteSampleKernel(matrix, n, d, labels, 300, 8)).not.toBe(a);
    expect(Math.abs(a - exact)).toBeLessThan(0.05);
    const picked = sampleIndices(n, 300, 7);
    expect(new Set(picked).size).toBe(300);
    expect(Math.max(...picked)).toBeLessThan(n);
  });

  it.each([
    [[0, 0, 0, 0], /number of labels is 1 for 4 points; valid values are 2 to n - 1/],
    [[0, 1, 2, 3], /number of labels is 4 for 4 points/],
  ])("silhouetteScore(labels %j) fails like sklearn", (labels, message) => {
    expect(() => silhouetteScore([0, 1, 2, 3], 4, 1, labels)).toThrow(message);
    expect(() => calinskiHarabasz([0, 1, 2, 3], 4, 1, labels)).toThrow(message);
    expect(() => daviesBouldin([0, 1, 2, 3], 4, 1, labels)).toThrow(message);
  });

  it("silhouetteScore checks the shape of its input", () => {
    expect(() => silhouetteScore([0, 1, 2], 2, 2, [0, 1])).toThrow(/matrix has 3 values, expected n \* d = 4/);
    expect(() => silhouetteScore([0, 1, 2, 3], 2, 2, [0])).toThrow(/1 labels for 2 points/);
    expect(() => calinskiHarabasz([0, NaN, 2, 3], 4, 1, [0, 0, 1, 1])).toThrow(/NaN or infinite/);
  });
});

describe("adjustedRandIndex(a, b)", () => {
  it.each(ariRef.cases.map((c) => [c.a.length > 12 ? `${c.a.length} random labels` : JSON.stringify(c.a), c] as const))(
    "adjustedRandIndex(%s, …) equals sklearn's adjusted_rand_score",
    (_, c) => {
      expect(Math.abs(adjustedRandIndex(c.a, c.b) - c.ari)).toBeLessThanOrEqual(1e-12);
    },
  );

  it("adjustedRandIndex fails for labelings of different lengths", () => {
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow(/different lengths \(2 and 1\)/);
  });
});
