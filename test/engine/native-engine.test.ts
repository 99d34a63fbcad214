/**
 * Runs the engine conformance suite (engine-cases.ts) against the native engine (@duckdb/node-api),
 * rebuilding each case from its source text as the other runners do. Cases where native DuckDB
 * differs on purpose are listed in KNOWN_DIFFERENCES with the reason and what native gives instead.
 * A second block compares the native engine with the wasm Node engine on the same queries and files.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Table } from "apache-arrow";
import type { Engine, FileSource } from "../../src/engine/engine.ts";
import { createNativeEngine } from "../../src/engine/native.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { describeConformance, fixtureUrl, type KnownDifference } from "./conformance.ts";
import { engineCases } from "./engine-cases.ts";

/**
 * Conformance cases whose expected result differs on native DuckDB, by title: why, and the result
 * native gives instead (asserted, so a change in either engine is noticed).
 */
const KNOWN_DIFFERENCES: Record<string, KnownDifference> = {
  "query(read_parquet(...)) fails fast naming the missing extension, and INSTALL/LOAD are refused": {
    why:
      "the native library has parquet and json compiled in, so read_parquet/read_json exist (they fail on the " +
      "missing file instead of naming an extension); INSTALL/LOAD are still refused",
    expected: { parquet: false, json: false, load: true, install: true, fast: true },
  },
};

describeConformance(
  "createNativeEngine() passes the engine conformance suite",
  () => createNativeEngine(),
  KNOWN_DIFFERENCES,
);

describe("KNOWN_DIFFERENCES", () => {
  it("KNOWN_DIFFERENCES names only existing cases", () => {
    const titles = new Set(engineCases.map((testCase) => testCase.title));
    expect(Object.keys(KNOWN_DIFFERENCES).filter((title) => !titles.has(title))).toEqual([]);
  });
});

/** A table's schema (field names and Arrow types) and rows, in a comparable form. */
function snapshot(table: Table) {
  return {
    fields: table.schema.fields.map((field) => `${field.name}: ${String(field.type)}`),
    rows: JSON.stringify(
      table.toArray().map((row) => row.toJSON()),
      (_key, value: unknown) =>
        typeof value === "bigint" ? `${value}n` : ArrayBuffer.isView(value) ? Array.from(value as Uint8Array) : value,
    ),
  };
}

describe("createNativeEngine() gives the wasm engine's Arrow results", () => {
  let native: Engine;
  let wasm: Engine;
  beforeAll(async () => {
    [native, wasm] = await Promise.all([createNativeEngine({ threads: 1 }), createNodeEngine()]);
  });
  afterAll(async () => {
    await native?.close();
    await wasm?.close();
  });

  const queries: [string, string][] = [
    [
      "integers and floats",
      "SELECT 1::TINYINT a, 2::SMALLINT b, 3::INTEGER c, 4::BIGINT d, 5::UTINYINT e, 6::USMALLINT f, 7::UINTEGER g, " +
        "8::UBIGINT h, 1.5::FLOAT i, 2.25::DOUBLE j, NULL::INTEGER k, -9007199254740993::BIGINT l",
    ],
    [
      "decimals and hugeint",
      "SELECT 1.5::DECIMAL(4,1) a, -123.456::DECIMAL(18,3) b, 12345678901234567890.12::DECIMAL(30,2) c, " +
        "(-170141183460469231731687303715884105727)::HUGEINT d, range * 1.5 AS e FROM range(3)",
    ],
    [
      "text, uuid, blob and booleans",
      "SELECT 'Zoë ✓' a, '' b, NULL::VARCHAR c, 'a1b2c3d4-0000-4000-8000-000000000001'::UUID d, '\\xAA\\x00'::BLOB e, " +
        "true f, NULL::BOOLEAN g",
    ],
    [
      "dates, times, timestamps and intervals",
      "SELECT DATE '2024-02-29' a, DATE '1900-01-01' b, TIME '13:04:05.123456' c, " +
        "TIMESTAMP '2024-01-02 03:04:05.123456' d, TIMESTAMP_S '2024-01-01 00:00:01' e, " +
        "TIMESTAMP_MS '2024-01-01 00:00:00.123' f, TIMESTAMP_NS '2024-01-01 00:00:00.123456789' g, " +
        "INTERVAL '1 month 2 days 3.5 seconds' h",
    ],
    [
      "lists, arrays, structs, maps and enums",
      "SELECT [1, NULL, 3] a, []::INTEGER[] b, NULL::INTEGER[] c, [[1], [2, 3]] d, [1, 2]::INTEGER[2] e, " +
        "{'x': 1, 'y': 'z'} f, MAP {'k': 1, 'l': 2} g, 'b'::ENUM('a', 'b') h, [{'p': DATE '2024-01-01'}] i",
    ],
    ["an empty result", "SELECT range AS n, 'x' AS s FROM range(0)"],
    ["several chunks", "SELECT range AS n, range::DOUBLE / 7 AS x, 'r' || range AS s FROM range(5000)"],
    ["an untyped NULL", "SELECT NULL AS n"],
  ];

  it.each(queries)("query(sql) returns the same Arrow fields and values as the wasm engine: %s", async (_, sql) => {
    const [fromNative, fromWasm] = [await native.query(sql), await wasm.query(sql)];
    expect(snapshot(fromNative)).toEqual(snapshot(fromWasm));
  });

  it("insertArrow(name, table) gives native the DuckDB types and values wasm gives", async () => {
    const sql =
      "SELECT range::INTEGER AS i, range * 1.5 AS x, 'r' || range AS s, DATE '2024-01-01' + range::INTEGER AS d, " +
      "TIMESTAMP '2024-01-01 10:00:00.5' + INTERVAL (range) HOUR AS t, range % 2 = 0 AS b, " +
      "[range, NULL] AS l, {'a': range} AS st, CASE WHEN range = 2 THEN NULL ELSE range END AS maybe FROM range(3000)";
    const source = await wasm.query(sql);
    await native.insertArrow("copy_t", source);
    await wasm.insertArrow("copy_t", source);
    expect(await native.describe("copy_t")).toEqual(await wasm.describe("copy_t"));
    const read = "SELECT * FROM copy_t ORDER BY i";
    expect(snapshot(await native.query(read))).toEqual(snapshot(await wasm.query(read)));
  });

  it.each(["people.csv", "people.tsv", "people.parquet", "row-groups.parquet", "people.json", "people.ndjson"])(
    "loadFile(name, %s) gives the same columns, rows and sha256 on both engines",
    async (file) => {
      const [a, b] = [
        await native.loadFile("loaded", fixtureUrl(file)),
        await wasm.loadFile("loaded", fixtureUrl(file)),
      ];
      expect(a).toEqual(b);
      const read = "SELECT * FROM loaded ORDER BY ALL";
      expect(snapshot(await native.query(read))).toEqual(snapshot(await wasm.query(read)));
    },
  );

  it("loadFile(name, json bytes) infers the types duckdb-wasm's JSON insert infers", async () => {
    const rows = [
      { a: 1, b: 3000000000, c: 1.5, d: "x", e: true, f: [1, 2], g: { h: 1 }, i: "2024-01-01 10:00:00" },
      { a: 2, b: 1, c: 2, d: "y", e: false, f: [], g: { h: 2 }, i: "2024-01-02 10:00:00" },
    ].map((row, n) => ({
      ...row,
      j: `1${n}:00:00`,
      k: null,
      l: n === 0 ? 1 : 2.5,
      m: n === 0 ? -5 : 7,
      o: "2024-01-01",
    }));
    const source: FileSource = {
      kind: "bytes",
      bytes: new TextEncoder().encode(JSON.stringify(rows)),
      fileName: "x.json",
    };
    const [a, b] = [await native.loadFile("json_t", source), await wasm.loadFile("json_t", source)];
    expect(a).toEqual(b);
    const read = "SELECT * FROM json_t ORDER BY a";
    expect(snapshot(await native.query(read))).toEqual(snapshot(await wasm.query(read)));
  });

  it("version() reports the native DuckDB version", async () => {
    expect(await native.version()).toMatch(/^v1\.\d+\.\d+/);
  });
});
