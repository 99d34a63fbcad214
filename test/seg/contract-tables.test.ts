/**
 * The seg 1.0 contract for every table-valued function (SEG-CONTRACT.md, result kind 1): called as a
 * cell calls it (`seg.fn(table, options)` from the bound namespace, real duckdb-wasm), each returns a
 * SegTable — the handle plus JSON-able `info` and `warnings`, nothing else — whose segment column is
 * marked when the table has one member per row, and whose `info` holds what used to be extra
 * properties (rfm's edges, scorecard's flags, …).
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { TableHandle } from "../../src/engine/table-handle-types.ts";
import { createSeg, type Seg } from "../../src/seg/namespace.ts";
import { segmentColumnOf } from "../../src/seg/seg-result.ts";
import { segContext } from "../helpers/datasets.ts";
import { expectSegTable } from "./helpers/contract.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The newest order_date in notebooks/data/orders.csv: where asOf defaults to. */
const NEWEST_ORDER = "2024-12-30";

let engine: Engine;
let seg: Seg;
let sql: (query: string) => Promise<TableHandle>;

beforeAll(async () => {
  engine = await createNodeEngine({ baseDir: repoRoot });
  await engine.loadFile("orders", { kind: "path", path: "notebooks/data/orders.csv" });
  await engine.loadFile("customers", { kind: "path", path: "notebooks/data/customers.csv" });
  const ctx = segContext(engine);
  seg = createSeg(ctx);
  sql = (query) => ctx.db.query(query);
}, 60_000);

afterAll(async () => {
  await engine?.close();
});

const scored = () => seg.rfm("orders", { id: "customer_id", date: "order_date", amount: "amount" });
const spend = () =>
  sql(`SELECT c.customer_id, c.region, c.channel, c.age, count(o.order_id)::DOUBLE AS orders,
    coalesce(sum(o.amount), 0) AS spend, coalesce(avg(o.amount), 0) AS basket, max(o.order_date) AS last_order
    FROM customers c LEFT JOIN orders o USING (customer_id) GROUP BY ALL ORDER BY c.customer_id`);

interface Case {
  fn: string;
  /** The marked segment column, or undefined for tables that are not one member per row. */
  segment: string | undefined;
  run: () => Promise<unknown>;
  /** What moved into info (its shape differs per function; each case reads its own keys). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one table over twelve info types
  info: (info: Record<string, any>) => void;
}

const cases: Case[] = [
  {
    fn: "rfm",
    segment: "segment",
    run: scored,
    info: (info) => {
      expect(info.asOf).toBe(NEWEST_ORDER);
      expect(Object.keys(info.edges).sort()).toEqual(["frequency", "monetary", "recency"]);
      expect(info.n).toBeGreaterThan(0);
    },
  },
  {
    fn: "tiers",
    segment: "tier",
    run: async () => seg.tiers(await spend(), { value: "spend", id: "customer_id", cuts: [0.2, 0.5] }),
    info: (info) => {
      expect(info.summary).toHaveLength(3);
      expect(info.cuts).toEqual([0.2, 0.5]);
    },
  },
  {
    fn: "segments",
    segment: "segment",
    run: () =>
      seg.segments("customers", {
        id: "customer_id",
        definitions: [
          { name: "young", where: "age < 30" },
          {
            name: "active",
            where: {
              events: { table: "orders", id: "customer_id", date: "order_date" },
              count: { atLeast: 3 },
              within: { days: 90 },
            },
          },
        ],
      }),
    info: (info) => {
      expect(info.sizes.map((s: { segment: string }) => s.segment)).toEqual(["young", "active"]);
      expect(info.exclusive).toBe(true);
      expect(info.asOf).toBe(NEWEST_ORDER);
    },
  },
  {
    fn: "overlap",
    segment: undefined,
    run: async () =>
      seg.overlap(
        await seg.segments("customers", {
          exclusive: false,
          definitions: [
            { name: "young", where: "age < 30" },
            { name: "web", where: "channel = 'web'" },
          ],
        }),
        { segments: ["young", "web"] },
      ),
    info: (info) => {
      expect(info.segments).toEqual(["young", "web"]);
      expect(info.matrix[0][1]).toBe(info.matrix[1][0]);
    },
  },
  {
    fn: "profile",
    segment: undefined,
    run: async () => seg.profile(await spend(), { segment: "region", features: ["age", "channel"], amount: "spend" }),
    info: (info) => {
      expect(info.features.map((f: { kind: string }) => f.kind)).toEqual(["numeric", "categorical"]);
      expect(info.amount).toBe("spend");
    },
  },
  {
    fn: "explain",
    segment: undefined,
    run: () => seg.explain("customers", { segment: "channel", features: ["age", "region"], maxDepth: 2 }),
    info: (info) => {
      expect(info.rules.length).toBeGreaterThan(0);
      expect(typeof info.rules[0].sql).toBe("string");
      expect(info.maxDepth).toBe(2);
    },
  },
  {
    fn: "migration",
    segment: undefined,
    run: async () => {
      const label = (where: string) =>
        sql(`SELECT customer_id, CASE WHEN sum(amount) > 300 THEN 'high' ELSE 'low' END AS segment
          FROM orders ${where} GROUP BY ALL`);
      return seg.migration(await label("WHERE order_date < DATE '2024-01-01'"), {
        after: await label(""),
        id: "customer_id",
        segment: "segment",
      });
    },
    info: (info) => {
      expect(info.counts.flat().reduce((a: number, b: number) => a + b, 0)).toBeGreaterThan(0);
      expect(info.stayedShare).toBeGreaterThan(0);
    },
  },
  {
    fn: "compareLabels",
    segment: undefined,
    run: async () =>
      seg.compareLabels(await sql(`SELECT customer_id, region AS segment FROM customers`), {
        after: await sql(`SELECT customer_id, region AS segment FROM customers`),
        id: "customer_id",
        segment: "segment",
      }),
    info: (info) => expect(info.ari).toBe(1),
  },
  {
    fn: "pca",
    segment: undefined,
    run: async () =>
      seg.pca(await spend(), { features: ["orders", "spend", "basket"], transform: "log1p-standardize" }),
    info: (info) => {
      expect(info.explainedVarianceRatio).toHaveLength(2);
      expect(info.loadings).toHaveLength(2);
    },
  },
  {
    fn: "scorecard",
    segment: undefined,
    run: async () => {
      const rfm = await scored();
      const last = await sql(`SELECT s.*, l.last_order FROM "${rfm.name}" s
        JOIN (SELECT customer_id, max(order_date) AS last_order FROM orders GROUP BY ALL) l USING (customer_id)`);
      return seg.scorecard(last, {
        segment: "segment",
        amount: "monetary",
        features: ["recency", "monetary"],
        date: "last_order",
      });
    },
    info: (info) => {
      expect(info.asOf).toBe(NEWEST_ORDER);
      expect(info.checks.length).toBeGreaterThan(0);
      expect(Array.isArray(info.flags)).toBe(true);
      expect(info.suppression).toBeNull();
    },
  },
  {
    fn: "abtest",
    segment: undefined,
    run: async () =>
      seg.abtest(
        await sql(`SELECT region, CASE WHEN customer_id % 2 = 0 THEN 'control' ELSE 'mail' END AS arm,
          CASE WHEN channel = 'web' THEN 1 ELSE 0 END AS converted FROM customers`),
        { segment: "region", variant: "arm", outcome: "converted" },
      ),
    info: (info) => expect(info).toMatchObject({ kind: "binary", control: "control", alpha: 0.05, adjust: "holm" }),
  },
  {
    fn: "clv",
    segment: "region",
    run: async () =>
      // 50 customers keep the BG/NBD fit quick; the contract does not depend on how many.
      seg.clv(
        await sql(`SELECT o.*, c.region FROM orders o JOIN customers c USING (customer_id) WHERE customer_id <= 50`),
        {
          id: "customer_id",
          date: "order_date",
          amount: "amount",
          horizon: 26,
          period: "week",
          segment: "region",
        },
      ),
    info: (info) => {
      expect(info.asOf).toMatch(DAY);
      expect(Object.keys(info.bgnbd)).toEqual(expect.arrayContaining(["r", "alpha", "a", "b", "logLikelihood"]));
      // A total over customers, not a mean per customer.
      expect(info.bgnbd.logLikelihood).toBeLessThan(-info.customers);
      expect(info.summary.map((s: { segment: unknown }) => typeof s.segment)).not.toContain("undefined");
    },
  },
];

describe("seg 1.0 contract: table-valued functions return SegTables", () => {
  it.each(cases)(
    "seg.$fn(table, options) is a SegTable with info and warnings",
    async ({ fn, segment, run, info }) => {
      const result = (await run()) as TableHandle & { info: Record<string, unknown> };
      expectSegTable(result, `seg.${fn}`);
      expect(segmentColumnOf(result), `seg.${fn}: marked segment column`).toBe(segment);
      if (segment !== undefined) expect(result.columns.map((c) => c.name)).toContain(segment);
      info(result.info);
      // info is read-only data: a cell cannot rewrite what was fitted.
      expect(Object.isFrozen(result.info)).toBe(true);
    },
    600_000,
  );

  it.each([
    [
      "rfm",
      { customer: "customer_id", date: "order_date", amount: "amount" },
      /seg\.rfm: the option "customer" is now "id"/,
    ],
    [
      "clv",
      { customer: "customer_id", date: "order_date", amount: "amount", horizon: 4 },
      /seg\.clv: the option "customer" is now "id"/,
    ],
    [
      "scorecard",
      { segment: "region", dateColumn: "signup_date" },
      /seg\.scorecard: the option "dateColumn" is now "date"/,
    ],
    ["scorecard", { segment: "region", revenue: "age" }, /seg\.scorecard: the option "revenue" is now "amount"/],
    [
      "profile",
      { segment: "region", features: ["age"], revenue: "age" },
      /seg\.profile: the option "revenue" is now "amount"/,
    ],
  ])("seg.%s with a renamed option fails naming the new one", async (fn, options, message) => {
    const table = fn === "rfm" || fn === "clv" ? "orders" : "customers";
    const call = (seg as unknown as Record<string, (t: string, o: object) => Promise<unknown>>)[fn]!;
    await expect(call(table, options)).rejects.toThrow(message);
  });
});
