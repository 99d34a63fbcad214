/**
 * The SQL text toSQL writes, on real engines: number literals read back as the very same double on
 * DuckDB and ClickHouse; hostile column names, category values, table names and label names are
 * quoted so they cannot break out (the query still gives assign's labels and a canary table
 * survives); bad options get messages that name the fix.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { ToSqlOptions } from "../../src/seg/contract.ts";
import { createSeg, type Seg } from "../../src/seg/namespace.ts";
import { sqlTarget } from "../../src/seg/to-sql-dialect.ts";
import { segContext } from "../helpers/datasets.ts";
import { mulberry32 } from "../../src/random/index.ts";
import { chdbWith, clickhouseServer } from "./helpers/sql-engines.ts";

let wasm: Engine;
let seg: Seg;
let ch: ReturnType<typeof chdbWith>;
const server = clickhouseServer();

beforeAll(async () => {
  wasm = await createNodeEngine();
  seg = createSeg(segContext(wasm));
  ch = chdbWith({});
}, 60_000);

afterAll(async () => {
  await wasm?.close();
  ch?.close();
});

/** Doubles of every kind: tiny, huge, subnormal, negative, whole, with 17 significant digits. */
function doubles(): number[] {
  const random = mulberry32(7);
  const out = [0, -0, 1, -1, 0.1, 70.5, 1 / 3, Math.PI, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308];
  for (let i = 0; i < 600; ++i) {
    const mantissa = random() * 2 - 1;
    out.push(mantissa * 10 ** Math.floor(random() * 40 - 20), mantissa * 2 ** Math.floor(random() * 2000 - 1000));
  }
  return out;
}

describe("number literals", () => {
  it("read back as the same double on DuckDB and ClickHouse", async () => {
    const values = doubles();
    for (const dialect of ["duckdb", "clickhouse"] as const) {
      const { sql } = sqlTarget({ dialect, table: "t", id: "id" }, null, "test");
      const list = values.map((v) => sql.num(v));
      if (dialect === "duckdb") {
        const rows = (
          await wasm.query(
            `SELECT v FROM (VALUES ${list.map((l, i) => `(${i}, ${l})`).join(", ")}) AS t(i, v) ORDER BY i`,
          )
        ).toArray();
        expect(rows.map((r) => Number(r.v))).toEqual(values.map((v) => v + 0));
      } else {
        // Text out (shortest round-trip form) rather than JSON numbers, so nothing is rounded on the way.
        const query = `SELECT toString(arrayJoin([${list.join(", ")}])) AS v`;
        const parse = (rows: Record<string, unknown>[]) => rows.map((r) => Number(String(r.v)));
        expect(parse(ch.rows(query))).toEqual(values.map((v) => v + 0));
        if (server) expect(parse(await server.rows(query))).toEqual(values.map((v) => v + 0));
      }
    }
  });
});

/** Names and values chosen to break out of every kind of quoting. */
const HOSTILE = {
  id: 'id"; DROP TABLE canary; --',
  numeric: "x` FROM canary); DROP TABLE canary; --",
  category: "c' OR 1=1 --\\",
  table: 'my "tab`le',
  as: "label'; DROP TABLE canary; --",
};
const VALUES = ["plain", "it's", "back\\slash", "tick`", 'quote"', "\\'; DROP TABLE canary; --"];

describe("quoting", () => {
  it("hostile names and category values stay names and values on DuckDB and ClickHouse", async () => {
    const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
    const rows = Array.from({ length: 60 }, (_, i) => [i + 1, (i * 37) % 101, VALUES[i % VALUES.length]!] as const);
    await wasm.query(`CREATE TABLE canary AS SELECT 1 AS alive`);
    await wasm.query(
      `CREATE TABLE ${q(HOSTILE.table)} AS SELECT * FROM (VALUES ${rows.map(([a, b, c]) => `(${a}, ${b}, '${c.replaceAll("'", "''")}')`).join(", ")}) AS t(${q(HOSTILE.id)}, ${q(HOSTILE.numeric)}, ${q(HOSTILE.category)})`,
    );
    try {
      const km = await seg.kmeans(HOSTILE.table, {
        features: [HOSTILE.numeric, HOSTILE.category],
        transform: { [HOSTILE.numeric]: "standardize" },
        id: HOSTILE.id,
        k: 4,
      });
      const expected = new Map(
        (await (await km.model.assign(HOSTILE.table)).rows()).map((r) => [Number(r[HOSTILE.id]), Number(r.cluster)]),
      );
      expect(new Set(expected.values()).size).toBe(4);
      const options = { table: HOSTILE.table, as: HOSTILE.as };
      const read = (got: Record<string, unknown>[]) =>
        new Map(got.map((r) => [Number(r[HOSTILE.id]), Number(r[HOSTILE.as])]));

      const duck = km.model.toSQL({ dialect: "duckdb", ...options });
      expect(read((await wasm.query(duck)).toArray().map((r) => r.toJSON()))).toEqual(expected);
      expect((await wasm.query("SELECT alive FROM canary")).numRows).toBe(1);

      // The same table in ClickHouse, named with ClickHouse's own quoting (backslashes are escapes there).
      const tick = (name: string) => `\`${name.replaceAll("\\", "\\\\").replaceAll("`", "\\`")}\``;
      const text = (value: string) => `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
      for (const engine of [ch, ...(server ? [server] : [])]) {
        await engine.run("DROP TABLE IF EXISTS canary");
        await engine.run("CREATE TABLE canary (alive UInt8) ENGINE = Memory");
        await engine.run("INSERT INTO canary VALUES (1)");
        await engine.run(`DROP TABLE IF EXISTS ${tick(HOSTILE.table)}`);
        await engine.run(
          `CREATE TABLE ${tick(HOSTILE.table)} (${tick(HOSTILE.id)} Int64, ${tick(HOSTILE.numeric)} Int64, ${tick(HOSTILE.category)} String) ENGINE = Memory`,
        );
        await engine.run(
          `INSERT INTO ${tick(HOSTILE.table)} VALUES ${rows.map(([a, b, c]) => `(${a}, ${b}, ${text(c)})`).join(", ")}`,
        );
        const click = km.model.toSQL({ dialect: "clickhouse", ...options });
        expect(read(await engine.rows(click))).toEqual(expected);
        expect(await engine.rows("SELECT alive FROM canary")).toEqual([{ alive: 1 }]);
      }
    } finally {
      await wasm.query(`DROP TABLE ${q(HOSTILE.table)}`);
      await wasm.query("DROP TABLE canary");
    }
  });

  it("segment rule values are literals, whatever they hold", async () => {
    await wasm.query(
      `CREATE TABLE people AS SELECT * FROM (VALUES ${VALUES.map((v, i) => `(${i}, '${v.replaceAll("'", "''")}')`).join(", ")}) AS t(id, name)`,
    );
    try {
      const segs = await seg.segments("people", {
        definitions: VALUES.map((value, i) => ({
          name: `s${i} ${value}`,
          where: { column: "name", op: "=" as const, value },
        })),
        id: "id",
      });
      const expected = (await segs.rows()).map((r) => [Number(r.id), r.segment]);
      expect(new Set(expected.map(([, s]) => s)).size).toBe(VALUES.length);
      const duck = (await wasm.query(`${segs.toSQL({ dialect: "duckdb", table: "people" })} ORDER BY id`)).toArray();
      expect(duck.map((r) => [Number(r.id), r.segment])).toEqual(expected);
      const text = (value: string) => `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
      ch.run("CREATE TABLE people (id Int64, name String) ENGINE = Memory");
      ch.run(`INSERT INTO people VALUES ${VALUES.map((v, i) => `(${i}, ${text(v)})`).join(", ")}`);
      const click = ch.rows(`${segs.toSQL({ dialect: "clickhouse", table: "people" })} ORDER BY id`);
      expect(click.map((r) => [Number(r.id), r.segment])).toEqual(expected);
    } finally {
      await wasm.query("DROP TABLE people");
    }
  });
});

describe("bad options", () => {
  const BAD: [string, unknown, RegExp][] = [
    ["no options", undefined, /pass \{dialect: "clickhouse" \| "duckdb", table: "<table to score>"\}/],
    [
      "an unknown dialect",
      { dialect: "postgres", table: "t" },
      /unknown dialect "postgres"; use "duckdb" or "clickhouse"/,
    ],
    ["no dialect", { table: "t" }, /unknown dialect undefined; use "duckdb" or "clickhouse"/],
    ["no table", { dialect: "duckdb" }, /pass \{table: "<name>"\} \(or its parts, \["database", "table"\]\)/],
    ["an empty table part", { dialect: "clickhouse", table: ["db", ""] }, /pass \{table: "<name>"\}/],
    [
      "an id that is not a name",
      { dialect: "duckdb", table: "t", id: 3 },
      /id must be a column name or a list of column names, got 3/,
    ],
    ["an empty as", { dialect: "duckdb", table: "t", as: "" }, /as must be a column name, got ""/],
    ["as equal to an id", { dialect: "duckdb", table: "t", as: "CustomerID" }, /as "CustomerID" is also an id column/],
  ];
  it.each(BAD)("model.toSQL with %s says what to pass", async (_, options, message) => {
    await wasm.query(`CREATE TABLE tiny AS SELECT range AS "CustomerID", range * 1.5 AS x FROM range(10)`);
    try {
      const km = await seg.kmeans("tiny", { features: ["x"], id: "CustomerID", k: 2 });
      expect(() => km.model.toSQL(options as ToSqlOptions)).toThrow(message);
    } finally {
      await wasm.query("DROP TABLE tiny");
    }
  });

  it("a model fitted without an id asks for one", async () => {
    await wasm.query(`CREATE TABLE tiny AS SELECT range * 1.5 AS x FROM range(10)`);
    try {
      const km = await seg.kmeans("tiny", { features: ["x"], k: 2 });
      expect(() => km.model.toSQL({ dialect: "duckdb", table: "tiny" })).toThrow(
        /kmeans model.toSQL: the model was fitted without an id column, .*pass \{id: "<id column>"\}/,
      );
      const sql = km.model.toSQL({ dialect: "duckdb", table: "tiny", id: "x" });
      expect((await wasm.query(sql)).numRows).toBe(10);
    } finally {
      await wasm.query("DROP TABLE tiny");
    }
  });
});
