/**
 * seg.abtest and the statistics under it against scipy (test/reference/abtest_reference.py): the
 * dataset is built here in SQL with the same integer hashes the script uses, so both see equal values.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { abtest } from "../../src/seg/abtest.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { holmAdjust, sampleSize, twoProportionZTest, welchTTest } from "../../src/seg/stats.ts";
import { segContext } from "../helpers/datasets.ts";

interface ExpectedRow {
  segment: string;
  variant: string;
  n_control: number;
  n_variant: number;
  control_value: number;
  variant_value: number;
  difference: number;
  statistic: number;
  df: number | null;
  p_value: number;
  ci_low: number;
  ci_high: number;
  p_adjusted: number;
  significant: boolean;
}
interface Expected {
  binary: ExpectedRow[];
  numeric: ExpectedRow[];
  sampleSize: {
    binary: { baseline: number; mde: number; alpha: number; power: number; n: number }[];
    numeric: { sd: number; mde: number; alpha: number; power: number; n: number }[];
  };
}

const expected = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "../reference/expected/abtest-reference.json"), "utf8"),
) as Expected;

/** Relative closeness: |a - b| <= tol * max(|a|, |b|) (absolute near zero). */
function close(actual: unknown, wanted: number, tol = 1e-9): void {
  const a = Number(actual);
  expect(Math.abs(a - wanted), `${a} vs ${wanted}`).toBeLessThanOrEqual(
    tol * Math.max(Math.abs(a), Math.abs(wanted), 1e-12),
  );
}

let engine: Engine;
let ctx: SegContext;

beforeAll(async () => {
  engine = await createNodeEngine();
  ctx = segContext(engine);
  // Same rows as dataset() in abtest_reference.py.
  await engine.exec(`CREATE TABLE experiment AS
    WITH g AS (SELECT i, i % 4 AS s, (i // 4) % 3 AS v,
        ((i * 2654435761) % 4294967296) / 4294967296.0 AS u,
        ((i * 40503 + 12345) % 65536) / 65536.0 AS u2
      FROM range(0, 3600) AS r(i))
    SELECT i, ['east', 'north', 'south', 'west'][s + 1] AS region, ['control', 'A', 'B'][v + 1] AS arm,
      CASE WHEN u < [0.10, 0.15, 0.20, 0.25][s + 1] + [0.0, 0.03, 0.08][v + 1] THEN 1 ELSE 0 END AS converted,
      20.0 + [0.0, 5.0, 10.0, 15.0][s + 1] + [0.0, 0.5, 2.0][v + 1] + 30.0 * u2 AS revenue
    FROM g ORDER BY i`);
});

afterAll(async () => {
  await engine?.close();
});

describe("abtest(ctx, table, options)", () => {
  it.each(["binary", "numeric"] as const)("abtest() on a %s outcome matches scipy and Holm", async (kind) => {
    const outcome = kind === "binary" ? "converted" : "revenue";
    const result = await abtest(ctx, "experiment", { segment: "region", variant: "arm", outcome });
    expect(result.info).toEqual({ kind, control: "control", alpha: 0.05, adjust: "holm", comparisons: 8 });
    expect(result.warnings).toEqual([]);
    const rows = await result.rows();
    const want = expected[kind];
    // Variants come in their sort order ("A" < "B"), segments in theirs: the script's order too.
    expect(rows.map((r) => [r.segment, r.variant, r.control])).toEqual(
      want.map((w) => [w.segment, w.variant, "control"]),
    );
    rows.forEach((row, i) => {
      const w = want[i]!;
      expect([row.n_control, row.n_variant]).toEqual([w.n_control, w.n_variant]);
      for (const key of [
        "control_value",
        "variant_value",
        "difference",
        "statistic",
        "p_value",
        "ci_low",
        "ci_high",
        "p_adjusted",
      ] as const) {
        close(row[key], w[key]);
      }
      if (kind === "numeric") close(row.df, w.df!);
      else expect("df" in row).toBe(false);
      expect(row.significant).toBe(w.significant);
    });
    expect(rows.some((r) => r.significant)).toBe(true);
  });

  it("abtest({control, adjust: 'none', power}) tests against the named arm and reports the required n", async () => {
    const result = await abtest(ctx, "experiment", {
      segment: "region",
      variant: "arm",
      outcome: "converted",
      control: "A",
      adjust: "none",
      power: { mde: 0.1 },
    });
    const rows = await result.rows();
    expect(rows.map((r) => r.variant)).toEqual(["B", "control", "B", "control", "B", "control", "B", "control"]);
    for (const row of rows) {
      expect(row.p_adjusted).toBe(row.p_value);
      const required = sampleSize({ baseline: Number(row.control_value), mde: 0.1, kind: "binary" });
      expect(row.required_n).toBe(required);
      expect(row.reached).toBe(Math.min(Number(row.n_control), Number(row.n_variant)) >= required);
    }
    expect(new Set(rows.map((r) => r.reached))).toEqual(new Set([true, false]));
  });

  it("abtest() without segment, on a BOOLEAN outcome, is one segment", async () => {
    const t = await ctx.db.query(`SELECT arm, converted = 1 AS bought FROM experiment`);
    const result = await abtest(ctx, t, { variant: "arm", outcome: "bought" });
    const rows = await result.rows();
    expect(result.info.kind).toBe("binary");
    expect(rows.map((r) => [r.segment, r.variant, r.n_control, r.n_variant])).toEqual([
      [null, "A", 1200, 1200],
      [null, "B", 1200, 1200],
    ]);
  });

  it("abtest() warns about arms too small to test and fails clearly on a wrong control", async () => {
    const t = await ctx.db.query(
      `SELECT * FROM (VALUES ('x', 'control', 1.0), ('x', 'control', 2.0), ('x', 'B', 3.0), ('y', 'B', 1.0)) AS v(s, arm, y)`,
    );
    const result = await abtest(ctx, t, { segment: "s", variant: "arm", outcome: "y" });
    expect(result.warnings).toEqual([
      "segment x, variant B: too few rows to test (2 control, 1 variant)",
      "segment y: no control rows; variant B is not compared",
    ]);
    expect((await result.rows())[0]).toMatchObject({ segment: "x", variant: "B", p_value: null, significant: null });
    await expect(abtest(ctx, t, { variant: "arm", outcome: "y", control: "Z" })).rejects.toThrow(
      'seg.abtest: control "Z" is not a value of "arm"; its values are B, control',
    );
    await expect(abtest(ctx, t, { variant: "arm", outcome: "nope" })).rejects.toThrow(/unknown column "nope"/);
  });
});

describe("stats", () => {
  it("sampleSize() is the normal-approximation n per arm, rounded up", () => {
    for (const c of expected.sampleSize.binary) {
      expect(sampleSize({ ...c, kind: "binary" })).toBe(Math.ceil(c.n));
    }
    for (const c of expected.sampleSize.numeric) {
      expect(sampleSize({ baseline: 0, ...c, kind: "numeric" })).toBe(Math.ceil(c.n));
    }
    expect(() => sampleSize({ baseline: 0.95, mde: 0.1 })).toThrow(/must be in \(0, 1\)/);
    expect(() => sampleSize({ baseline: 1, mde: 1, kind: "numeric" })).toThrow(/needs sd > 0/);
  });

  it("holmAdjust() steps down and keeps adjusted p-values monotone", () => {
    const adjusted = holmAdjust([0.01, 0.04, 0.03, NaN, 0.5]);
    expect(adjusted.slice(0, 3).map((p) => Number(p.toFixed(12)))).toEqual([0.04, 0.09, 0.09]);
    expect(adjusted[3]).toBeNaN();
    expect(adjusted[4]).toBe(0.5);
  });

  it("welchTTest() and twoProportionZTest() take summaries and one-sided alternatives", () => {
    const a = { n: 30, mean: 10, variance: 4 };
    const b = { n: 25, mean: 11, variance: 9 };
    const two = welchTTest(a, b);
    expect(welchTTest(a, b, { alternative: "greater" }).pValue).toBeCloseTo(two.pValue / 2, 12);
    expect(welchTTest(b, a).statistic).toBeCloseTo(-two.statistic, 12);
    const z = twoProportionZTest({ n: 100, successes: 0 }, { n: 100, successes: 0 });
    expect([z.statistic, z.pValue]).toEqual([0, 1]);
    expect(() => welchTTest({ n: 1, mean: 0, variance: 0 }, b)).toThrow(/n >= 2/);
  });
});
