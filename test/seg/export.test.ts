/**
 * seg.export: CSV and Parquet bytes read back by DuckDB itself (duckdb-wasm's CSV reader, hyparquet
 * via loadFile, and native DuckDB's own Parquet reader through @duckdb/node-api), plus the manifest.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeDirectorySink } from "../../src/cli/export-sink.ts";
import type { Engine } from "../../src/engine/engine.ts";
import { createCellDb } from "../../src/runtime/cell-db.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { csvField, encodeCsv } from "../../src/seg/export-encode.ts";
import {
  exportFormat,
  exportSegments,
  isExportResult,
  type ExportManifest,
  type ExportSink,
} from "../../src/seg/export.ts";
import { openDatasets } from "../helpers/datasets.ts";

let engine: Engine;
let ctx: SegContext & { sink: ExportSink };
let tempDir: string;
let instance: DuckDBInstance;
let native: DuckDBConnection;

// Every type the Parquet writer maps, with NULLs and awkward text.
const TYPED = `SELECT * FROM (VALUES
  (1, true, 1::TINYINT, 2::SMALLINT, 3::INTEGER, 4::BIGINT, 5::UTINYINT, 6::USMALLINT, 7::UINTEGER, 1.5::FLOAT, 2.25::DOUBLE,
   'plain', DATE '2011-12-09', TIMESTAMP '2011-12-09 12:50:00.123456', '\\x00\\xFF'::BLOB, 12.34::DECIMAL(9,2), 'a'),
  (2, false, -1::TINYINT, -2::SMALLINT, -3::INTEGER, -9007199254740993::BIGINT, 255::UTINYINT, 65535::USMALLINT, 4000000000::UINTEGER, -0.5::FLOAT, 1e300::DOUBLE,
   'comma, "quote"' || chr(10) || 'line', DATE '1969-07-20', TIMESTAMP '1969-07-20 20:17:40', ''::BLOB, -0.01::DECIMAL(9,2), 'b'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, true, 0::TINYINT, 0::SMALLINT, 0::INTEGER, 0::BIGINT, 0::UTINYINT, 0::USMALLINT, 0::UINTEGER, 0::FLOAT, -0.1::DOUBLE,
   '', DATE '2000-02-29', TIMESTAMP '2000-02-29 00:00:00', NULL, 0::DECIMAL(9,2), 'a')
) AS t(id, b, i8, i16, i32, i64, u8, u16, u32, f32, f64, s, d, ts, blob, dec, segment)`;

function memorySink(): ExportSink & { files: Map<string, { bytes: Uint8Array; mimeType: string }> } {
  const files = new Map<string, { bytes: Uint8Array; mimeType: string }>();
  return {
    files,
    async accept(prepared) {
      for (const { name, bytes, mimeType } of [prepared.file, prepared.manifestFile])
        files.set(name, { bytes, mimeType });
      return prepared;
    },
  };
}

beforeAll(async () => {
  engine = await openDatasets(["mall"]);
  tempDir = mkdtempSync(path.join(tmpdir(), "segbook-export-"));
  ctx = { db: createCellDb(engine).db, seed: 7, sink: nodeDirectorySink(tempDir) };
  instance = await DuckDBInstance.create(":memory:");
  native = await instance.connect();
});

afterAll(async () => {
  await engine?.close();
  native?.closeSync();
  instance?.closeSync();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

async function asText(sql: string) {
  const result = await engine.query(`SELECT COLUMNS(*)::VARCHAR FROM (${sql}) ORDER BY 1`);
  return result.toArray().map((row) => row.toJSON());
}

describe("exportSegments(ctx, table, 'x.csv')", () => {
  it("csvField(value) quotes only what needs quoting and keeps NULL and '' apart", () => {
    expect(["a", "", null, "a,b", 'say "hi"', "x\ny", " pad", "1.5"].map(csvField)).toEqual([
      "a",
      '""',
      "",
      '"a,b"',
      '"say ""hi"""',
      '"x\ny"',
      '" pad"',
      "1.5",
    ]);
  });

  it("encodeCsv(engine, table, columns) writes a header and DuckDB's text for each value", async () => {
    const table = await ctx.db.query(
      `SELECT * FROM (VALUES (1, 'a,b', DATE '2020-01-02', 0.1::DOUBLE), (2, NULL, NULL, 1e-7::DOUBLE)) AS t("id", "na me", d, x)`,
    );
    const text = new TextDecoder().decode(await encodeCsv(engine, table.name, table.columns));
    expect(text).toBe('id,na me,d,x\n1,"a,b",2020-01-02,0.1\n2,,,1e-07\n');
  });

  it("exportSegments(ctx, typed, 'typed.csv') writes a file DuckDB's CSV reader reads back to the same values", async () => {
    const table = await ctx.db.query(TYPED);
    const result = await exportSegments(ctx, table, { file: "typed.csv" });
    expect(result.file.location).toBe(path.join(tempDir, "typed.csv"));
    const bytes = readFileSync(result.file.location!);
    expect(bytes.equals(result.file.bytes)).toBe(true);
    const all = Object.fromEntries(table.columns.map((c) => [c.name, "VARCHAR"]));
    await engine.loadFile(
      "typed_back",
      { kind: "bytes", bytes, fileName: "typed.csv" },
      { csv: { columns: all, header: true } },
    );
    // Empty strings are written as "" (NULL as nothing) ...
    expect(bytes.toString("utf8").split("\n").at(-2)).toMatch(/^4,true,0,0,0,0,0,0,0,0\.0,-0\.1,"",2000-02-29,/);
    // ... but DuckDB's reader reads a quoted empty field as NULL too (its allow_quoted_nulls default).
    const expected = (await asText(`SELECT * FROM "${table.name}"`)).map((row) =>
      Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value === "" ? null : value])),
    );
    expect(await asText('SELECT * FROM "typed_back"')).toEqual(expected);
  });
});

describe("exportSegments(ctx, table, 'x.parquet')", () => {
  it("writes a file that native DuckDB (read_parquet) and hyparquet (loadFile) read back to the same values", async () => {
    const table = await ctx.db.query(TYPED);
    const result = await exportSegments(ctx, table, { file: "typed.parquet" });
    const file = result.file.location!;
    const quoted = `read_parquet('${file.replaceAll("'", "''")}')`;
    const types = (await native.runAndReadAll(`DESCRIBE SELECT * FROM ${quoted}`)).getRowObjectsJson();
    expect(types.map((row) => [row.column_name, row.column_type])).toEqual([
      ["id", "INTEGER"],
      ["b", "BOOLEAN"],
      ["i8", "TINYINT"],
      ["i16", "SMALLINT"],
      ["i32", "INTEGER"],
      ["i64", "BIGINT"],
      ["u8", "UTINYINT"],
      ["u16", "USMALLINT"],
      ["u32", "UINTEGER"],
      ["f32", "FLOAT"],
      ["f64", "DOUBLE"],
      ["s", "VARCHAR"],
      ["d", "DATE"],
      ["ts", "TIMESTAMP"],
      ["blob", "BLOB"],
      ["dec", "DOUBLE"],
      ["segment", "VARCHAR"],
    ]);
    const nativeRows = (
      await native.runAndReadAll(`SELECT COLUMNS(*)::VARCHAR FROM ${quoted} ORDER BY id`)
    ).getRowObjectsJson();
    // DECIMAL is the one documented change: it comes back as a DOUBLE.
    const expected = await asText(`SELECT * REPLACE (dec::DOUBLE AS dec) FROM "${table.name}"`);
    expect(nativeRows).toEqual(expected);

    await engine.loadFile("typed_parquet_back", { kind: "bytes", bytes: readFileSync(file), fileName: "t.parquet" });
    expect(await asText('SELECT * FROM "typed_parquet_back"')).toEqual(expected);
  });
});

describe("exportSegments(ctx, table, name, options) manifest", () => {
  it("records rows, columns, the sha256 of the bytes, segment counts, options, seed and engine version", async () => {
    const sink = memorySink();
    const segmented = await ctx.db.query(`SELECT "CustomerID", "Gender" AS segment FROM mall`);
    const before = Date.now();
    const result = await exportSegments({ ...ctx, sink }, segmented, {
      file: "gender.parquet",
      definitions: { segment: "Gender" },
      parameters: { k: 2 },
      inputs: { mall: "20820f6d95c1770ee542bacb18b6085eb80e83dad7d1798f74f65daacf05eac0" },
    });
    const data = sink.files.get("gender.parquet")!;
    expect(data.mimeType).toBe("application/vnd.apache.parquet");
    const manifestBytes = sink.files.get("gender.parquet.manifest.json")!.bytes;
    const manifest = JSON.parse(new TextDecoder().decode(manifestBytes));
    expect(manifest).toEqual(result.manifest);
    const counts = await engine.query(`SELECT "Gender", count(*)::INTEGER AS n FROM mall GROUP BY 1 ORDER BY 1`);
    expect(manifest).toMatchObject({
      file: "gender.parquet",
      format: "parquet",
      rows: 200,
      columns: [
        { name: "CustomerID", type: "BIGINT" },
        { name: "segment", type: "VARCHAR" },
      ],
      sha256: createHash("sha256").update(data.bytes).digest("hex"),
      segmentCounts: Object.fromEntries(counts.toArray().map((row) => [row.Gender, row.n])),
      definitions: { segment: "Gender" },
      parameters: { k: 2 },
      seed: 7,
      inputs: { mall: "20820f6d95c1770ee542bacb18b6085eb80e83dad7d1798f74f65daacf05eac0" },
      engineVersion: await engine.version(),
    });
    expect(Date.parse(manifest.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    // The cell gets both prepared files; a sink that only keeps them leaves their location null.
    expect(result.file).toEqual({ name: "gender.parquet", mimeType: data.mimeType, bytes: data.bytes, location: null });
    expect(result.manifestFile).toMatchObject({
      name: "gender.parquet.manifest.json",
      bytes: manifestBytes,
      location: null,
    });
    expect(isExportResult(result)).toBe(true);
  });

  it("exportSegments({caller}) hands the sink the calling cell run with the prepared export", async () => {
    const received: unknown[] = [];
    const sink: ExportSink = {
      async accept(prepared, caller) {
        received.push(caller);
        return prepared;
      },
    };
    const caller = { cellId: "cell-9", invalidation: new Promise<void>(() => {}) };
    await exportSegments({ ...ctx, sink, caller }, "mall", { file: "mall.csv" });
    expect(received).toEqual([caller]);
  });

  it.each([
    ["a manifest alone", { manifest: { sha256: "x" } }, false],
    ["null", null, false],
    ["a string", "segments.csv", false],
  ])("isExportResult(%s) is false", (_, value, expected) => {
    expect(isExportResult(value)).toBe(expected);
  });

  it("sets segmentCounts to null when the table has no segment column", async () => {
    const sink = memorySink();
    const result = await exportSegments({ ...ctx, sink }, "mall", { file: "mall.csv" });
    expect(result.manifest.segmentCounts).toBeNull();
    expect(result.manifest.rows).toBe(200);
    expect(sink.files.get("mall.csv")!.mimeType).toBe("text/csv;charset=utf-8");
  });
});

describe("exportSegments(ctx, table, {file}) refuses bad names, other call shapes and missing sinks", () => {
  it.each([
    ["../evil.csv", /unsafe file name/],
    ["dir/a.csv", /unsafe file name/],
    ["dir\\a.csv", /unsafe file name/],
    [".hidden.csv", /unsafe file name/],
    ["a.xlsx", /unknown format "\.xlsx" for "a\.xlsx"; name the file \*\.csv or \*\.parquet/],
    ["noext", /unknown format \(no extension\)/],
    ["", /pass the file to write, e\.g\. \{file: "segments\.csv"\}/],
  ])("exportFormat(%j) fails", (name, message) => {
    expect(() => exportFormat(name)).toThrow(message);
  });

  it.each([
    ["a.CSV", "csv"],
    ["Segments 2024.parquet", "parquet"],
  ])("exportFormat(%j) is %s", (name, format) => {
    expect(exportFormat(name)).toBe(format);
  });

  it.each([
    // The pre-1.0 call: the file name as a second argument.
    ["a file name", "old.csv", /^seg\.export: the file name is an option: seg\.export\(table, \{file: "old\.csv"\}\)/],
    ["nothing", undefined, /^seg\.export: pass one options object with the file to write/],
    [
      "options without file",
      { segment: "x" },
      /^seg\.export: pass the file to write, e\.g\. \{file: "segments\.csv"\}/,
    ],
  ])("exportSegments(ctx, table, %s) fails naming the one call shape, writing nothing", async (_, options, message) => {
    const sink = memorySink();
    await expect(exportSegments({ ...ctx, sink }, "mall", options as never)).rejects.toThrow(message);
    expect(sink.files.size).toBe(0);
  });

  it("exportSegments({db, seed}, table, name) without a sink says how to get one", async () => {
    await expect(exportSegments({ db: ctx.db, seed: 1 }, "mall", { file: "a.csv" })).rejects.toThrow(/no export sink/);
  });

  it("nodeDirectorySink(dir).accept(export) refuses to leave its directory", async () => {
    const file = { name: "../x.csv", mimeType: "text/csv", bytes: new Uint8Array(), location: null };
    const prepared = {
      manifest: {} as ExportManifest,
      file,
      manifestFile: { ...file, name: "../x.csv.manifest.json" },
    };
    await expect(nodeDirectorySink(tempDir).accept(prepared)).rejects.toThrow(/refusing to write/);
  });
});
