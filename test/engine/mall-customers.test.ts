/**
 * Node-only: the engine on a real dataset, ../shared/datasets/mall_customers/Mall_Customers.csv
 * (200 customers; CRLF line ends, column names with spaces and symbols). Expected values are
 * computed here from the raw text, independently of DuckDB.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { createTableHandle } from "../../src/engine/table-handle.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const relativePath = "../shared/datasets/mall_customers/Mall_Customers.csv";
const raw = readFileSync(new URL(relativePath, new URL("../../", import.meta.url)));
const [header, ...records] = raw
  .toString("utf8")
  .split(/\r?\n/)
  .filter((line) => line !== "")
  .map((line) => line.split(","));

let engine: Engine;

beforeAll(async () => {
  engine = await createNodeEngine({ baseDir: repoRoot });
});

afterAll(async () => {
  await engine?.close();
});

describe("createNodeEngine() on Mall_Customers.csv", () => {
  it("loadFile(name, {kind: 'path'}) resolves against baseDir and reports rows, sniffed columns and sha256", async () => {
    const result = await engine.loadFile("mall", { kind: "path", path: relativePath });
    expect(result.numRows).toBe(records.length);
    expect(result.columns.map((column) => column.name)).toEqual(header);
    expect(result.columns.map((column) => column.type)).toEqual(["BIGINT", "VARCHAR", "BIGINT", "BIGINT", "BIGINT"]);
    expect(result.sha256).toBe(createHash("sha256").update(raw).digest("hex"));
  });

  it("query(sql, params) aggregates the loaded customers like a computation over the raw text", async () => {
    const women = records.filter((record) => record[1] === "Female");
    const meanIncome = women.reduce((sum, record) => sum + Number(record[3]), 0) / women.length;
    const result = await engine.query(
      'SELECT count(*)::INTEGER AS n, avg("Annual Income (k$)") AS income FROM mall WHERE "Gender" = ?',
      ["Female"],
    );
    const row = result.get(0)!.toJSON();
    expect(row.n).toBe(women.length);
    expect(row.income).toBeCloseTo(meanIncome, 10);
  });

  it("createTableHandle(engine, 'mall') gives typed columns and an Arquero table matching the raw text", async () => {
    const handle = await createTableHandle(engine, "mall");
    const ages = await handle.column("Age");
    expect(ages).toBeInstanceOf(Float64Array);
    expect(Array.from(ages as Float64Array)).toEqual(records.map((record) => Number(record[2])));
    const counts = (await handle.arquero()).groupby("Gender").count().orderby("Gender").objects();
    const expected = ["Female", "Male"].map((gender) => ({
      Gender: gender,
      count: records.filter((record) => record[1] === gender).length,
    }));
    expect(counts).toEqual(expected);
  });
});
