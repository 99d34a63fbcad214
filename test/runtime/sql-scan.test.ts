/**
 * Table-driven tests of scanSql: which tables a SQL cell reads and whether it is a query.
 */
import { describe, expect, test } from "vitest";
import { scanSql } from "../../src/runtime/sql-scan.ts";
import { bindSql } from "../../src/runtime/sql-bind.ts";

const cases: { sql: string; tables: string[]; isQuery: boolean; params?: number; error?: RegExp }[] = [
  { sql: "SELECT * FROM orders", tables: ["orders"], isQuery: true },
  { sql: "select * from a join b using (id) left join c on c.id = a.id", tables: ["a", "b", "c"], isQuery: true },
  { sql: "SELECT * FROM a, b AS bb, main.c WHERE x IN (SELECT y FROM d)", tables: ["a", "b", "c", "d"], isQuery: true },
  { sql: "WITH recent AS (SELECT * FROM orders) SELECT * FROM recent", tables: ["orders"], isQuery: true },
  { sql: "FROM customers SELECT region", tables: ["customers"], isQuery: true },
  { sql: 'SELECT * FROM "my table"', tables: ["my table"], isQuery: true },
  { sql: "SELECT * FROM read_csv('x.csv')", tables: [], isQuery: true },
  { sql: "SELECT 'FROM fake' AS s -- FROM comment\n/* FROM other */", tables: [], isQuery: true },
  { sql: "SELECT a, b FROM t WHERE a > ${x} AND b = ${y}", tables: ["t"], isQuery: true, params: 2 },
  { sql: "(SELECT 1)", tables: [], isQuery: true },
  { sql: "DESCRIBE customers", tables: ["customers"], isQuery: true },
  { sql: "SUMMARIZE orders", tables: ["orders"], isQuery: true },
  { sql: "SUMMARIZE SELECT * FROM orders", tables: ["orders"], isQuery: true },
  { sql: "DESCRIBE SELECT a FROM t", tables: ["t"], isQuery: true },
  { sql: "CREATE TABLE x AS SELECT * FROM y", tables: ["y"], isQuery: false },
  { sql: "INSERT INTO log SELECT * FROM events", tables: ["log", "events"], isQuery: false },
  { sql: "SELECT 'unterminated", tables: [], isQuery: true, error: /unterminated string literal/ },
  { sql: "SELECT 1 /* open", tables: [], isQuery: true, error: /unterminated \/\* comment/ },
  { sql: "SELECT * FROM t WHERE a = '${x}'", tables: [], isQuery: true, error: /inside a quoted SQL string/ },
  { sql: "SELECT ${ {a: '}'}.a } AS v", tables: [], isQuery: true, params: 1 },
];

describe("scanSql", () => {
  test.each(cases)("scanSql($sql)", (c) => {
    const scan = scanSql(c.sql);
    if (c.error) {
      expect(scan.error?.message).toMatch(c.error);
      return;
    }
    expect(scan.error).toBeUndefined();
    expect(scan.tableRefs).toEqual(c.tables);
    expect(scan.isQuery).toBe(c.isQuery);
    expect(scan.interpolations).toHaveLength(c.params ?? 0);
  });
});

describe("bindSql", () => {
  test("bindSql(parts, values) binds values as ? parameters and splices table handles as quoted names", () => {
    const table = { kind: "table", name: 'we"ird', numRows: 0, columns: [] };
    expect(bindSql(["SELECT * FROM ", " WHERE a = ", " AND b = ", ""], [table, "x'y", 3])).toEqual({
      text: 'SELECT * FROM "we""ird" WHERE a = ? AND b = ?',
      params: ["x'y", 3],
    });
  });

  test("bindSql(parts, [array]) refuses a value it cannot bind and says what can be", () => {
    expect(() => bindSql(["SELECT ", ""], [[1, 2]])).toThrow(/parameter 1 is an array.*pass a string, number/);
  });
});
