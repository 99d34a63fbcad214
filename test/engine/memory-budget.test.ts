/**
 * checkMemoryBudget against real duckdb-wasm (the Node engine): one statement per check, whatever
 * the budget, since every load of a notebook's start waits for it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import type { RunSql } from "../../src/engine/catalog.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { TABLE_SHARE, checkMemoryBudget } from "../../src/engine/memory-budget.ts";

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(async () => {
  await engine?.close();
});

/** The engine's query as RunSql, recording every statement. */
function counting(): { run: RunSql; statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    run: (sql) => {
      statements.push(sql);
      return engine.query(sql);
    },
  };
}

/** DuckDB's memory limit in bytes, read directly. */
async function memoryLimit(): Promise<number> {
  const result = await engine.query("SELECT current_setting('memory_limit') AS m");
  const [, value, unit] = /^([\d.]+) (\w+)$/.exec(String(result.get(0)!.m))!;
  return Number(value) * { KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30 }[unit!]!;
}

describe("checkMemoryBudget(run, table, file, format, estimate, budget)", () => {
  it.each([
    ["without a budget (its share of DuckDB's limit)", undefined],
    ["with a budget", 512e6],
  ])("asks DuckDB one statement %s", async (_, budget) => {
    const { run, statements } = counting();
    await checkMemoryBudget(run, "t", "t.csv", "csv", { bytes: 1000, rows: 10, columns: 2 }, budget);
    expect(statements).toHaveLength(1);
  });

  it("without a budget refuses past its share of DuckDB's memory limit and accepts below it", async () => {
    const share = (await memoryLimit()) * TABLE_SHARE;
    const { run } = counting();
    const below = { bytes: share / 2, rows: 1000, columns: 2 };
    await expect(checkMemoryBudget(run, "t", "t.csv", "csv", below, undefined)).resolves.toBeUndefined();
    const above = { bytes: share * 1.01, rows: 1000, columns: 2 };
    await expect(checkMemoryBudget(run, "t", "t.csv", "csv", above, undefined)).rejects.toThrow(
      /^loadFile: "t\.csv" would take about [\d.]+ GB in this tab \(about 1,000 rows × 2 columns\), more than its [\d.]+ GB memory budget; nothing was loaded/,
    );
  });

  it("counts what DuckDB already holds against a budget", async () => {
    await engine.exec("CREATE TABLE held AS SELECT i, 'some text ' || i AS s FROM range(300000) t(i)");
    try {
      const { run } = counting();
      const used = Number(
        (await engine.query("SELECT sum(memory_usage_bytes)::DOUBLE AS b FROM duckdb_memory()")).get(0)!.b,
      );
      expect(used).toBeGreaterThan(1e6);
      // Fits the budget alone, not with what is held.
      const estimate = { bytes: 1e6, rows: 1000, columns: 2 };
      await expect(checkMemoryBudget(run, "t", "t.csv", "csv", estimate, used + 1e6 + 1)).resolves.toBeUndefined();
      await expect(checkMemoryBudget(run, "t", "t.csv", "csv", estimate, used / 2 + 1e6)).rejects.toThrow(
        /memory budget/,
      );
    } finally {
      await engine.exec("DROP TABLE held");
    }
  });
});
