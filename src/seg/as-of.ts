/**
 * The one reading of `asOf`, the reference date of `seg.rfm`, `seg.segments`, `seg.scorecard` and
 * `seg.clv`: a calendar day, "YYYY-MM-DD" (or a Date at midnight), meaning "the data up to and
 * including this day". When a call leaves it out, it is the newest date in the data — never the wall
 * clock, so the same notebook on the same data scores the same tomorrow.
 */
import { quoteIdentifier } from "../engine/sql-text.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import type { SegContext } from "./context.ts";

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function isoDay(date: Date, utc: boolean): string {
  const year = utc ? date.getUTCFullYear() : date.getFullYear();
  const month = (utc ? date.getUTCMonth() : date.getMonth()) + 1;
  const day = utc ? date.getUTCDate() : date.getDate();
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function isMidnight(date: Date, utc: boolean): boolean {
  return utc
    ? date.getUTCHours() + date.getUTCMinutes() + date.getUTCSeconds() + date.getUTCMilliseconds() === 0
    : date.getHours() + date.getMinutes() + date.getSeconds() + date.getMilliseconds() === 0;
}

/**
 * `value` as a "YYYY-MM-DD" day, or an error naming `seg.<fn>` and the fix. Accepts "YYYY-MM-DD"
 * (a real calendar day) or a Date at midnight (UTC, or local for `new Date(2024, 0, 31)`); a time of
 * day is refused rather than silently dropped, since it would move every day count.
 * @example parseAsOf("2011-12-09", "rfm"); // "2011-12-09"
 * @example parseAsOf(new Date("2011-12-09"), "rfm"); // "2011-12-09"
 */
export function parseAsOf(value: unknown, fn: string): string {
  const fix = `pass a day such as asOf: "2024-06-30" (or leave it out for the newest date in the data)`;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error(`seg.${fn}: asOf is an invalid Date; ${fix}`);
    if (isMidnight(value, true)) return isoDay(value, true);
    if (isMidnight(value, false)) return isoDay(value, false);
    throw new Error(
      `seg.${fn}: asOf is a day, not a moment: got ${value.toISOString()} (a time of day); pass asOf: "${isoDay(value, true)}"`,
    );
  }
  if (typeof value === "string") {
    const match = ISO_DAY.exec(value.trim());
    if (match) {
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const date = new Date(Date.UTC(year, month - 1, day));
      if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day)
        return match[0];
      throw new Error(`seg.${fn}: asOf "${value}" is not a calendar day; ${fix}`);
    }
    const time = /^(\d{4}-\d{2}-\d{2})[ T]/.exec(value.trim());
    throw new Error(
      time
        ? `seg.${fn}: asOf is a day, not a moment: got "${value}"; pass asOf: "${time[1]}"`
        : `seg.${fn}: asOf must be "YYYY-MM-DD" or a Date, got "${value}"; ${fix}`,
    );
  }
  throw new Error(`seg.${fn}: asOf must be "YYYY-MM-DD" or a Date, got ${typeof value}; ${fix}`);
}

/**
 * The day after `day` ("YYYY-MM-DD"): where counts of elapsed days from the end of `day` start.
 * @example dayAfter("2011-12-31"); // "2012-01-01"
 */
export function dayAfter(day: string): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS), true);
}

/**
 * The newest day in `column` of `table` as "YYYY-MM-DD" (DATE, TIMESTAMP or text DuckDB casts to a
 * timestamp), or null when the column holds no dates.
 * @example await newestDate(ctx, orders, "order_date"); // "2024-12-30"
 */
export async function newestDate(ctx: SegContext, table: TableHandle, column: string): Promise<string | null> {
  const result = await ctx.db.engine.query(
    `SELECT strftime(CAST(max(CAST(${quoteIdentifier(column)} AS TIMESTAMP)) AS DATE), '%Y-%m-%d') AS v FROM ${quoteIdentifier(table.name)}`,
  );
  const value = result.getChild("v")?.get(0) as string | null | undefined;
  return value ?? null;
}

/**
 * `asOf` as given (parsed by {@link parseAsOf}), else the newest day of `column` in `table`; fails
 * clearly when neither is there.
 * @example const asOf = await resolveAsOf(ctx, table, "order_date", options.asOf, "rfm");
 */
export async function resolveAsOf(
  ctx: SegContext,
  table: TableHandle,
  column: string,
  asOf: unknown,
  fn: string,
): Promise<string> {
  if (asOf !== undefined && asOf !== null) return parseAsOf(asOf, fn);
  const newest = await newestDate(ctx, table, column);
  if (newest === null)
    throw new Error(
      `seg.${fn}: column "${column}" holds no dates to take asOf from; pass asOf: "YYYY-MM-DD" or fill the column`,
    );
  return newest;
}
