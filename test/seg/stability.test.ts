/**
 * seg.stability (clusterboot): the same Jaccard values as a numpy/scikit-learn re-implementation on
 * the same bootstrap samples (test/reference/stability_reference.py -> expected/stability_blobs.json),
 * determinism by seed, and the expected readings on separated blobs and on uniform noise.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { mulberry32 } from "../../src/random/index.ts";
import type { SegContext } from "../../src/seg/context.ts";
import type { ClusterMethod } from "../../src/seg/contract.ts";
import { inProcessKernels } from "../../src/seg/kernel-runner.ts";
import { runKmeansRestarts } from "../../src/seg/kmeans-restarts.ts";
import { adjustedRandIndex } from "../../src/seg/metrics.ts";
import { bestJaccard } from "../../src/seg/stability-kernel.ts";
import { stability, stabilityReading } from "../../src/seg/stability.ts";
import { DATASETS, segContext } from "../helpers/datasets.ts";
import { expectSegTable } from "./helpers/contract.ts";

/** The per-cluster rows of a stability result, camelCase like ClusterStability. */
async function clustersOf(result: Awaited<ReturnType<typeof stability>>) {
  return (await result.rows()).map((row) => ({
    cluster: row.cluster as number,
    meanJaccard: row.mean_jaccard as number,
    dissolved: row.dissolved as number,
    recovered: row.recovered as number,
    replicates: row.replicates as number,
    reading: row.reading as string,
  }));
}

const expected = JSON.parse(
  readFileSync(new URL("../reference/expected/stability_blobs.json", import.meta.url), "utf8"),
) as { data: number[][]; samples: number[][]; labels: number[]; jaccard: (number | null)[][]; mean_jaccard: number[] };

let engine: Engine;
let ctx: SegContext;

beforeAll(async () => {
  engine = await createNodeEngine();
  ctx = segContext(engine);
});

afterAll(async () => {
  await engine?.close();
});

/** Points around `centres` (uniform jitter of +-spread), row-major. */
function blobs(centres: number[][], perBlob: number, spread: number, seed: number) {
  const random = mulberry32(seed);
  const rows = centres.flatMap((c) =>
    Array.from({ length: perBlob }, () => c.map((v) => v + (random() * 2 - 1) * spread)),
  );
  return { matrix: Float64Array.from(rows.flat()), n: rows.length, d: centres[0]!.length };
}

describe("seg.stability", () => {
  it("gives the reference implementation's Jaccard values on the same bootstrap samples", async () => {
    const data = { matrix: Float64Array.from(expected.data.flat()), n: expected.data.length, d: 2 };
    const result = await stability(ctx, data, { k: 3, nInit: 50, samples: expected.samples });
    // The clustering of the full data that stability bootstraps: the same k-means, settings and seed.
    const { labels } = await runKmeansRestarts(inProcessKernels, data.matrix, data.n, data.d, {
      k: 3,
      nInit: 50,
      maxIter: 300,
      tol: 1e-4,
      seed: ctx.seed,
    });
    expect(adjustedRandIndex(labels, expected.labels)).toBe(1);
    // Our cluster c is sklearn's cluster ref[c] (same partition, other numbering).
    const ref = Array.from({ length: 3 }, (_, c) => expected.labels[labels.indexOf(c)]!);
    expect(result.info.bootstrap).toBe(expected.samples.length);
    result.info.jaccard.forEach((row, r) => {
      row.forEach((value, c) => {
        const want = expected.jaccard[r]![ref[c]!];
        if (want === null || want === undefined) expect(value).toBeNull();
        else expect(Math.abs(value! - want), `replicate ${r}, cluster ${c}`).toBeLessThan(1e-12);
      });
    });
    const clusters = await clustersOf(result);
    clusters.forEach((c) => expect(c.meanJaccard).toBeCloseTo(expected.mean_jaccard[ref[c.cluster]!]!, 12));
    expect(Math.min(...clusters.map((c) => c.meanJaccard))).toBeLessThan(0.95); // not a trivial case
  });

  it("is determined by the seed", async () => {
    const data = blobs(
      [
        [0, 0],
        [1, 1],
        [0, 2],
      ],
      30,
      0.9,
      3,
    );
    const options = { k: 3, nInit: 3, bootstrap: 12, seed: 5 };
    const a = await stability(ctx, data, options);
    const b = await stability(ctx, data, options);
    const c = await stability(ctx, data, { ...options, seed: 6 });
    expect(b.info.jaccard).toEqual(a.info.jaccard);
    expect(await b.rows()).toEqual(await a.rows());
    expect(c.info.jaccard).not.toEqual(a.info.jaccard);
  });

  it("finds separated blobs highly stable and clusters in uniform noise much less so", async () => {
    const separated = await stability(
      ctx,
      blobs(
        [
          [0, 0],
          [10, 0],
          [0, 10],
          [10, 10],
        ],
        25,
        1,
        1,
      ),
      { k: 4, nInit: 3, bootstrap: 20 },
    );
    for (const c of await clustersOf(separated)) {
      expect(c.meanJaccard).toBe(1);
      expect([c.reading, c.recovered, c.dissolved, c.replicates]).toEqual(["highly stable", 20, 0, 20]);
    }
    const noise = await clustersOf(await stability(ctx, blobs([[0, 0]], 150, 1, 2), { k: 5, nInit: 3, bootstrap: 20 }));
    const mean = noise.reduce((s, c) => s + c.meanJaccard, 0) / 5;
    expect(mean).toBeLessThan(0.85);
    expect(noise.some((c) => c.reading !== "highly stable")).toBe(true);
  });

  it("clusters a table's features and returns the per-cluster table", async () => {
    const data = blobs(
      [
        [0, 0],
        [10, 0],
      ],
      10,
      1,
      4,
    );
    const values = Array.from({ length: data.n }, (_, i) => `(${i}, ${data.matrix[2 * i]}, ${data.matrix[2 * i + 1]})`);
    await engine.exec(`CREATE TABLE pts AS SELECT * FROM (VALUES ${values.join(", ")}) AS t(id, x, y)`);
    const result = await stability(ctx, "pts", { features: ["x", "y"], k: 2, bootstrap: 5 });
    expect(result.columns.map((c) => c.name)).toEqual([
      "cluster",
      "size",
      "mean_jaccard",
      "dissolved",
      "recovered",
      "replicates",
      "reading",
    ]);
    expect(await result.rows()).toEqual([
      { cluster: 0, size: 10, mean_jaccard: 1, dissolved: 0, recovered: 5, replicates: 5, reading: "highly stable" },
      { cluster: 1, size: 10, mean_jaccard: 1, dissolved: 0, recovered: 5, replicates: 5, reading: "highly stable" },
    ]);
  });

  it.each([
    [
      { cluster: { k: 2 } },
      /options of their own: \{method, k, features, nInit, \.\.\.\} \(was \{cluster: \{k, \.\.\.\}\}\)/,
    ],
    [{}, /k must be an integer >= 1/],
    [{ k: 0 }, /k must be an integer >= 1/],
    [{ k: 2 }, /pass \{features/],
    [{ k: 2, method: "hclust", features: ["x"] }, /method must be "kmeans", "gmm", "kprototypes"/],
    [{ k: 2, features: ["x"], bootstrap: 0 }, /bootstrap must be an integer >= 1/],
  ])("seg.stability rejects %j", async (options, message) => {
    await expect(stability(ctx, "pts", options as never)).rejects.toThrow(message);
  });

  it("rejects samples with out-of-range indices", async () => {
    const data = blobs(
      [
        [0, 0],
        [5, 5],
      ],
      5,
      1,
      1,
    );
    await expect(stability(ctx, data, { k: 2, samples: [[0, 1, 10]] })).rejects.toThrow(/samples\[0\]/);
  });
});

describe("seg.stability with every method", () => {
  beforeAll(async () => {
    const path = new URL(`../../${DATASETS.mall}`, import.meta.url).pathname;
    await engine.loadFile("mall", { kind: "path", path });
  });

  it.each([
    ["kmeans", {}],
    ["gmm", {}],
    ["kprototypes", { categorical: ["Gender"] }],
  ] as [ClusterMethod, object][])(
    "stability(mall, {method: %s, k: 4}) gives one row per cluster with Jaccard values in [0, 1]",
    async (method, extra) => {
      const options = {
        method,
        features: ["Annual Income (k$)", "Spending Score (1-100)"],
        transform: "standardize" as const,
        k: 4,
        nInit: 2,
        bootstrap: 10,
        seed: 3,
        ...extra,
      };
      const result = await stability(ctx, "mall", options);
      expectSegTable(result, `stability ${method}`);
      expect(result.info).toMatchObject({ method, k: 4, bootstrap: 10, seed: 3, n: 200, dropped: 0 });
      const rows = await clustersOf(result);
      expect(rows.map((row) => row.cluster)).toEqual([0, 1, 2, 3]);
      expect((await result.rows()).reduce((sum, row) => sum + Number(row.size), 0)).toBe(200);
      for (const row of rows) {
        expect(row.meanJaccard).toBeGreaterThanOrEqual(0);
        expect(row.meanJaccard).toBeLessThanOrEqual(1);
        expect(row.replicates).toBeLessThanOrEqual(10);
        expect(row.dissolved + row.recovered).toBeLessThanOrEqual(row.replicates);
      }
      expect(result.info.jaccard.length).toBe(10);
      for (const replicate of result.info.jaccard) {
        expect(replicate.length).toBe(4);
        for (const value of replicate) if (value !== null) expect(value >= 0 && value <= 1).toBe(true);
      }
      // Mall's income x spending clusters are well separated: on average they come back.
      expect(rows.reduce((sum, row) => sum + row.meanJaccard, 0) / 4).toBeGreaterThan(0.5);
      // Determined by the seed.
      expect((await stability(ctx, "mall", options)).info.jaccard).toEqual(result.info.jaccard);
    },
  );
});

describe("bestJaccard", () => {
  it("counts each drawn point once and leaves undrawn clusters NaN", () => {
    // Original clusters: 0 = {0,1,2}, 1 = {3,4}, 2 = {5}. Sample draws 0,0,1,3,4,4 (2 and 5 not drawn).
    const labels = Int32Array.from([0, 0, 0, 1, 1, 2]);
    const sample = Int32Array.from([0, 0, 1, 3, 4, 4]);
    const boot = Int32Array.from([1, 1, 0, 0, 0, 0]); // bootstrap clusters: {0} and {1,3,4}
    const got = Array.from(bestJaccard(labels, 3, sample, boot, 2));
    expect(got[0]).toBeCloseTo(1 / 2); // {0,1} vs {0} = 1/2, vs {1,3,4} = 1/4
    expect(got[1]).toBeCloseTo(2 / 3); // {3,4} vs {1,3,4}
    expect(got[2]).toBeNaN();
  });
});

describe("stabilityReading", () => {
  it.each([
    [0.59, "do not trust"],
    [0.6, "pattern, not cluster"],
    [0.749, "pattern, not cluster"],
    [0.75, "stable"],
    [0.85, "highly stable"],
    [NaN, "do not trust"],
  ])("stabilityReading(%d) is %s", (value, reading) => {
    expect(stabilityReading(value)).toBe(reading);
  });
});
