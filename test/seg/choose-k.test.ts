/**
 * seg.chooseK on Mall Customers (raw units) in the real engine, checked against scikit-learn's
 * best-of-10 k-means and scores (test/reference/expected/cluster-mall.json).
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { chooseK, recommend, type ChooseKRow } from "../../src/seg/choose-k.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { openDatasets, segContext } from "../helpers/datasets.ts";

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
    expect(result.rows.map((row) => row.k)).toEqual([3, 4, 5, 6]);
    expect(result.silhouetteSampled).toBe(false);
    let samePartition = 0;
    for (const row of result.rows) {
      const ref = mallRef.runs.find((run) => run.k === row.k)!;
      expect(row.inertia / ref.bestOf10Inertia - 1).toBeLessThanOrEqual(1e-6);
      // Where sklearn's k-means++ start found the best partition too, the scores are of that partition.
      if (Math.abs(ref.inertia / row.inertia - 1) < 1e-9) {
        expect(row.silhouette).toBeCloseTo(ref.silhouette, 9);
        samePartition++;
      }
    }
    expect(samePartition).toBeGreaterThanOrEqual(2);
    const best = result.rows.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
    expect(result.recommended).toBe(best.k);
    expect(result.recommended).toBe(5);
    expect(result.reason).toMatch(/^highest silhouette \(0\.554\) among k = 3\.\.6; next best k = 6 \(0\.5\d\d\)/);
  });

  it("chooseK with n > silhouetteSample scores a seeded sample, the same for every run", async () => {
    const options = { features: mallRef.features, k: [4, 5] as [number, number], silhouetteSample: 120, nInit: 3 };
    const a = await chooseK(ctx, "mall", options);
    const b = await chooseK(ctx, "mall", options);
    expect(a.silhouetteSampled).toBe(true);
    expect(a.rows).toEqual(b.rows);
    expect(a.reason).toContain("on a sample of 120 rows");
    const exact = await chooseK(ctx, "mall", { ...options, silhouetteSample: 5000 });
    a.rows.forEach((row, i) => {
      expect(row.inertia).toBe(exact.rows[i]!.inertia);
      expect(row.silhouette).not.toBe(exact.rows[i]!.silhouette);
      expect(Math.abs(row.silhouette - exact.rows[i]!.silhouette)).toBeLessThan(0.05);
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

  it.each([
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
