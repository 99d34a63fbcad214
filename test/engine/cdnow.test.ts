/**
 * Node-only: the whitespace-separated CDNOW files in ../shared/datasets/cdnow/ (one header line,
 * CRLF, leading spaces, runs of spaces, dates as yyyymmdd) load through the real loadFile on both
 * engines, duckdb-wasm and native DuckDB, with the same columns, types and values. Expected values
 * are computed here from the raw text, independently of DuckDB.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNativeEngine } from "../../src/engine/native.ts";
import { createNodeEngine } from "../../src/engine/node.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const MASTER = "../shared/datasets/cdnow/CDNOW_master.txt";
const SAMPLE = "../shared/datasets/cdnow/CDNOW_sample.txt";

function records(relative: string): string[][] {
  return readFileSync(new URL(relative, new URL("../../", import.meta.url)), "latin1")
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => line.trim().split(/\s+/));
}

const [masterHeader, ...master] = records(MASTER);
const sample = records(SAMPLE);

describe.each([
  ["createNodeEngine()", () => createNodeEngine({ baseDir: repoRoot })],
  ["createNativeEngine()", () => createNativeEngine({ baseDir: repoRoot })],
])("%s on CDNOW", (_, create) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await create();
  });
  afterAll(async () => {
    await engine?.close();
  });

  it("loadFile(cdnow, CDNOW_master.txt) reads four columns named by the header, 69,659 rows, the date as DATE", async () => {
    const result = await engine.loadFile("cdnow", { kind: "path", path: MASTER });
    expect(masterHeader).toEqual(["customer_id", "date", "number_of_cds", "dollar_value"]);
    expect(result.numRows).toBe(69_659);
    expect(result.numRows).toBe(master.length);
    expect(result.columns).toEqual([
      { name: "customer_id", type: "VARCHAR" },
      { name: "date", type: "DATE" },
      { name: "number_of_cds", type: "BIGINT" },
      { name: "dollar_value", type: "DOUBLE" },
    ]);
    expect(result.notes).toContain("columns separated by runs of spaces: read as whitespace-separated (4 columns)");
    expect(result.notes).toContain("column date: 8-digit numbers read as dates (yyyymmdd: 19970101 is 1997-01-01)");
    const totals = (
      await engine.query(
        `SELECT count(DISTINCT customer_id)::INTEGER AS customers, sum(number_of_cds)::INTEGER AS cds,
           round(sum(dollar_value), 2) AS dollars, min(date)::VARCHAR AS first, max(date)::VARCHAR AS last
         FROM cdnow`,
      )
    )
      .get(0)!
      .toJSON();
    const day = (ymd: string) => `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6)}`;
    const dates = master.map((r) => r[1]!).sort();
    expect(totals).toEqual({
      customers: new Set(master.map((r) => r[0])).size,
      cds: master.reduce((n, r) => n + Number(r[2]), 0),
      dollars: Math.round(master.reduce((n, r) => n + Number(r[3]), 0) * 100) / 100,
      first: day(dates[0]!),
      last: day(dates.at(-1)!),
    });
    // Ids keep their leading zeros.
    const first = (await engine.query("SELECT customer_id FROM cdnow LIMIT 1")).get(0)!.toJSON();
    expect(first).toEqual({ customer_id: master[0]![0] });
  });

  it("loadFile(s, CDNOW_sample.txt) reads five unnamed columns (no header) and suggests the date SQL", async () => {
    const result = await engine.loadFile("s", { kind: "path", path: SAMPLE });
    expect(result.numRows).toBe(sample.length);
    expect(result.columns).toEqual([
      { name: "column0", type: "VARCHAR" },
      { name: "column1", type: "VARCHAR" },
      { name: "column2", type: "BIGINT" },
      { name: "column3", type: "BIGINT" },
      { name: "column4", type: "DOUBLE" },
    ]);
    expect(result.notes).toContain(
      `column column2: whole numbers that look like yyyymmdd dates (19970101): kept as numbers; use strptime(CAST("column2" AS VARCHAR), '%Y%m%d')::DATE`,
    );
    const row = (await engine.query("SELECT * FROM s LIMIT 1")).get(0)!.toJSON();
    expect(row).toEqual({
      column0: sample[0]![0],
      column1: sample[0]![1],
      column2: BigInt(sample[0]![2]!),
      column3: BigInt(sample[0]![3]!),
      column4: Number(sample[0]![4]),
    });
  });

  it("loadFile(cdnow, CDNOW_master.txt, {csv: {delimiter: ' ', header: false}}) applies the options to whitespace text", async () => {
    const result = await engine.loadFile(
      "cdnow",
      { kind: "path", path: MASTER },
      { csv: { delimiter: " ", header: false } },
    );
    expect(result.numRows).toBe(master.length + 1);
    expect(result.columns.map((c) => c.name)).toEqual(["column0", "column1", "column2", "column3"]);
    expect(result.notes).not.toContain("columns separated by runs of spaces: read as whitespace-separated (4 columns)");
  });
});
