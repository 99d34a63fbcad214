/**
 * The starter notebooks' pure layer: which column plays which part (table-driven over the shapes of
 * real files), names quoted for SQL, TS and Markdown, and the notebook text a file gets.
 */
import { describe, expect, test } from "vitest";
import { parse } from "../../src/notebook/index.ts";
import {
  blankNotebook,
  canRfm,
  columnRoles,
  sqlName,
  starterNotebook,
  type StarterColumn,
} from "../../src/notebook/starter.ts";

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
  { name: "Description", type: "VARCHAR", distinct: 4223 },
  { name: "Quantity", type: "BIGINT", distinct: 722 },
  { name: "InvoiceDate", type: "TIMESTAMP", distinct: 23260 },
  { name: "UnitPrice", type: "DOUBLE", distinct: 1630 },
  { name: "CustomerID", type: "DOUBLE", distinct: 4372 },
  { name: "Country", type: "VARCHAR", distinct: 38 },
];
const ORDERS: StarterColumn[] = [
  { name: "order_id", type: "INTEGER" },
  { name: "customer_id", type: "VARCHAR" },
  { name: "order_date", type: "DATE" },
  { name: "amount", type: "DECIMAL(10,2)" },
];
const WHOLESALE: StarterColumn[] = [
  { name: "CustomerID", type: "BIGINT", distinct: 440 },
  { name: "Channel", type: "BIGINT", distinct: 2 },
  { name: "Region", type: "BIGINT", distinct: 3 },
  { name: "Fresh", type: "BIGINT", distinct: 433 },
  { name: "Milk", type: "BIGINT", distinct: 421 },
];
const NO_ID: StarterColumn[] = [
  { name: "height", type: "DOUBLE" },
  { name: "weight", type: "DOUBLE" },
];

const names = (list?: StarterColumn[]) => list?.map((c) => c.name);

describe("columnRoles()", () => {
  test.each([
    {
      file: "Mall_Customers",
      columns: MALL,
      customer: "CustomerID",
      date: undefined,
      amount: undefined,
      quantity: undefined,
      invoice: undefined,
      measures: ["Age", "Annual Income (k$)", "Spending Score (1-100)"],
      categories: ["Gender"],
      rfm: false,
    },
    {
      file: "online_retail",
      columns: RETAIL,
      customer: "CustomerID",
      date: "InvoiceDate",
      amount: undefined,
      quantity: "Quantity",
      invoice: "InvoiceNo",
      measures: ["Quantity", "UnitPrice"],
      categories: [],
      rfm: true,
    },
    {
      file: "orders",
      columns: ORDERS,
      customer: "customer_id",
      date: "order_date",
      amount: "amount",
      quantity: undefined,
      invoice: "order_id",
      measures: ["amount"],
      categories: [],
      rfm: true,
    },
    {
      file: "wholesale",
      columns: WHOLESALE,
      customer: "CustomerID",
      date: undefined,
      amount: undefined,
      quantity: undefined,
      invoice: undefined,
      measures: ["Fresh", "Milk"],
      categories: ["Channel", "Region"],
      rfm: false,
    },
    {
      file: "no id",
      columns: NO_ID,
      customer: undefined,
      date: undefined,
      amount: undefined,
      quantity: undefined,
      invoice: undefined,
      measures: ["height", "weight"],
      categories: [],
      rfm: false,
    },
  ])("columnRoles($file)", ({ columns, customer, date, amount, quantity, invoice, measures, categories, rfm }) => {
    const roles = columnRoles(columns);
    expect(roles.customer?.name).toBe(customer);
    expect(roles.date?.name).toBe(date);
    expect(roles.amount?.name).toBe(amount);
    expect(roles.quantity?.name).toBe(quantity);
    expect(roles.invoice?.name).toBe(invoice);
    expect(names(roles.measures)).toEqual(measures);
    expect(names(roles.categories)).toEqual(categories);
    expect(canRfm(roles)).toBe(rfm);
  });
});

describe("sqlName()", () => {
  test.each([
    ["Age", "Age"],
    ["Annual Income (k$)", '"Annual Income (k$)"'],
    ['say "hi"', '"say ""hi"""'],
    ["2024", '"2024"'],
  ])("sqlName(%j) is %s", (name, quoted) => expect(sqlName(name)).toBe(quoted));
});

describe("blankNotebook()", () => {
  test("blankNotebook() is a titled notebook with a fixed seed, format 1, one empty TS cell and no data", () => {
    const text = blankNotebook();
    const { notebook, issues } = parse(text);
    expect(issues).toEqual([]);
    expect(notebook.frontMatter).toMatchObject({ title: "Untitled", format: 1, seed: 42, data: {} });
    expect(notebook.cells.map((c) => [c.kind, c.source])).toEqual([
      ["md", "# Untitled"],
      ["ts", ""],
    ]);
    // Never the clock: two blank notebooks are the same text.
    expect(blankNotebook()).toBe(text);
  });
});

describe("starterNotebook()", () => {
  const mall = starterNotebook({
    table: "mall_customers",
    fileName: "Mall_Customers.csv",
    source: { path: "Mall_Customers.csv", sha256: "a".repeat(64) },
    columns: MALL.map((c) => ({ ...c, min: 1, mean: 50, median: 49 })),
  });
  const parsed = parse(mall);

  test("starterNotebook(mall) names the file as a data source with its sha256, seed and format", () => {
    expect(parsed.issues).toEqual([]);
    expect(parsed.notebook.frontMatter).toMatchObject({
      title: "Mall Customers: clusters",
      format: 1,
      seed: 42,
      data: { mall_customers: { path: "Mall_Customers.csv", sha256: "a".repeat(64) } },
    });
  });

  test("starterNotebook(mall) quotes names with spaces in SQL and passes them as strings to seg", () => {
    const sql = parsed.notebook.cells.filter((c) => c.kind === "sql").map((c) => c.source);
    const code = parsed.notebook.cells
      .filter((c) => c.kind === "ts")
      .map((c) => c.source)
      .join("\n");
    expect(sql[0]).toBe("SUMMARIZE SELECT * FROM mall_customers");
    expect(code).toContain('features: ["Age", "Annual Income (k$)", "Spending Score (1-100)"]');
    expect(code).toContain('transform: ["standardize"]');
    expect(code).toContain('id: "CustomerID"');
    expect(code).toContain('features: ["Age", "Annual Income (k$)", "Spending Score (1-100)", "Gender"]');
    expect(parsed.notebook.cells.find((c) => c.name === "clustered")?.source).toContain("USING (CustomerID)");
  });

  test("starterNotebook(retail) cleans purchases: customer present, no cancellations, amount = Quantity * UnitPrice", () => {
    const text = starterNotebook({
      table: "retail",
      fileName: "online_retail.csv",
      source: { path: "r.csv" },
      columns: RETAIL,
    });
    const purchases = parse(text).notebook.cells.find((c) => c.name === "purchases")!.source;
    expect(purchases).toContain("CAST(CustomerID AS BIGINT) AS customer_id");
    expect(purchases).toContain("Quantity * UnitPrice AS amount");
    expect(purchases).toContain("CustomerID IS NOT NULL");
    expect(purchases).toContain("NOT starts_with(CAST(InvoiceNo AS VARCHAR), 'C')");
    expect(purchases).toContain("Quantity > 0");
    expect(purchases).toContain("UnitPrice > 0");
    expect(text).toContain("await seg.rfm(purchases");
    expect(text).toContain('invoice: "invoice"');
  });

  test("starterNotebook(a table called clusters) keeps its own names clear of the table's", () => {
    const text = starterNotebook({
      table: "clusters",
      fileName: "clusters.csv",
      source: { path: "clusters.csv" },
      columns: NO_ID,
    });
    expect(text).toContain("const clusters_2 = await seg.kmeans(clusters_rows");
    expect(text).toContain("SELECT row_number() OVER () AS row_id, * FROM clusters");
  });

  test("starterNotebook(skewed and plain measures) logs only the skewed ones", () => {
    const text = starterNotebook({
      table: "t",
      fileName: "t.csv",
      source: { path: "t.csv" },
      columns: [
        { name: "id", type: "BIGINT" },
        { name: "spend", type: "DOUBLE", min: 0, mean: 300, median: 90 },
        { name: "age", type: "DOUBLE", min: 18, mean: 40, median: 39 },
      ],
    });
    expect(text).toContain('"spend": ["log1p", "standardize"]');
    expect(text).toContain('"age": ["standardize"]');
  });
});
