/**
 * seg.profile on Mall Customers (../shared/datasets) against pandas (test/reference/profile_reference.py,
 * expected values in test/reference/expected/profile_mall.json), plus the function's error messages.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { profile, type ProfileOptions } from "../../src/seg/profile.ts";
import { openDatasets, segContext } from "../helpers/datasets.ts";

const expected = JSON.parse(
  readFileSync(new URL("../reference/expected/profile_mall.json", import.meta.url), "utf8"),
) as Record<string, { sizes: Row[]; numeric: Row[]; categorical?: Row[] }>;

type Row = Record<string, unknown>;
const INCOME = "Annual Income (k$)";
const SCORE = "Spending Score (1-100)";
const AGE_BAND = `SELECT *, CASE WHEN Age < 30 THEN '18-29' WHEN Age < 45 THEN '30-44' ELSE '45+' END AS age_band FROM mall`;

let engine: Engine;
let ctx: SegContext;

beforeAll(async () => {
  engine = await openDatasets(["mall"]);
  ctx = segContext(engine);
});

afterAll(async () => {
  await engine?.close();
});

/** Every key of `want` matches `got`: numbers to 1e-9, anything else exactly. */
function expectRowMatches(got: Row | undefined, want: Row): void {
  expect(got, JSON.stringify(want)).toBeDefined();
  for (const [key, value] of Object.entries(want)) {
    if (typeof value === "number") {
      expect(Math.abs((got![key] as number) - value), `${key} of ${JSON.stringify(want)}`).toBeLessThanOrEqual(1e-9);
    } else {
      expect(got![key], key).toEqual(value);
    }
  }
}

function find(rows: Row[], want: Row): Row | undefined {
  return rows.find(
    (row) => row.segment === want.segment && row.feature === want.feature && (want.level ?? null) === row.level,
  );
}

async function checkAgainstPandas(rows: Row[], reference: { sizes: Row[]; numeric: Row[]; categorical?: Row[] }) {
  for (const want of reference.sizes)
    expectRowMatches(
      rows.find((row) => row.segment === want.segment),
      want,
    );
  for (const want of reference.numeric) expectRowMatches(find(rows, want), want);
  for (const want of reference.categorical ?? []) expectRowMatches(find(rows, want), want);
  const expectedCount = reference.numeric.length + (reference.categorical?.length ?? 0);
  expect(rows).toHaveLength(expectedCount);
}

describe("profile(ctx, table, options) matches pandas on Mall Customers", () => {
  it("profile(ctx, 'mall', {segment: 'Gender', features, amount}) gives pandas' sizes, shares, means, medians, indexes and z-scores", async () => {
    const result = await profile(ctx, "mall", { segment: "Gender", features: ["Age", INCOME, SCORE], amount: SCORE });
    expect(result.info.features).toEqual([
      { name: "Age", kind: "numeric" },
      { name: INCOME, kind: "numeric" },
      { name: SCORE, kind: "numeric" },
    ]);
    expect(result.columns.map((c) => c.name)).toEqual([
      "segment",
      "size",
      "customer_share",
      "revenue_share",
      "feature",
      "level",
      "mean",
      "median",
      "share",
      "population",
      "index",
      "z_score",
    ]);
    await checkAgainstPandas(await result.rows(), expected.by_gender!);
  });

  it("profile(ctx, ageBands, {segment: 'age_band', features: [numeric, 'Gender']}) profiles a categorical feature as shares with indexes", async () => {
    const bands = await ctx.db.query(AGE_BAND);
    const result = await profile(ctx, bands, {
      segment: "age_band",
      features: [INCOME, SCORE, "Gender"],
      amount: INCOME,
    });
    const rows = await result.rows();
    await checkAgainstPandas(rows, expected.by_age_band!);
    // Rows are ordered by segment, then feature in the order given, then level.
    expect(rows.slice(0, 4).map((row) => [row.segment, row.feature, row.level])).toEqual([
      ["18-29", INCOME, null],
      ["18-29", SCORE, null],
      ["18-29", "Gender", "Female"],
      ["18-29", "Gender", "Male"],
    ]);
  });

  it("profile(ctx, ageBands, {weights}) gives pandas' weighted means, shares and weighted population z-scores", async () => {
    const bands = await ctx.db.query(AGE_BAND);
    const result = await profile(ctx, bands, {
      segment: "age_band",
      features: ["Age", SCORE, "Gender"],
      weights: INCOME,
    });
    await checkAgainstPandas(await result.rows(), expected.by_age_band_weighted_by_income!);
  });

  it("profile(ctx, table, options) keeps NULL feature values out of means and makes them a level of categorical features", async () => {
    const table = await ctx.db.query(
      `SELECT * FROM (VALUES ('a', 1.0, 'x'), ('a', NULL, NULL), ('b', 3.0, 'x'), ('b', 5.0, 'y')) AS t(s, v, c)`,
    );
    const rows = await (await profile(ctx, table, { segment: "s", features: ["v", "c"] })).rows();
    const a = rows.filter((row) => row.segment === "a");
    expect(a.map((row) => [row.feature, row.level, row.mean ?? row.share])).toEqual([
      ["v", null, 1],
      ["c", "x", 0.5],
      ["c", null, 0.5],
    ]);
    expect(a[0]!.population).toBe(3);
    expect(a[0]!.z_score).toBeCloseTo((1 - 3) / Math.sqrt(8 / 3), 12);
  });
});

describe("profile(ctx, table, options) refuses bad input with a clear message", () => {
  it.each([
    [{ segment: "Gender", features: ["Nope"] }, /seg\.profile: unknown column "Nope" in table "mall"/],
    [{ segment: "Gender", features: [] }, /seg\.profile: pass at least one feature/],
    [{ segment: "Gender", features: ["Gender"] }, /"Gender" is the segment column/],
    [{ segment: "Gender", features: ["Age"], weights: "Gender" }, /"Gender" must be a numeric column/],
    [{ segment: "Gender", features: ["Age"], revenue: "Age" }, /option "revenue" is now "amount"/],
  ])("profile(ctx, 'mall', %j) fails", async (options, message) => {
    await expect(profile(ctx, "mall", options as ProfileOptions)).rejects.toThrow(message);
  });

  it("profile(ctx, table, {weights}) refuses negative weights", async () => {
    const table = await ctx.db.query(`SELECT * FROM (VALUES ('a', 1.0, -1.0)) AS t(s, v, w)`);
    await expect(profile(ctx, table, { segment: "s", features: ["v"], weights: "w" })).rejects.toThrow(
      /weights "w" has 0 null and 1 negative values/,
    );
  });

  it("profile(ctx, table, options) refuses a feature that is neither numeric nor categorical", async () => {
    const table = await ctx.db.query(`SELECT 'a' AS s, DATE '2020-01-01' AS d`);
    await expect(profile(ctx, table, { segment: "s", features: ["d"] })).rejects.toThrow(
      /feature "d" has type DATE.*cast it in SQL first/,
    );
  });
});
