/**
 * tableLabelRecord / withoutInternalNames: tables a cell made are named by the names the user bound them
 * to, and internal `__segbook_…` names never reach an error message. The last tests run real cells on
 * duckdb-wasm in Node (seg validation errors and DuckDB's own errors).
 */
import { afterEach, describe, expect, test } from "vitest";
import { createNodeEngine } from "../../src/engine/node.ts";
import { nodeLibraries } from "../../src/cli/node-libraries.ts";
import { Session } from "../../src/runtime/index.ts";
import { tableLabelRecord, withoutInternalNames } from "../../src/runtime/table-labels.ts";
import { segLibrary } from "../../src/seg/library.ts";
import { notebook } from "../helpers/session.ts";

const handle = (name: string) => ({ kind: "table", name, numRows: 0, columns: [] });

describe("tableLabelRecord", () => {
  test("tableLabelRecord labels handles by their variable and object fields by name.field", () => {
    const labels = tableLabelRecord([
      ["rfm", handle("__segbook_t11")],
      ["km", { labels: handle("__segbook_t12"), inertia: 3 }],
      ["orders", handle("orders")],
      ["again", handle("__segbook_t11")],
      ["n", 42],
    ]);
    expect(labels).toEqual({ __segbook_t11: "rfm", __segbook_t12: "km.labels" });
  });
});

describe("withoutInternalNames", () => {
  const labels = { __segbook_t3: "orders" };
  test.each([
    [
      "a seg message, labelled",
      'seg.rfm: unknown column "CustomerID" in table "__segbook_t3"; its columns are a',
      labels,
      'seg.rfm: unknown column "CustomerID" in table "orders"; its columns are a',
    ],
    [
      "a seg message, unlabelled",
      'seg.rfm: unknown column "CustomerID" in table "__segbook_t9"; its columns are a',
      labels,
      'seg.rfm: unknown column "CustomerID" in the input table; its columns are a',
    ],
    [
      "DuckDB's candidate bindings",
      'Binder Error: Referenced column "nope" not found in FROM clause!\nCandidate bindings: "__segbook_t3.customer_id"',
      labels,
      'Binder Error: Referenced column "nope" not found in FROM clause!\nCandidate bindings: "orders.customer_id"',
    ],
    [
      "an unlabelled qualifier is dropped",
      'Candidate bindings: "__segbook_t8.amount"',
      labels,
      'Candidate bindings: "amount"',
    ],
    [
      "DuckDB's catalog error",
      "Catalog Error: Table with name __segbook_t8 does not exist!",
      labels,
      "Catalog Error: The input table does not exist!",
    ],
    ["any other mention", "cannot read __segbook_t3 now", labels, 'cannot read "orders" now'],
    ["no internal name: unchanged", 'no column "x" in table "sales"', labels, 'no column "x" in table "sales"'],
  ])("withoutInternalNames: %s", (_name, message, given, expected) => {
    expect(withoutInternalNames(message, given)).toBe(expected);
  });
});

describe("Session error messages", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  test("Session names the user's table in seg and DuckDB errors, suggests the column, and labels outputs", async () => {
    const engine = await createNodeEngine();
    const session = new Session({ engine, libraries: nodeLibraries(), cellLibraries: { seg: segLibrary() } });
    closers.push(async () => {
      await session.dispose();
      await engine.close();
    });
    session.setNotebook(
      notebook([
        "const orders = await sql`SELECT 17850 AS customer_id, 12.5 AS amount, 'A' AS seg`",
        'const card = await seg.scorecard(orders, {segment: "seg", contact: "CustomerID"})',
        { kind: "sql", source: "SELECT nope FROM ${orders}" },
        "const rfm = await sql`SELECT * FROM ${orders}`;\nrfm",
      ]),
    );
    await session.settled();
    const seg = session.state("c1")!;
    expect(seg.status).toBe("error");
    expect(seg.error!.message).toBe(
      'seg.scorecard: unknown column "CustomerID" in table "orders"; its columns are customer_id, amount, seg. Did you mean "customer_id"?',
    );
    const sqlError = session.state("c2")!;
    expect(sqlError.status).toBe("error");
    expect(sqlError.error!.message).toContain('"nope"');
    expect(sqlError.error!.message).not.toContain("__segbook_");
    // DuckDB quotes the statement, where ${orders} was bound as its engine name.
    expect(sqlError.error!.message).toContain('SELECT nope FROM "orders"');
    const shown = session.state("c3")!;
    expect(shown.status).toBe("ok");
    const engineName = (shown.value as { name: string }).name;
    expect(engineName).toMatch(/^__segbook_t/);
    expect(shown.tableLabels?.[engineName]).toBe("rfm");
  });
});
