/** sqlSuggestions: tables and columns from the live schema, qualified names, aliases. */
import { describe, expect, test } from "vitest";
import { sqlSuggestions } from "../../../src/ui/editor/sql-completion.ts";

const tables = [
  {
    name: "segments",
    columns: [
      { name: "customer_id", type: "BIGINT" },
      { name: "segment", type: "VARCHAR" },
    ],
  },
  {
    name: "orders",
    columns: [
      { name: "order_id", type: "BIGINT" },
      { name: "customer_id", type: "BIGINT" },
    ],
  },
];
const labels = (before: string, text = before) => sqlSuggestions(before, text, tables).map((s) => s.label);

describe("sqlSuggestions", () => {
  test.each([
    [
      "every table and every column (once) when the text reads no table",
      "SELECT ",
      undefined,
      ["segments", "orders", "customer_id", "segment", "order_id"],
    ],
    [
      "only the columns of the tables read",
      "SELECT ",
      "SELECT  FROM orders",
      ["segments", "orders", "order_id", "customer_id"],
    ],
    ["after table.", "SELECT segments.", undefined, ["customer_id", "segment"]],
    ["after alias.", "SELECT o.", "SELECT o. FROM orders AS o", ["order_id", "customer_id"]],
    [
      "after an alias without AS, partly typed",
      "SELECT s.seg",
      "SELECT s.seg FROM segments s",
      ["customer_id", "segment"],
    ],
    ["nothing after an unknown qualifier", "SELECT x.", undefined, []],
  ])("%s", (_title, before, text, expected) => {
    expect(labels(before, text ?? before)).toEqual(expected);
  });

  test("column suggestions name their table and type", () => {
    expect(sqlSuggestions("SELECT segments.", "", tables)[1]).toEqual({
      label: "segment",
      kind: "column",
      detail: "segments.segment VARCHAR",
    });
  });
});
