/**
 * formatValue / exactText / inlineValueText: display text by type and magnitude, full text for copies.
 */
import { describe, expect, it } from "vitest";
import {
  exactText,
  formatDouble,
  formatValue,
  inlineValueText,
  type FormatContext,
} from "../../src/format/format-value.ts";

const ts = (iso: string) => new Date(iso);

describe("formatValue", () => {
  const cases: [string, unknown, FormatContext, string][] = [
    ["double, 6 significant digits", 0.36399217462, { type: "DOUBLE" }, "0.363992"],
    ["double, integer part kept", 7308391.55, { type: "DOUBLE" }, "7,308,392"],
    ["double, thousands", 12345.6789, { type: "DOUBLE" }, "12,345.7"],
    ["double, small", 35.123456, { type: "DOUBLE" }, "35.1235"],
    ["double, whole", 42, { type: "DOUBLE" }, "42"],
    ["double, negative", -1234.5678, { type: "DOUBLE" }, "-1,234.57"],
    ["double, zero", 0, { type: "DOUBLE" }, "0"],
    ["double, tiny", 1.5e-9, { type: "DOUBLE" }, "1.5e-9"],
    ["double, p-value", 0.000123456789, { type: "DOUBLE" }, "0.000123457"],
    ["double, huge", 1.234567e18, { type: "DOUBLE" }, "1.23457e18"],
    ["double, NaN", NaN, { type: "DOUBLE" }, "NaN"],
    ["double, infinity", -Infinity, { type: "DOUBLE" }, "−∞"],
    ["untyped fraction", 2.718281828, {}, "2.71828"],
    ["untyped whole number", 1234567, {}, "1,234,567"],
    ["integer", 1234567, { type: "INTEGER" }, "1,234,567"],
    ["bigint beyond 2^53", 9007199254740993n, { type: "BIGINT" }, "9,007,199,254,740,993"],
    ["id column ungrouped", 17850, { type: "BIGINT", column: "CustomerID" }, "17850"],
    ["customer_id ungrouped", 17850, { type: "INTEGER", column: "customer_id" }, "17850"],
    ["year ungrouped", 2011, { type: "INTEGER", column: "year" }, "2011"],
    ["not an id: paid", 17850, { type: "INTEGER", column: "paid" }, "17,850"],
    ["decimal keeps its scale", 1234.5, { type: "DECIMAL(10,2)" }, "1,234.50"],
    ["decimal scale 0", 12, { type: "DECIMAL(18,0)" }, "12"],
    ["date", ts("2010-12-01T00:00:00Z"), { type: "DATE" }, "2010-12-01"],
    ["timestamp to the minute", ts("2010-12-01T08:26:00Z"), { type: "TIMESTAMP" }, "2010-12-01 08:26"],
    ["timestamp with seconds", ts("2010-12-01T08:26:07Z"), { type: "TIMESTAMP" }, "2010-12-01 08:26:07"],
    ["timestamp with ms", ts("2010-12-01T08:26:07.250Z"), { type: "TIMESTAMP" }, "2010-12-01 08:26:07.25"],
    ["timestamp at midnight", ts("2010-12-01T00:00:00Z"), { type: "TIMESTAMP" }, "2010-12-01 00:00"],
    ["timestamptz in UTC", ts("2010-12-01T23:30:00Z"), { type: "TIMESTAMP WITH TIME ZONE" }, "2010-12-01 23:30"],
    ["untyped date at midnight", ts("2024-02-29T00:00:00Z"), {}, "2024-02-29"],
    ["untyped timestamp", ts("2024-02-29T13:05:00Z"), {}, "2024-02-29 13:05"],
    ["boolean", true, { type: "BOOLEAN" }, "true"],
    ["null", null, { type: "DOUBLE" }, "null"],
    ["undefined", undefined, {}, "null"],
    ["text unchanged", "Ünïcode 12.5", { type: "VARCHAR" }, "Ünïcode 12.5"],
    ["list", [1, 2.5], { type: "DOUBLE[]" }, "[1,2.5]"],
  ];
  it.each(cases)("formatValue: %s", (_name, value, context, expected) => {
    expect(formatValue(value, context)).toBe(expected);
  });
});

describe("formatDouble", () => {
  it("formatDouble never writes an exponent between 1e-4 and 1e15", () => {
    for (const value of [1e-4, 0.5, 1, 999.999, 123456789.123, 9.99e14]) {
      expect(formatDouble(value)).not.toMatch(/e/);
    }
  });
});

describe("exactText", () => {
  const cases: [string, unknown, string][] = [
    ["double, every digit", 0.36399217462, "0.36399217462"],
    ["money", 7308391.55, "7308391.55"],
    ["bigint", 9007199254740993n, "9007199254740993"],
    ["date", ts("2010-12-01T00:00:00Z"), "2010-12-01"],
    ["timestamp", ts("2010-12-01T08:26:00Z"), "2010-12-01T08:26:00.000Z"],
    ["struct with bigint", { a: 1n }, '{"a":"1"}'],
    ["null", null, "null"],
  ];
  it.each(cases)("exactText: %s", (_name, value, expected) => {
    expect(exactText(value)).toBe(expected);
  });
});

describe("inlineValueText", () => {
  const cases: [string, unknown, string][] = [
    ["year stays ungrouped", 2011, "2011"],
    ["large integer grouped", 25900, "25,900"],
    ["double", 0.36399217462, "0.363992"],
    ["timestamp", ts("2010-12-01T08:26:00Z"), "2010-12-01 08:26"],
    ["date", ts("2010-12-01T00:00:00Z"), "2010-12-01"],
    ["null is empty", null, ""],
    ["string", "a*b", "a*b"],
  ];
  it.each(cases)("inlineValueText: %s", (_name, value, expected) => {
    expect(inlineValueText(value)).toBe(expected);
  });
});
