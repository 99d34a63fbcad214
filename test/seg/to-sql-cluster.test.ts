/**
 * toSQL on the loopback ClickHouse cluster (scripts/clickhouse-cluster.sh: two shards of Debian's
 * 18.16, the shop orders in a Distributed table `orders`), run as the read-only analyst a notebook
 * uses: RFM fitted locally on the same orders scores every customer on the cluster as seg.rfm did,
 * and k-means, GMM and k-prototypes models fitted locally on per-customer features label every
 * customer on the cluster as `model.assign` labels them locally; `seg.segments` rule trees and
 * `seg.explain` rules label every customer there as they do locally.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { ClusterResult } from "../../src/seg/contract.ts";
import { createSeg, type Seg } from "../../src/seg/namespace.ts";
import { CLICKHOUSE, clickHouseMissing, clickHouseSetupQuery, startClickHouseCluster } from "../helpers/clickhouse.ts";
import { repoRoot } from "../helpers/session.ts";
import { segContext } from "../helpers/datasets.ts";

/** Per-customer features with whole-number values, so DuckDB and ClickHouse aggregate them to the same doubles. */
const CUSTOMERS = {
  duckdb: `SELECT customer_id, CAST(count(*) AS DOUBLE) AS orders, CAST(count(DISTINCT category) AS DOUBLE) AS categories, CAST(sum(quantity) AS DOUBLE) AS units, min(channel) AS first_channel FROM orders GROUP BY customer_id`,
  clickhouse: `SELECT customer_id, toFloat64(count()) AS orders, toFloat64(uniqExact(category)) AS categories, toFloat64(sum(quantity)) AS units, min(channel) AS first_channel FROM orders GROUP BY customer_id`,
};
const VIEW = "tosql_test_customers";
const FEATURES = ["orders", "categories", "units"];

let wasm: Engine;
let seg: Seg;

/** Rows of a query on the cluster, as the read-only analyst (readonly=2) of the cluster script. */
async function analyst(sql: string): Promise<Record<string, unknown>[]> {
  const { user, password } = CLICKHOUSE.analyst;
  const url = `${CLICKHOUSE.url}/?user=${encodeURIComponent(user)}&password=${encodeURIComponent(password)}`;
  const response = await fetch(url, { method: "POST", body: `${sql}\nFORMAT JSONEachRow` });
  const text = await response.text();
  if (!response.ok) throw new Error(text);
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe.skipIf(clickHouseMissing)("toSQL on the ClickHouse cluster", () => {
  beforeAll(async () => {
    await startClickHouseCluster();
    wasm = await createNodeEngine({ baseDir: repoRoot });
    await wasm.loadFile("orders", { kind: "path", path: "notebooks/data/shop/orders.csv" });
    await wasm.query(`CREATE TABLE customers AS ${CUSTOMERS.duckdb}`);
    seg = createSeg(segContext(wasm));
    await clickHouseSetupQuery(`DROP TABLE IF EXISTS ${VIEW}`);
    await clickHouseSetupQuery(`CREATE VIEW ${VIEW} AS ${CUSTOMERS.clickhouse}`);
  }, 120_000);

  afterAll(async () => {
    await wasm?.close();
    if (!clickHouseMissing) await clickHouseSetupQuery(`DROP TABLE IF EXISTS ${VIEW}`);
  });

  it("rfm: every customer of the Distributed orders scores as seg.rfm scored them", async () => {
    const scored = await seg.rfm("orders", {
      id: "customer_id",
      date: "order_date",
      amount: "amount",
      invoice: "order_id",
    });
    const columns = ["recency", "frequency", "r_score", "f_score", "m_score", "rf_code", "rfm_code", "segment"];
    const pick = (row: Record<string, unknown>) =>
      columns.map((c) => (c.endsWith("_code") || c === "segment" ? String(row[c]) : Number(row[c])));
    const expected = new Map((await scored.rows()).map((r) => [String(r.customer_id), pick(r)]));
    const monetary = new Map((await scored.rows()).map((r) => [String(r.customer_id), Number(r.monetary)]));
    const rows = await analyst(scored.toSQL({ dialect: "clickhouse", table: "orders" }));
    expect(new Map(rows.map((r) => [String(r.customer_id), pick(r)]))).toEqual(expected);
    // Monetary: the shards' Kahan sums, equal to DuckDB's correctly rounded sum but for the last bits (see to-sql-rfm.ts).
    for (const row of rows) {
      const want = monetary.get(String(row.customer_id))!;
      expect(Math.abs(Number(row.monetary) - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-13);
    }
  });

  it("segments: every customer on the cluster gets the segment seg.segments gave it", async () => {
    const segs = await seg.segments("customers", {
      definitions: [
        {
          name: "regulars",
          where: {
            all: [
              { column: "orders", op: ">=", value: 14 },
              { column: "units", op: ">", value: 20 },
            ],
          },
        },
        {
          name: "broad app",
          where: {
            all: [
              { column: "categories", op: ">=", value: 4 },
              { column: "first_channel", op: "=", value: "app" },
            ],
          },
        },
        { name: "not web", where: { not: { column: "first_channel", op: "in", value: ["web"] } } },
        { name: "few", where: { column: "orders", op: "between", value: [1, 5] } },
      ],
      other: "the rest",
    });
    const expected = new Map((await segs.rows()).map((r) => [String(r.customer_id), String(r.segment)]));
    // Every definition labels someone, so a wrong order or operator shows.
    expect(new Set(expected.values()).size).toBe(5);
    const rows = await analyst(segs.toSQL({ dialect: "clickhouse", table: VIEW, id: "customer_id" }));
    expect(new Map(rows.map((r) => [String(r.customer_id), String(r.segment)]))).toEqual(expected);
  });

  it("explain: every customer on the cluster gets the segment explain's own rules give it", async () => {
    const km = await seg.kmeans("customers", { features: FEATURES, id: "customer_id", transform: "standardize", k: 4 });
    await wasm.query(
      `CREATE OR REPLACE TABLE customers_k AS SELECT c.*, l.cluster FROM customers AS c JOIN "${km.name}" AS l USING (customer_id)`,
    );
    const why = await seg.explain("customers_k", { segment: "cluster", features: FEATURES, maxDepth: 3 });
    // The oracle: explain's own rule conditions (DuckDB SQL) on the local table, first match in rule order.
    const oracle = `SELECT customer_id, CASE ${why.info.rules.map((r) => `WHEN ${r.sql} THEN ${r.segment}`).join(" ")} END AS segment FROM customers_k`;
    const expected = new Map(
      (await wasm.query(oracle))
        .toArray()
        .map((r) => [String(r.customer_id), r.segment === null ? null : Number(r.segment)]),
    );
    expect(new Set(expected.values()).size).toBeGreaterThan(1);
    const rows = await analyst(why.toSQL({ dialect: "clickhouse", table: VIEW, id: "customer_id" }));
    expect(new Map(rows.map((r) => [String(r.customer_id), r.segment === null ? null : Number(r.segment)]))).toEqual(
      expected,
    );
  });

  it.each([
    ["kmeans", { transform: ["log1p", "standardize"], k: 4 }],
    ["gmm", { transform: ["log1p", "standardize"], k: 3 }],
    ["kprototypes", { categorical: ["first_channel"], transform: "standardize", k: 4 }],
  ] as const)("%s: every customer on the cluster gets assign's label", async (method, options) => {
    const fit = seg[method] as (t: string, o: object) => Promise<ClusterResult>;
    const result = await fit("customers", { features: FEATURES, id: "customer_id", ...options });
    const expected = new Map(
      (await (await result.model.assign("customers")).rows()).map((r) => [String(r.customer_id), Number(r.cluster)]),
    );
    expect(new Set(expected.values()).size).toBe(result.model.k);
    const rows = await analyst(result.model.toSQL({ dialect: "clickhouse", table: VIEW }));
    expect(new Map(rows.map((r) => [String(r.customer_id), Number(r.cluster)]))).toEqual(expected);
  });
});
