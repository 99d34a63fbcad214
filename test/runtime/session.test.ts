/**
 * Table-driven tests of Session: cells in, statuses, values, inputs/outputs, order and errors out.
 * Every case runs on the real DuckDB engine (duckdb-wasm's Node bundle).
 */
import { describe, expect, test } from "vitest";
import type { TableHandle } from "../../src/engine/table-handle-types.ts";
import type { CellStatus, MarkdownValue } from "../../src/runtime/index.ts";
import { notebook, runNotebook, type TestCell } from "../helpers/session.ts";

interface Expectation {
  status: CellStatus;
  /** Expected `value` (compared with toEqual), or a function of the value returning something to compare. */
  value?: unknown;
  read?: (value: unknown) => unknown | Promise<unknown>;
  error?: RegExp;
  /** Line of the error within the cell. */
  line?: number;
  blockedBy?: string[];
  inputs?: string[];
  outputs?: string[];
  displays?: unknown[];
}

interface Case {
  title: string;
  cells: (TestCell | string)[];
  expect: Expectation[];
  /** Cell indexes whose relative run order is asserted. */
  order?: number[];
}

const rows = (n?: number) => async (v: unknown) => (v as TableHandle).rows(n);

const cases: Case[] = [
  {
    title: "runs cells written out of order in dependency order",
    cells: ["const c = b * 10", "const b = a + 1", "const a = 1"],
    expect: [
      { status: "ok", inputs: ["b"], outputs: ["c"] },
      { status: "ok", inputs: ["a"], outputs: ["b"] },
      { status: "ok", inputs: [], outputs: ["a"] },
    ],
    order: [2, 1, 0],
  },
  {
    title: "shows the last expression's value",
    cells: ["const a = 2", "a * 21"],
    expect: [{ status: "ok" }, { status: "ok", value: 42 }],
  },
  {
    title: "reports a cycle as circular definition and blocks its readers",
    cells: ["const a = b + 1", "const b = a + 1", "a * 2"],
    expect: [
      { status: "error", error: /^circular definition$/ },
      { status: "error", error: /^circular definition$/ },
      { status: "blocked", blockedBy: ["a"] },
    ],
  },
  {
    title: "reports a name defined twice on both definers and blocks the reader",
    cells: ["const x = 1", "const x = 2", "x * 2"],
    expect: [
      { status: "error", error: /^x is defined more than once: also in cell 2$/ },
      { status: "error", error: /^x is defined more than once: also in cell 1$/ },
      { status: "blocked", error: /^x is defined more than once: in cell 1 and cell 2$/ },
    ],
  },
  {
    title: "reports an undefined name and blocks the cells that read the failing cell",
    cells: ["const y = z + 1", "y * 2"],
    expect: [
      { status: "error", error: /^z is not defined$/ },
      { status: "blocked", blockedBy: ["y"] },
    ],
  },
  {
    title: "awaits at top level and passes the resolved value on",
    cells: ["const v = await new Promise((r) => setTimeout(() => r(5), 20))", "v * 2"],
    expect: [{ status: "ok" }, { status: "ok", value: 10 }],
  },
  {
    title: "turns a thrown error into the cell's error and blocks dependants",
    cells: ['const boom = (() => { throw new Error("boom: fix the input") })()', "boom"],
    expect: [
      { status: "error", error: /^boom: fix the input$/ },
      { status: "blocked", blockedBy: ["boom"] },
    ],
  },
  {
    title: "reports a syntax error with its location",
    cells: ["const a = ;"],
    expect: [{ status: "error", error: /Unexpected token/, line: 1 }],
  },
  {
    title: "locates a runtime error on the cell's own line",
    cells: ["const ok = 1;\nconst bad: any = null;\nconst boom = bad.property;"],
    expect: [{ status: "error", error: /Cannot read properties of null/, line: 3 }],
  },
  {
    title: "refuses assignment to another cell's variable",
    cells: ["let n = 1", "n = 2"],
    expect: [{ status: "ok" }, { status: "error", error: /Assignment to external variable 'n'/ }],
  },
  {
    title: "strips TypeScript types without checking them",
    cells: ["interface P { a: number }\nconst p: P = { a: 'not a number' as unknown as number }", "p.a"],
    expect: [{ status: "ok" }, { status: "ok", value: "not a number" }],
  },
  {
    title: "shows an object literal cell as an object",
    cells: ["{a: 1, b: [2]}"],
    expect: [{ status: "ok", value: { a: 1, b: [2] } }],
  },
  {
    title: "shows what a promise value resolves to, in TS, Markdown and SQL",
    cells: [
      "Promise.resolve(41).then((x) => x + 1)",
      { kind: "md", source: "Answer: ${Promise.resolve(42)}" },
      { kind: "sql", source: "SELECT ${Promise.resolve(7)} AS v" },
    ],
    expect: [
      { status: "ok", value: 42 },
      { status: "ok", read: (v) => (v as MarkdownValue).values, value: [42] },
      { status: "ok", read: rows(), value: [{ v: 7 }] },
    ],
  },
  {
    title: "collects display() calls before the value",
    cells: ["display(1); display('two'); 3"],
    expect: [{ status: "ok", displays: [1, "two"], value: 3 }],
  },
  {
    title: "binds SQL interpolations as parameters, quotes included",
    cells: [
      `const who = "O'Brien; DROP TABLE x; --\\"q\\""`,
      { kind: "sql", name: "q", source: "SELECT ${who} AS s, length(${who}) AS n" },
      "(await q.rows())[0]",
    ],
    expect: [
      { status: "ok" },
      { status: "ok", inputs: ["who"], outputs: ["q"] },
      { status: "ok", value: { s: `O'Brien; DROP TABLE x; --"q"`, n: 28 } },
    ],
  },
  {
    title: "lets a SQL cell read another SQL cell's result, written before it",
    cells: [
      { kind: "sql", name: "total", source: "SELECT sum(x) AS s FROM numbers" },
      { kind: "sql", name: "numbers", source: "SELECT * FROM (VALUES (1), (2), (3)) t(x)" },
    ],
    expect: [
      { status: "ok", read: rows(), value: [{ s: 6 }] },
      { status: "ok", read: async (v) => (v as TableHandle).numRows, value: 3 },
    ],
    order: [1, 0],
  },
  {
    title: "makes a named SQL result a table handle with name, numRows and columns",
    cells: [
      { kind: "sql", name: "t", source: "SELECT 1::INTEGER AS a, 'x' AS b" },
      "({name: t.name, n: t.numRows, cols: t.columns})",
    ],
    expect: [
      { status: "ok" },
      {
        status: "ok",
        value: {
          name: "t",
          n: 1,
          cols: [
            { name: "a", type: "INTEGER" },
            { name: "b", type: "VARCHAR" },
          ],
        },
      },
    ],
  },
  {
    title: "splices a table handle as an identifier, not a parameter",
    cells: [
      { kind: "sql", name: "src", source: "SELECT 7 AS v" },
      "const s = src",
      { kind: "sql", source: "SELECT v * 2 AS w FROM ${s}" },
    ],
    expect: [{ status: "ok" }, { status: "ok" }, { status: "ok", read: rows(), value: [{ w: 14 }] }],
  },
  {
    title: "reports a SQL error on the user's own line, without the runtime's wrapper statement",
    cells: [
      { kind: "sql", name: "bad", source: "SELECT 1 AS a,\n  nope AS b\nFROM range(3)" },
      { kind: "sql", source: "SELECT *\nFROM missing_table" },
    ],
    expect: [
      { status: "error", error: /^Binder Error: Referenced column "nope" not found[^]*LINE 2: {3}nope AS b/, line: 2 },
      { status: "error", error: /^Catalog Error: Table with name missing_table does not exist(?![^]*CREATE)/, line: 2 },
    ],
  },
  {
    title: "refuses an interpolation inside a SQL string literal",
    cells: ["const x = 1", { kind: "sql", source: "SELECT '${x}'" }],
    expect: [{ status: "ok" }, { status: "error", error: /inside a quoted SQL string/ }],
  },
  {
    title: "blocks a SQL cell whose input table failed",
    cells: [
      { kind: "sql", name: "bad", source: "SELECT * FROM no_such_table" },
      { kind: "sql", name: "after", source: "SELECT * FROM bad" },
    ],
    expect: [
      { status: "error", error: /no_such_table/ },
      { status: "blocked", blockedBy: ["bad"] },
    ],
  },
  {
    title: "returns db.query results as handles and sql`` as well",
    cells: [
      "const h = await db.query('SELECT range AS i FROM range(5) WHERE range >= ?', [2])",
      "const k = await sql`SELECT ${h.numRows} AS n`",
      "(await k.rows())[0].n",
    ],
    expect: [{ status: "ok" }, { status: "ok" }, { status: "ok", value: 3 }],
  },
  {
    title: "interpolates Markdown and reads its inputs",
    cells: [{ kind: "md", source: "# Report\n\nWe have ${n} customers and `${literal}` stays code." }, "const n = 3"],
    expect: [{ status: "ok", inputs: ["n"], read: (v) => (v as MarkdownValue).values, value: [3] }, { status: "ok" }],
  },
  {
    title: "gives each cell a seeded random() that restarts on every run",
    cells: ["[random(), random()]", "seed"],
    expect: [
      { status: "ok", read: (v) => (v as number[]).every((x) => x >= 0 && x < 1), value: true },
      { status: "ok", value: 42 },
    ],
  },
  {
    title: "gives every TS cell the seg namespace, bound to the notebook seed",
    cells: ["({type: typeof seg, seed: seg.seed})"],
    expect: [{ status: "ok", value: { type: "object", seed: 42 } }],
  },
  {
    title: "rejects export with the fix",
    cells: ["export const a = 1"],
    expect: [{ status: "error", error: /remove `export`/ }],
  },
  {
    title: "runs a non-query SQL statement and shows nothing when it returns no rows",
    cells: [{ kind: "sql", source: "CREATE OR REPLACE TEMP TABLE scratch AS SELECT 1 AS a" }],
    expect: [{ status: "ok" }],
  },
  {
    title: "shows nothing for a cell that ends in a declaration",
    cells: ["const quiet = 1"],
    expect: [{ status: "ok", value: undefined }],
  },
];

describe("Session", () => {
  test.each(cases)("setNotebook(cells) $title", async (c) => {
    const nb = notebook(c.cells);
    const { states, session, close } = await runNotebook(nb);
    try {
      for (const [i, e] of c.expect.entries()) {
        const state = states.get(`c${i}`)!;
        const label = `cell ${i}: ${JSON.stringify(state.error?.message ?? state.status)}`;
        expect(state.status, label).toBe(e.status);
        if (e.error) expect(state.error?.message, label).toMatch(e.error);
        if (e.line) expect(state.error?.line, label).toBe(e.line);
        if (e.blockedBy) expect(state.blockedBy, label).toEqual(e.blockedBy);
        if (e.inputs) expect([...state.inputs].sort(), label).toEqual([...e.inputs].sort());
        if (e.outputs) expect(state.outputs, label).toEqual(e.outputs);
        if (e.displays) expect(state.displays, label).toEqual(e.displays);
        if ("value" in e) {
          const actual = e.read ? await e.read(state.value) : state.value;
          expect(actual, label).toEqual(e.value);
        }
      }
      if (c.order) {
        const order = session.runOrder();
        const positions = c.order.map((i) => order.indexOf(`c${i}`));
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
      }
    } finally {
      await close();
    }
  });
});

describe("Session duplicate names", () => {
  test("setNotebook(two cells defining rfm) names the other cell in each error and links to it (related ids)", async () => {
    const nb = notebook(["const a = 1", "const rfm = 1", { kind: "sql", name: "rfm", source: "SELECT 1 AS x" }, "rfm"]);
    const { states, close } = await runNotebook(nb);
    try {
      expect(states.get("c1")!.error).toMatchObject({
        message: "rfm is defined more than once: also in cell 3",
        related: ["c2"],
      });
      expect(states.get("c2")!.error).toMatchObject({
        message: "rfm is defined more than once: also in cell 2",
        related: ["c1"],
      });
      expect(states.get("c3")!.status).toBe("blocked");
      expect(states.get("c3")!.error).toMatchObject({ related: ["c1", "c2"] });
    } finally {
      await close();
    }
  });
});
