/**
 * The grid's SQL builder (viewQuery, pageQuery, countQuery, filterCondition) run on the real Node
 * engine: filtered counts equal DuckDB's own count of the same condition written by hand, user text
 * is bound (quotes, %, _ are data), and sorts are total.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ColumnInfo, Engine } from "../../../src/engine/engine.ts";
import { createNodeEngine } from "../../../src/engine/node.ts";
import { arrowRows } from "../../../src/engine/table-handle.ts";
import { parseFilter } from "../../../src/ui/grid/grid-filter.ts";
import {
  ALL_ROWS,
  countQuery,
  pageQuery,
  viewQuery,
  whereClause,
  type BoundSql,
  type GridView,
} from "../../../src/ui/grid/grid-sql.ts";

let engine: Engine;
let columns: ColumnInfo[];

beforeAll(async () => {
  engine = await createNodeEngine();
  // A table name and a column name that need quoting, and text with SQL's special characters.
  await engine.exec(`
    CREATE TABLE "grid ""t""" AS SELECT
      range AS id,
      range % 7 AS bucket,
      CASE WHEN range % 10 = 0 THEN NULL ELSE range * 0.5 END AS "select",
      CASE range % 4 WHEN 0 THEN 'O''Brien' WHEN 1 THEN '100% _real_' WHEN 2 THEN 'plain' ELSE NULL END AS label,
      DATE '2020-01-01' + CAST(range AS INTEGER) AS day,
      range % 3 = 0 AS flag
    FROM range(1000)`);
  columns = await engine.describe('grid "t"');
});

afterAll(async () => {
  await engine?.close();
});

async function count(query: BoundSql): Promise<number> {
  const counted = countQuery(query);
  return Number((await engine.query(counted.sql, counted.params)).getChild("n")!.get(0));
}

async function directCount(condition: string): Promise<number> {
  const result = await engine.query(`SELECT count(*) AS n FROM "grid ""t""" WHERE ${condition}`);
  return Number(result.getChild("n")!.get(0));
}

function viewOf(filters: Record<string, string>, sort?: GridView["sort"]): GridView {
  const parsed = Object.entries(filters).map(([name, text]) => {
    const result = parseFilter(text, columns.find((c) => c.name === name)!.type);
    if (!result.ok || !result.filter) throw new Error(`bad filter ${text}`);
    return [name, result.filter] as const;
  });
  return { filters: Object.fromEntries(parsed), sort };
}

describe("viewQuery(table, columns, view)", () => {
  it.each([
    [{ bucket: "3" }, "bucket = 3"],
    [{ id: ">= 990" }, "id >= 990"],
    [{ select: "< 10" }, `"select" < 10`],
    [{ select: "null" }, `"select" IS NULL`],
    [{ select: "!null", bucket: "!= 0" }, `"select" IS NOT NULL AND bucket <> 0`],
    [{ label: "o'brien" }, `label = 'O''Brien'`],
    [{ label: "%" }, `label = '100% _real_'`],
    [{ label: "_real_" }, `label = '100% _real_'`],
    [{ label: "a" }, `label IN ('plain', '100% _real_')`],
    [{ day: ">= 2022-01-01" }, `day >= DATE '2022-01-01'`],
    [{ day: "2021-03" }, `strftime(day, '%Y-%m') = '2021-03'`],
    [{ flag: "true" }, "flag"],
    [{ id: "17" }, "id = 17"],
  ])("viewQuery with filters %j counts the rows of `WHERE %s`", async (filters, condition) => {
    const query = viewQuery('grid "t"', columns, viewOf(filters));
    expect(query.sql).not.toMatch(/O'Brien|_real_|2022/i);
    const expected = await directCount(condition);
    expect(expected).toBeGreaterThan(0);
    expect(await count(query)).toBe(expected);
  });

  it("viewQuery sorts with NULLs last and rowid breaking ties, and pageQuery pages it", async () => {
    const view = viewOf({}, { column: "select", direction: "desc" });
    const query = viewQuery('grid "t"', columns, view, "rowid");
    const first = arrowRows(await engine.query(pageQuery(query, 0, 3).sql, pageQuery(query, 0, 3).params));
    expect(first.map((r) => r.id)).toEqual([999, 998, 997]);
    const tail = pageQuery(query, 995, 10);
    const last = arrowRows(await engine.query(tail.sql, tail.params));
    expect(last).toHaveLength(5);
    expect(last.every((r) => r.select === null)).toBe(true);
    // Ties (all NULL) keep the table's order.
    expect(last.map((r) => r.id)).toEqual([950, 960, 970, 980, 990]);

    const byBucket = viewQuery('grid "t"', columns, viewOf({}, { column: "bucket", direction: "asc" }), "rowid");
    const page = pageQuery(byBucket, 0, 4);
    expect(arrowRows(await engine.query(page.sql, page.params)).map((r) => r.id)).toEqual([0, 7, 14, 21]);
  });

  it("viewQuery of ALL_ROWS selects every column in table order", async () => {
    const query = viewQuery('grid "t"', columns, ALL_ROWS);
    expect(query).toEqual({
      sql: `SELECT "id", "bucket", "select", "label", "day", "flag" FROM "grid ""t"""`,
      params: [],
    });
    expect(await count(query)).toBe(1000);
  });

  it("whereClause rejects a filter on a column the table does not have", () => {
    expect(() => whereClause(columns, { filters: { nope: { kind: "contains", text: "x" } } })).toThrow(
      /no column "nope"/,
    );
  });

  it("pageQuery rejects a negative or fractional offset", () => {
    expect(() => pageQuery({ sql: "SELECT 1", params: [] }, -1, 10)).toThrow(/non-negative integers/);
    expect(() => pageQuery({ sql: "SELECT 1", params: [] }, 1.5, 10)).toThrow(/non-negative integers/);
  });
});
