/**
 * DuckDB's CAST of a DECIMAL to DOUBLE, in JavaScript, so that the hyparquet path
 * (parquet-to-arrow.ts) gives the same doubles as the paths where DuckDB casts itself
 * (parquet-wasm's Arrow on duckdb-wasm, read_parquet on native DuckDB): 0.35 stays 0.35, where
 * `unscaled * 10 ** -scale` gives 0.35000000000000003. Ported from DuckDB's
 * TryCastDecimalToFloatingPoint and, for DECIMALs over 18 digits (stored as HUGEINT),
 * CastBigintToFloating.
 */

const TWO_53 = 2n ** 53n;
const TWO_64 = 2n ** 64n;

/** DuckDB's DOUBLE_POWERS_OF_TEN: each the C++ literal 1e<n>, i.e. correctly rounded. */
const powerOfTen = (scale: number) => Number(`1e${scale}`);

/** DuckDB's cast of the integer storing the DECIMAL (int64 up to 18 digits, else HUGEINT) to DOUBLE. */
function storageToDouble(value: bigint, precision: number): number {
  if (precision <= 18) return Number(value);
  const upper = value >> 64n;
  const lower = value - upper * TWO_64;
  // DuckDB's special case for a small negative HUGEINT, then lower + upper * 2^64 in doubles.
  if (upper === -1n) return -Number(TWO_64 - 1n - lower) - 1;
  return Number(lower) + Number(upper) * Number(TWO_64);
}

/** The unscaled integer of a Parquet DECIMAL value: INT32/INT64, or big-endian two's-complement bytes. */
function unscaledOf(value: number | bigint | Uint8Array): bigint {
  if (!(value instanceof Uint8Array)) return BigInt(value);
  let result = 0n;
  for (const byte of value) result = (result << 8n) | BigInt(byte);
  const bits = BigInt(value.length * 8);
  return value.length > 0 && value[0]! >= 0x80 ? result - (1n << bits) : result;
}

/**
 * The DOUBLE DuckDB's `CAST(x AS DOUBLE)` gives for the DECIMAL(precision, scale) stored as `value`
 * (Parquet's raw form: the unscaled integer, or its big-endian bytes).
 * @example
 * decimalToDouble(35, 4, 2); // 0.35 (not 35 * 10 ** -2 = 0.35000000000000003)
 */
export function decimalToDouble(value: number | bigint | Uint8Array, precision: number, scale: number): number {
  const unscaled = unscaledOf(value);
  const magnitude = unscaled < 0n ? -unscaled : unscaled;
  if (scale === 0 || magnitude <= TWO_53) return storageToDouble(unscaled, precision) / powerOfTen(scale);
  // Past 2^53 DuckDB converts the integer and fractional parts apart (BigInt / and % truncate, as C++).
  const divisor = 10n ** BigInt(scale);
  return (
    storageToDouble(unscaled / divisor, precision) + storageToDouble(unscaled % divisor, precision) / powerOfTen(scale)
  );
}
