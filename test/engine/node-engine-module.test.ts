/**
 * createNodeEngine compiles duckdb-wasm's module once per process: a later engine instantiates the
 * compiled module (no second WebAssembly.compile of the 34 MB file), and engines stay separate
 * databases.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { Engine } from "../../src/engine/engine.ts";

const engines: Engine[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const engine of engines.splice(0)) await engine.close();
});

describe("createNodeEngine()", () => {
  test("compiles the wasm at most once however many engines open, and each engine is its own database", async () => {
    const compile = vi.spyOn(WebAssembly, "compile");
    const instantiate = vi.spyOn(WebAssembly, "instantiate");
    engines.push(await createNodeEngine());
    engines.push(await createNodeEngine());
    engines.push(await createNodeEngine());
    // At most one: another test file in this worker process may have compiled it already.
    expect(compile.mock.calls.length).toBeLessThanOrEqual(1);
    // Each engine instantiates a compiled Module, never the file's bytes (which compiles them again).
    const duckdb = instantiate.mock.calls.filter(([, imports]) => imports && "env" in imports);
    expect(duckdb).toHaveLength(3);
    for (const [source] of duckdb) expect(source).toBeInstanceOf(WebAssembly.Module);
    await engines[0]!.exec("CREATE TABLE t AS SELECT 1 AS one");
    const seen = await engines[1]!.query("SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 't'");
    expect(Number(seen.getChild("n")!.get(0))).toBe(0);
    const own = await engines[0]!.query("SELECT one FROM t");
    expect(own.getChild("one")!.get(0)).toBe(1);
    expect(Number((await engines[2]!.query("SELECT 41 + 1 AS v")).getChild("v")!.get(0))).toBe(42);
  });
});
