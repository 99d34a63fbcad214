/**
 * seg.featureMatrix and the transform kernels, on the real Wholesale and Mall datasets in the real
 * engine. The StandardScaler numbers come from test/reference/cluster_reference.py
 * (test/reference/expected/cluster-wholesale.json); other expectations are computed in DuckDB SQL.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { applyScaler, invertScaler, quantileSorted } from "../../src/seg/features-kernel.ts";
import { featureMatrix } from "../../src/seg/features.ts";
import { openDatasets, segContext } from "../helpers/datasets.ts";

const wholesaleRef = JSON.parse(
  readFileSync(new URL("../reference/expected/cluster-wholesale.json", import.meta.url), "utf8"),
) as { features: string[]; ids: number[]; scalerMean: number[]; scalerScale: number[]; firstRows: number[][] };
const spend = wholesaleRef.features;

let engine: Engine;
let ctx: SegContext;

beforeAll(async () => {
  engine = await openDatasets(["wholesale", "mall"]);
  // Mall with gaps: 3 null incomes, one NaN and one infinite spending score, and a date column.
  await engine.exec(`CREATE TABLE mall_gaps AS SELECT CustomerID,
      CASE WHEN CustomerID IN (5, 6, 7) THEN NULL ELSE "Annual Income (k$)" END AS income,
      CASE WHEN CustomerID = 10 THEN 'NaN'::DOUBLE WHEN CustomerID = 11 THEN 'inf'::DOUBLE
           ELSE "Spending Score (1-100)"::DOUBLE END AS score,
      DATE '2024-01-01' + CustomerID::INTEGER AS joined, 7 AS constant, NULL::DOUBLE AS nothing
    FROM mall`);
  ctx = segContext(engine);
});

afterAll(async () => {
  await engine?.close();
});

describe("featureMatrix(ctx, table, options)", () => {
  it("featureMatrix(log1p then standardize) matches sklearn's StandardScaler on log1p Wholesale spend", async () => {
    const fm = await featureMatrix(ctx, "wholesale", {
      features: spend,
      id: "CustomerID",
      transform: ["log1p", "standardize"],
    });
    expect([fm.n, fm.d, fm.dropped]).toEqual([440, 6, 0]);
    expect(fm.columns).toEqual(spend);
    expect(fm.ids).toEqual(wholesaleRef.ids);
    fm.scaler.features.forEach((feature, j) => {
      expect(feature.kind).toBe("numeric");
      const steps = feature.kind === "numeric" ? feature.steps : [];
      expect(steps[0]).toEqual({ step: "log1p" });
      const standardize = steps[1] as { mean: number; std: number };
      expect(standardize.mean).toBeCloseTo(wholesaleRef.scalerMean[j]!, 12);
      expect(Math.abs(standardize.std / wholesaleRef.scalerScale[j]! - 1)).toBeLessThan(1e-12);
    });
    wholesaleRef.firstRows.forEach((row, i) =>
      row.forEach((value, j) => expect(fm.matrix[i * 6 + j]).toBeCloseTo(value, 12)),
    );
    // The scaler is plain JSON and replays on raw columns; inverting gives the raw spend back.
    const scaler = JSON.parse(JSON.stringify(fm.scaler));
    const rows = await ctx.db.query(`SELECT ${spend.map((s) => `"${s}"::DOUBLE AS "${s}"`).join(", ")} FROM wholesale`);
    const raw = Object.fromEntries(await Promise.all(spend.map(async (s) => [s, await rows.column(s)] as const)));
    const again = applyScaler(scaler, raw as Record<string, Float64Array>);
    expect(Array.from(again.matrix)).toEqual(Array.from(fm.matrix));
    const back = invertScaler(scaler, fm.matrix, fm.n);
    spend.forEach((s, j) => {
      for (let i = 0; i < fm.n; ++i) expect(back[i * 6 + j]! / ((raw[s] as Float64Array)[i]! || 1)).toBeCloseTo(1, 9);
    });
  });

  it("featureMatrix({winsorize}, minmax per feature) clips at DuckDB's quantile_cont and scales to [0, 1]", async () => {
    const fm = await featureMatrix(ctx, "wholesale", {
      features: ["Fresh", "Milk"],
      transform: { Fresh: { winsorize: [0.05, 0.95] }, Milk: "minmax" },
    });
    const [bounds] = await (
      await ctx.db.query(
        `SELECT quantile_cont("Fresh", 0.05) AS lo, quantile_cont("Fresh", 0.95) AS hi, min("Milk") AS mn, max("Milk") AS mx FROM wholesale`,
      )
    ).rows();
    const fresh = fm.scaler.features[0]!;
    expect(fresh.kind === "numeric" && fresh.steps[0]).toMatchObject({ step: "winsorize" });
    const step = (fresh as { steps: { lower: number; upper: number }[] }).steps[0]!;
    expect(step.lower).toBeCloseTo(bounds!.lo as number, 9);
    expect(step.upper).toBeCloseTo(bounds!.hi as number, 9);
    const freshValues = Array.from({ length: fm.n }, (_, i) => fm.matrix[i * 2]!);
    expect(Math.min(...freshValues)).toBeCloseTo(bounds!.lo as number, 9);
    expect(Math.max(...freshValues)).toBeCloseTo(bounds!.hi as number, 9);
    const milk = Array.from({ length: fm.n }, (_, i) => fm.matrix[i * 2 + 1]!);
    expect([Math.min(...milk), Math.max(...milk)]).toEqual([0, 1]);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it("featureMatrix one-hot encodes a text column into sorted category columns", async () => {
    const fm = await featureMatrix(ctx, "mall", { features: ["Gender", "Age"], id: "CustomerID" });
    expect(fm.columns).toEqual(["Gender=Female", "Gender=Male", "Age"]);
    const [counts] = await (
      await ctx.db.query(`SELECT count(*) FILTER (WHERE "Gender" = 'Female') AS f, sum("Age") AS age FROM mall`)
    ).rows();
    let females = 0;
    let ages = 0;
    for (let i = 0; i < fm.n; ++i) {
      expect(fm.matrix[i * 3]! + fm.matrix[i * 3 + 1]!).toBe(1);
      females += fm.matrix[i * 3]!;
      ages += fm.matrix[i * 3 + 2]!;
    }
    expect(females).toBe(counts!.f);
    expect(ages).toBe(Number(counts!.age));
  });

  it.each([
    [
      { features: ["income", "nope"] },
      /unknown column "nope" in table "mall_gaps"; its columns are CustomerID, income/,
    ],
    [{ features: ["joined"] }, /feature "joined" has type DATE, which is not numeric/],
    [{ features: ["income", "score"] }, /feature "income" has 3 null values — filter them or pass \{missing: "drop"\}/],
    [{ features: ["score"] }, /feature "score" has 2 NaN\/infinite values/],
    [{ features: ["score", "constant"], missing: "drop" }, /feature "constant" is constant \(every value is 7\)/],
    [{ features: ["nothing"], missing: "drop" }, /feature "nothing" is entirely null/],
    [{ features: [] }, /pass \{features: \["col1"/],
    [{ features: ["income"], transform: "cube" }, /unknown transform "cube"/],
    [{ features: ["income"], transform: { Age: "log1p" } }, /transform names "Age", which is not among the features/],
  ] as const)("featureMatrix(mall_gaps, %j) fails with a clear message", async (options, message) => {
    await expect(featureMatrix(ctx, "mall_gaps", options as never)).rejects.toThrow(message);
  });

  it("featureMatrix({missing: 'drop'}) drops rows with null, NaN or infinite features and reports how many", async () => {
    const fm = await featureMatrix(ctx, "mall_gaps", {
      features: ["income", "score"],
      id: "CustomerID",
      missing: "drop",
    });
    expect(fm.dropped).toBe(5);
    expect(fm.n).toBe(195);
    expect(fm.ids).not.toContain(5);
    expect(fm.ids).not.toContain(10);
    expect(fm.ids).not.toContain(11);
  });

  it("featureMatrix on an empty table fails naming the table", async () => {
    const empty = await ctx.db.query(`SELECT * FROM mall WHERE false`);
    await expect(featureMatrix(ctx, empty, { features: ["Age"] })).rejects.toThrow(/has no rows/);
  });
});
