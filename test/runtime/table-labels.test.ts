/**
 * Session.tableLabels(): engine tables (internal `__segbook_tN` ones included) mapped to the names the
 * user bound them to, on the real engine, and kept current as cells change.
 */
import { describe, expect, test } from "vitest";
import { tableLabelsOf } from "../../src/runtime/index.ts";
import { notebook, openSession } from "../helpers/session.ts";

const handle = (name: string) => ({ kind: "table", name, numRows: 0, columns: [] });

describe("tableLabelsOf()", () => {
  test.each([
    { title: "a handle output", values: { top: handle("__segbook_t1") }, expected: { __segbook_t1: "top" } },
    {
      title: "a handle one level down",
      values: { clusters: { labels: handle("__segbook_t2"), k: 3 } },
      expected: { __segbook_t2: "clusters.labels" },
    },
    { title: "the first of two bindings", values: { a: handle("t"), b: handle("t") }, expected: { t: "a" } },
    { title: "no handles", values: { n: 3, list: [handle("x")] }, expected: {} },
  ])("tableLabelsOf(values) with $title", ({ values, expected }) => {
    const labels = tableLabelsOf("c1", new Map(Object.entries(values)));
    expect(Object.fromEntries([...labels].map(([t, l]) => [t, l.name]))).toEqual(expected);
    for (const label of labels.values()) expect(label.cellId).toBe("c1");
  });
});

describe("Session.tableLabels()", () => {
  test("tableLabels() maps sql`…`, db.query, seg results and named SQL cells to their variables, and forgets removed cells", async () => {
    const { session, engine, close } = await openSession();
    try {
      const nb = notebook([
        {
          kind: "sql",
          name: "orders",
          source:
            "SELECT i % 5 AS customer, DATE '2024-01-01' + CAST(i AS INTEGER) AS day, i * 1.5 AS amount FROM range(40) t(i)",
        },
        "const top = sql`SELECT * FROM ${orders} WHERE amount > 20`",
        "const q = await db.query('SELECT 1 AS one')",
        "const r = await seg.rfm(orders, { id: 'customer', date: 'day', amount: 'amount', bins: 2 })",
      ]);
      session.setNotebook(nb);
      await session.settled();
      expect(
        nb.cells.map((c) => `${session.state(c.id)!.status} ${session.state(c.id)!.error?.message ?? ""}`.trim()),
      ).toEqual(["ok", "ok", "ok", "ok"]);
      const byName = new Map([...session.tableLabels()].map(([table, l]) => [l.name, { table, cellId: l.cellId }]));
      expect(byName.get("orders")).toEqual({ table: "orders", cellId: "c0" });
      for (const [name, cellId] of [
        ["top", "c1"],
        ["q", "c2"],
        ["r", "c3"],
      ] as const) {
        const entry = byName.get(name)!;
        expect(entry.cellId).toBe(cellId);
        expect(entry.table).toMatch(/^__segbook_/);
        // A real table in the engine, with the rows the cell made.
        expect((await engine.query(`SELECT count(*) AS n FROM "${entry.table}"`)).get(0)!.toJSON().n).toBeGreaterThan(
          0,
        );
      }
      session.setCells(nb.cells.slice(0, 2));
      await session.settled();
      expect([...session.tableLabels().values()].map((l) => l.name).sort()).toEqual(["orders", "top"]);
    } finally {
      await close();
    }
  });
});
