/**
 * Every shipped notebook's TS cells type-check against the declarations generated from the source,
 * with the runtime's scoping (a cell sees the other cells' top-level names and the notebook's
 * tables), so an API change that breaks a notebook fails here naming the notebook, the cell and the
 * TypeScript error. The starter notebooks ("New notebook from this file") are checked the same way.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { generateCellTypes } from "../../../src/ui/build/cell-types.ts";
import { typeCheckNotebook, type CellTypeError } from "../../../src/ui/build/notebook-type-check.ts";
import { blankNotebook, starterNotebook, type StarterColumn } from "../../../src/notebook/starter.ts";
import { repoRoot } from "../../helpers/session.ts";

const NOTEBOOKS = path.join(repoRoot, "notebooks");

let declarations = "";
beforeAll(() => {
  // Cached under node_modules/.cache; the first run after a source change takes a few seconds.
  declarations = generateCellTypes(repoRoot).text;
}, 180_000);

/** `file:line:column cell N TS2353: message` per error, so a failure reads like a compiler's. */
function report(file: string, errors: readonly CellTypeError[]): string[] {
  return errors.map((e) => `${file}:${e.line}:${e.column} cell ${e.cell} TS${e.code}: ${e.message}`);
}

/** A notebook with `cells` (TS unless written as ["sql", source]) and `orders` as its data. */
function notebook(...cells: (string | [kind: string, source: string])[]): string {
  const front = "---\ntitle: Check\nformat: 1\nseed: 42\ndata:\n  orders: data/orders.csv\n---\n\n";
  return (
    front +
    cells
      .map((c) => (typeof c === "string" ? ["ts", c] : c))
      .map(([k, s]) => `\`\`\`${k}\n${s}\n\`\`\`\n`)
      .join("\n")
  );
}

const shipped = fs
  .readdirSync(NOTEBOOKS)
  .filter((name) => name.endsWith(".md"))
  .sort();

describe("typeCheckNotebook(shipped notebook, generated declarations)", () => {
  test("there are notebooks to check", () => {
    expect(shipped.length).toBeGreaterThanOrEqual(10);
  });

  test.each(shipped)("notebooks/%s type-checks", (name) => {
    const text = fs.readFileSync(path.join(NOTEBOOKS, name), "utf8");
    expect(report(`notebooks/${name}`, typeCheckNotebook(text, declarations))).toEqual([]);
  });
});

const MALL: StarterColumn[] = [
  { name: "CustomerID", type: "BIGINT", distinct: 200 },
  { name: "Gender", type: "VARCHAR", distinct: 2 },
  { name: "Age", type: "BIGINT", distinct: 51 },
  { name: "Annual Income (k$)", type: "BIGINT", distinct: 64 },
  { name: "Spending Score (1-100)", type: "BIGINT", distinct: 84 },
];
const RETAIL: StarterColumn[] = [
  { name: "InvoiceNo", type: "VARCHAR", distinct: 25900 },
  { name: "StockCode", type: "VARCHAR", distinct: 4070 },
  { name: "Quantity", type: "BIGINT", distinct: 722 },
  { name: "InvoiceDate", type: "TIMESTAMP", distinct: 23260 },
  { name: "UnitPrice", type: "DOUBLE", distinct: 1630 },
  { name: "CustomerID", type: "DOUBLE", distinct: 4372 },
  { name: "Country", type: "VARCHAR", distinct: 38 },
];
/** Skewed spend columns (mean far above median): the starter logs them before clustering. */
const WHOLESALE = [
  { name: "CustomerID", type: "BIGINT", distinct: 440 },
  { name: "Channel", type: "BIGINT", distinct: 2 },
  { name: "Fresh", type: "BIGINT", distinct: 433, min: 3, mean: 12000, median: 8504 },
  { name: "Milk", type: "BIGINT", distinct: 421, min: 55, mean: 5796, median: 3627 },
];
const NO_ID: StarterColumn[] = [
  { name: "height", type: "DOUBLE" },
  { name: "weight", type: "DOUBLE" },
];

describe("typeCheckNotebook(starter notebook, generated declarations)", () => {
  test.each([
    ["mall_customers (k-means, k-prototypes)", "mall_customers", MALL],
    ["online_retail (RFM)", "online_retail", RETAIL],
    ["wholesale (logged skewed measures)", "wholesale", WHOLESALE],
    ["measures without an id", "clusters", NO_ID],
  ])("starterNotebook(%s) type-checks", (_label, table, columns) => {
    const text = starterNotebook({ table, fileName: `${table}.csv`, source: { path: `${table}.csv` }, columns });
    expect(report(`starter ${table}`, typeCheckNotebook(text, declarations))).toEqual([]);
  });

  test("blankNotebook() type-checks", () => {
    expect(typeCheckNotebook(blankNotebook(), declarations)).toEqual([]);
  });
});

describe("typeCheckNotebook() catches API drift", () => {
  test("a misspelt seg option is an error naming the option, the cell and its line in the file", () => {
    const text = notebook(
      "const km = await seg.kmeans(orders, { features: ['amount'], k: 3 });",
      "const bad = await seg.kmeans(orders, { featurs: ['amount'], k: 3 });",
    );
    const errors = typeCheckNotebook(text, declarations);
    expect(errors).toEqual([
      {
        cell: 2,
        line: text.split("\n").findIndex((line) => line.includes("featurs")) + 1,
        column: expect.any(Number),
        code: 2561, // "Object literal may only specify known properties … Did you mean 'features'?"
        message: expect.stringMatching(/'featurs'.*'features'/),
      },
    ]);
    expect(text.split("\n")[errors[0]!.line - 1]!.slice(errors[0]!.column - 1)).toMatch(/^featurs/);
  });

  test("a property the result does not have is an error; one it has is not", () => {
    const errors = typeCheckNotebook(
      notebook(
        "const km = await seg.kmeans(orders, { features: ['amount'], k: 3 });",
        "const k: number = km.model.k;",
        "const wrong = km.modle;",
      ),
      declarations,
    );
    expect(errors.map((e) => [e.cell, e.message])).toEqual([[3, expect.stringMatching(/'modle'/)]]);
  });

  test("cells see each other's top-level names, the notebook's tables and named SQL cells, not the DOM's globals", () => {
    const text = notebook(
      ["sql top", "SELECT customer_id FROM orders"],
      "const name = top.name; const rows = await orders.rows(3);",
      ["js", "const fromJs = 1;"],
      "const sum: number = fromJs + name.length;",
    );
    expect(report("scoping", typeCheckNotebook(text, declarations))).toEqual([]);
  });

  test("a wrong type for an option is an error", () => {
    const errors = typeCheckNotebook(
      notebook("await seg.kmeans(orders, { features: 'amount', k: '3' });"),
      declarations,
    );
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.cell === 1)).toBe(true);
  });
});
