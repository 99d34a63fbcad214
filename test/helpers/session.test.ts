/**
 * The session helper's shared engine: one per test file, yet every test starts from an empty
 * database with the engine's own settings, whatever the test before it left behind.
 */
import { describe, expect, test } from "vitest";
import { cells, openSession } from "./session.ts";

const catalog = `
  SELECT 'table ' || table_name AS what FROM duckdb_tables() WHERE NOT internal
  UNION ALL SELECT 'view ' || view_name FROM duckdb_views() WHERE NOT internal
  UNION ALL SELECT DISTINCT 'macro ' || function_name FROM duckdb_functions()
    WHERE NOT internal AND function_type IN ('macro', 'table_macro')
  UNION ALL SELECT 'sequence ' || sequence_name FROM duckdb_sequences()
  UNION ALL SELECT 'type ' || type_name FROM duckdb_types() WHERE NOT internal
  UNION ALL SELECT 'schema ' || schema_name FROM duckdb_schemas()
    WHERE NOT internal AND schema_name NOT IN ('main', 'pg_catalog', 'information_schema')
  ORDER BY 1`;

describe("openSession()", () => {
  test("openSession().close() leaves the shared engine empty, with its settings, for the next test", async () => {
    const first = await openSession();
    const memoryLimit = async () =>
      (await first.engine.query("SELECT current_setting('memory_limit') AS v")).toArray()[0]!.v as string;
    const limitBefore = await memoryLimit();
    first.session.setCells(
      cells([{ kind: "sql", name: "left_by_cell", source: "SELECT 1 AS a" }, "await db.query('SELECT 2 AS b')"]),
    );
    await first.session.settled();
    await first.engine.exec(`
      CREATE TABLE t AS SELECT 1 AS a;
      CREATE TEMP TABLE tt AS SELECT 1 AS a;
      CREATE VIEW v AS SELECT * FROM t;
      CREATE MACRO twice(x) AS x * 2;
      CREATE MACRO rows_of(n) AS TABLE SELECT * FROM range(n);
      CREATE SEQUENCE seq;
      CREATE TYPE mood AS ENUM ('ok', 'not ok');
      CREATE SCHEMA scratch;
      CREATE TABLE scratch.s AS SELECT 1 AS a;
      SET memory_limit = '64MB';`);
    expect((await first.engine.query(catalog)).toArray().length).toBeGreaterThanOrEqual(10);
    await first.close();

    const second = await openSession();
    try {
      expect(second.engine).toBe(first.engine);
      expect((await second.engine.query(catalog)).toArray().map((r) => r.what)).toEqual([]);
      expect(await memoryLimit()).toBe(limitBefore);
    } finally {
      await second.close();
    }
  });

  test("openSession({fresh: true}) gives an engine of its own and closes it", async () => {
    const shared = await openSession();
    const fresh = await openSession({ fresh: true });
    try {
      expect(fresh.engine).not.toBe(shared.engine);
    } finally {
      await shared.close();
      await fresh.close();
    }
    await expect(fresh.engine.query("SELECT 1")).rejects.toThrow(/engine is closed/);
  });
});
