/**
 * The INSTALL/LOAD guard: finding statement heads without being fooled by strings and comments.
 */
import { describe, expect, it } from "vitest";
import { extensionStatementProblem, statementHeads } from "../../src/engine/extension-guard.ts";

describe("extension guard", () => {
  it.each<[string, string[]]>([
    ["SELECT 1", ["SELECT"]],
    ["select 1; load parquet;", ["SELECT", "LOAD PARQUET"]],
    ["  -- LOAD x;\n SELECT ';LOAD y' AS s; /* ; INSTALL z */ CREATE TABLE t (x INT)", ["SELECT", "CREATE TABLE"]],
    ['SELECT "a;INSTALL" FROM t', ["SELECT"]],
    ["SELECT $$;LOAD x;$$; FORCE INSTALL httpfs", ["SELECT", "FORCE INSTALL"]],
    ["(SELECT 1)", []],
    ["", []],
  ])("statementHeads(%j) is %j", (sql, heads) => {
    expect(statementHeads(sql)).toEqual(heads);
  });

  it.each([
    ["LOAD parquet", "LOAD statements are not allowed"],
    ["select 1;\ninstall json", "INSTALL statements are not allowed"],
    ["FORCE INSTALL httpfs", "FORCE INSTALL statements are not allowed"],
    ["UPDATE EXTENSIONS", "UPDATE EXTENSIONS statements are not allowed"],
  ])("extensionStatementProblem(%j) refuses it", (sql, start) => {
    expect(extensionStatementProblem(sql)).toMatch(new RegExp(`^${start}: Segbook's DuckDB runs offline`));
  });

  it.each(["SELECT 'LOAD parquet'", "CREATE TABLE load (x INT)", "SELECT * FROM loads", "UPDATE t SET x = 1"])(
    "extensionStatementProblem(%j) lets it through",
    (sql) => {
      expect(extensionStatementProblem(sql)).toBeNull();
    },
  );
});
