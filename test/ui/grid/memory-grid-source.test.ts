/**
 * arrowGridSource(table): the in-memory grid source gives the same rows as the DuckDB source for the
 * same filters and sort (its JavaScript filters mean what the SQL ones mean).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Table as ArrowTable } from "apache-arrow";
import type { Engine } from "../../../src/engine/engine.ts";
import { createNodeEngine } from "../../../src/engine/node.ts";
import { engineGridSource } from "../../../src/ui/grid/engine-grid-source.ts";
import { parseFilter } from "../../../src/ui/grid/grid-filter.ts";
import type { GridSource } from "../../../src/ui/grid/grid-source.ts";
import type { GridSort, GridView } from "../../../src/ui/grid/grid-sql.ts";
import { arrowGridSource, isArrayOfObjects, objectsGridSource } from "../../../src/ui/grid/memory-grid-source.ts";

let engine: Engine;
let arrow: ArrowTable;
let inDuckDb: GridSource;

beforeAll(async () => {
  engine = await createNodeEngine();
  await engine.exec(`
    CREATE TABLE mem AS SELECT
      range::INTEGER AS id,
      CASE WHEN range % 5 = 0 THEN NULL ELSE (range * 37) % 101 END AS score,
      CASE range % 3 WHEN 0 THEN 'Alpha' WHEN 1 THEN 'beta%' ELSE NULL END AS name,
      DATE '2021-01-01' + CAST(range * 3 AS INTEGER) AS day,
      range % 2 = 0 AS even
    FROM range(300)`);
  arrow = await engine.query("SELECT * FROM mem");
  inDuckDb = engineGridSource(engine, "mem", await engine.describe("mem"), 300);
});

afterAll(async () => {
  await engine?.close();
});

function viewOf(filters: Record<string, string>, sort?: GridSort, more: Record<string, string> = {}): GridView {
  const types: Record<string, string> = {
    ...more,
    id: "INTEGER",
    score: "INTEGER",
    name: "VARCHAR",
    day: "DATE",
    even: "BOOLEAN",
  };
  return {
    filters: Object.fromEntries(
      Object.entries(filters).map(([name, text]) => {
        const parsed = parseFilter(text, types[name]!);
        if (!parsed.ok || !parsed.filter) throw new Error(text);
        return [name, parsed.filter];
      }),
    ),
    sort,
  };
}

describe("arrowGridSource(table)", () => {
  it("arrowGridSource names columns with the types DuckDB's DESCRIBE gives", async () => {
    expect(arrowGridSource(arrow).columns).toEqual(await engine.describe("mem"));
  });

  it.each<[Record<string, string>, GridSort | undefined]>([
    [{}, undefined],
    [{}, { column: "score", direction: "desc" }],
    [{}, { column: "name", direction: "asc" }],
    [{ score: "> 50" }, { column: "score", direction: "asc" }],
    [{ score: "null" }, undefined],
    [{ name: "ALP" }, { column: "day", direction: "desc" }],
    [{ name: "%" }, undefined],
    [{ day: ">= 2021-06-01", even: "true" }, undefined],
    [{ day: "2021-02" }, undefined],
    [
      { name: "!null", id: "!= 3" },
      { column: "even", direction: "asc" },
    ],
  ])("arrowGridSource with filters %j and sort %j matches the DuckDB source", async (filters, sort) => {
    const view = viewOf(filters, sort);
    const [memory, duck] = await Promise.all([arrowGridSource(arrow).open(view), inDuckDb.open(view)]);
    expect(memory.numRows).toBe(duck.numRows);
    expect(await memory.rows(0, 300)).toEqual(await duck.rows(0, 300));
    expect(await (await memory.download("csv")).text()).toBe(await (await duck.download("csv")).text());
    await duck.release();
  });
});

describe("objectsGridSource(rows)", () => {
  it.each<[string, unknown, boolean]>([
    ["plain objects", [{ a: 1 }, { b: 2 }], true],
    ["an empty array", [], false],
    ["numbers", [1, 2], false],
    ["dates", [new Date(0)], false],
    ["a mix", [{ a: 1 }, 2], false],
    [
      "class instances",
      [
        new (class Point {
          x = 1;
        })(),
      ],
      false,
    ],
  ])("isArrayOfObjects(%s) is %s", (_name, value, expected) => {
    expect(isArrayOfObjects(value)).toBe(expected);
  });

  it("objectsGridSource takes every key as a column, typed by its values, and sorts and filters", async () => {
    const rows = [
      { segment: "A", size: 120, share: 0.6, when: new Date("2024-01-02T00:00:00Z") },
      { segment: "B", size: 80, share: 0.4, extra: true },
      { segment: "C", size: 3, share: null },
    ];
    const source = objectsGridSource(rows, "cards");
    expect(source.name).toBe("cards");
    expect(source.columns).toEqual([
      { name: "segment", type: "VARCHAR" },
      { name: "size", type: "BIGINT" },
      { name: "share", type: "DOUBLE" },
      { name: "when", type: "DATE" },
      { name: "extra", type: "BOOLEAN" },
    ]);
    const sorted = await source.open(
      viewOf(
        { size: "< 100" },
        { column: "size", direction: "asc" },
        {
          size: "BIGINT",
        },
      ),
    );
    expect((await sorted.rows(0, 10)).map((r) => r.segment)).toEqual(["C", "B"]);
    expect(await (await sorted.download("csv")).text()).toBe("segment,size,share,when,extra\nC,3,,,\nB,80,0.4,,true\n");
  });
});
