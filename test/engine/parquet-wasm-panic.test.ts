/**
 * loadFile on a Parquet file whose footer is sound but whose column data is damaged: parquet-wasm
 * panics inside a promise nobody awaits (an uncaught WebAssembly.RuntimeError), which used to leave
 * the load pending for ever. The load must fail, naming the file, and the next load must still work
 * (through the JavaScript reader: a panicked wasm instance is not used again). Its own file, so the
 * module's "wasm broken" flag does not reach the other parquet-wasm tests.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";

let engine: Engine;
let dir: string;
let good: string;
let damaged: string;

beforeAll(async () => {
  engine = await createNodeEngine();
  dir = mkdtempSync(path.join(tmpdir(), "segbook-parquet-panic-"));
  good = path.join(dir, "good.parquet");
  damaged = path.join(dir, "damaged.parquet");
  const instance = await DuckDBInstance.create(":memory:");
  const native = await instance.connect();
  await native.run(`COPY (SELECT range AS n, 'x' || range AS s FROM range(10000)) TO '${good}' (FORMAT parquet)`);
  native.closeSync();
  instance.closeSync();
  const bytes = readFileSync(good);
  // Column data starts at byte 4; the footer at the end stays intact.
  bytes.fill(0xff, 100, 400);
  writeFileSync(damaged, bytes);
});

afterAll(async () => {
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("loadFile(name, damaged parquet) through parquet-wasm", () => {
  it("loadFile(name, damaged parquet) fails naming the file instead of never settling, and the next load works", async () => {
    // Vitest counts any uncaught error as a failed run; while the load runs, the guard in
    // src/engine/wasm-panic-guard.ts must be the one that hears the panic (as in segbook run).
    const vitestListeners = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    let failure: unknown;
    try {
      await engine.loadFile("damaged", { kind: "path", path: damaged });
    } catch (error) {
      failure = error;
    } finally {
      for (const listener of vitestListeners) process.on("uncaughtException", listener);
    }
    expect(String((failure as Error)?.message)).toMatch(
      /could not read "damaged\.parquet" as Parquet: its column data could not be decoded \(the file looks damaged/,
    );
    const tables = await engine.query("SELECT table_name FROM information_schema.tables WHERE table_name = 'damaged'");
    expect(tables.numRows).toBe(0);

    const loaded = await engine.loadFile("good", { kind: "path", path: good });
    expect(loaded.numRows).toBe(10000);
    const sum = await engine.query("SELECT sum(n)::BIGINT AS total, max(s) AS last FROM good");
    expect(sum.toArray()[0]!.toJSON()).toEqual({ total: 49995000n, last: "x9999" });
  }, 60_000);
});
