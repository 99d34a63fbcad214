/**
 * parseFilter(text, type) and typeFamily(type): what a column's filter box means for each DuckDB type.
 */
import { describe, expect, it } from "vitest";
import { parseFilter, typeFamily } from "../../../src/ui/grid/grid-filter.ts";

describe("typeFamily(type)", () => {
  it.each([
    ["BIGINT", "number"],
    ["DECIMAL(18,3)", "number"],
    ["DOUBLE", "number"],
    ["UTINYINT", "number"],
    ["DATE", "date"],
    ["TIMESTAMP", "timestamp"],
    ["TIMESTAMP_NS", "timestamp"],
    ["BOOLEAN", "boolean"],
    ["VARCHAR", "text"],
    ["INTEGER[]", "text"],
    ["STRUCT(a INTEGER)", "text"],
  ])("typeFamily(%j) is %j", (type, family) => {
    expect(typeFamily(type)).toBe(family);
  });
});

describe("parseFilter(text, type)", () => {
  it.each([
    ["", "BIGINT", undefined],
    ["   ", "VARCHAR", undefined],
    ["null", "BIGINT", { kind: "null", negate: false }],
    ["!null", "VARCHAR", { kind: "null", negate: true }],
    ["IS NOT NULL", "DATE", { kind: "null", negate: true }],
    ["42", "BIGINT", { kind: "compare", op: "=", value: 42 }],
    [">= 10", "INTEGER", { kind: "compare", op: ">=", value: 10 }],
    ["<2.5", "DOUBLE", { kind: "compare", op: "<", value: 2.5 }],
    ["<> -3", "DECIMAL(6,2)", { kind: "compare", op: "!=", value: -3 }],
    ["== 1e3", "DOUBLE", { kind: "compare", op: "=", value: 1000 }],
    [">= 2011-01-01", "DATE", { kind: "compare", op: ">=", value: "2011-01-01", cast: "DATE" }],
    ["< 2011-06-01 12:00", "TIMESTAMP", { kind: "compare", op: "<", value: "2011-06-01 12:00", cast: "TIMESTAMP" }],
    ["2011-12", "DATE", { kind: "contains", text: "2011-12" }],
    ["TRUE", "BOOLEAN", { kind: "compare", op: "=", value: true }],
    ["!= false", "BOOLEAN", { kind: "compare", op: "!=", value: false }],
    ["O'Brien %_", "VARCHAR", { kind: "contains", text: "O'Brien %_" }],
    ["> 5", "VARCHAR", { kind: "contains", text: "> 5" }],
  ])("parseFilter(%j, %j) is %j", (text, type, filter) => {
    expect(parseFilter(text, type)).toEqual({ ok: true, filter });
  });

  it.each([
    ["abc", "BIGINT", /expects a number/],
    [">=", "DOUBLE", /expects a number/],
    ["> yesterday", "DATE", /expects a date/],
    ["maybe", "BOOLEAN", /true or false/],
    ["> true", "BOOLEAN", /BOOLEAN/],
  ])("parseFilter(%j, %j) fails with a message", (text, type, message) => {
    const parsed = parseFilter(text, type);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});
