/**
 * loadParquetNative (the native engine reading Parquet with DuckDB's own read_parquet) against the
 * wasm engine (parquet-wasm, or hyparquet for the columns parquet-wasm does not take) on the same
 * files, written by native DuckDB: every column type, nulls, every codec, the `columns` option and
 * every error must come out the same. Native reads with DuckDB exactly the files the wasm engine
 * reads with parquet-wasm; DuckDB's own file-system log shows which reader read it (DuckDB's writer
 * cannot make INT96, FLOAT16 or nanosecond UTC timestamps: those are covered by the shared rule).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { Table } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine, LoadOptions } from "../../src/engine/engine.ts";
import { createNativeEngine } from "../../src/engine/native.ts";
import { createNodeEngine } from "../../src/engine/node.ts";

let native: Engine;
let wasm: Engine;
let instance: DuckDBInstance;
let writer: DuckDBConnection;
let dir: string;

beforeAll(async () => {
  [native, wasm] = await Promise.all([createNativeEngine({ threads: 2 }), createNodeEngine()]);
  instance = await DuckDBInstance.create(":memory:");
  writer = await instance.connect();
  dir = mkdtempSync(path.join(tmpdir(), "segbook-parquet-native-"));
});

afterAll(async () => {
  await native?.close();
  await wasm?.close();
  writer?.closeSync();
  instance?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Writes `select` to `file` in `dir` as Parquet with DuckDB (default Snappy, or `codec`). */
async function parquet(file: string, select: string, codec = "snappy"): Promise<string> {
  const target = path.join(dir, file);
  await writer.run(`COPY (${select}) TO '${target}' (FORMAT parquet, COMPRESSION ${codec})`);
  return target;
}

/** A table's fields and rows with exact values (doubles by their bits, bigints and bytes spelled out). */
function snapshot(table: Table) {
  return {
    fields: table.schema.fields.map((field) => `${field.name}: ${String(field.type)}`),
    rows: JSON.stringify(
      table.toArray().map((row) => row.toJSON()),
      (_key, value: unknown) =>
        typeof value === "bigint"
          ? `${value}n`
          : typeof value === "number"
            ? `${value}|${Object.is(value, -0) ? "-0" : ""}`
            : ArrayBuffer.isView(value)
              ? Array.from(value as Uint8Array)
              : value,
    ),
  };
}

/** Loads `file` into each engine and returns what the user sees: the load result and the rows, or the error. */
async function load(engine: Engine, file: string, options?: LoadOptions) {
  try {
    const result = await engine.loadFile("pq", { kind: "path", path: file }, options);
    return { result, table: snapshot(await engine.query("SELECT * FROM pq")) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The positions DuckDB's own file system logged reads at in a registered file named `*-<name>`. */
async function duckdbReads(name: string): Promise<number[]> {
  const log = await native.query(
    "SELECT message FROM duckdb_logs WHERE type = 'FileSystem' AND message LIKE '%\"op\":\"READ\"%'",
  );
  return log
    .toArray()
    .map((row) => JSON.parse(String(row.toJSON().message)) as { path: string; pos: string })
    .filter((entry) => entry.path.endsWith(`-${name}`))
    .map((entry) => Number(entry.pos));
}

/** Title, the query written as Parquet, which reader must read it on native, the codec, the error expected. */
const cases: [string, string, "duckdb" | "js" | "either", string?, RegExp?][] = [
  [
    "every plain type with nulls",
    "SELECT range::BOOLEAN AS b, range::TINYINT AS i8, range::SMALLINT AS i16, range::INTEGER AS i32, " +
      "(range * 3000000000)::BIGINT AS i64, range::UTINYINT AS u8, range::USMALLINT AS u16, range::UINTEGER AS u32, " +
      "(range * 10000000000000000000 // 3)::UBIGINT AS u64, (range / 3)::FLOAT AS f, range / 7 AS d, " +
      "DATE '1969-12-31' + range::INTEGER AS day, TIME '13:04:05.123456' AS t, " +
      "TIMESTAMP '1960-01-02 03:04:05.123456' + INTERVAL (range) DAY AS ts, " +
      "TIMESTAMP_MS '2024-01-01 00:00:00.123' AS ts_ms, TIMESTAMP_NS '2024-01-01 00:00:00.123456789' AS ts_ns, " +
      "'Zoë ✓ ' || range AS s, ('\\xAA\\x00' || range::VARCHAR)::BLOB AS bytes, " +
      "(CASE range % 2 WHEN 0 THEN 'a' ELSE 'b' END)::ENUM('a', 'b') AS e FROM range(3) " +
      "UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, " +
      "NULL, NULL, NULL, NULL",
    "duckdb",
  ],
  [
    "decimals of every width as DuckDB's DOUBLE cast",
    "SELECT (range * 0.1)::DECIMAL(4,1) AS d4, (range * 1.07 - 500)::DECIMAL(9,2) AS d9, " +
      "(range * 123456.789 - 1e9)::DECIMAL(18,3) AS d18, (range * 7)::DECIMAL(18,0) AS d0, " +
      "(range / 2001.0)::DECIMAL(10,10) AS frac, (range * 1234567890123.45 - 1e15)::DECIMAL(30,2) AS d30, " +
      "(range * 1.000000000000000000000000000001)::DECIMAL(38,30) AS d38 FROM range(2000) " +
      "UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL",
    "duckdb",
  ],
  [
    "timestamps adjusted to UTC as plain UTC wall time",
    "SELECT TIMESTAMPTZ '2024-03-10 01:30:00.123456+00' + INTERVAL (range) HOUR AS at FROM range(5) " +
      "UNION ALL SELECT NULL",
    "duckdb",
  ],
  ["JSON as text", "SELECT '{\"a\": [1, 2]}'::JSON AS j, '[]'::JSON AS k", "duckdb"],
  ["an empty file", "SELECT range AS n, 'x' AS s FROM range(0)", "either"],
  ["many row groups in order", "SELECT range AS n, range % 17 AS k FROM range(300000)", "duckdb"],
  ["a zstd file", "SELECT range AS x, 'z' || range AS s FROM range(1000)", "duckdb", "zstd"],
  ["a gzip file", "SELECT range AS x, 0.35::DECIMAL(4,2) AS d FROM range(1000)", "duckdb", "gzip"],
  ["an lz4 file", "SELECT range AS x FROM range(1000)", "duckdb", "lz4"],
  ["a brotli file", "SELECT range AS x FROM range(1000)", "duckdb", "brotli"],
  // hyparquet's own forms, on both engines:
  [
    "nested columns as JSON text",
    "SELECT [range, NULL] AS l, {'x': range} AS st, MAP {'k': range} AS m FROM range(3)",
    "js",
  ],
  ["UUIDs", "SELECT 'a1b2c3d4-0000-4000-8000-000000000001'::UUID AS u", "js"],
  ["a plain column beside a nested one", "SELECT 1.5::DECIMAL(4,2) AS d, [1] AS l", "js"],
  [
    "a zstd file with a nested column (hyparquet's error and fix)",
    "SELECT [1] AS l",
    "js",
    "zstd",
    /needs Segbook's JavaScript Parquet reader \(used for nested, .*reads only uncompressed and Snappy-compressed Parquet/,
  ],
];

describe("loadParquetNative through createNativeEngine().loadFile", () => {
  it.each(cases)(
    "loadFile(name, parquet) gives the wasm engine's result: %s",
    async (title, select, reader, codec, error) => {
      const name = `${title.replace(/\W+/g, "-")}.parquet`;
      const file = await parquet(name, select, codec);
      await native.exec("CALL enable_logging('FileSystem')");
      const fromNative = await load(native, file);
      await native.exec("CALL disable_logging()");
      const fromWasm = await load(wasm, file);
      expect(fromNative).toEqual(fromWasm);
      // Column data starts right after the 4-byte "PAR1" magic; only DuckDB's scan reads from there.
      if (reader !== "either") expect((await duckdbReads(name)).includes(4)).toBe(reader === "duckdb");
      if (error) expect(fromWasm.error).toMatch(error);
      else expect(fromWasm.error).toBeUndefined();
    },
  );

  it("loadFile(name, parquet) gives UTC timestamps their UTC wall time on native DuckDB whatever its TimeZone", async () => {
    const file = await parquet("utc-wall.parquet", "SELECT TIMESTAMPTZ '2024-07-01 12:00:00+00' AS paid");
    await native.exec("SET TimeZone = 'America/New_York'");
    try {
      const fromNative = await load(native, file);
      expect(fromNative).toEqual(await load(wasm, file));
      const row = (await native.query("SELECT paid::VARCHAR AS paid FROM pq")).toArray()[0]!.toJSON();
      expect(row).toEqual({ paid: "2024-07-01 12:00:00" });
    } finally {
      await native.exec("SET TimeZone = 'UTC'");
    }
  });

  it("loadFile(name, parquet) gives the same DECIMAL doubles from hyparquet (beside a nested column) as from DuckDB's readers", async () => {
    const decimals =
      "(range * 0.01)::DECIMAL(4,2) AS d4, (range * 1.07 - 500)::DECIMAL(9,2) AS d9, " +
      "(range * 123456.789 - 1e9)::DECIMAL(18,3) AS d18, (range * 1234567890123.45 - 1e15)::DECIMAL(30,2) AS d30";
    const plain = await parquet("decimals-plain.parquet", `SELECT ${decimals} FROM range(2000)`);
    const nested = await parquet("decimals-nested.parquet", `SELECT ${decimals}, [range] AS l FROM range(2000)`);
    // Loaded whole: the nested column sends the file to hyparquet (with `columns` it would not).
    const decimalsOf = async (engine: Engine, file: string) => {
      await engine.loadFile("pq", { kind: "path", path: file });
      return snapshot(await engine.query("SELECT d4, d9, d18, d30 FROM pq"));
    };
    for (const engine of [native, wasm]) {
      const viaDuckdb = await decimalsOf(engine, plain);
      expect(JSON.parse(viaDuckdb.rows)).toHaveLength(2000);
      expect(await decimalsOf(engine, nested)).toEqual(viaDuckdb);
    }
  });

  it("loadFile(name, parquet) gives DECIMAL columns DuckDB's CAST to DOUBLE on both engines (0.35, not 0.35000000000000003)", async () => {
    const file = await parquet("decimal-cast.parquet", "SELECT 0.35::DECIMAL(4,2) AS d, 0.35::DECIMAL(30,2) AS w");
    for (const engine of [native, wasm]) {
      await engine.loadFile("pq", { kind: "path", path: file });
      const row = (await engine.query("SELECT d, w, typeof(d) AS t FROM pq")).toArray()[0]!.toJSON();
      expect(row).toEqual({ d: 0.35, w: 0.35, t: "DOUBLE" });
    }
  });

  it.each([
    ["a subset in the file's order", ["b", "a"]],
    ["one column", ["c"]],
    ["a missing column (the same error)", ["a", "nope"]],
  ])("loadFile(name, parquet, {columns}) gives the wasm engine's result: %s", async (_, columns) => {
    const file = await parquet("columns.parquet", "SELECT 1 AS a, 'x' AS b, DATE '2024-01-01' AS c");
    const [fromNative, fromWasm] = [await load(native, file, { columns }), await load(wasm, file, { columns })];
    expect(fromNative).toEqual(fromWasm);
  });

  it.each([
    ["text named .parquet", "order_id,amount\n1,2\n"],
    ["a truncated file", "PAR1 and then nothing useful"],
  ])("loadFile(name, parquet) fails as the wasm engine does on %s", async (title, content) => {
    const file = path.join(dir, `${title.replace(/\W+/g, "-")}.parquet`);
    writeFileSync(file, content);
    const [fromNative, fromWasm] = [await load(native, file), await load(wasm, file)];
    expect(fromWasm.error).toMatch(/^loadFile: could not read ".*\.parquet" as Parquet: /);
    expect(fromNative).toEqual(fromWasm);
  });

  it("loadFile(name, parquet) is read by DuckDB's own reader: its file system reads the column data, not just the footer", async () => {
    await native.exec("CALL enable_logging('FileSystem')");
    const plain = await parquet("reader-plain.parquet", "SELECT range AS n FROM range(1000)");
    const nested = await parquet("reader-nested.parquet", "SELECT [range] AS l FROM range(1000)");
    await native.loadFile("plain", { kind: "path", path: plain });
    await native.loadFile("nested", { kind: "path", path: nested });
    await native.exec("CALL disable_logging()");
    // Column data starts right after the 4-byte "PAR1" magic; only a scan reads from there.
    expect(await duckdbReads("reader-plain.parquet")).toContain(4);
    // Nested columns take hyparquet, as on the wasm engine: DuckDB never opened the file.
    expect(await duckdbReads("reader-nested.parquet")).toEqual([]);
  });
});
