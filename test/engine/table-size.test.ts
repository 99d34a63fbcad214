/**
 * The size estimates (table-size.ts) against what DuckDB really holds after the load, and the memory
 * budget check (memory-budget.ts) refusing a file before loading any of it. Real duckdb-wasm.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { parquetMetadata, parquetSchema } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { estimateCsvTable, estimateParquetTable } from "../../src/engine/table-size.ts";
import { formatBytes, parseByteSize } from "../../src/engine/memory-budget.ts";

let dir: string;
let parquet: string;
let csv: string;

const ROWS = 200_000;
const SELECT = `SELECT i::INTEGER AS customer_id, DATE '2023-01-01' + (i % 700)::INTEGER AS order_date,
  round(i / 7.0, 2)::DOUBLE AS amount, ['home', 'garden', 'kitchen'][i % 3 + 1] AS category,
  'a longer description of order ' || i AS note FROM range(${ROWS}) t(i)`;

/** Bytes DuckDB holds for its tables, in a fresh Node engine after loading `file`. */
async function heldAfterLoad(file: string, columns?: string[]): Promise<number> {
  const engine = await createNodeEngine();
  try {
    await engine.loadFile("t", { kind: "path", path: file }, columns ? { columns } : {});
    const held = await engine.query("SELECT sum(memory_usage_bytes)::DOUBLE AS b FROM duckdb_memory()");
    return Number(held.get(0)!.b);
  } finally {
    await engine.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "segbook-size-"));
  parquet = path.join(dir, "orders.parquet");
  csv = path.join(dir, "orders.csv");
  const instance = await DuckDBInstance.create(":memory:");
  const native = await instance.connect();
  await native.run(`COPY (${SELECT}) TO '${parquet}' (FORMAT parquet)`);
  await native.run(`COPY (${SELECT}) TO '${csv}' (HEADER)`);
  native.closeSync();
  instance.closeSync();
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("table size estimates", () => {
  it("estimateParquetTable(metadata, columns) is within 35% of what DuckDB holds, for all columns and for two", async () => {
    const bytes = readFileSync(parquet);
    const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const all = parquetSchema(metadata).children;
    const estimate = estimateParquetTable(metadata, all);
    expect(estimate).toMatchObject({ rows: ROWS, columns: 5 });
    const held = await heldAfterLoad(parquet);
    expect(estimate.bytes / held).toBeGreaterThan(0.65);
    expect(estimate.bytes / held).toBeLessThan(1.35);
    const two = all.filter((c) => ["customer_id", "amount"].includes(c.element.name));
    const small = estimateParquetTable(metadata, two);
    const heldTwo = await heldAfterLoad(parquet, ["customer_id", "amount"]);
    expect(small.bytes / heldTwo).toBeGreaterThan(0.65);
    expect(small.bytes / heldTwo).toBeLessThan(1.35);
    expect(small.bytes).toBeLessThan(estimate.bytes / 3);
  }, 120_000);

  it("estimateCsvTable(sample, size) estimates rows and bytes from the first megabyte", async () => {
    const bytes = new Uint8Array(readFileSync(csv));
    const estimate = estimateCsvTable(bytes.subarray(0, 1 << 20), bytes.length)!;
    expect(estimate.columns).toBe(5);
    expect(Math.abs(estimate.rows - ROWS) / ROWS).toBeLessThan(0.1);
    const held = await heldAfterLoad(csv);
    expect(estimate.bytes / held).toBeGreaterThan(0.65);
    expect(estimate.bytes / held).toBeLessThan(1.35);
    expect(estimateCsvTable(new TextEncoder().encode("only,a,header\n"), 14)).toBeUndefined();
  }, 120_000);

  it.each([
    ["512MB", 512e6],
    ["1.5 GiB", 1.5 * 2 ** 30],
    ["2000000", 2e6],
    ["64kb", 64e3],
    ["lots", undefined],
    ["-5MB", undefined],
    ["0", undefined],
  ])("parseByteSize(%j) is %j", (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it("formatBytes(bytes) rounds to GB, MB or kB", () => {
    expect([formatBytes(1_940_000_000), formatBytes(640_400_000), formatBytes(12_300)]).toEqual([
      "1.9 GB",
      "640 MB",
      "12 kB",
    ]);
  });
});

describe("loadFile(name, source) under a memory budget", () => {
  let engine: Engine;
  beforeAll(async () => {
    // The budget sits between the two-column table (~3.6 MB) and the whole table (~30 MB).
    engine = await createNodeEngine({ memoryBudget: 10e6 });
  });
  afterAll(() => engine?.close());

  it("loadFile(name, parquet) over the budget is refused before anything is loaded, naming the file, estimate and ways out", async () => {
    const error = await engine.loadFile("big", { kind: "path", path: parquet }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^loadFile: "orders\.parquet" would take about \d+ MB in this tab \(200,000 rows × 5 columns\), more than its 10 MB memory budget; nothing was loaded\. Ways out: load only the columns you need \(data\.big\.columns in the front matter, or pick them under the file in the data panel\)/,
    );
    expect(message).toContain("segbook run --engine native");
    const held = await engine.query("SELECT count(*)::INTEGER AS n FROM duckdb_tables()");
    expect(held.get(0)!.n).toBe(0);
  });

  it("loadFile(name, parquet, {columns}) under the budget loads", async () => {
    const loaded = await engine.loadFile(
      "slim",
      { kind: "path", path: parquet },
      { columns: ["customer_id", "amount"] },
    );
    expect(loaded.numRows).toBe(ROWS);
  });

  it("loadFile(name, csv) over the budget is refused from a sample, pointing to Parquet", async () => {
    await expect(engine.loadFile("big_csv", { kind: "path", path: csv })).rejects.toThrow(
      /^loadFile: "orders\.csv" would take about \d+ MB in this tab \(about [\d,]+ rows × 5 columns\), more than its 10 MB memory budget with the \d MB already loaded; nothing was loaded\. Ways out: save the file as Parquet and load only the columns you need \(data\.big_csv\.columns\)/,
    );
  });
});
