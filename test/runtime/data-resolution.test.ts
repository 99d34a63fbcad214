/**
 * Session with a resolveData that returns load options and the original file's sha256 (as the
 * browser's data panel does for CSV overrides and converted Excel sheets), possibly asynchronously.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { DataSource } from "../../src/notebook/model.ts";
import { dataNodeId, Session, type DataResolution } from "../../src/runtime/index.ts";
import { notebook } from "../helpers/session.ts";

const SHA = "ab".repeat(32);
const bytes = new TextEncoder().encode(JSON.stringify([{ a: 1 }, { a: 2 }]));
let engine: Engine;

beforeAll(async () => {
  engine = await createNodeEngine();
}, 60_000);
afterAll(() => engine?.close());

async function run(resolve: (name: string, source: DataSource) => Promise<DataResolution>, source: DataSource) {
  const session = new Session({ engine, resolveData: resolve });
  session.setNotebook(notebook(["const n = t.numRows;"], { data: { t: source } }));
  await session.settled();
  const data = session.state(dataNodeId("t"));
  // Read the table before dispose drops it.
  const rows = data?.status === "ok" ? Number((await engine.query("SELECT count(*) AS n FROM t")).get(0)!.n) : -1;
  const result = { data, cell: session.state("c0"), rows };
  await session.dispose();
  return result;
}

test("Session loads what an async resolveData returns and checks the sha256 it names, not the converted bytes'", async () => {
  const resolve = async () => ({ source: { kind: "bytes" as const, bytes, fileName: "t.json" }, sha256: SHA });
  const ok = await run(resolve, { path: "book.xlsx", sha256: SHA.toUpperCase() });
  expect(ok.data?.status).toBe("ok");
  expect(ok.cell?.status).toBe("ok");
  const bad = await run(resolve, { path: "book.xlsx", sha256: "cd".repeat(32) });
  expect(bad.data?.status).toBe("error");
  expect(bad.data?.error?.message).toContain(`the file's sha256 is ${SHA} but the notebook expects ${"cd".repeat(32)}`);
});

test("Session passes resolveData's load options (CSV overrides) to loadFile", async () => {
  const csv = new TextEncoder().encode("x;y\n1;2\n");
  const resolve = async () => ({
    source: { kind: "bytes" as const, bytes: csv, fileName: "t.csv" },
    options: { csv: { delimiter: ";", header: false } },
  });
  const result = await run(resolve, { path: "t.csv" });
  expect(result.data?.status).toBe("ok");
  // header: false keeps the first line as a row.
  expect(result.rows).toBe(2);
});

test.each([
  [{ path: "t.txt" }, 3, ["a", "b;c"]],
  [{ path: "t.txt", delimiter: ";" }, 3, ["a,b", "c"]],
  [{ path: "t.txt", delimiter: ";", header: false }, 4, ["column0", "column1"]],
])("Session applies the front matter's delimiter and header of %j to loadFile", async (source, rows, columns) => {
  const text = new TextEncoder().encode("a,b;c\n1,2;3\n4,5;6\n7,8;9\n");
  const resolve = async () => ({ source: { kind: "bytes" as const, bytes: text, fileName: "t.txt" } });
  const result = await run(resolve, source);
  expect(result.data?.status).toBe("ok");
  expect(result.rows).toBe(rows);
  const session = new Session({ engine, resolveData: resolve });
  session.setNotebook(notebook(["const n = t.numRows;"], { data: { t: source } }));
  await session.settled();
  expect((await engine.describe("t")).map((c) => c.name)).toEqual(columns);
  await session.dispose();
});

test("Session lets resolveData's own CSV options win over the front matter's", async () => {
  const text = new TextEncoder().encode("a,b;c\n1,2;3\n");
  const resolve = async () => ({
    source: { kind: "bytes" as const, bytes: text, fileName: "t.txt" },
    options: { csv: { delimiter: "," } },
  });
  const session = new Session({ engine, resolveData: resolve });
  session.setNotebook(notebook(["const n = t.numRows;"], { data: { t: { path: "t.txt", delimiter: ";" } } }));
  await session.settled();
  expect((await engine.describe("t")).map((c) => c.name)).toEqual(["a", "b;c"]);
  await session.dispose();
});

test("Session applies the front matter's columns to loadFile, and names the closest column for a typo", async () => {
  const { parquetWriteBuffer } = await import("hyparquet-writer");
  const parquet = new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: "customer_id", data: Int32Array.from([1, 2, 3]), type: "INT32" },
        { name: "amount", data: Float64Array.from([1.5, 2.5, 3.5]), type: "DOUBLE" },
        { name: "note", data: ["a", "b", "c"], type: "STRING" },
      ],
    }),
  );
  const resolve = async () => ({ source: { kind: "bytes" as const, bytes: parquet, fileName: "t.parquet" } });
  const session = new Session({ engine, resolveData: resolve });
  session.setNotebook(
    notebook(["const n = t.numRows;"], { data: { t: { path: "t.parquet", columns: ["amount", "customer_id"] } } }),
  );
  await session.settled();
  expect(session.state(dataNodeId("t"))?.status).toBe("ok");
  expect(await engine.describe("t")).toEqual([
    { name: "amount", type: "DOUBLE" },
    { name: "customer_id", type: "INTEGER" },
  ]);
  await session.dispose();
  const typo = await run(resolve, { path: "t.parquet", columns: ["amout"] });
  expect(typo.data?.status).toBe("error");
  expect(typo.data?.error?.message).toContain('the file has no column "amout" (did you mean "amount"?)');
});
