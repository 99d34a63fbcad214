/**
 * How a value reads on screen: one formatter for the data grid, the inspector's tables, Markdown
 * `${…}` interpolation and the HTML reports (the workbench's and `segbook run --out`'s). Pure
 * TypeScript with no DOM, so both src/ui and src/cli (and a future sandboxed output frame) import it;
 * it lives outside src/ui because nothing may import ui.
 *
 * Display text is for reading: numbers by type and magnitude, dates without a time, timestamps in UTC
 * to the minute (seconds only when non-zero). It is never what Copy, CSV or a filter uses: those take
 * {@link exactText}, the full value.
 */
import { isIntegerType } from "../engine/column-types.ts";

/** What is known about where a value sits: its column's DuckDB type and name, when it is in a table. */
export interface FormatContext {
  /** DuckDB type as DESCRIBE spells it, e.g. `BIGINT`, `DECIMAL(18,2)`, `TIMESTAMP`. */
  type?: string;
  /** Column name: an integer column named like an id or a year reads without thousands separators. */
  column?: string;
}

/** Significant digits a non-integer double shows (more only to keep every digit of its integer part). */
export const SIGNIFICANT_DIGITS = 6;

/** Doubles at least this large (in magnitude) are written with an exponent. */
const HUGE = 1e15;
/** Non-zero doubles smaller than this (in magnitude) are written with an exponent. */
const TINY = 1e-4;

// Ids, codes and years are labels, not quantities: 17850 and 2011, not 17,850 and 2,011.
const LABEL_WORD = /(^|[^a-z])(id|ids|code|year|yr|zip|postcode)$/i;
const LABEL_CAMEL = /[a-z](Id|ID|Code|Year)$/;
const isLabelColumn = (name: string) => LABEL_WORD.test(name) || LABEL_CAMEL.test(name);

/** The scale of a `DECIMAL(p,s)` type, or undefined for any other type. */
function decimalScale(type: string | undefined): number | undefined {
  const match = type ? /^DECIMAL\s*\(\s*\d+\s*,\s*(\d+)\s*\)$/i.exec(type) : null;
  return match ? Number(match[1]) : undefined;
}

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const plain = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0, useGrouping: false });

/**
 * An integer with thousands separators (`1,234,567`); none for a column named like an id or a year.
 * @example formatInteger(1234567) // => "1,234,567"
 */
export function formatInteger(value: number | bigint, context: FormatContext = {}): string {
  if (typeof value === "number" && !Number.isFinite(value)) return formatSpecial(value);
  const label = context.column !== undefined && isLabelColumn(context.column);
  return (label ? plain : grouped).format(value);
}

function formatSpecial(value: number): string {
  return Number.isNaN(value) ? "NaN" : value > 0 ? "∞" : "−∞";
}

/** `1.23457e+15` written as `1.23457e15`, trailing zeros of the mantissa dropped. */
function exponential(value: number): string {
  const [mantissa, exponent] = value.toExponential(SIGNIFICANT_DIGITS - 1).split("e");
  const m = mantissa!.includes(".") ? mantissa!.replace(/\.?0+$/, "") : mantissa!;
  return `${m}e${exponent!.replace("+", "")}`;
}

/**
 * A double by its magnitude: {@link SIGNIFICANT_DIGITS} significant digits with thousands separators
 * (never rounding away digits of the integer part), an exponent for tiny and huge magnitudes.
 * @example formatDouble(0.36399217) // => "0.363992"
 * @example formatDouble(7308391.55) // => "7,308,392"
 * @example formatDouble(1.5e-9) // => "1.5e-9"
 */
export function formatDouble(value: number): string {
  if (!Number.isFinite(value)) return formatSpecial(value);
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= HUGE || magnitude < TINY) return exponential(value);
  const integerDigits = magnitude >= 1 ? Math.floor(Math.log10(magnitude)) + 1 : 0;
  const text =
    integerDigits > 0
      ? value.toLocaleString("en-US", { maximumFractionDigits: Math.max(0, SIGNIFICANT_DIGITS - integerDigits) })
      : value.toLocaleString("en-US", { maximumSignificantDigits: SIGNIFICANT_DIGITS });
  // Rounding can leave "-0" (e.g. -0.0000001 is caught above, but -0.4 to 0 digits is not).
  return text === "-0" ? "0" : text;
}

/**
 * A number by its column type: integers grouped, DECIMAL(p,s) with exactly s decimals, doubles by
 * magnitude ({@link formatDouble}). Without a type, whole numbers read as integers.
 * @example formatNumber(1234.5, {type: "DECIMAL(10,2)"}) // => "1,234.50"
 */
export function formatNumber(value: number | bigint, context: FormatContext = {}): string {
  if (typeof value === "bigint") return formatInteger(value, context);
  const type = context.type?.toUpperCase();
  const scale = decimalScale(type);
  if (scale !== undefined && Number.isFinite(value)) {
    return value.toLocaleString("en-US", { minimumFractionDigits: scale, maximumFractionDigits: scale });
  }
  if (isIntegerType(type) || (!type && Number.isInteger(value) && Math.abs(value) < HUGE)) {
    return formatInteger(value, context);
  }
  return formatDouble(value);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * A date as `2010-12-01` (UTC: DuckDB's DATE arrives as UTC midnight; the machine's zone never applies).
 * @example formatDate(new Date("2010-12-01T00:00:00Z")) // => "2010-12-01"
 */
export function formatDate(value: Date): string {
  if (Number.isNaN(value.getTime())) return "Invalid Date";
  const year = value.getUTCFullYear();
  const y = year >= 0 && year <= 9999 ? pad(year, 4) : String(year);
  return `${y}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
}

/**
 * A timestamp in UTC as `2010-12-01 08:26`, with seconds (and milliseconds) only when they are not zero.
 * @example formatTimestamp(new Date("2010-12-01T08:26:00Z")) // => "2010-12-01 08:26"
 */
export function formatTimestamp(value: Date): string {
  if (Number.isNaN(value.getTime())) return "Invalid Date";
  const base = `${formatDate(value)} ${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}`;
  const seconds = value.getUTCSeconds();
  const millis = value.getUTCMilliseconds();
  if (!seconds && !millis) return base;
  return `${base}:${pad(seconds)}${millis ? `.${pad(millis, 3).replace(/0+$/, "")}` : ""}`;
}

/** A `Date` by its column type: DATE as a date, TIMESTAMP as a timestamp; untyped, midnight UTC reads as a date. */
function formatDateValue(value: Date, type: string | undefined): string {
  const upper = type?.toUpperCase();
  if (upper === "DATE") return formatDate(value);
  if (upper?.startsWith("TIMESTAMP")) return formatTimestamp(value);
  return value.getTime() % 86_400_000 === 0 ? formatDate(value) : formatTimestamp(value);
}

/** The text a null reads as (the grid shows it muted and in italics). */
export const NULL_TEXT = "null";

/**
 * Display text of any value, by its column type when known. Nulls read as `null`, lists and
 * structs as compact JSON with their numbers exact.
 * @example formatValue(7308391.55) // => "7,308,392"
 * @example formatValue(new Date("2010-12-01T08:26:00Z"), {type: "TIMESTAMP"}) // => "2010-12-01 08:26"
 * @example formatValue(17850, {type: "BIGINT", column: "CustomerID"}) // => "17850"
 */
export function formatValue(value: unknown, context: FormatContext = {}): string {
  if (value === null || value === undefined) return NULL_TEXT;
  if (typeof value === "number" || typeof value === "bigint") return formatNumber(value, context);
  if (value instanceof Date) return formatDateValue(value, context.type);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return value;
  return exactText(value);
}

/**
 * The full value as text, for Copy, CSV, hover titles and filters: numbers as JavaScript writes them
 * (every digit), dates as `2010-12-01`, timestamps as ISO 8601 UTC, lists and structs as JSON.
 * @example exactText(0.36399217) // => "0.36399217"
 * @example exactText(new Date("2010-12-01T08:26:00Z")) // => "2010-12-01T08:26:00.000Z"
 */
export function exactText(value: unknown): string {
  if (value === null || value === undefined) return NULL_TEXT;
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString().replace("T00:00:00.000Z", "");
  if (typeof value === "object") {
    try {
      return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/**
 * Text of a value interpolated into Markdown (`${x}` in a Markdown cell, `md` in a TS cell): numbers
 * and dates formatted as in a table, except that four-digit whole numbers (years, mostly) stay
 * ungrouped; null and undefined are empty.
 * @example inlineValueText(1234567.891) // => "1,234,568"
 * @example inlineValueText(2011) // => "2011"
 */
export function inlineValueText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) < 10_000) return String(value);
  return formatValue(value);
}

/** Whether a value is shown right-aligned as a number. */
export function isNumberValue(value: unknown): value is number | bigint {
  return typeof value === "number" || typeof value === "bigint";
}
