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
import { adjustedRandIndex } from "../../src/seg/metrics.ts";
import { bestJaccard } from "../../src/seg/stability-kernel.ts";
import { stability, stabilityReading } from "../../src/seg/stability.ts";
import { segContext } from "../helpers/datasets.ts";

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
    const result = await stability(ctx, data, { cluster: { k: 3, nInit: 50 }, samples: expected.samples });
    expect(adjustedRandIndex(result.labels, expected.labels)).toBe(1);
    // Our cluster c is sklearn's cluster ref[c] (same partition, other numbering).
    const ref = Array.from({ length: 3 }, (_, c) => expected.labels[result.labels.indexOf(c)]!);
    expect(result.bootstrap).toBe(expected.samples.length);
    result.jaccard.forEach((row, r) => {
      row.forEach((value, c) => {
        const want = expected.jaccard[r]![ref[c]!];
        if (want === null || want === undefined) expect(value).toBeNaN();
        else expect(Math.abs(value - want), `replicate ${r}, cluster ${c}`).toBeLessThan(1e-12);
      });
    });
    result.clusters.forEach((c) => expect(c.meanJaccard).toBeCloseTo(expected.mean_jaccard[ref[c.cluster]!]!, 12));
    expect(Math.min(...result.clusters.map((c) => c.meanJaccard))).toBeLessThan(0.95); // not a trivial case
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
    const options = { cluster: { k: 3, nInit: 3 }, bootstrap: 12, seed: 5 };
    const a = await stability(ctx, data, options);
    const b = await stability(ctx, data, options);
    const c = await stability(ctx, data, { ...options, seed: 6 });
    expect(b.jaccard).toEqual(a.jaccard);
    expect(await b.rows()).toEqual(await a.rows());
    expect(c.jaccard).not.toEqual(a.jaccard);
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
      {
        cluster: { k: 4, nInit: 3 },
        bootstrap: 20,
      },
    );
    for (const c of separated.clusters) {
      expect(c.meanJaccard).toBe(1);
      expect([c.reading, c.recovered, c.dissolved, c.replicates]).toEqual(["highly stable", 20, 0, 20]);
    }
    const noise = await stability(ctx, blobs([[0, 0]], 150, 1, 2), { cluster: { k: 5, nInit: 3 }, bootstrap: 20 });
    const mean = noise.clusters.reduce((s, c) => s + c.meanJaccard, 0) / 5;
    expect(mean).toBeLessThan(0.85);
    expect(noise.clusters.some((c) => c.reading !== "highly stable")).toBe(true);
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
    const result = await stability(ctx, "pts", { features: ["x", "y"], cluster: { k: 2 }, bootstrap: 5 });
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
    [{}, /pass \{cluster: \{k: 5\}\}/],
    [{ cluster: { k: 0 } }, /cluster.k must be an integer >= 1/],
    [{ cluster: { k: 2 } }, /pass \{features/],
    [{ cluster: { k: 2 }, features: ["x"], bootstrap: 0 }, /bootstrap must be an integer >= 1/],
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
    await expect(stability(ctx, data, { cluster: { k: 2 }, samples: [[0, 1, 10]] })).rejects.toThrow(/samples\[0\]/);
  });
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
