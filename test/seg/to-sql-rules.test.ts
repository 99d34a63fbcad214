/**
 * toSQL on rule sets, on real engines: `seg.segments` rule trees and `seg.explain` trees compile to
 * one SELECT that labels every Mall customer exactly as the local result does, on duckdb-wasm, native
 * DuckDB and a current ClickHouse (chdb), and on a ClickHouse server when SEGBOOK_CLICKHOUSE_URL names
 * one (Debian's 18.16).
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNativeEngine } from "../../src/engine/native.ts";
import type { SqlScoring } from "../../src/seg/contract.ts";
import { createSeg, type Seg } from "../../src/seg/namespace.ts";
import type { SegmentsOptions } from "../../src/seg/rules.ts";
import { DATASETS, openDatasets, segContext } from "../helpers/datasets.ts";
import { chdbWith, clickhouseServer } from "./helpers/sql-engines.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const MALL = path.resolve(repoRoot, DATASETS.mall);
const AGE = "Age";
const INCOME = "Annual Income (k$)";
const SCORE = "Spending Score (1-100)";

const DEFINITIONS: SegmentsOptions["definitions"] = [
  {
    name: "young earners",
    where: {
      all: [
        { column: AGE, op: "<", value: 30 },
        { column: INCOME, op: ">=", value: 70 },
      ],
    },
  },
  { name: "big spenders", where: { column: SCORE, op: ">", value: 60.5 } },
  {
    name: "middle",
    where: {
      any: [
        { column: AGE, op: "between", value: [35, 45] },
        { not: { column: "Gender", op: "in", value: ["Male", "O'Brien \\ `x`"] } },
      ],
    },
  },
  {
    name: "quiet men",
    where: {
      all: [
        { column: "Gender", op: "=", value: "Male" },
        { column: SCORE, op: "<=", value: 40 },
      ],
    },
  },
  { name: "nobody", where: { any: [] } },
  { name: "text", where: `"Age" > 60` },
];

let wasm: Engine;
let native: Engine;
let seg: Seg;
let ch: ReturnType<typeof chdbWith>;
const server = clickhouseServer();

beforeAll(async () => {
  wasm = await openDatasets(["mall"]);
  seg = createSeg(segContext(wasm));
  native = await createNativeEngine({ baseDir: repoRoot });
  await native.loadFile("mall", { kind: "path", path: DATASETS.mall });
  ch = chdbWith({ mall: MALL });
  if (server) await server.load("mall", await wasm.describe("mall"), MALL);
}, 60_000);

afterAll(async () => {
  await wasm?.close();
  await native?.close();
  ch?.close();
});

type Row = Record<string, unknown>;
const plain = (rows: { toJSON(): Row }[]) => rows.map((r) => r.toJSON());

/** id -> the given columns of each row, booleans and numbers as numbers, strings as they are. */
function byId(rows: readonly Row[], columns: readonly string[]): Map<string, unknown[]> {
  const norm = (v: unknown) => (typeof v === "boolean" ? Number(v) : typeof v === "bigint" ? Number(v) : v);
  return new Map(rows.map((row) => [String(row.CustomerID), columns.map((c) => norm(row[c]))]));
}

/** The labels of `scoring.toSQL` on every engine, each checked equal to `expected`. */
async function expectEverywhere(
  scoring: SqlScoring,
  table: string,
  columns: string[],
  expected: Map<string, unknown[]>,
) {
  const duck = scoring.toSQL({ dialect: "duckdb", table, id: "CustomerID" });
  expect(byId(plain((await wasm.query(duck)).toArray()), columns)).toEqual(expected);
  expect(byId(plain((await native.query(duck)).toArray()), columns)).toEqual(expected);
  const click = scoring.toSQL({ dialect: "clickhouse", table, id: "CustomerID" });
  expect(byId(ch.rows(click), columns)).toEqual(expected);
  if (server) expect(byId(await server.rows(click), columns)).toEqual(expected);
}

describe("segments toSQL", () => {
  it("exclusive: the first matching definition for every customer, as seg.segments", async () => {
    const segs = await seg.segments("mall", { definitions: DEFINITIONS, other: "the rest" });
    const expected = byId(await segs.rows(), ["segment"]);
    // Every definition but "nobody" gets someone, so a wrong order or operator shows.
    expect(new Set([...expected.values()].map(([s]) => s)).size).toBe(6);
    await expectEverywhere(segs, "mall", ["segment"], expected);
  });

  it("not exclusive: one 0/1 column per segment, as seg.segments", async () => {
    const segs = await seg.segments("mall", { definitions: DEFINITIONS, exclusive: false });
    const names = (DEFINITIONS as readonly { name: string }[]).map((d) => d.name);
    await expectEverywhere(segs, "mall", names, byId(await segs.rows(), names));
  });

  it("carries every column of the table when no id is given", async () => {
    const segs = await seg.segments("mall", { definitions: DEFINITIONS.slice(0, 2) });
    const rows = plain((await wasm.query(segs.toSQL({ dialect: "duckdb", table: "mall" }))).toArray());
    expect(Object.keys(rows[0]!)).toEqual(["CustomerID", "Gender", AGE, INCOME, SCORE, "segment"]);
    expect(Object.keys(ch.rows(segs.toSQL({ dialect: "clickhouse", table: "mall" }))[0]!)).toEqual(
      Object.keys(rows[0]!),
    );
  });

  it("refuses event rules with a message that says what to do", async () => {
    await wasm.query(`CREATE TABLE orders AS SELECT CustomerID, DATE '2024-01-01' AS day FROM mall`);
    try {
      const segs = await seg.segments("mall", {
        definitions: [
          {
            name: "buyers",
            where: { events: { table: "orders", id: "CustomerID", date: "day" }, within: { days: 30 } },
          },
        ],
        asOf: "2024-01-10",
      });
      expect(() => segs.toSQL({ dialect: "clickhouse", table: "mall" })).toThrow(
        /segment "buyers": it has an event rule, which reads a second table; .*aggregate the events per customer/,
      );
    } finally {
      await wasm.query("DROP TABLE orders");
    }
  });
});

describe("explain toSQL", () => {
  it('with missing: "drop", rows with a missing feature get NULL and the rest their rule\'s segment', async () => {
    await wasm.query(
      `CREATE TABLE holes AS SELECT * REPLACE (CASE WHEN CustomerID % 10 = 0 THEN NULL ELSE "${AGE}" END AS "${AGE}"), CASE WHEN "${SCORE}" > 50 THEN 'high' ELSE 'low' END AS band FROM mall`,
    );
    try {
      const why = await seg.explain("holes", {
        segment: "band",
        features: [AGE, INCOME],
        maxDepth: 2,
        missing: "drop",
      });
      expect(why.info.dropped).toBe(20);
      const oracle = `SELECT CustomerID, CASE WHEN "${AGE}" IS NULL THEN NULL ${why.info.rules.map((r) => `WHEN ${r.sql} THEN '${r.segment}'`).join(" ")} END AS segment FROM holes`;
      const expected = byId(plain((await wasm.query(oracle)).toArray()), ["segment"]);
      expect([...expected.values()].filter(([s]) => s === null)).toHaveLength(20);
      const got = byId(
        plain((await wasm.query(why.toSQL({ dialect: "duckdb", table: "holes", id: "CustomerID" }))).toArray()),
        ["segment"],
      );
      expect(got).toEqual(expected);
      ch.run(
        `CREATE TABLE holes ENGINE = Memory AS SELECT * REPLACE (if(CustomerID % 10 = 0, NULL, Age) AS Age), if(\`${SCORE}\` > 50, 'high', 'low') AS band FROM mall`,
      );
      expect(
        byId(ch.rows(why.toSQL({ dialect: "clickhouse", table: "holes", id: "CustomerID" })), ["segment"]),
      ).toEqual(expected);
    } finally {
      await wasm.query("DROP TABLE holes");
    }
  });

  it.each(["one-vs-rest", "multiclass"] as const)(
    "%s: every customer gets the segment explain's own rules give it",
    async (mode) => {
      const km = await seg.kmeans("mall", {
        features: [AGE, INCOME, SCORE],
        transform: "standardize",
        k: 4,
        id: "CustomerID",
      });
      const join = (labels: string) =>
        `SELECT m.*, l.cluster FROM mall AS m INNER JOIN ${labels} AS l ON m.CustomerID = l.CustomerID`;
      await wasm.query(`CREATE TABLE mall_k AS ${join(`"${km.name}"`)}`);
      try {
        const why = await seg.explain("mall_k", {
          segment: "cluster",
          features: [AGE, INCOME, SCORE, "Gender"],
          maxDepth: 3,
          mode,
        });
        // The oracle: explain's own rule conditions (its DuckDB SQL), first match in rule order.
        const oracle = `SELECT CustomerID, CASE ${why.info.rules.map((r) => `WHEN ${r.sql} THEN ${r.segment}`).join(" ")} END AS segment FROM mall_k`;
        const expected = byId(plain((await wasm.query(oracle)).toArray()), ["segment"]);
        expect(new Set([...expected.values()].map(([s]) => s)).size).toBeGreaterThan(1);
        // The same labelled table in the other engines.
        const values = plain((await wasm.query(`SELECT CustomerID, cluster FROM mall_k`)).toArray())
          .map((r) => `(${Number(r.CustomerID)}, ${Number(r.cluster)})`)
          .join(", ");
        await native.query(`CREATE TABLE labels (CustomerID BIGINT, cluster INTEGER)`);
        await native.query(`INSERT INTO labels VALUES ${values}`);
        await native.query(`CREATE TABLE mall_k AS ${join("labels")}`);
        for (const engine of [ch, ...(server ? [server] : [])]) {
          await engine.run(`DROP TABLE IF EXISTS labels`);
          await engine.run(`DROP TABLE IF EXISTS mall_k`);
          await engine.run(`CREATE TABLE labels (CustomerID Int64, cluster Int32) ENGINE = Memory`);
          await engine.run(`INSERT INTO labels VALUES ${values}`);
          // ALL INNER JOIN … USING: the join ClickHouse 18.16 knows.
          await engine.run(
            `CREATE TABLE mall_k ENGINE = Memory AS SELECT * FROM mall ALL INNER JOIN labels USING CustomerID`,
          );
        }
        await expectEverywhere(why, "mall_k", ["segment"], expected);
      } finally {
        await wasm.query("DROP TABLE mall_k");
        await native.query("DROP TABLE IF EXISTS mall_k");
        await native.query("DROP TABLE IF EXISTS labels");
      }
    },
  );
});
