/**
 * Dates as whole days since 1970-01-01 (UTC), the period the shop's orders cover, and the month
 * arithmetic seasonality needs. Days keep the hot loop free of Date objects until a row is written.
 */

const DAY_MS = 86_400_000;

/** Days since the epoch of a "YYYY-MM-DD" date (UTC). */
export function dayOf(iso: string): number {
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

/** "YYYY-MM-DD" of a day number. */
export function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar month 0-11 of a day number. */
export function monthOf(day: number): number {
  return new Date(day * DAY_MS).getUTCMonth();
}

/**
 * The period every generated order falls in (two full years) and the reference date notebooks use
 * for recency ("as of" the day after the last possible order).
 */
export const SHOP_PERIOD = { start: "2023-01-01", end: "2024-12-31", asOf: "2025-01-01" } as const;

/** {@link SHOP_PERIOD} as day numbers. */
export const PERIOD_DAYS = { start: dayOf(SHOP_PERIOD.start), end: dayOf(SHOP_PERIOD.end) } as const;
