/** How profile numbers are written in the panel: counts with separators, others to 6 significant digits. */

/** A profile statistic as shown (numbers rounded for reading; dates as DuckDB wrote them). */
export function formatStat(value: number | string | undefined): string {
  if (value === undefined) return "—";
  if (typeof value === "string") return value.replace(/ 00:00:00$/, "");
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return Number(value.toPrecision(6)).toLocaleString("en-US", { maximumFractionDigits: 6 });
}

/** A percentage with one decimal (`12.5%`), `0%` and `100%` kept short. */
export function formatPercent(value: number): string {
  return `${Number(value.toFixed(1))}%`;
}
