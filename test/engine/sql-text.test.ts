/**
 * SQL text helpers: quoting identifiers and strings, telling plain identifiers, checking table names.
 */
import { describe, expect, it } from "vitest";
import { isIdentifier, quoteIdentifier, quoteString, tableNameProblem } from "../../src/engine/sql-text.ts";

describe("sql-text", () => {
  it.each([
    ["people", '"people"'],
    ["my table", '"my table"'],
    ['say "hi"', '"say ""hi"""'],
    ["select", '"select"'],
    ["Zoë", '"Zoë"'],
    ['"', '""""'],
  ])("quoteIdentifier(%j) is %s", (name, quoted) => {
    expect(quoteIdentifier(name)).toBe(quoted);
  });

  it.each([
    ["O'Brien", "'O''Brien'"],
    ["plain", "'plain'"],
    ["''", "''''''"],
  ])("quoteString(%j) is %s", (value, quoted) => {
    expect(quoteString(value)).toBe(quoted);
  });

  it.each([
    ["people", true],
    ["_tmp1", true],
    ["Customers_2024", true],
    ["name", true],
    ["1st", false],
    ["my table", false],
    ["Zoë", false],
    ["select", false],
    ["ORDER", false],
    ["left", false],
    ["", false],
  ])("isIdentifier(%j) is %s", (name, expected) => {
    expect(isIdentifier(name)).toBe(expected);
  });

  it.each([
    ["customers", null],
    ['my "odd" table', null],
    ["", "a table name must be a non-empty string"],
    [" padded", "a table name cannot start or end with whitespace"],
    ["tab\there", "a table name cannot contain control characters"],
    ["__segbook_staging_1", 'names starting with "__segbook_" are reserved for the engine'],
    [42, "a table name must be a non-empty string"],
  ])("tableNameProblem(%j) is %j", (name, problem) => {
    expect(tableNameProblem(name)).toBe(problem);
  });
});
