/**
 * seg.chooseK on Mall Customers (raw units) in the real engine, checked against scikit-learn's
 * best-of-10 k-means and scores (test/reference/expected/cluster-mall.json).
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { chooseK, recommend, recommendByBic, type ChooseKRow } from "../../src/seg/choose-k.ts";
import type { ClusterMethod } from "../../src/seg/contract.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { openDatasets, segContext } from "../helpers/datasets.ts";
import { expectSegTable } from "./helpers/contract.ts";

/** A chooseK row as read from its table. */
type ScanRow = { k: number; inertia: number; silhouette: number } & Record<string, unknown>;

const mallRef = JSON.parse(
  readFileSync(new URL("../reference/expected/cluster-mall.json", import.meta.url), "utf8"),
) as { features: string[]; runs: { k: number; bestOf10Inertia: number; inertia: number; silhouette: number }[] };

let engine: Engine;
let ctx: SegContext;

beforeAll(async () => {
  engine = await openDatasets(["mall"]);
  ctx = segContext(engine);
});

afterAll(async () => {
  await engine?.close();
});

describe("chooseK(ctx, table, options)", () => {
  it("chooseK(mall, {k: [3, 6]}) scores each k like sklearn and recommends k = 5 by silhouette", async () => {
    const result = await chooseK(ctx, "mall", { features: mallRef.features, k: [3, 6] });
    const rows = (await result.rows()) as ScanRow[];
    expect(rows.map((row) => row.k)).toEqual([3, 4, 5, 6]);
    expect(result.info.silhouetteSampled).toBe(false);
    let samePartition = 0;
    for (const row of rows) {
      const ref = mallRef.runs.find((run) => run.k === row.k)!;
      expect(row.inertia / ref.bestOf10Inertia - 1).toBeLessThanOrEqual(1e-6);
      // Where sklearn's k-means++ start found the best partition too, the scores are of that partition.
      if (Math.abs(ref.inertia / row.inertia - 1) < 1e-9) {
        expect(row.silhouette).toBeCloseTo(ref.silhouette, 9);
        samePartition++;
      }
    }
    expect(samePartition).toBeGreaterThanOrEqual(2);
    const best = rows.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
    expect(result.info.recommended).toBe(best.k);
    expect(result.info.recommended).toBe(5);
    expect(result.info.reason).toMatch(/^highest silhouette \(0\.554\) among k = 3\.\.6; next best k = 6 \(0\.5\d\d\)/);
  });

  it("chooseK with n > silhouetteSample scores a seeded sample, the same for every run", async () => {
    const options = { features: mallRef.features, k: [4, 5] as [number, number], silhouetteSample: 120, nInit: 3 };
    const a = await chooseK(ctx, "mall", options);
    const b = await chooseK(ctx, "mall", options);
    expect(a.info.silhouetteSampled).toBe(true);
    const aRows = (await a.rows()) as ScanRow[];
    expect(aRows).toEqual(await b.rows());
    expect(a.info.reason).toContain("on a sample of 120 rows");
    const exact = (await (await chooseK(ctx, "mall", { ...options, silhouetteSample: 5000 })).rows()) as ScanRow[];
    aRows.forEach((row, i) => {
      expect(row.inertia).toBe(exact[i]!.inertia);
      expect(row.silhouette).not.toBe(exact[i]!.silhouette);
      expect(Math.abs(row.silhouette - exact[i]!.silhouette)).toBeLessThan(0.05);
    });
  });

  it("recommend(rows) breaks silhouette ties toward the smaller k", () => {
    const row = (k: number, silhouette: number): ChooseKRow => ({
      k,
      silhouette,
      inertia: 100 / k,
      calinskiHarabasz: 1,
      daviesBouldin: 1,
      iterations: 1,
    });
    expect(recommend([row(2, 0.4), row(3, 0.5), row(4, 0.5)], null).recommended).toBe(3);
    expect(recommend([row(2, 0.5), row(3, 0.5 + 1e-14), row(4, 0.1)], null).recommended).toBe(2);
    expect(recommend([row(2, 0.1), row(3, 0.2)], null).recommended).toBe(3);
  });

  it("recommendByBic(rows) picks the lowest BIC, ties toward the smaller k", () => {
    expect(
      recommendByBic([
        { k: 2, bic: 10 },
        { k: 3, bic: 8 },
        { k: 4, bic: 9 },
      ]).recommended,
    ).toBe(3);
    expect(
      recommendByBic([
        { k: 2, bic: 8 },
        { k: 3, bic: 8 },
      ]).recommended,
    ).toBe(2);
  });

  const gender = { categorical: ["Gender"] };
  it.each([
    ["kmeans", {}, ["inertia"]],
    ["gmm", {}, ["bic", "aic"]],
    ["kprototypes", gender, ["cost"]],
  ] as [ClusterMethod, object, string[]][])(
    "chooseK(mall, {method: %s, k: [2, 5]}) gives one row per k with the method's criterion and a k in range",
    async (method, extra, criteria) => {
      const result = await chooseK(ctx, "mall", {
        method,
        features: mallRef.features,
        transform: "standardize",
        k: [2, 5],
        nInit: 2,
        ...extra,
      });
      expectSegTable(result, `chooseK ${method}`);
      expect(result.columns.map((c) => c.name)).toEqual([
        "k",
        ...criteria,
        "silhouette",
        "calinski_harabasz",
        "davies_bouldin",
        "iterations",
      ]);
      const rows = await result.rows();
      expect(rows.map((row) => row.k)).toEqual([2, 3, 4, 5]);
      for (const row of rows) {
        for (const name of [...criteria, "silhouette", "calinski_harabasz", "davies_bouldin"])
          expect(Number.isFinite(row[name]), `${method} k = ${String(row.k)} ${name}`).toBe(true);
        expect(row.silhouette as number).toBeGreaterThan(-1);
        expect(row.silhouette as number).toBeLessThanOrEqual(1);
        expect(row.calinski_harabasz as number).toBeGreaterThan(0);
        expect(row.iterations as number).toBeGreaterThanOrEqual(1);
      }
      expect(result.info).toMatchObject({ method, n: 200, dropped: 0, silhouetteSampled: false, seed: 42 });
      expect(result.info.recommended).toBeGreaterThanOrEqual(2);
      expect(result.info.recommended).toBeLessThanOrEqual(5);
      // The recommendation follows the stated rule: lowest BIC for gmm, highest silhouette otherwise.
      const key = method === "gmm" ? "bic" : "silhouette";
      const sign = method === "gmm" ? 1 : -1;
      const best = rows.reduce((a, b) => (sign * (b[key] as number) < sign * (a[key] as number) ? b : a));
      expect(result.info.recommended).toBe(best.k);
      // Costs and inertia fall with k on Mall (more clusters fit tighter).
      if (method !== "gmm") {
        const values = rows.map((row) => row[criteria[0]!] as number);
        expect(values[3]).toBeLessThan(values[0]!);
      }
    },
  );

  it('chooseK(mall, {method: "gmm"}) scores each k as seg.gmm does (same BIC)', async () => {
    const { gmm } = await import("../../src/seg/gmm.ts");
    const options = { features: mallRef.features, transform: "standardize" as const };
    const scan = await chooseK(ctx, "mall", { ...options, method: "gmm", k: [3, 3] });
    const fit = await gmm(ctx, "mall", { ...options, k: 3 });
    expect((await scan.rows())[0]!.bic).toBe(fit.info.bic);
  });

  it.each([
    [{ k: [2, 4], method: "dbscan" }, /method must be "kmeans", "gmm", "kprototypes", got "dbscan"/],
    [{ k: [1, 4] }, /k must be a range \[from, to\] of integers with 2 <= from <= to/],
    [{ k: [5, 3] }, /k must be a range/],
    [{ k: [2, 4], nInit: 0 }, /nInit must be an integer >= 1/],
    [{ k: [2, 4], silhouetteSample: 1 }, /silhouetteSample must be an integer >= 2/],
  ] as const)("chooseK(mall, %j) fails with a clear message", async (options, message) => {
    await expect(chooseK(ctx, "mall", { features: mallRef.features, ...options } as never)).rejects.toThrow(message);
  });

  it("chooseK fails when the range's largest k exceeds the distinct points", async () => {
    const few = await ctx.db.query(`SELECT CustomerID % 4 AS x, CustomerID % 2 AS y FROM mall`);
    await expect(chooseK(ctx, few, { features: ["x", "y"], k: [2, 5] })).rejects.toThrow(
      /seg.chooseK: k = 5 is more than the 4 distinct points/,
    );
  });
});
