/**
 * rfm toSQL on real engines: the shop orders the notebooks use (23k orders), scored by seg.rfm, and
 * the same scoring as one SELECT over the orders on duckdb-wasm, native DuckDB and a current
 * ClickHouse (chdb) — and on a ClickHouse server when SEGBOOK_CLICKHOUSE_URL names one (Debian's
 * 18.16): recency, frequency, monetary, the three scores, both codes and the segment agree for every
 * customer.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNativeEngine } from "../../src/engine/native.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { RfmOptions } from "../../src/seg/rfm.ts";
import { createSeg, type Seg } from "../../src/seg/namespace.ts";
import { segContext } from "../helpers/datasets.ts";
import { chdbWith, clickhouseServer } from "./helpers/sql-engines.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const ORDERS = "notebooks/data/shop/orders.csv";
const COLUMNS = ["recency", "frequency", "monetary", "r_score", "f_score", "m_score", "rf_code", "rfm_code", "segment"];
const BASE = { id: "customer_id", date: "order_date", amount: "amount" } as const;

const CASES: [string, RfmOptions][] = [
  ["quintiles, distinct orders, the rf10 map", { ...BASE, invoice: "order_id" }],
  [
    "quartiles of rows, an rfm map",
    {
      ...BASE,
      bins: 4,
      mapOn: "rfm",
      map: [
        { pattern: "4[34].", name: "loyal" },
        { pattern: "1..", name: "gone" },
      ],
    },
  ],
  ["an explicit asOf before the last orders", { ...BASE, invoice: "order_id", asOf: "2024-06-30" }],
  [
    "fixed thresholds",
    { ...BASE, scoring: { recency: [30, 90, 180, 365], frequency: [1, 2, 4, 8], monetary: [100, 250.5, 500, 1000] } },
  ],
];

let wasm: Engine;
let native: Engine;
let seg: Seg;
let ch: ReturnType<typeof chdbWith>;
const server = clickhouseServer();

beforeAll(async () => {
  wasm = await createNodeEngine({ baseDir: repoRoot });
  await wasm.loadFile("orders", { kind: "path", path: ORDERS });
  seg = createSeg(segContext(wasm));
  native = await createNativeEngine({ baseDir: repoRoot });
  await native.loadFile("orders", { kind: "path", path: ORDERS });
  ch = chdbWith({ orders: path.resolve(repoRoot, ORDERS) });
  if (server) await server.load("orders", await wasm.describe("orders"), path.resolve(repoRoot, ORDERS));
}, 60_000);

afterAll(async () => {
  await wasm?.close();
  await native?.close();
  ch?.close();
});

/** customer -> the RFM columns, numbers as numbers (ClickHouse's JSON gives 64-bit integers as text). */
function byCustomer(rows: readonly Record<string, unknown>[]): Map<string, unknown[]> {
  const norm = (v: unknown, column: string) =>
    v === null || v === undefined ? null : column.endsWith("_code") || column === "segment" ? String(v) : Number(v);
  return new Map(rows.map((row) => [String(row.customer_id), COLUMNS.map((c) => norm(row[c], c))]));
}

/**
 * ClickHouse's rows against seg.rfm's: everything equal, except that monetary may differ in its last
 * bits — ClickHouse's plain sum adds a customer's amounts in its own order, DuckDB's order-independent, correctly rounded sum (src/seg/exact-sum.ts)
 * (documented in to-sql-rfm.ts). The scores, codes and segments must still be identical, which proves
 * no customer sits within those bits of a monetary edge in the shipped data.
 */
function expectClickHouse(got: Map<string, unknown[]>, expected: Map<string, unknown[]>) {
  const MONETARY = COLUMNS.indexOf("monetary");
  const without = (map: Map<string, unknown[]>) =>
    new Map([...map].map(([key, values]) => [key, values.filter((_, i) => i !== MONETARY)]));
  expect(without(got)).toEqual(without(expected));
  for (const [key, values] of expected) {
    const want = values[MONETARY] as number;
    expect(Math.abs((got.get(key)![MONETARY] as number) - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-13);
  }
}

const plain = (rows: { toJSON(): Record<string, unknown> }[]) => rows.map((r) => r.toJSON());

describe("rfm toSQL", () => {
  it.each(CASES)("%s: every customer scores as seg.rfm scored them, on DuckDB and ClickHouse", async (_, options) => {
    const scored = await seg.rfm("orders", options);
    const expected = byCustomer(await scored.rows());
    expect(expected.size).toBeGreaterThan(1000);
    // Every score level is used, so a shifted edge or reversed recency would show.
    expect(new Set([...expected.values()].map((v) => v[5])).size).toBe(scored.info.bins);

    const duck = scored.toSQL({ dialect: "duckdb", table: "orders" });
    expect(byCustomer(plain((await wasm.query(duck)).toArray()))).toEqual(expected);
    expect(byCustomer(plain((await native.query(duck)).toArray()))).toEqual(expected);
    const click = scored.toSQL({ dialect: "clickhouse", table: "orders" });
    expectClickHouse(byCustomer(ch.rows(click)), expected);
    if (server) expectClickHouse(byCustomer(await server.rows(click)), expected);
  });

  it("refuses ntile scoring, which has no edges, and says what to use", async () => {
    const scored = await seg.rfm("orders", { ...BASE, scoring: "ntile" });
    expect(() => scored.toSQL({ dialect: "duckdb", table: "orders" })).toThrow(
      /rfm toSQL: scoring "ntile" .* use scoring "quantile" or fixed thresholds/,
    );
  });
});
