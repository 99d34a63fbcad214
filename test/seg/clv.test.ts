/**
 * seg.clv on the CDNOW sample (../shared/datasets/cdnow) against lifetimes' definitions written out
 * in test/reference/clv_reference.py, and against the published BG/NBD parameters (Fader, Hardie &
 * Lee 2005: r 0.243, alpha 4.414, a 0.793, b 2.426).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { clv, type ClvResult } from "../../src/seg/clv.ts";
import { bgnbdLogLikelihood, gammaGammaLogLikelihood } from "../../src/seg/clv-kernel.ts";
import { nelderMead } from "../../src/seg/nelder-mead-kernel.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { segContext } from "../helpers/datasets.ts";

interface Expected {
  customers: number;
  repeatCustomers: number;
  totals: Record<"frequency" | "recency" | "T" | "monetary", number>;
  published: { params: number[]; logLikelihood: number };
  fitted: { params: number[]; logLikelihood: number };
  gammaGamma: { params: number[]; logLikelihood: number; atUnit: number };
  horizon: number;
  customersSample: {
    customer: string;
    frequency: number;
    recency: number;
    T: number;
    monetary: number;
    expected: number;
    alive: number;
    spend: number;
  }[];
}

const repoRoot = path.resolve(import.meta.dirname, "../..");
const expected = JSON.parse(
  readFileSync(path.join(repoRoot, "test/reference/expected/clv-cdnow.json"), "utf8"),
) as Expected;

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const twoDigits = (v: number) => Number(v.toPrecision(2));

let engine: Engine;
let ctx: SegContext;
let result: ClvResult;
let rows: Record<string, unknown>[];

beforeAll(async () => {
  engine = await createNodeEngine({ baseDir: repoRoot });
  ctx = segContext(engine);
  // Whitespace-separated with a leading blank and runs of spaces: read whole lines, split in SQL.
  await engine.loadFile(
    "cdnow_lines",
    { kind: "path", path: "../shared/datasets/cdnow/CDNOW_sample.txt" },
    { format: "csv", csv: { delimiter: "|", header: false, names: ["line"], columns: { line: "VARCHAR" } } },
  );
  await engine.exec(`CREATE TABLE cdnow AS
    WITH f AS (SELECT regexp_split_to_array(trim(line), '\\s+') AS f FROM cdnow_lines WHERE trim(line) <> '')
    SELECT f[1] AS customer, CAST(strptime(f[3], '%Y%m%d') AS DATE) AS day, CAST(f[4] AS INTEGER) AS cds,
      CAST(f[5] AS DOUBLE) AS dollars
    FROM f`);
  result = await clv(ctx, "cdnow", {
    id: "customer",
    date: "day",
    amount: "dollars",
    asOf: "1997-09-30",
    horizon: expected.horizon,
    period: "week",
  });
  rows = await result.rows();
}, 120_000);

afterAll(async () => {
  await engine?.close();
});

describe("clv(ctx, table, options) on CDNOW", () => {
  it("clv() builds lifetimes' RFM summary (daily purchases merged, weeks, first purchase left out of monetary)", () => {
    expect(rows.length).toBe(expected.customers);
    for (const key of ["frequency", "recency", "T", "monetary"] as const) {
      const total = rows.reduce((s, r) => s + Number(r[key]), 0);
      expect(relative(total, expected.totals[key])).toBeLessThan(1e-12);
    }
    const byId = new Map(rows.map((r) => [r.customer, r]));
    for (const want of expected.customersSample) {
      const row = byId.get(want.customer)!;
      expect([row.frequency, row.recency, row.T]).toEqual([want.frequency, want.recency, want.T]);
      expect(relative(Number(row.monetary), want.monetary)).toBeLessThan(1e-12);
    }
  });

  it("clv() reproduces the published BG/NBD parameters to 2 significant digits", () => {
    const { r, alpha, a, b, converged } = result.info.bgnbd;
    expect(converged).toBe(true);
    expect([r, alpha, a, b].map(twoDigits)).toEqual([0.24, 4.4, 0.79, 2.4]);
    expect([r, alpha, a, b].map(twoDigits)).toEqual(expected.published.params.map(twoDigits));
    // And scipy's optimum of the same likelihood much more closely.
    [r, alpha, a, b].forEach((v, i) => expect(relative(v, expected.fitted.params[i]!)).toBeLessThan(1e-4));
    expect(relative(result.info.bgnbd.logLikelihood, expected.fitted.logLikelihood)).toBeLessThan(1e-9);
  });

  it("bgnbdLogLikelihood() equals lifetimes' at the published and the fitted parameters", () => {
    const col = (k: string) => Float64Array.from(rows, (r) => Number(r[k]));
    const [x, tx, T] = [col("frequency"), col("recency"), col("T")];
    const at = (p: number[]) => bgnbdLogLikelihood({ r: p[0]!, alpha: p[1]!, a: p[2]!, b: p[3]! }, x, tx, T);
    expect(relative(at(expected.published.params), expected.published.logLikelihood)).toBeLessThan(1e-6);
    expect(relative(at(expected.fitted.params), expected.fitted.logLikelihood)).toBeLessThan(1e-6);
    expect(expected.published.logLikelihood).toBeCloseTo(-9582.4, 1); // the paper's value
  });

  it("clv() fits Gamma-Gamma on repeat customers and predicts as lifetimes does", () => {
    const gg = result.info.gammaGamma!;
    expect(gg.customers).toBe(expected.repeatCustomers);
    [gg.p, gg.q, gg.v].forEach((v, i) => expect(relative(v, expected.gammaGamma.params[i]!)).toBeLessThan(1e-4));
    expect(relative(gg.logLikelihood, expected.gammaGamma.logLikelihood)).toBeLessThan(1e-9);
    const repeat = rows.filter((r) => Number(r.frequency) > 0);
    const x = repeat.map((r) => Number(r.frequency));
    const m = repeat.map((r) => Number(r.monetary));
    expect(relative(gammaGammaLogLikelihood({ p: 1, q: 1, v: 1 }, x, m), expected.gammaGamma.atUnit)).toBeLessThan(
      1e-9,
    );
    const byId = new Map(rows.map((r) => [r.customer, r]));
    // Predictions from slightly different optima agree to the optimum's precision.
    for (const want of expected.customersSample) {
      const row = byId.get(want.customer)!;
      expect(relative(Number(row.p_alive), want.alive)).toBeLessThan(1e-4);
      expect(relative(Number(row.expected_purchases), want.expected)).toBeLessThan(1e-4);
      expect(relative(Number(row.expected_spend), want.spend)).toBeLessThan(1e-4);
      expect(Number(row.clv)).toBeCloseTo(Number(row.expected_purchases) * Number(row.expected_spend), 10);
    }
    expect(result.info.summary).toHaveLength(1);
    expect(result.info.summary[0]!.customers).toBe(expected.customers);
    expect(result.info.summary[0]!.clv).toBeCloseTo(
      rows.reduce((s, r) => s + Number(r.clv), 0),
      6,
    );
  });
});

describe("clv() options", () => {
  it("clv({discountRate, segment}) discounts per period and summarises per segment", async () => {
    const t = await ctx.db.query(
      `SELECT *, CASE WHEN cds >= 3 THEN 'big' ELSE 'small' END AS basket FROM cdnow WHERE customer < '01000'`,
    );
    const options = {
      id: "customer",
      date: "day",
      amount: "dollars",
      asOf: "1997-09-30",
      horizon: 12,
      period: "week" as const,
    };
    const plain = await clv(ctx, t, options);
    const discounted = await clv(ctx, t, { ...options, discountRate: 0.01, segment: "basket" });
    const a = await plain.rows();
    const b = await discounted.rows();
    for (let i = 0; i < a.length; i++) {
      if (Number(a[i]!.clv) === 0) continue;
      expect(Number(b[i]!.clv)).toBeLessThan(Number(a[i]!.clv));
      expect(Number(b[i]!.clv)).toBeGreaterThan(Number(a[i]!.clv) / 1.01 ** 12);
    }
    expect(discounted.info.summary.map((s) => s.segment)).toEqual(["big", "small"]);
    expect(discounted.info.summary.reduce((s, r) => s + r.customers, 0)).toBe(a.length);
  });

  it("clv() fails clearly on bad options", async () => {
    const base = { id: "customer", date: "day", amount: "dollars", asOf: "1997-09-30", horizon: 10 };
    await expect(clv(ctx, "cdnow", { ...base, asOf: "30/09/1997" })).rejects.toThrow(
      /seg\.clv: asOf must be "YYYY-MM-DD" or a Date, got "30\/09\/1997"/,
    );
    await expect(clv(ctx, "cdnow", { ...base, horizon: 0 })).rejects.toThrow(/horizon must be/);
    await expect(clv(ctx, "cdnow", { ...base, amount: "usd" })).rejects.toThrow(/unknown column "usd"/);
    await expect(clv(ctx, "cdnow", { ...base, asOf: "1990-01-01" })).rejects.toThrow(/0 customers bought/);
  });

  it("nelderMead() finds the minimum of a narrow valley deterministically", () => {
    const rosen = ([x, y]: readonly number[]) => 100 * (y! - x! * x!) ** 2 + (1 - x!) ** 2;
    const first = nelderMead(rosen, [-1.2, 1]);
    expect(first.converged).toBe(true);
    expect(first.x[0]).toBeCloseTo(1, 6);
    expect(first.x[1]).toBeCloseTo(1, 6);
    expect(nelderMead(rosen, [-1.2, 1])).toEqual(first);
  });
});
