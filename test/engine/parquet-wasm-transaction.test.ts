/**
 * loadFile on Parquet through parquet-wasm appends every record batch (one per row group) inside one
 * transaction. Committing each batch on its own made DuckDB copy every batch a second time into the
 * table at its commit (a row group of the file is smaller than DuckDB's) and checkpoint the table
 * again and again: most of the load's time. DuckDB's own query log shows which transaction each
 * statement ran in. A load failing half-way leaves no transaction open and no table behind. Real
 * duckdb-wasm, files written by native DuckDB.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { parquetMetadata } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";

let engine: Engine;
let dir: string;
let fiveGroups: string;

/** Rows of the test file, and rows per row group: five row groups. */
const ROWS = 50_000;
const GROUP = 10_000;

beforeAll(async () => {
  engine = await createNodeEngine();
  dir = mkdtempSync(path.join(tmpdir(), "segbook-parquet-txn-"));
  fiveGroups = path.join(dir, "five-groups.parquet");
  const instance = await DuckDBInstance.create(":memory:");
  const native = await instance.connect();
  await native.run(
    `COPY (SELECT range::INTEGER AS id, 'name ' || range AS name, range / 4.0 AS x FROM range(${ROWS}))
     TO '${fiveGroups}' (FORMAT parquet, ROW_GROUP_SIZE ${GROUP})`,
  );
  native.closeSync();
  instance.closeSync();
});

afterAll(async () => {
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Logged {
  transaction: string;
  sql: string;
}

/** The statements `task` ran, in order, each with its transaction id (DuckDB's query log). */
async function queryLog(task: () => Promise<unknown>): Promise<Logged[]> {
  await engine.exec("CALL truncate_duckdb_logs(); CALL enable_logging('QueryLog')");
  try {
    await task();
  } finally {
    await engine.exec("CALL disable_logging()");
  }
  const logged = await engine.query(
    "SELECT transaction_id::VARCHAR AS t, message FROM duckdb_logs WHERE type = 'QueryLog' ORDER BY query_id",
  );
  return logged.toArray().map((row) => ({ transaction: String(row.t), sql: String(row.message).trim() }));
}

/** The tables whose names are Segbook's internal ones (a load's staging tables). */
async function internalTables(): Promise<string[]> {
  const tables = await engine.query(
    "SELECT table_name FROM information_schema.tables WHERE starts_with(table_name, '__segbook')",
  );
  return tables.toArray().map((row) => String(row.table_name));
}

describe("loadFile(name, parquet) through parquet-wasm: one transaction", () => {
  it("loadFile(name, parquet) appends all row groups' batches inside one BEGIN ... COMMIT", async () => {
    const log = await queryLog(() => engine.loadFile("five", { kind: "path", path: fiveGroups }));
    // duckdb-wasm logs its Arrow inserts without SQL text: one per record batch.
    const inserts = log.filter((entry) => entry.sql === "");
    expect(inserts).toHaveLength(ROWS / GROUP);
    const begin = log.findIndex((entry) => entry.sql === "BEGIN TRANSACTION");
    const commit = log.findIndex((entry, i) => i > begin && entry.sql === "COMMIT");
    expect(begin).toBeGreaterThanOrEqual(0);
    expect(log.indexOf(inserts[0]!)).toBeGreaterThan(begin);
    expect(log.indexOf(inserts.at(-1)!)).toBeLessThan(commit);
    expect(new Set(inserts.map((entry) => entry.transaction))).toEqual(new Set([log[begin]!.transaction]));
    const summary = await engine.query(
      "SELECT count(*)::INTEGER AS n, sum(id)::BIGINT AS ids, max(name) AS last FROM five",
    );
    expect(summary.toArray()[0]!.toJSON()).toEqual({
      n: ROWS,
      ids: BigInt((ROWS * (ROWS - 1)) / 2),
      last: "name 9999",
    });
  });

  it("loadFile(name, parquet) damaged in its last row group fails, rolls back, and leaves no table or open transaction", async () => {
    const bytes = readFileSync(fiveGroups);
    const groups = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)).row_groups;
    const last = groups.at(-1)!.columns[1]!.meta_data!;
    // The text column's data in the last row group: the first four batches decode and are appended first.
    const start = Number(last.dictionary_page_offset ?? last.data_page_offset);
    bytes.fill(0xff, start + 20, start + Number(last.total_compressed_size) - 20);
    const damaged = path.join(dir, "damaged-last-group.parquet");
    writeFileSync(damaged, bytes);

    // A panic of parquet-wasm is an uncaught error until the load's guard hears it (see
    // parquet-wasm-panic.test.ts); Vitest would count it as a failed run.
    const vitestListeners = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    let failure: unknown;
    let log: Logged[];
    try {
      log = await queryLog(() =>
        engine.loadFile("damaged", { kind: "path", path: damaged }).catch((error: unknown) => {
          failure = error;
        }),
      );
    } finally {
      for (const listener of vitestListeners) process.on("uncaughtException", listener);
    }
    expect(String((failure as Error)?.message)).toMatch(/could not read "damaged-last-group\.parquet" as Parquet/);
    // The batches before the damage were appended, then undone with the transaction.
    expect(log.filter((entry) => entry.sql === "").length).toBeGreaterThanOrEqual(1);
    expect(log.map((entry) => entry.sql)).toContain("ROLLBACK");
    expect(await internalTables()).toEqual([]);
    await expect(engine.describe("damaged")).rejects.toThrow(/damaged/);
    // No transaction is left open: a new one starts (it would fail inside another).
    await engine.exec("BEGIN TRANSACTION; COMMIT");
    const again = await engine.loadFile("again", { kind: "path", path: fiveGroups });
    expect(again.numRows).toBe(ROWS);
  });
});
