/**
 * DuckDB SQL for a sum of doubles that gives the same bits in any row order.
 *
 * Why: `sum` and `fsum` add in the order rows reach the aggregate. duckdb-wasm reads on one thread, so
 * its order is the table's; native DuckDB (`segbook run --engine native`) merges per-thread partial
 * sums in whatever order the threads finish, so the same notebook wrote a customer's monetary as
 * 4310.000000000001 in one run and 4310.0 in the next. Here every value is split exactly into integer
 * multiples of 2^22, 2^-20, 2^-62 and 2^-104; each is summed as a HUGEINT (exact in any order) and the
 * totals are joined at the end. The parts hold every bit of values from 2^-52 to 2^64 in magnitude
 * (smaller ones lose only bits below 2^-104), so the result is the exact sum rounded, up to one unit in
 * the last place; for totals below 2^33 whose parts below 2^-62 are zero, as with money, it is the
 * correctly rounded sum (Python's `math.fsum`), which Kahan summation in row order (pandas, fsum)
 * misses by one unit in the last place for about 4 % of Online Retail's customers.
 *
 * A group holding a NaN, an infinity or a value of magnitude 2^64 or more takes DuckDB's `sum`
 * instead: NaN and infinities come out the same in any order, and such magnitudes are not amounts.
 * NULLs are left out, as `sum` does, and a group of only NULLs sums to NULL.
 *
 * @param expr - a SQL expression of type DOUBLE (wrap other numeric types in a cast first).
 * @returns an aggregate expression usable wherever `sum(expr)` is.
 * @example
 * exactSumSql(`CAST("amount" AS DOUBLE)`);
 * // → 'CASE WHEN bool_and(abs((CAST("amount" AS DOUBLE))) < 1.8446744073709552e+19) IS FALSE THEN sum(…) ELSE … END'
 */
export function exactSumSql(expr: string): string {
  const x = `(${expr})`;
  const fits = `abs(${x}) < ${LIMIT}`;
  // Values that do not fit count as 0 in the integer sums; the group then takes sum instead.
  let rest = `(CASE WHEN ${fits} OR ${x} IS NULL THEN ${x} ELSE 0 END)`;
  // Each part is the rest rounded to a multiple of its unit; the rest minus it is exact (the two are
  // within half a unit of each other, so Sterbenz's lemma applies) and goes to the next, finer part.
  const sums: string[] = [];
  for (const unit of UNITS) {
    const part = `round(${rest} * ${unit.inverse})`;
    sums.push(`sum(CAST(${part} AS BIGINT))`);
    rest = `(${rest} - ${part} * ${unit.size})`;
  }
  const [top, high, low, tiny] = sums as [string, string, string, string];
  // Carry upwards so the two finest totals are in [0, 2^42) of their units; the coarse total, in units
  // of 2^-20, is then exact as a double below 2^33, and one addition rounds the whole.
  const lowCarried = `(${low} + (${tiny} >> 42))`;
  const highTotal = `(${top} * ${CARRY} + ${high} + (${lowCarried} >> 42))`;
  const fine = `(${lowCarried} & ${MASK}) * ${CARRY} + (${tiny} & ${MASK})`;
  const exact = `CAST(${highTotal} AS DOUBLE) / ${power("20")} + CAST(${fine} AS DOUBLE) / ${TINY_INVERSE}`;
  return `CASE WHEN bool_and(${fits}) IS FALSE THEN sum(${x}) ELSE ${exact} END`;
}

/**
 * Powers of two as DuckDB DOUBLE literals: scientific notation is read as a DOUBLE, and these shortest
 * forms read back to the exact power (test/seg/exact-sum.test.ts checks every one).
 *
 * @example
 * `SELECT x * ${POWERS_OF_TWO["20"]}`; // x times 2^20, exactly
 */
export const POWERS_OF_TWO = {
  "22": "4.194304e+6",
  "-22": "2.384185791015625e-7",
  "20": "1.048576e+6",
  "-20": "9.5367431640625e-7",
  "62": "4.611686018427388e+18",
  "-62": "2.168404344971009e-19",
  "104": "2.028240960365167e+31",
  "-104": "4.930380657631324e-32",
  "64": "1.8446744073709552e+19",
} as const;

function power(e: keyof typeof POWERS_OF_TWO): string {
  return POWERS_OF_TWO[e];
}

/** The parts' units as powers of two, coarsest first: 42 bits apart, so each part stays below 2^42. */
const UNITS = (
  [
    ["22", "-22"],
    ["-20", "20"],
    ["-62", "62"],
    ["-104", "104"],
  ] as const
).map(([size, inverse]) => ({ size: power(size), inverse: power(inverse) }));
const TINY_INVERSE = power("104");
const CARRY = "4398046511104"; // 2^42
const MASK = "4398046511103"; // 2^42 - 1
const LIMIT = power("64"); // the top part, in units of 2^22, stays below 2^42
