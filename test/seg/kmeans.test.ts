/**
 * seg.kmeans and its kernel against scikit-learn 1.2 KMeans (test/reference/cluster_reference.py):
 * started from sklearn's own k-means++ centres our Lloyd iterations find the same partition, inertia
 * and iteration count; our own k-means++ restarts reach sklearn's best-of-10 inertia. Data: Mall
 * Customers (raw units) and Wholesale (log1p + StandardScaler), in the real engine.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { featureMatrix, type FeatureMatrix } from "../../src/seg/features.ts";
import { kmeansKernel, kmeansPlusPlus, runStream } from "../../src/seg/kmeans-kernel.ts";
import { assignClusters, kmeans, type KmeansModel } from "../../src/seg/kmeans.ts";
import { adjustedRandKernel } from "../../src/seg/metrics-kernel.ts";
import { openDatasets, segContext } from "../helpers/datasets.ts";

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
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const variance = (values: readonly number[]) =>
  values.reduce((sum, v) => sum + (v - mean(values)) ** 2, 0) / (values.length - 1);

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
        expect(result.nInit).toBe(1);
        expect(adjustedRandKernel(result.clusters, run.labels)).toBe(1);
        expect(relative(result.inertia, run.inertia)).toBeLessThanOrEqual(1e-6);
        expect(result.iterations).toBe(run.nIter);
        // Same init order, same partition: the centres line up cluster by cluster.
        result.centroids.transformed.forEach((centre, c) =>
          centre.forEach((v, f) => expect(v).toBeCloseTo(run.centres[c]![f]!, 9)),
        );
      },
    );
  }
});

describe("kmeans with its own k-means++ (nInit = 10)", () => {
  it.each(mallRef.runs.map((run) => [run.k, run] as const))(
    "kmeans(mall, {k: %i}) with the notebook seed reaches sklearn's best-of-10 inertia",
    async (k, run) => {
      const result = await kmeans(ctx, "mall", { ...MALL, k });
      expect(result.nInit).toBe(10);
      expect(result.inertia / run.bestOf10Inertia - 1).toBeLessThanOrEqual(1e-6);
    },
  );

  // Best-of-10 is itself random where local optima are close (Wholesale, Mall with k = 6): sklearn's
  // own random_state 1..29 miss its random_state=0 optimum up to 22 times out of 30, so "never worse
  // than sklearn's best of 10" cannot hold for every seed. Compare the distributions instead: our best
  // over 30 seeds reaches sklearn's random_state=0 result, and our mean best-of-10 inertia is not
  // worse than sklearn's mean over random_state 0..29 beyond sampling noise.
  for (const [name, ref, get] of [
    ["Mall Customers", mallRef, () => mallMatrix],
    ["Wholesale", wholesaleRef, () => wholesaleMatrix],
  ] as const) {
    it.each(ref.runs.map((run) => [run.k, run] as const))(
      `kmeansKernel on ${name}, k = %i, over 30 seeds matches sklearn's best-of-10 over 30 random states`,
      (k, run) => {
        const { matrix, n, d } = get();
        const inertias = Array.from(
          { length: 30 },
          (_, seed) => kmeansKernel(matrix, n, d, { k, nInit: 10, maxIter: 300, tol: 1e-4, seed }).inertia,
        );
        const theirs = run.bestOf10InertiaByRandomState;
        expect(Math.min(...inertias) / run.bestOf10Inertia - 1).toBeLessThanOrEqual(1e-6);
        // One-sided two-sample z test at about 2.5%: our mean is not above sklearn's beyond noise.
        const standardError = Math.sqrt(variance(inertias) / inertias.length + variance(theirs) / theirs.length);
        expect(mean(inertias) - mean(theirs)).toBeLessThanOrEqual(2 * standardError + 1e-9 * mean(theirs));
      },
    );
  }

  it("kmeans with the same seed gives identical labels; other seeds can differ", async () => {
    const a = await kmeans(ctx, "wholesale", { ...WHOLESALE, k: 6 });
    const b = await kmeans(ctx, "wholesale", { ...WHOLESALE, k: 6, seed: 42 });
    expect(a.seed).toBe(42);
    expect(Array.from(b.clusters)).toEqual(Array.from(a.clusters));
    expect(await b.labels.rows()).toEqual(await a.labels.rows());
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
  it("kmeans(...).labels is a table (id, cluster INTEGER) that joins back to every row", async () => {
    const result = await kmeans(ctx, "mall", { ...MALL, k: 5 });
    expect(result.labels.columns).toEqual([
      { name: "CustomerID", type: "BIGINT" },
      { name: "cluster", type: "INTEGER" },
    ]);
    const joined = await ctx.db.query(
      `SELECT count(*) AS n, count(DISTINCT cluster) AS k, min(cluster) AS lo, max(cluster) AS hi FROM mall JOIN "${result.labels.name}" USING ("CustomerID")`,
    );
    expect(await joined.rows()).toEqual([{ n: 200, k: 5, lo: 0, hi: 4 }]);
    const rows = await result.labels.rows();
    expect(rows.map((r) => r.CustomerID)).toEqual(mallRef.ids);
    expect(rows.map((r) => r.cluster)).toEqual(Array.from(result.clusters));
    expect(result.sizes.reduce((a, b) => a + b)).toBe(200);
  });

  it("kmeans centroids in original units undo the transforms (expm1 of the mean log1p, per cluster in SQL)", async () => {
    const result = await kmeans(ctx, "wholesale", { ...WHOLESALE, k: 4 });
    const features = wholesaleRef.features;
    const means = await ctx.db.query(
      `SELECT cluster, ${features.map((f, j) => `exp(avg(ln(1 + "${f}"))) - 1 AS f${j}`).join(", ")}
       FROM wholesale JOIN "${result.labels.name}" USING ("CustomerID") GROUP BY cluster ORDER BY cluster`,
    );
    const rows = await means.rows();
    rows.forEach((row) =>
      features.forEach((_, j) =>
        expect(relative(result.centroids.original[row.cluster as number]![j]!, row[`f${j}`] as number)).toBeLessThan(
          1e-9,
        ),
      ),
    );
  });

  it("kmeans(...).model survives JSON and assignClusters gives the same labels on the same data", async () => {
    const result = await kmeans(ctx, "wholesale", { ...WHOLESALE, k: 5 });
    const model = JSON.parse(JSON.stringify(result.model)) as KmeansModel;
    expect(Object.keys(model).sort()).toEqual(["centroids", "features", "id", "k", "kind", "scaler"]);
    const again = await assignClusters(ctx, "wholesale", { model });
    expect(await again.rows()).toEqual(await result.labels.rows());
    const viaMethod = await result.model.assign(ctx, "wholesale");
    expect(await viaMethod.rows()).toEqual(await result.labels.rows());
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
    expect([result.n, result.dropped, result.labels.numRows]).toEqual([196, 4, 196]);
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
