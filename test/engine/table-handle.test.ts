/**
 * createTableHandle(engine, name) against the Node engine: rows, typed columns, nulls, dates,
 * bigints, Arrow and Arquero views of one table.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { createTableHandle } from "../../src/engine/table-handle.ts";

const BIG = 9007199254740993n; // 2^53 + 1: not a safe integer

let engine: Engine;

beforeAll(async () => {
  engine = await createNodeEngine();
  await engine.exec(`
    CREATE TABLE handle_t AS SELECT * FROM (VALUES
      (1, 10::BIGINT, 1::BIGINT,       1.5::DOUBLE, 'a',  true,  DATE '2024-01-15', TIMESTAMP '2024-01-15 10:30:00.250', 1.25::DECIMAL(6,2)),
      (2, 20::BIGINT, ${BIG}::BIGINT,  NULL,        NULL, false, DATE '1969-07-20', NULL,                               -2.5::DECIMAL(6,2)),
      (3, 30::BIGINT, -5::BIGINT,      4.0::DOUBLE, 'c',  NULL,  NULL,              TIMESTAMP '1969-12-31 23:59:59.5',  0::DECIMAL(6,2))
    ) AS t(i, safe_big, big, x, s, flag, d, ts, amount)`);
});

afterAll(async () => {
  await engine?.close();
});

describe("createTableHandle(engine, name)", () => {
  it("createTableHandle(engine, name) reads the row count and DuckDB column types once", async () => {
    const handle = await createTableHandle(engine, "handle_t");
    expect(handle.kind).toBe("table");
    expect(handle.name).toBe("handle_t");
    expect(handle.numRows).toBe(3);
    expect(handle.columns).toEqual([
      { name: "i", type: "INTEGER" },
      { name: "safe_big", type: "BIGINT" },
      { name: "big", type: "BIGINT" },
      { name: "x", type: "DOUBLE" },
      { name: "s", type: "VARCHAR" },
      { name: "flag", type: "BOOLEAN" },
      { name: "d", type: "DATE" },
      { name: "ts", type: "TIMESTAMP" },
      { name: "amount", type: "DECIMAL(6,2)" },
    ]);
  });

  it("createTableHandle(engine, name) rejects a missing table with DuckDB's reason", async () => {
    await expect(createTableHandle(engine, "no_such_handle")).rejects.toThrow(
      /describe: cannot describe "no_such_handle": Catalog Error/,
    );
  });

  it("handle.rows() converts safe BIGINTs to numbers, keeps unsafe ones as bigint and makes DATE/TIMESTAMP Dates", async () => {
    const handle = await createTableHandle(engine, "handle_t");
    const rows = await handle.rows();
    expect(rows).toEqual([
      {
        i: 1,
        safe_big: 10,
        big: 1,
        x: 1.5,
        s: "a",
        flag: true,
        d: new Date(Date.UTC(2024, 0, 15)),
        ts: new Date(Date.UTC(2024, 0, 15, 10, 30, 0, 250)),
        amount: 1.25,
      },
      {
        i: 2,
        safe_big: 20,
        big: BIG,
        x: null,
        s: null,
        flag: false,
        d: new Date(Date.UTC(1969, 6, 20)),
        ts: null,
        amount: -2.5,
      },
      {
        i: 3,
        safe_big: 30,
        big: -5,
        x: 4,
        s: "c",
        flag: null,
        d: null,
        ts: new Date(Date.UTC(1969, 11, 31, 23, 59, 59, 500)),
        amount: 0,
      },
    ]);
    expect(rows[0]!.d).toBeInstanceOf(Date);
    expect(typeof rows[1]!.big).toBe("bigint");
  });

  it("handle.rows(limit) returns the first rows and rejects a bad limit", async () => {
    const handle = await createTableHandle(engine, "handle_t");
    expect((await handle.rows(2)).map((row) => row.i)).toEqual([1, 2]);
    expect(await handle.rows(0)).toEqual([]);
    await expect(handle.rows(-1)).rejects.toThrow(/rows: limit must be a non-negative integer, got -1/);
    await expect(handle.rows(1.5)).rejects.toThrow(/non-negative integer/);
  });

  it("handle.column(name) gives typed arrays for numeric columns without nulls", async () => {
    const handle = await createTableHandle(engine, "handle_t");
    const ints = await handle.column("i");
    expect(ints).toBeInstanceOf(Int32Array);
    expect(Array.from(ints as Int32Array)).toEqual([1, 2, 3]);
    const safe = await handle.column("safe_big");
    expect(safe).toBeInstanceOf(Float64Array);
    expect(Array.from(safe as Float64Array)).toEqual([10, 20, 30]);
    const big = await handle.column("big");
    expect(big).toBeInstanceOf(BigInt64Array);
    expect(Array.from(big as BigInt64Array)).toEqual([1n, BIG, -5n]);
    const amount = await handle.column("amount");
    expect(amount).toBeInstanceOf(Float64Array);
    expect(Array.from(amount as Float64Array)).toEqual([1.25, -2.5, 0]);
  });

  it("handle.column(name) gives plain arrays with null for columns with nulls and for non-numeric columns", async () => {
    const handle = await createTableHandle(engine, "handle_t");
    expect(await handle.column("x")).toEqual([1.5, null, 4]);
    expect(await handle.column("s")).toEqual(["a", null, "c"]);
    expect(await handle.column("flag")).toEqual([true, false, null]);
    expect(await handle.column("d")).toEqual([new Date(Date.UTC(2024, 0, 15)), new Date(Date.UTC(1969, 6, 20)), null]);
  });

  it("handle.column(name) names the available columns when the column is unknown", async () => {
    const handle = await createTableHandle(engine, "handle_t");
    await expect(handle.column("I")).rejects.toThrow(
      'column: table "handle_t" has no column "I"; available columns: "i", "safe_big", "big", "x", "s", "flag", "d", "ts", "amount"',
    );
  });

  it("handle.arrow() returns the whole table as Arrow", async () => {
    const handle = await createTableHandle(engine, "handle_t");
    const table = await handle.arrow();
    expect(table.numRows).toBe(3);
    expect(table.schema.fields.map((field) => field.name)).toEqual(handle.columns.map((column) => column.name));
  });

  it("handle.arquero() gives Dates for dates, numbers for safe BIGINTs and BigInts for a column beyond 2^53", async () => {
    const handle = await createTableHandle(engine, "handle_t");
    const table = await handle.arquero();
    expect(table.numRows()).toBe(3);
    expect(table.columnNames()).toEqual(handle.columns.map((column) => column.name));
    expect(table.array("d")).toEqual([new Date(Date.UTC(2024, 0, 15)), new Date(Date.UTC(1969, 6, 20)), null]);
    expect(Array.from(table.array("safe_big"))).toEqual([10, 20, 30]);
    expect(Array.from(table.array("big"))).toEqual([1n, BIG, -5n]);
    expect(Array.from(table.array("x"))).toEqual([1.5, null, 4]);
  });

  it("handle.arquero() on a table with only safe BIGINTs gives numbers that Arquero can aggregate", async () => {
    await engine.exec("CREATE TABLE handle_sums AS SELECT range AS n, range % 3 AS g FROM range(10)");
    const handle = await createTableHandle(engine, "handle_sums");
    const sums = (await handle.arquero()).groupby("g").rollup({ total: "d => op.sum(d.n)" }).orderby("g");
    const expected = await engine.query(
      "SELECT g::DOUBLE AS g, sum(n)::DOUBLE AS total FROM handle_sums GROUP BY g ORDER BY g",
    );
    expect(sums.objects()).toEqual(expected.toArray().map((row) => row.toJSON()));
  });

  it("createTableHandle(engine, name) works for views and for names that need quoting", async () => {
    const fixture = fileURLToPath(new URL("../fixtures/people.csv", import.meta.url));
    await engine.loadFile('my "odd" view', { kind: "path", path: fixture }, { as: "view" });
    const handle = await createTableHandle(engine, 'my "odd" view');
    expect(handle.numRows).toBe(5);
    expect(await handle.column("name")).toEqual(["Smith, Ann", 'O"Brien', "Zoë", "Lee", "Kim"]);
    expect((await handle.rows(1))[0]).toEqual({
      id: 1,
      name: "Smith, Ann",
      signup: new Date(Date.UTC(2024, 0, 15)),
      score: 12.5,
      city: "Oslo",
    });
  });

  it("handle.numRows keeps the count from when the handle was made while rows() sees new data", async () => {
    await engine.exec("CREATE TABLE handle_grow AS SELECT 1 AS v");
    const handle = await createTableHandle(engine, "handle_grow");
    await engine.exec("INSERT INTO handle_grow VALUES (2)");
    expect(handle.numRows).toBe(1);
    expect(await handle.rows()).toEqual([{ v: 1 }, { v: 2 }]);
  });
});
