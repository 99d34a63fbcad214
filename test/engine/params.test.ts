/**
 * toWireParam(value, index): what each parameter type is sent to duckdb-wasm as.
 */
import { describe, expect, it } from "vitest";
import type { SqlParam } from "../../src/engine/engine.ts";
import { toWireParam } from "../../src/engine/params.ts";

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
