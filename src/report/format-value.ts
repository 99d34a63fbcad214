/**
 * How a report writes one value for a reader: numbers with thousands separators and sensible
 * decimals, dates and timestamps as dates (UTC), no internal precision noise. Kept to this one small
 * module so a shared formatter can replace it by changing the one import in value-html.ts.
 */

/**
 * The text of a number for a reader: integers grouped (`7,308,392`), other numbers with at most two
 * decimals from 1 up and three significant digits below 1 (`0.364`).
 * @example
 * formatNumber(7308391.55); // "7,308,391.55"
 */
export function formatNumber(value: number | bigint): string {
  if (typeof value === "bigint") return value.toLocaleString("en-US");
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "∞" : "−∞";
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const magnitude = Math.abs(value);
  return magnitude >= 1
    ? value.toLocaleString("en-US", { maximumFractionDigits: 2 })
    : value.toLocaleString("en-US", { maximumSignificantDigits: 3 });
}

/**
 * A date in UTC: `2010-12-01` at midnight, else `2010-12-01 08:26` (seconds when there are some).
 * @example
 * formatDate(new Date("2010-12-01T08:26:00Z")); // "2010-12-01 08:26"
 */
export function formatDate(value: Date): string {
  if (Number.isNaN(value.getTime())) return "Invalid Date";
  const iso = value.toISOString();
  if (iso.endsWith("T00:00:00.000Z")) return iso.slice(0, 10);
  const time = iso.endsWith(":00.000Z") ? iso.slice(11, 16) : iso.slice(11, 19);
  return `${iso.slice(0, 10)} ${time}`;
}

/**
 * The text of a scalar for a reader; undefined for values that are not scalars (objects, arrays).
 * @example
 * formatScalar(null); // "—"
 */
export function formatScalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number" || typeof value === "bigint") return formatNumber(value);
  if (value instanceof Date) return formatDate(value);
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  return undefined;
}

/**
 * The exact value behind a formatted one (a tooltip), when formatting may have changed it: fractional
 * numbers, and timestamps with milliseconds (whole seconds are written out already).
 * @example
 * exactText(0.363992); // "0.363992"
 */
export function exactText(value: unknown): string | undefined {
  if (typeof value === "number" && !Number.isInteger(value)) return String(value);
  if (value instanceof Date && !Number.isNaN(value.getTime()) && value.getTime() % 1000 !== 0)
    return value.toISOString();
  return undefined;
}
