/**
 * decimalToDouble (the hyparquet path's DECIMAL -> DOUBLE) against native DuckDB's own
 * CAST(x AS DOUBLE) on the same unscaled integers: every storage width (int16 to HUGEINT), both
 * sides of 2^53 where DuckDB changes method, negatives and the HUGEINT upper = -1 case.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decimalToDouble } from "../../src/engine/decimal-double.ts";

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  connection = await instance.connect();
});

afterAll(() => {
  connection?.closeSync();
  instance?.closeSync();
});

/** DuckDB's DOUBLE for the DECIMAL(precision, scale) whose unscaled integer is `unscaled`. */
async function duckdbDouble(unscaled: bigint, precision: number, scale: number): Promise<number> {
  // The DECIMAL value itself, built from its unscaled integer without any rounding: text -> DECIMAL.
  const text = scaledText(unscaled, scale);
  const rows = await connection.runAndReadAll(`SELECT CAST('${text}'::DECIMAL(${precision},${scale}) AS DOUBLE) AS d`);
  return rows.getRowObjects()[0]!.d as number;
}

/** The decimal text of unscaled / 10^scale, exactly. */
function scaledText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** Big-endian two's-complement bytes of `value` in `length` bytes (Parquet's FIXED_LEN_BYTE_ARRAY form). */
function bytesOf(value: bigint, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let rest = BigInt.asUintN(length * 8, value);
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

const cases: [string, bigint, number, number][] = [
  ["0.35 in DECIMAL(4,2)", 35n, 4, 2],
  ["19.99 in DECIMAL(9,2)", 1999n, 9, 2],
  ["-0.07 in DECIMAL(9,2)", -7n, 9, 2],
  ["a 10-digit fraction", 4997501249n, 10, 10],
  ["2^53 + 1 in DECIMAL(18,3) (DuckDB's split path)", 2n ** 53n + 1n, 18, 3],
  ["-(10^18 - 1) in DECIMAL(18,17)", -(10n ** 18n - 1n), 18, 17],
  ["a HUGEINT below 2^53", 123456789n, 30, 2],
  ["a HUGEINT past 2^64", 1234567890123456789012345678n, 30, 2],
  ["a negative HUGEINT with upper = -1", -(2n ** 60n + 12345n), 30, 5],
  ["a negative HUGEINT past -2^64", -(10n ** 37n + 987654321n), 38, 30],
  ["the largest DECIMAL(38,0)", 10n ** 38n - 1n, 38, 0],
];

describe("decimalToDouble", () => {
  it.each(cases)(
    "decimalToDouble(%s) is DuckDB's CAST to DOUBLE, bit for bit",
    async (_, unscaled, precision, scale) => {
      const expected = await duckdbDouble(unscaled, precision, scale);
      const length = precision <= 18 ? 8 : 16;
      expect(decimalToDouble(unscaled, precision, scale)).toBe(expected);
      expect(decimalToDouble(bytesOf(unscaled, length), precision, scale)).toBe(expected);
      if (precision <= 9) expect(decimalToDouble(Number(unscaled), precision, scale)).toBe(expected);
    },
  );

  it("decimalToDouble(35, 4, 2) is 0.35, not hyparquet's 35 * 10 ** -2", () => {
    expect(35 * 10 ** -2).toBe(0.35000000000000003);
    expect(decimalToDouble(35, 4, 2)).toBe(0.35);
  });
});
