/**
 * loadFile on Parquet through parquet-wasm (WebAssembly -> Arrow IPC -> duckdb-wasm, batch by batch)
 * gives exactly what the JavaScript path gives (hyparquet -> Arrow JS table -> insertArrow, the
 * reader before parquet-wasm): the same column names, order and DuckDB types, and the same values,
 * on files written by native DuckDB and by hyparquet-writer. Real duckdb-wasm, real native DuckDB.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { parquetToArrow } from "../../src/engine/parquet-to-arrow.ts";

let engine: Engine;
let instance: DuckDBInstance;
let native: DuckDBConnection;
let dir: string;

beforeAll(async () => {
  engine = await createNodeEngine();
  instance = await DuckDBInstance.create(":memory:");
  native = await instance.connect();
  dir = mkdtempSync(path.join(tmpdir(), "segbook-parquet-wasm-"));
});

afterAll(async () => {
  await engine?.close();
  native?.closeSync();
  instance?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Writes `select` with native DuckDB to a Parquet file (with COPY options) and returns its path. */
async function nativeFile(name: string, select: string, copyOptions = ""): Promise<string> {
  const file = path.join(dir, name);
  await native.run(`COPY (${select}) TO '${file}' (FORMAT parquet${copyOptions})`);
  return file;
}

type Rows = Record<string, unknown>[];

const DECIMALS = new Set(["dec9", "dec18", "dec38"]);

/** The rows without the DECIMAL columns, which the two readers round differently (see below). */
function withoutDecimals(rows: Rows): Rows {
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => !DECIMALS.has(key))));
}

/** Native DuckDB's own DECIMAL -> DOUBLE of each decimal column, as text. */
async function nativeDecimals(file: string, columns: string[]): Promise<Rows> {
  const select = columns.map((c) => `${c}::DOUBLE::VARCHAR AS ${c}`).join(", ");
  const reader = await native.runAndReadAll(`SELECT ${select} FROM read_parquet('${file}')`);
  return reader.getRowObjectsJson() as Rows;
}

async function contents(name: string): Promise<{ columns: unknown; rows: Rows }> {
  const columns = await engine.describe(name);
  // Text renders every type exactly (timestamps to the nanosecond, doubles to the last digit).
  const rows = await engine.query(`SELECT COLUMNS(*)::VARCHAR FROM "${name}" ORDER BY rowid`);
  return { columns, rows: rows.toArray().map((row) => row.toJSON()) };
}

/** The file loaded by loadFile (parquet-wasm) and by the JavaScript path, as names, types and text. */
async function bothWays(file: string, columns?: string[]) {
  const bytes = new Uint8Array(readFileSync(file));
  const tag = path.basename(file).replace(/\W/g, "_");
  const loaded = await engine.loadFile(
    `wasm_${tag}`,
    { kind: "bytes", bytes, fileName: path.basename(file) },
    {
      ...(columns && { columns }),
    },
  );
  await engine.insertArrow(`js_${tag}`, await parquetToArrow(bytes, columns ? { columns } : {}));
  return { loaded, wasm: await contents(`wasm_${tag}`), js: await contents(`js_${tag}`) };
}

const SCALARS = `SELECT i::INTEGER AS id,
    CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 37) % 1000 END::INTEGER AS maybe,
    (i * 1000003)::BIGINT AS big, (i % 200 - 100)::TINYINT AS tiny, (i % 30000)::SMALLINT AS small,
    (i * 3)::UINTEGER AS uint, (i * 12345678901)::UBIGINT AS ubig, (i / 7.0)::FLOAT AS fl, (i / 3.0)::DOUBLE AS dbl,
    (i * 0.01)::DECIMAL(9, 2) AS dec9, (i * 1.000001)::DECIMAL(18, 6) AS dec18,
    (i * 123456789.123)::DECIMAL(38, 3) AS dec38, i % 3 = 0 AS flag,
    DATE '1969-12-25' + i::INTEGER AS day, TIMESTAMP '1969-12-31 23:59:58.123456' + i * INTERVAL 1 HOUR AS ts,
    (TIMESTAMP '2024-03-01 10:00:00' + i * INTERVAL 1 SECOND)::TIMESTAMP_MS AS ts_ms,
    (TIMESTAMP_NS '2024-03-01 10:00:00.123456789' + i * INTERVAL 1 MICROSECOND) AS ts_ns,
    (TIMESTAMP '2024-03-01 10:00:00.654321' + i * INTERVAL 1 MINUTE)::TIMESTAMPTZ AS ts_tz,
    TIME '00:00:01.25' + i * INTERVAL 1 SECOND AS tm,
    ['home', 'garden', 'kitchen', 'toys', 'books'][i % 5 + 1] AS category,
    CASE WHEN i % 11 = 0 THEN NULL ELSE 'naïve café ☕ row ' || i || repeat('x', i % 40) END AS text,
    ('blob' || i)::BLOB AS bytes,
    (['e1', 'e2'][i % 2 + 1])::ENUM('e1', 'e2') AS en
  FROM range(3000) t(i)`;

describe("loadFile(name, parquet) through parquet-wasm", () => {
  it("loadFile(name, parquet) equals the JavaScript reader on every scalar type, nulls and 3 row groups", async () => {
    const file = await nativeFile("scalars.parquet", SCALARS, ", ROW_GROUP_SIZE 1024");
    const { loaded, wasm, js } = await bothWays(file);
    expect(wasm.columns).toEqual(js.columns);
    expect(withoutDecimals(wasm.rows)).toEqual(withoutDecimals(js.rows));
    // DECIMAL -> DOUBLE: hyparquet multiplied by 10^-scale (0.35 became 0.35000000000000003); DuckDB
    // divides, giving the double nearest the decimal, as native DuckDB's own cast does.
    const decimals = wasm.rows.map((row) => ({ dec9: row.dec9, dec18: row.dec18, dec38: row.dec38 }));
    expect(decimals).toEqual(await nativeDecimals(file, ["dec9", "dec18", "dec38"]));
    expect(loaded.numRows).toBe(3000);
    // Spot checks against the values written, so equality is not equality of two wrong readers.
    const types = Object.fromEntries(loaded.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({
      dec18: "DOUBLE",
      ts: "TIMESTAMP",
      ts_ms: "TIMESTAMP",
      ts_tz: "TIMESTAMP",
      tm: "TIME",
      category: "VARCHAR",
      bytes: "BLOB",
      en: "VARCHAR",
    });
    expect(wasm.rows[1]).toMatchObject({
      ts: "1970-01-01 00:59:58.123456",
      ts_ns: "2024-03-01 10:00:00.123457",
      ts_tz: "2024-03-01 10:01:00.654321",
      dec9: "0.01",
      text: "naïve café ☕ row 1x",
      maybe: "37",
    });
    expect(wasm.rows[0]).toMatchObject({ maybe: null, ts: "1969-12-31 23:59:58.123456", day: "1969-12-25" });
  });

  it("loadFile(name, parquet, {columns}) reads those columns in the order asked, equal to the JavaScript reader", async () => {
    const file = await nativeFile("subset.parquet", SCALARS);
    const { loaded, wasm, js } = await bothWays(file, ["text", "ts_tz", "id", "dec9"]);
    expect(loaded.columns.map((c) => c.name)).toEqual(["text", "ts_tz", "id", "dec9"]);
    expect(wasm.columns).toEqual(js.columns);
    expect(withoutDecimals(wasm.rows)).toEqual(withoutDecimals(js.rows));
    expect(wasm.rows.map((row) => ({ dec9: row.dec9 }))).toEqual(await nativeDecimals(file, ["dec9"]));
  });

  it("loadFile(name, parquet) equals the JavaScript reader on a file written by hyparquet-writer", async () => {
    const { parquetWriteBuffer } = await import("hyparquet-writer");
    const n = 5000;
    const file = path.join(dir, "hyparquet-writer.parquet");
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: "id", data: Int32Array.from({ length: n }, (_, i) => i), type: "INT32" },
        { name: "x", data: Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e6), type: "DOUBLE" },
        { name: "s", data: Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : `s-${i % 13}`)), type: "STRING" },
        { name: "b", data: Array.from({ length: n }, (_, i) => i % 2 === 0), type: "BOOLEAN" },
      ],
      rowGroupSize: 2000,
    });
    writeFileSync(file, new Uint8Array(buffer));
    const { wasm, js } = await bothWays(file);
    expect(wasm).toEqual(js);
    expect(wasm.rows.length).toBe(n);
  });

  it("loadFile(name, parquet) keeps nested columns as JSON text, as the JavaScript reader does", async () => {
    const file = await nativeFile(
      "nested.parquet",
      "SELECT i AS id, [i, i + 1] AS l, {'a': i} AS s FROM range(10) t(i)",
    );
    const { wasm, js } = await bothWays(file);
    expect(wasm).toEqual(js);
    expect(wasm.rows[2]).toMatchObject({ l: "[2,3]", s: '{"a":2}' });
  });

  it("loadFile(name, parquet) reads a file without rows as an empty table with the file's columns", async () => {
    const file = await nativeFile("empty.parquet", "SELECT 1::INTEGER AS a, 'x' AS b WHERE false");
    const { loaded, wasm, js } = await bothWays(file);
    expect(wasm).toEqual(js);
    expect(loaded.numRows).toBe(0);
    expect(loaded.columns).toEqual([
      { name: "a", type: "INTEGER" },
      { name: "b", type: "VARCHAR" },
    ]);
  });

  it.each(["zstd", "gzip", "lz4", "brotli"])(
    "loadFile(name, parquet) reads %s-compressed files (the JavaScript reader could not)",
    async (codec) => {
      const file = await nativeFile(`${codec}.parquet`, SCALARS, `, COMPRESSION ${codec}`);
      const snappy = await nativeFile(`${codec}-snappy.parquet`, SCALARS);
      await engine.loadFile(`codec_${codec}`, { kind: "path", path: file });
      await engine.loadFile(`codec_${codec}_snappy`, { kind: "path", path: snappy });
      expect(await contents(`codec_${codec}`)).toEqual(await contents(`codec_${codec}_snappy`));
    },
  );

  it("loadFile(name, parquet, {columns}) names an unknown column with the closest one and loads nothing", async () => {
    const file = await nativeFile("names.parquet", "SELECT 1 AS customer_id, 2.5 AS amount");
    await expect(
      engine.loadFile("bad_names", { kind: "path", path: file }, { columns: ["customer_id", "amout"] }),
    ).rejects.toThrow(
      'loadFile: could not read "names.parquet" as Parquet: the file has no column "amout" (did you mean "amount"?); its columns are customer_id, amount',
    );
    await expect(engine.describe("bad_names")).rejects.toThrow(/bad_names/);
  });
});
