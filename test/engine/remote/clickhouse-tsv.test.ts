/**
 * fieldDecoder(type, serverTimeZone) and unescapeTsv(field): ClickHouse's TabSeparated fields turned
 * into values by column type, as the adapter reads them (fields as 18.16 and current servers write them).
 */
import { describe, expect, it } from "vitest";
import { fieldDecoder, unescapeTsv } from "../../../src/engine/remote/clickhouse-tsv.ts";

describe("unescapeTsv(field)", () => {
  it.each<[string, string]>([
    ["plain", "plain"],
    ["a\\tb\\nc\\rd", "a\tb\nc\rd"],
    ["back\\\\slash", "back\\slash"],
    ["quote\\'s", "quote's"],
    ["nul\\0end", "nul\0end"],
    ["\\b\\f\\a\\v", "\b\f\x07\v"],
    ["hex \\x41", "hex A"],
    ["\\\\t is not a tab", "\\t is not a tab"],
    ["unicode ‘’ 😀", "unicode ‘’ 😀"],
  ])("unescapeTsv(%j) is %j", (field, text) => {
    expect(unescapeTsv(field)).toBe(text);
  });
});

describe("fieldDecoder(type, serverTimeZone)", () => {
  it.each<[string, string, unknown]>([
    ["UInt8", "255", 255],
    ["Int32", "-2147483648", -2147483648],
    ["UInt32", "4294967295", 4294967295],
    ["Float64", "1.5", 1.5],
    ["Float64", "inf", Infinity],
    ["Float64", "-inf", -Infinity],
    ["Float32", "nan", NaN],
    ["Decimal(18, 2)", "12.30", 12.3],
    ["Int64", "-9223372036854775808", -9223372036854775808n],
    ["UInt64", "18446744073709551615", 18446744073709551615n],
    ["Int128", "170141183460469231731687303715884105727", 170141183460469231731687303715884105727n],
    ["String", "a\\tb\\\\", "a\tb\\"],
    ["FixedString(4)", "ab\\0\\0", "ab"],
    ["Enum8('a' = 1, 'b\\'c' = 2)", "b\\'c", "b'c"],
    ["UUID", "61f0c404-5cb3-11e7-907b-a6006ad3dba0", "61f0c404-5cb3-11e7-907b-a6006ad3dba0"],
    ["Bool", "true", true],
    ["Date", "2024-02-29", new Date("2024-02-29T00:00:00Z")],
    ["Date", "0000-00-00", new Date(0)],
    ["DateTime", "2024-03-31 01:30:00", new Date("2024-03-31T01:30:00Z")],
    ["DateTime('Europe/Berlin')", "2024-03-31 03:30:00", new Date("2024-03-31T01:30:00Z")],
    ["DateTime('Europe/Berlin')", "2024-01-15 12:00:00", new Date("2024-01-15T11:00:00Z")],
    ["DateTime('Asia/Kolkata')", "2024-01-01 10:00:00", new Date("2024-01-01T04:30:00Z")],
    ["DateTime64(3, 'UTC')", "2024-01-01 10:00:00.123", new Date("2024-01-01T10:00:00.123Z")],
    ["Nullable(String)", "\\N", null],
    ["Nullable(String)", "\\\\N", "\\N"],
    ["Nullable(Int64)", "7", 7n],
    ["LowCardinality(Nullable(String))", "\\N", null],
    ["LowCardinality(String)", "x", "x"],
    ["Array(UInt8)", "[1,2,3]", [1, 2, 3]],
    ["Array(Nullable(String))", "['it\\'s','tab\\there',NULL,'']", ["it's", "tab\there", null, ""]],
    ["Array(Array(Int64))", "[[1],[],[2,3]]", [[1n], [], [2n, 3n]]],
    ["Array(Date)", "['2024-03-01']", [new Date("2024-03-01T00:00:00Z")]],
    ["Nullable(Nothing)", "\\N", null],
    ["Tuple(UInt8, String)", "(1,'a')", "(1,'a')"],
  ])("%s reads %j as %o", (type, raw, value) => {
    expect(fieldDecoder(type, "UTC")(raw)).toEqual(value);
  });

  it("gives each repeated date its own Date object (a cell may change one without changing the others)", () => {
    const decode = fieldDecoder("Date", "UTC");
    const first = decode("2024-05-01") as Date;
    const second = decode("2024-05-01") as Date;
    expect(second).not.toBe(first);
    first.setUTCFullYear(1999);
    expect(decode("2024-05-01")).toEqual(new Date("2024-05-01T00:00:00Z"));
    expect(decode("not a date")).toBe("not a date");
  });

  it("reads a DateTime without a zone of its own in the server's time zone", () => {
    expect(fieldDecoder("DateTime", "America/New_York")("2024-07-04 12:00:00")).toEqual(
      new Date("2024-07-04T16:00:00Z"),
    );
  });
});
