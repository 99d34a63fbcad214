/**
 * Node-only: seg.rfm on the real UCI Online Retail data against pandas. The expected values were
 * written by test/reference/rfm_reference.py (pandas qcut, the usual cleaning); this test compares
 * the quintile scores of every customer.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { createCellDb } from "../../src/runtime/cell-db.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { rfm } from "../../src/seg/rfm.ts";
import type { RfmResult } from "../../src/seg/rfm.ts";

interface Expected {
  asOf: string;
  customers: number;
  ids: number[];
  scores: string;
  edges: { recency: number[]; frequencyRank: number[]; monetary: number[] };
  totals: { recency: number; frequency: number; monetary: number };
  sample: Record<string, { recency: number; frequency: number; monetary: number }>;
}

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const expected = JSON.parse(
  readFileSync(new URL("../reference/expected/rfm-online-retail.json", import.meta.url), "utf8"),
) as Expected;

let engine: Engine;
let result: RfmResult;
let rows: Record<string, unknown>[];

beforeAll(async () => {
  engine = await createNodeEngine({ baseDir: repoRoot });
  await engine.loadFile("retail", { kind: "path", path: "../shared/datasets/online_retail/online_retail.csv" });
  const { db } = createCellDb(engine);
  const ctx: SegContext = { db, seed: 42 };
  // The same cleaning as the reference script: no missing customer, no cancellations, positive lines.
  const orders = await db.query(`
    SELECT CAST("CustomerID" AS BIGINT) AS customer_id, "InvoiceNo" AS invoice, "InvoiceDate" AS invoice_date,
      "Quantity" * "UnitPrice" AS amount
    FROM retail
    WHERE "CustomerID" IS NOT NULL AND NOT starts_with("InvoiceNo", 'C') AND "Quantity" > 0 AND "UnitPrice" > 0`);
  result = await rfm(ctx, orders, {
    id: "customer_id",
    date: "invoice_date",
    amount: "amount",
    invoice: "invoice",
  });
  rows = await result.rows();
}, 120_000);

afterAll(async () => {
  await engine?.close();
});

describe("rfm(ctx, onlineRetail, {scoring: 'quantile'}) against pandas qcut", () => {
  it("rfm() gives every customer exactly pandas' r, f and m quintile scores", () => {
    expect(rows.length).toBe(expected.customers);
    expect(rows.map((row) => row.customer_id)).toEqual(expected.ids);
    const mismatches: string[] = [];
    rows.forEach((row, i) => {
      const want = expected.scores.slice(3 * i, 3 * i + 3);
      if (row.rfm_code !== want) mismatches.push(`${String(row.customer_id)}: ${String(row.rfm_code)} != ${want}`);
      if (row.rfm_code !== `${String(row.r_score)}${String(row.f_score)}${String(row.m_score)}`) {
        mismatches.push(`${String(row.customer_id)}: rfm_code does not spell its scores`);
      }
    });
    expect(mismatches).toEqual([]);
  });

  it("rfm() computes the same quintile edges as numpy, to the last bit", () => {
    expect(result.info.edges).toEqual({
      recency: expected.edges.recency,
      frequency: expected.edges.frequencyRank,
      monetary: expected.edges.monetary,
    });
  });

  it("rfm() measures recency from max(InvoiceDate) + 1 day in whole elapsed days, like Timedelta.days", () => {
    // pandas' reference is max(InvoiceDate) + 1 day; the reported asOf is the newest purchase's day.
    const newest = new Date(Date.parse(`${expected.asOf}Z`) - 86_400_000).toISOString().slice(0, 10);
    expect(result.info.asOf).toBe(newest);
    const sum = (key: string) => rows.reduce((total, row) => total + Number(row[key]), 0);
    expect(sum("recency")).toBe(expected.totals.recency);
    expect(sum("frequency")).toBe(expected.totals.frequency);
    expect(sum("monetary")).toBeCloseTo(expected.totals.monetary, 4);
    for (const [id, want] of Object.entries(expected.sample)) {
      const row = rows.find((r) => String(r.customer_id) === id)!;
      expect({ recency: row.recency, frequency: row.frequency }).toEqual({
        recency: want.recency,
        frequency: want.frequency,
      });
      expect(row.monetary as number).toBeCloseTo(want.monetary, 6);
    }
  });

  it("rfm() names a segment for every customer with the rf10 map and warns about nothing", () => {
    expect(result.warnings).toEqual([]);
    expect(rows.filter((row) => typeof row.segment !== "string")).toEqual([]);
  });
});
