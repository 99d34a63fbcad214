/**
 * The bench's RFM figure compares seg.rfm with a hand-written statement (scripts/bench/rfm-sql.ts);
 * the comparison is only honest if both compute the same table. These tests run both on the bench's
 * own transactions generator and on data full of ties at the quintile edges, and compare every value.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { rfm } from "../../src/seg/rfm.ts";
import { transactionsQuery } from "../../scripts/bench/data.ts";
import { RFM_HAND_SQL } from "../../scripts/bench/rfm-sql.ts";
import { RFM_CALL } from "../../scripts/bench/suite-rfm.ts";
import { segContext } from "../helpers/datasets.ts";

let engine: Engine;

beforeAll(async () => {
  engine = await createNodeEngine();
});

afterAll(async () => {
  await engine?.close();
});

/** seg.rfm's rows and the hand SQL's rows for the current `tx` table, both in their own order. */
async function bothResults(): Promise<{ seg: Record<string, unknown>[]; hand: Record<string, unknown>[] }> {
  const scored = await rfm(segContext(engine), "tx", RFM_CALL);
  const hand = await segContext(engine).db.query(RFM_HAND_SQL);
  expect(hand.columns).toEqual(scored.columns);
  return { seg: await scored.rows(), hand: await hand.rows() };
}

describe("RFM_HAND_SQL", () => {
  it.each([
    { rows: 20_000, customers: undefined },
    { rows: 120_000, customers: 9_973 },
  ])("RFM_HAND_SQL gives seg.rfm's table on transactionsQuery($rows, $customers)", async ({ rows, customers }) => {
    await engine.exec(`CREATE OR REPLACE TABLE tx AS ${transactionsQuery(rows, customers)}`);
    const { seg, hand } = await bothResults();
    expect(seg.length).toBeGreaterThan(1000);
    // Every score level and segment occurs, so the comparison covers all the buckets and map rules.
    expect(new Set(seg.map((row) => row.segment)).size).toBe(10);
    expect(hand).toEqual(seg);
  });

  it("RFM_HAND_SQL gives seg.rfm's table when many customers sit exactly on quintile edges", async () => {
    // Whole amounts over few values and few distinct days: recency and monetary repeat a lot, and
    // 1003 customers make (n-1)*p fractional (0.4, 0.8, 0.2, 0.6), so edges are both interpolated
    // values and exact data values. Null customer ids are left out by both.
    await engine.exec(`CREATE OR REPLACE TABLE tx AS
      SELECT i AS invoice, CASE WHEN i % 97 = 0 THEN NULL ELSE (hash(i * 3 + 1) % 1003)::INTEGER END AS customer_id,
        DATE '2024-01-01' + (hash(i * 3 + 2) % 90)::INTEGER AS order_date,
        ((hash(i * 3 + 3) % 20) + 1)::DOUBLE AS amount
      FROM range(4000) t(i)`);
    const { seg, hand } = await bothResults();
    const scored = await rfm(segContext(engine), "tx", RFM_CALL);
    const onEdge = seg.filter((row) => scored.info.edges!.monetary.includes(row.monetary as number));
    expect(onEdge.length).toBeGreaterThan(0);
    expect(hand).toEqual(seg);
  });
});
