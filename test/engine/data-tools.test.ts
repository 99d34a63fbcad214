/**
 * The data panel's engine side: listTables (schema browser), Engine.sniffCsv, and sheetToJson
 * loading the xlsx fixture (read with read-excel-file's Node entry) into a typed table.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import readExcelFile from "read-excel-file/node";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { listTables } from "../../src/engine/schema.ts";
import { sheetToJson } from "../../src/engine/sheet-json.ts";
import { createCellDb } from "../../src/runtime/cell-db.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const fixture = (name: string) => path.join(repoRoot, "test/fixtures", name);
let engine: Engine;

beforeAll(async () => {
  engine = await createNodeEngine({ baseDir: repoRoot });
}, 60_000);

afterAll(() => engine?.close());

describe("listTables", () => {
  test("listTables lists loaded files, views and temp tables with exact row counts and columns, not __segbook_ ones", async () => {
    await engine.loadFile("people", { kind: "path", path: "test/fixtures/people.csv" });
    await engine.loadFile("people_view", { kind: "path", path: "test/fixtures/people.csv" }, { as: "view" });
    const { db } = createCellDb(engine);
    const handle = await db.query("SELECT * FROM people WHERE id > 2");
    await engine.exec("CREATE TEMP TABLE scratch AS SELECT 1 AS one");
    const tables = await listTables(engine);
    expect(handle.name.startsWith("__segbook_")).toBe(true);
    expect(tables.map((t) => [t.name, t.kind, t.temporary, t.numRows])).toEqual([
      ["people", "table", false, 5],
      ["people_view", "view", false, 5],
      ["scratch", "table", true, 1],
    ]);
    expect(tables[0]!.columns).toEqual(await engine.describe("people"));
    // An internal table a cell bound to a name of its own is listed when asked for (under its engine name).
    const withCell = await listTables(engine, [handle.name]);
    expect(withCell.map((t) => [t.name, t.numRows])).toContainEqual([handle.name, 3]);
    expect(withCell).toHaveLength(4);
  });
});

describe("Engine.sniffCsv", () => {
  test.each([
    [
      "people.csv",
      {},
      { delimiter: ",", header: true, strictMode: true, names: ["id", "name", "signup", "score", "city"] },
    ],
    [
      "people.tsv",
      {},
      { delimiter: "\t", header: true, strictMode: true, names: ["id", "name", "signup", "score", "city"] },
    ],
    [
      "people.csv",
      { header: false },
      {
        delimiter: ",",
        header: false,
        strictMode: true,
        names: ["column0", "column1", "column2", "column3", "column4"],
      },
    ],
  ])("sniffCsv(%s, %j) detects delimiter, header and columns", async (file, csv, expected) => {
    const sniff = await engine.sniffCsv({ kind: "path", path: `test/fixtures/${file}` }, { csv });
    expect({
      delimiter: sniff.delimiter,
      header: sniff.header,
      strictMode: sniff.strictMode,
      names: sniff.columns.map((c) => c.name),
    }).toEqual(expected);
  });

  test.each([
    [{}, { delimiter: " ", header: true, names: ["customer_id", "order_date", "name", "amount"] }],
    [{ header: false }, { delimiter: " ", header: false, names: ["column0", "column1", "column2", "column3"] }],
  ])("sniffCsv(whitespace.txt, %j) sniffs runs of spaces as loadFile reads them", async (csv, expected) => {
    const source = { kind: "path", path: "test/fixtures/bad-data/whitespace.txt" } as const;
    const sniff = await engine.sniffCsv(source, { csv });
    expect({ delimiter: sniff.delimiter, header: sniff.header, names: sniff.columns.map((c) => c.name) }).toEqual(
      expected,
    );
  });

  test("sniffCsv(whitespace.txt) reads a browser-like File by its first bytes and gives loadFile's names", async () => {
    const bytes = fs.readFileSync(fixture("bad-data/whitespace.txt"));
    const file = new Blob([bytes]);
    const sniff = await engine.sniffCsv({ kind: "file", file, fileName: "whitespace.txt" });
    const loaded = await engine.loadFile("ws", { kind: "file", file, fileName: "whitespace.txt" });
    expect(sniff.delimiter).toBe(" ");
    expect(sniff.columns.map((c) => c.name)).toEqual(loaded.columns.map((c) => c.name));
  });

  test("sniffCsv reports the types loadFile gives the columns", async () => {
    const sniff = await engine.sniffCsv({ kind: "path", path: "test/fixtures/people.csv" });
    const loaded = await engine.loadFile("people2", { kind: "path", path: "test/fixtures/people.csv" });
    expect(sniff.columns).toEqual(loaded.columns);
  });

  test("sniffCsv relaxes strict mode for Mall_Customers.csv (mixed line ends), as loadFile does", async () => {
    const sniff = await engine.sniffCsv({ kind: "path", path: "../shared/datasets/mall_customers/Mall_Customers.csv" });
    expect(sniff.strictMode).toBe(false);
    expect(sniff.columns.map((c) => c.name)).toContain("Annual Income (k$)");
  });

  test("sniffCsv refuses a Parquet file with a message naming it", async () => {
    await expect(engine.sniffCsv({ kind: "path", path: "test/fixtures/people.parquet" })).rejects.toThrow(
      /sniffCsv: "people.parquet" is a parquet file/,
    );
  });
});

describe("sheetToJson", () => {
  test("sheetToJson loads the first sheet of customers.xlsx with the same values and types as its CSV twin", async () => {
    const sheets = await readExcelFile(fs.readFileSync(fixture("customers.xlsx")));
    expect(sheets.map((s) => s.sheet)).toEqual(["customers", "notes"]);
    const json = sheetToJson(sheets[0]!.data, "customers");
    expect(json.columns).toEqual(["id", "name", "signup", "spend", "vip", "region"]);
    expect(json.numRows).toBe(30);
    await engine.loadFile("from_xlsx", { kind: "bytes", bytes: json.bytes, fileName: "customers.json" });
    await engine.loadFile("from_csv", { kind: "path", path: "test/fixtures/customers-xlsx.csv" });
    const types = (await engine.describe("from_xlsx")).map((c) => c.type);
    expect(types).toEqual(["INTEGER", "VARCHAR", "DATE", "DOUBLE", "BOOLEAN", "VARCHAR"]);
    const diff = await engine.query(
      "SELECT count(*) AS n FROM ((FROM from_xlsx EXCEPT ALL FROM from_csv) UNION ALL (FROM from_csv EXCEPT ALL FROM from_xlsx))",
    );
    expect(Number(diff.get(0)!.n)).toBe(0);
  });

  test.each([
    [
      "blank and repeated headers are named",
      [
        ["a", null, "A"],
        [1, 2, 3],
      ],
      ["a", "column2", "A_2"],
      [{ a: 1, column2: 2, A_2: 3 }],
    ],
    ["a column mixing kinds is text", [["v"], [1], ["x"]], ["v"], [{ v: "1" }, { v: "x" }]],
    [
      "empty rows are dropped, dates keep their time",
      [["t"], [null], [new Date("2024-05-06T07:08:09Z")]],
      ["t"],
      [{ t: "2024-05-06 07:08:09" }],
    ],
  ])("sheetToJson: %s", (_title, rows, columns, objects) => {
    const json = sheetToJson(rows, "S");
    expect(json.columns).toEqual(columns);
    expect(JSON.parse(new TextDecoder().decode(json.bytes))).toEqual(objects);
  });

  test("sheetToJson names the sheet when it has no data rows", () => {
    expect(() => sheetToJson([["a", "b"]], "Notes")).toThrow('sheet "Notes" has column names but no data rows');
    expect(() => sheetToJson([], "Blank")).toThrow('sheet "Blank" is empty');
  });
});
