/**
 * The statements a CSV load sends DuckDB, read from DuckDB's own QueryLog: every one is paid for in the
 * default notebook's first visit (DuckDB compiles its code on first use), so none is repeated and none
 * asks information_schema, whose first use alone cost ~100 ms in Chromium.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
let engine: Engine;

beforeAll(async () => {
  engine = await createNodeEngine({ baseDir: repoRoot });
});

afterAll(async () => {
  await engine?.close();
});

/** The statements DuckDB logged since the last call, whitespace collapsed. */
async function logged(): Promise<string[]> {
  const result = await engine.query("SELECT message FROM duckdb_logs WHERE type = 'QueryLog'");
  await engine.exec("CALL truncate_duckdb_logs()");
  return result
    .toArray()
    .map((row) =>
      String((row.toJSON() as { message: unknown }).message)
        .replace(/\s+/g, " ")
        .trim(),
    )
    .filter((sql) => !sql.includes("duckdb_logs"));
}

describe("loadFile(name, csv) statements", () => {
  it("loadFile() of a CSV table counts its rows from CREATE TABLE AS, describes it once and finds the old name without information_schema", async () => {
    await engine.exec("CALL enable_logging('QueryLog')");
    await logged();
    const first = await engine.loadFile("customers", { kind: "path", path: "notebooks/data/customers.csv" });
    const statements = await logged();
    expect(first.numRows).toBe(400);
    expect(first.columns.map((c) => c.name)).toEqual([
      "customer_id",
      "gender",
      "age",
      "region",
      "channel",
      "signup_date",
    ]);
    expect(statements.filter((sql) => /^SELECT count\(\*\) AS n FROM/.test(sql))).toEqual([]);
    expect(statements.filter((sql) => sql.startsWith("DESCRIBE"))).toHaveLength(1);
    expect(statements.filter((sql) => /information_schema/i.test(sql))).toEqual([]);
    // What these cuts rely on, checked on the loaded table itself.
    const counted = await engine.query("SELECT count(*) AS n FROM customers");
    expect(Number(counted.getChild("n")!.get(0))).toBe(first.numRows);
    expect((await engine.describe("customers")).map((c) => c.name)).toEqual(first.columns.map((c) => c.name));
  });

  it("loadFile() over an existing table and then a view of the same name (in other case) replaces each", async () => {
    const again = await engine.loadFile("Customers", { kind: "path", path: "notebooks/data/orders.csv" });
    expect(again.columns.map((c) => c.name)).toContain("order_id");
    const view = await engine.loadFile(
      "CUSTOMERS",
      { kind: "path", path: "notebooks/data/customers.csv" },
      { as: "view" },
    );
    expect(view.numRows).toBe(400);
    const kinds = await engine.query(
      "SELECT (SELECT count(*) FROM duckdb_tables() WHERE lower(table_name) = 'customers') AS tables, " +
        "(SELECT count(*) FROM duckdb_views() WHERE lower(view_name) = 'customers') AS views",
    );
    expect(kinds.get(0)!.toJSON()).toEqual({ tables: 0n, views: 1n });
    const back = await engine.loadFile("customers", { kind: "path", path: "notebooks/data/customers.csv" });
    expect(back.numRows).toBe(400);
    const after = await engine.query(
      "SELECT (SELECT count(*) FROM duckdb_tables() WHERE lower(table_name) = 'customers') AS tables, " +
        "(SELECT count(*) FROM duckdb_views() WHERE lower(view_name) = 'customers') AS views",
    );
    expect(after.get(0)!.toJSON()).toEqual({ tables: 1n, views: 0n });
  });
});
