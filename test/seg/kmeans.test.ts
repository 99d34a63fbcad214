/**
 * seg.kmeans and its kernel against scikit-learn 1.2 KMeans (test/reference/cluster_reference.py):
 * started from sklearn's own k-means++ centres our Lloyd iterations find the same partition, inertia
 * and iteration count; our own k-means++ restarts (with Hartigan's refinement) are never worse than
 * sklearn's best-of-10 inertia. Data: Mall
 * Customers (raw units) and Wholesale (log1p + StandardScaler), in the real engine.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { featureMatrix, type FeatureMatrix } from "../../src/seg/features.ts";
import { kmeansKernel, kmeansPlusPlus, runStream } from "../../src/seg/kmeans-kernel.ts";
import { assign } from "../../src/seg/assign.ts";
import { kmeans } from "../../src/seg/kmeans.ts";
import { adjustedRandKernel } from "../../src/seg/metrics-kernel.ts";
import { openDatasets, segContext } from "../helpers/datasets.ts";
import { clustersOf } from "./helpers/cluster-labels.ts";

interface Run {
  k: number;
  initCentres: number[][];
  labels: number[];
  inertia: number;
  nIter: number;
  centres: number[][];
  bestOf10Inertia: number;
  bestOf10InertiaByRandomState: number[];
}
interface Reference {
  features: string[];
  ids: number[];
  runs: Run[];
}
const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../reference/expected/${name}`, import.meta.url), "utf8")) as Reference;
const mallRef = read("cluster-mall.json");
const wholesaleRef = read("cluster-wholesale.json");
const MALL = { features: mallRef.features, id: "CustomerID" };
const WHOLESALE = { features: wholesaleRef.features, id: "CustomerID", transform: ["log1p", "standardize"] as const };

let engine: Engine;
let ctx: SegContext;
let wholesaleMatrix: FeatureMatrix;
let mallMatrix: FeatureMatrix;

beforeAll(async () => {
  engine = await openDatasets(["wholesale", "mall"]);
  ctx = segContext(engine);
  wholesaleMatrix = await featureMatrix(ctx, "wholesale", WHOLESALE);
  mallMatrix = await featureMatrix(ctx, "mall", MALL);
});

afterAll(async () => {
  await engine?.close();
});

const relative = (a: number, b: number) => Math.abs(a / b - 1);

describe("kmeans(ctx, table, {init: sklearn's k-means++ centres})", () => {
  for (const [name, table, ref, options] of [
    ["Mall Customers", "mall", mallRef, MALL],
    ["Wholesale", "wholesale", wholesaleRef, WHOLESALE],
  ] as const) {
    it.each(ref.runs.map((run) => [run.k, run] as const))(
      `kmeans on ${name}, k = %i, finds sklearn's partition, inertia and iteration count`,
      async (k, run) => {
        const result = await kmeans(ctx, table, {
          ...options,
          k,
          init: run.initCentres,
          nInit: 10,
        });
        expect(result.info.nInit).toBe(1);
        expect(adjustedRandKernel(await clustersOf(result), run.labels)).toBe(1);
        expect(relative(result.info.inertia, run.inertia)).toBeLessThanOrEqual(1e-6);
        expect(result.info.iterations).toBe(run.nIter);
        // Same init order, same partition: the centres line up cluster by cluster.
        result.info.centroids.transformed.forEach((centre, c) =>
          centre.forEach((v, f) => expect(v).toBeCloseTo(run.centres[c]![f]!, 9)),
        );
      },
    );
  }
});

describe("kmeans with its own k-means++ (nInit = 10)", () => {
  // Issue #4's acceptance line, literally: with its own k-means++ and nInit = 10 (the notebook seed,
  // 42) its inertia is never worse than scikit-learn's best of 10 inits (random_state=0) by more
  // than 1e-6 relative. Lloyd alone missed it on Wholesale (k = 3 by 2.7e-6, k = 6 by 9e-4);
  // Hartigan's transfers after Lloyd reach a better local optimum.
  for (const [name, table, ref, options] of [
    ["Mall Customers", "mall", mallRef, MALL],
    ["Wholesale", "wholesale", wholesaleRef, WHOLESALE],
  ] as const) {
    it.each(ref.runs.map((run) => [run.k, run] as const))(
      `kmeans(${table}, {k: %i}) on ${name} with the notebook seed is never worse than sklearn's best of 10`,
      async (k, run) => {
        const result = await kmeans(ctx, table, { ...options, k });
        expect([result.info.nInit, result.info.seed, result.info.refine]).toEqual([10, 42, "hartigan"]);
        expect(result.info.inertia / run.bestOf10Inertia - 1).toBeLessThanOrEqual(1e-6);
        const lloydOnly = await kmeans(ctx, table, { ...options, k, refine: "none" });
        expect(result.info.inertia).toBeLessThanOrEqual(lloydOnly.info.inertia);
      },
    );
  }

  // Best-of-10 is itself random where local optima are close (Wholesale, Mall with k = 6): sklearn's
  // own random_state 0..29 reach the median of their best-of-10 inertias half the time, by definition.
  // Ours over seeds 1..20 reach that median every time on Mall and on Wholesale k = 3, 4; 18 of 20
  // times at k = 5 and 16 of 20 at k = 6 (Lloyd alone, refine: "none": 10 of 20 on Mall k = 6 and 11
  // to 13 on Wholesale). Asserted: at least half the time, and the best over the seeds reaches
  // sklearn's random_state=0 result.
  for (const [name, ref, get] of [
    ["Mall Customers", mallRef, () => mallMatrix],
    ["Wholesale", wholesaleRef, () => wholesaleMatrix],
  ] as const) {
    it.each(ref.runs.map((run) => [run.k, run] as const))(
      `kmeansKernel on ${name}, k = %i, over seeds 1..20 reaches sklearn's median best-of-10 at least half the time`,
      (k, run) => {
        const { matrix, n, d } = get();
        const inertias = Array.from(
          { length: 20 },
          (_, i) => kmeansKernel(matrix, n, d, { k, nInit: 10, maxIter: 300, tol: 1e-4, seed: i + 1 }).inertia,
        );
        const sorted = [...run.bestOf10InertiaByRandomState].sort((a, b) => a - b);
        const median = (sorted[14]! + sorted[15]!) / 2;
        const reached = inertias.filter((v) => v / median - 1 <= 1e-6).length;
        expect(reached).toBeGreaterThanOrEqual(10);
        expect(Math.min(...inertias) / run.bestOf10Inertia - 1).toBeLessThanOrEqual(1e-6);
      },
    );
  }

  it("kmeans with the same seed gives identical labels; other seeds can differ", async () => {
    const a = await kmeans(ctx, "wholesale", { ...WHOLESALE, k: 6 });
    const b = await kmeans(ctx, "wholesale", { ...WHOLESALE, k: 6, seed: 42 });
    expect(a.info.seed).toBe(42);
    expect(await clustersOf(b)).toEqual(await clustersOf(a));
    expect(await b.rows()).toEqual(await a.rows());
    const others = [1, 2, 3].map(
      (seed) => kmeansKernel(wholesaleMatrix.matrix, 440, 6, { k: 6, nInit: 1, maxIter: 300, tol: 1e-4, seed }).inertia,
    );
    expect(new Set(others).size).toBeGreaterThan(1);
  });

  it("kmeansPlusPlus picks k distinct points, reproducibly per stream", () => {
    const { matrix, n, d } = wholesaleMatrix;
    const a = kmeansPlusPlus(matrix, n, d, 6, runStream(42, 0));
    expect(new Set(a).size).toBe(6);
    expect(Array.from(kmeansPlusPlus(matrix, n, d, 6, runStream(42, 0)))).toEqual(Array.from(a));
    expect(Array.from(kmeansPlusPlus(matrix, n, d, 6, runStream(42, 1)))).not.toEqual(Array.from(a));
  });
});

describe("kmeans results", () => {
  it("kmeans(...) is the labels table (id, cluster INTEGER) that joins back to every row", async () => {
    const result = await kmeans(ctx, "mall", { ...MALL, k: 5 });
    expect(result.columns).toEqual([
      { name: "CustomerID", type: "BIGINT" },
      { name: "cluster", type: "INTEGER" },
    ]);
    const joined = await ctx.db.query(
      `SELECT count(*) AS n, count(DISTINCT cluster) AS k, min(cluster) AS lo, max(cluster) AS hi FROM mall JOIN "${result.name}" USING ("CustomerID")`,
    );
    expect(await joined.rows()).toEqual([{ n: 200, k: 5, lo: 0, hi: 4 }]);
    const rows = await result.rows();
    expect(rows.map((r) => r.CustomerID)).toEqual(mallRef.ids);
    expect(rows.map((r) => r.cluster)).toEqual(await clustersOf(result));
    expect(result.info.sizes.reduce((a, b) => a + b)).toBe(200);
  });

  it("kmeans centroids in original units undo the transforms (expm1 of the mean log1p, per cluster in SQL)", async () => {
    const result = await kmeans(ctx, "wholesale", { ...WHOLESALE, k: 4 });
    const features = wholesaleRef.features;
    const means = await ctx.db.query(
      `SELECT cluster, ${features.map((f, j) => `exp(avg(ln(1 + "${f}"))) - 1 AS f${j}`).join(", ")}
       FROM wholesale JOIN "${result.name}" USING ("CustomerID") GROUP BY cluster ORDER BY cluster`,
    );
    const rows = await means.rows();
    rows.forEach((row) =>
      features.forEach((_, j) =>
        expect(
          relative(result.info.centroids.original[row.cluster as number]![j]!, row[`f${j}`] as number),
        ).toBeLessThan(1e-9),
      ),
    );
  });

  it("kmeans(...).model survives JSON and seg.assign gives the same labels on the same data", async () => {
    const result = await kmeans(ctx, "wholesale", { ...WHOLESALE, k: 5 });
    const model = JSON.parse(JSON.stringify(result.model)) as { parameters: object };
    expect(Object.keys(model).sort()).toEqual(["features", "id", "k", "method", "parameters"]);
    expect(Object.keys(model.parameters).sort()).toEqual(["centroids", "scaler"]);
    const again = await assign(ctx, "wholesale", { model: model as never });
    expect(await again.rows()).toEqual(await result.rows());
    const viaMethod = await result.model.assign("wholesale");
    expect(await viaMethod.rows()).toEqual(await result.rows());
  });

  it("kmeans({missing: 'drop'}) clusters the complete rows and labels only them", async () => {
    await engine.exec(
      `CREATE OR REPLACE TABLE mall_gaps AS SELECT CustomerID, CASE WHEN CustomerID % 50 = 0 THEN NULL ELSE "Annual Income (k$)" END AS income, "Spending Score (1-100)" AS score FROM mall`,
    );
    const result = await kmeans(ctx, "mall_gaps", {
      features: ["income", "score"],
      id: "CustomerID",
      k: 5,
      missing: "drop",
    });
    expect([result.info.n, result.info.dropped, result.numRows]).toEqual([196, 4, 196]);
  });

  it.each([
    [{ ...MALL, k: 0 }, /seg.kmeans: k must be an integer >= 1, got 0/],
    [{ ...MALL, k: 2.5 }, /k must be an integer >= 1, got 2.5/],
    [{ ...MALL, k: 3, nInit: 0 }, /nInit must be an integer >= 1/],
    [
      { ...MALL, features: ["Income"], k: 3 },
      /unknown column "Income" in table "mall"; its columns are CustomerID, Gender/,
    ],
    [{ ...MALL, k: 3, init: [[1, 2]] }, /init must be "k-means\+\+" or 3 centres of 2 numbers each/],
    [{ ...MALL, k: 3, id: "cluster" }, /id column cannot be named "cluster"/],
    [{ ...MALL, k: 3, refine: "lloyd" }, /refine must be "hartigan" or "none", got "lloyd"/],
  ] as const)("kmeans(mall, %j) fails with a clear message", async (options, message) => {
    await expect(kmeans(ctx, "mall", options as never)).rejects.toThrow(message);
  });

  it("kmeans fails when k exceeds the distinct points, on an empty table, and on a constant feature", async () => {
    const few = await ctx.db.query(`SELECT CustomerID, CustomerID % 3 AS x, 1 + CustomerID % 3 AS y FROM mall`);
    await expect(kmeans(ctx, few, { features: ["x", "y"], k: 4 })).rejects.toThrow(
      /k = 4 is more than the 3 distinct points in the data; use k <= 3/,
    );
    const empty = await ctx.db.query(`SELECT * FROM mall WHERE false`);
    await expect(kmeans(ctx, empty, { ...MALL, k: 2 })).rejects.toThrow(/seg.kmeans: table ".*" has no rows/);
    const flat = await ctx.db.query(`SELECT CustomerID, 5 AS x, Age FROM mall`);
    await expect(kmeans(ctx, flat, { features: ["x", "Age"], k: 2 })).rejects.toThrow(/feature "x" is constant/);
    await expect(kmeans(ctx, "nowhere", { features: ["x"], k: 2 })).rejects.toThrow(/no table named "nowhere"/);
  });
});
