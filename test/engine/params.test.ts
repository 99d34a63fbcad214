/**
 * toWireParam(value, index): what each parameter type is sent to duckdb-wasm as; placeholderOffsets
 * and exactParams: non-integer numbers bound as exact text behind CAST(? AS DOUBLE).
 */
import { describe, expect, it } from "vitest";
import type { SqlParam } from "../../src/engine/engine.ts";
import { exactParams, toWireParam } from "../../src/engine/params.ts";
import { placeholderOffsets } from "../../src/engine/placeholders.ts";

describe("toWireParam(value, index)", () => {
  it.each<[SqlParam, unknown]>([
    ["text", "text"],
    [42, 42],
    [1.5, 1.5],
    [true, true],
    [null, null],
    [123n, 123],
    [-9007199254740991n, -9007199254740991],
    [9007199254740993n, "9007199254740993"],
    [-(2n ** 63n), "-9223372036854775808"],
    [new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), "2024-01-02T03:04:05.006Z"],
  ])("toWireParam(%s) is %j", (value, wire) => {
    expect(toWireParam(value, 0)).toEqual(wire);
  });

  it.each<[unknown, string]>([
    [Number.NaN, "query: parameter 2 is NaN; bind null or a finite number"],
    [Infinity, "query: parameter 2 is Infinity; bind null or a finite number"],
    [new Date(Number.NaN), "query: parameter 2 is an invalid Date"],
    [{ a: 1 }, "query: parameter 2 has unsupported type object"],
  ])("toWireParam(%s) fails naming the parameter", (value, message) => {
    expect(() => toWireParam(value as SqlParam, 1)).toThrow(message);
  });
});

describe("placeholderOffsets(sql)", () => {
  it.each<[string, number[] | null]>([
    ["SELECT ?, ?", [7, 10]],
    ["SELECT '?', \"a?\", ? -- ?\n, ?", [18, 27]],
    ["SELECT 'it''s ?' , ? /* ? */", [19]],
    ["SELECT $$ ? $$, $tag$ ? $tag$, ?", [31]],
    ["SELECT $1, $2", null],
    ["SELECT ?1", null],
    ["SELECT 1", []],
  ])("placeholderOffsets(%j) is %j", (sql, offsets) => {
    expect(placeholderOffsets(sql)).toEqual(offsets);
  });
});

describe("exactParams(sql, params)", () => {
  it("sends non-integer numbers as text cast to DOUBLE and leaves the rest alone", () => {
    expect(exactParams("SELECT ?, '?', ?, ?", [1.25, 3, "x"])).toEqual({
      sql: "SELECT CAST(? AS DOUBLE), '?', ?, ?",
      wire: ["1.25", 3, "x"],
    });
    expect(exactParams("SELECT ? WHERE a > ?", [2, 1086.1200000000001])).toEqual({
      sql: "SELECT ? WHERE a > CAST(? AS DOUBLE)",
      wire: [2, "1086.1200000000001"],
    });
  });

  it("leaves statements it cannot map one-to-one as they are", () => {
    expect(exactParams("SELECT $1", [1.5])).toEqual({ sql: "SELECT $1", wire: [1.5] });
    expect(exactParams("SELECT ?", [1.5, 2.5])).toEqual({ sql: "SELECT ?", wire: [1.5, 2.5] });
  });
});
