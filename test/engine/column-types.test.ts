/**
 * One answer to "is this DuckDB type a number?" for every folder (src/engine/column-types.ts), and
 * the callers that used to answer it each their own way agree with it.
 */
import { describe, expect, it } from "vitest";
import { isIntegerType, isNumericType } from "../../src/engine/column-types.ts";
import { profileKind } from "../../src/engine/profile-sql.ts";
import { columnRoles } from "../../src/notebook/starter-roles.ts";
import { typeFamily } from "../../src/ui/grid/grid-filter.ts";
import { tsTypeOf } from "../../src/ui/editor/workbench-types.ts";

const NUMERIC = [
  "TINYINT",
  "SMALLINT",
  "INTEGER",
  "BIGINT",
  "HUGEINT",
  "UTINYINT",
  "USMALLINT",
  "UINTEGER",
  "UBIGINT",
  "UHUGEINT",
  "INT",
  "INT8",
  "LONG",
  "FLOAT",
  "REAL",
  "DOUBLE",
  "DECIMAL",
  "DECIMAL(18,3)",
  "DECIMAL(18, 3)",
  "NUMERIC(10,2)",
  "double",
  " BIGINT ",
];
const NOT_NUMERIC = [
  "VARCHAR",
  "BOOLEAN",
  "DATE",
  "TIMESTAMP",
  "DOUBLE[]",
  "INTEGER[]",
  "INTERVAL",
  "UUID",
  "BLOB",
  "",
];

describe("isNumericType(type)", () => {
  it.each(NUMERIC)("%s is numeric", (type) => {
    expect(isNumericType(type)).toBe(true);
  });
  it.each(NOT_NUMERIC)("%s is not", (type) => {
    expect(isNumericType(type)).toBe(false);
  });
  it("undefined (a value outside a table) is not", () => {
    expect(isNumericType(undefined)).toBe(false);
  });
});

describe("isIntegerType(type)", () => {
  it.each([
    ["BIGINT", true],
    ["UHUGEINT", true],
    ["int4", true],
    ["DOUBLE", false],
    ["DECIMAL(18,0)", false],
    ["BIGINT[]", false],
    [undefined, false],
  ] as const)("%s -> %s", (type, expected) => {
    expect(isIntegerType(type)).toBe(expected);
  });
});

// The profile, the grid's filters, the editor's row types and the starter's measures used to carry their own lists.
describe("the callers agree with isNumericType", () => {
  it.each([...NUMERIC, ...NOT_NUMERIC])("%s", (type) => {
    const numeric = isNumericType(type);
    expect(profileKind(type) === "number").toBe(numeric);
    expect(tsTypeOf(type) === "number").toBe(numeric);
    expect(typeFamily(type) === "number").toBe(numeric);
    const roles = columnRoles([
      { name: "customer_id", type: "VARCHAR" },
      { name: "score", type },
    ]);
    expect(roles.measures.some((c) => c.name === "score")).toBe(numeric);
  });
});
