/**
 * SQL for column profiles: what kind of summary each DuckDB type gets, and the three queries that
 * compute a whole table's profile over ALL its rows (a summary row, equal-width histograms, top
 * values). Pure text building: profile.ts runs the queries and reads the results.
 */
import { isNumericType } from "./column-types.ts";
import type { ColumnInfo } from "./engine.ts";
import { quoteIdentifier } from "./sql-text.ts";

/**
 * How a column is summarised: numbers and dates/timestamps get min/max/mean/quartiles and a
 * histogram, text (and booleans, enums, UUIDs) gets its top values, anything else only nulls and
 * distinct counts.
 */
export type ProfileKind = "number" | "temporal" | "text" | "other";

// TIMESTAMP WITH TIME ZONE is left out on purpose: its arithmetic needs ICU, which duckdb-wasm lacks.
const TEMPORAL_TYPE = /^(DATE|TIMESTAMP|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS)$/;
const TEXT_TYPE = /^(VARCHAR|BOOLEAN|UUID|ENUM\(.*\))$/s;

/** The profile kind of a DuckDB type as DESCRIBE spells it (e.g. `BIGINT`, `DECIMAL(18,3)`). */
export function profileKind(type: string): ProfileKind {
  const t = type.trim().toUpperCase();
  if (isNumericType(t)) return "number";
  if (TEMPORAL_TYPE.test(t)) return "temporal";
  if (TEXT_TYPE.test(t)) return "text";
  return "other";
}

/** The column as a DOUBLE to bin: numbers as they are, dates/timestamps as microseconds since 1970. */
function numericExpr(column: string, kind: ProfileKind): string {
  const q = quoteIdentifier(column);
  return kind === "temporal" ? `CAST(epoch_us(CAST(${q} AS TIMESTAMP)) AS DOUBLE)` : `CAST(${q} AS DOUBLE)`;
}

/** Summary result column names for column `index`; profile.ts reads them back by these names. */
export function summaryAlias(index: number, stat: string): string {
  return `c${index}_${stat}`;
}

/** Types DuckDB cannot count distinct values of. */
function countsDistinct(type: string): boolean {
  return !/^(MAP|UNION)\b/i.test(type.trim());
}

/**
 * One row over the whole table: `rows`, and per column `i` its non-null count (`c{i}_count`),
 * exact distinct count (`c{i}_distinct`), and for numbers and dates min/max/mean/quartiles
 * (`c{i}_min`, `_max`, `_mean`, `_q1`, `_median`, `_q3`; DOUBLE for numbers, VARCHAR for dates) plus
 * the binned range as DOUBLE (`c{i}_lo`, `c{i}_hi`, microseconds for dates).
 */
export function summarySql(table: string, columns: readonly ColumnInfo[]): string {
  const parts = ["count(*) AS rows"];
  columns.forEach((column, i) => {
    const q = quoteIdentifier(column.name);
    const kind = profileKind(column.type);
    const as = (stat: string) => ` AS ${quoteIdentifier(summaryAlias(i, stat))}`;
    parts.push(`count(${q})${as("count")}`);
    if (countsDistinct(column.type)) parts.push(`count(DISTINCT ${q})${as("distinct")}`);
    if (kind === "number") {
      const x = numericExpr(column.name, kind);
      parts.push(`min(${x})${as("min")}`, `max(${x})${as("max")}`, `avg(${x})${as("mean")}`);
      (["q1", "median", "q3"] as const).forEach((stat, k) => {
        parts.push(`quantile_cont(${x}, ${[0.25, 0.5, 0.75][k]})${as(stat)}`);
      });
    } else if (kind === "temporal") {
      const ts = `CAST(${q} AS TIMESTAMP)`;
      const text = (expr: string) => `CAST(${expr} AS VARCHAR)`;
      parts.push(`${text(`min(${q})`)}${as("min")}`, `${text(`max(${q})`)}${as("max")}`);
      // avg() has no DATE/TIMESTAMP overload: average the microseconds and turn them back.
      parts.push(`${text(`make_timestamp(CAST(avg(epoch_us(${ts})) AS BIGINT))`)}${as("mean")}`);
      (["q1", "median", "q3"] as const).forEach((stat, k) => {
        parts.push(`${text(`quantile_cont(${ts}, ${[0.25, 0.5, 0.75][k]})`)}${as(stat)}`);
      });
    }
    if (kind === "number" || kind === "temporal") {
      const x = numericExpr(column.name, kind);
      // Infinite and NaN floats cannot be binned: the histogram covers the finite range.
      parts.push(
        `min(${x}) FILTER (WHERE isfinite(${x}))${as("lo")}`,
        `max(${x}) FILTER (WHERE isfinite(${x}))${as("hi")}`,
      );
    }
  });
  return `SELECT ${parts.join(",\n  ")}\nFROM ${quoteIdentifier(table)}`;
}

/** A column to bin: its index in the profile, name, kind, and how many equal-width bins. */
export interface HistogramColumn {
  index: number;
  name: string;
  kind: ProfileKind;
  bins: number;
}

/**
 * Equal-width histograms of numeric and date columns over their finite range, one row per non-empty
 * bin: `col` (profile index), `bin` (0-based; the maximum falls in the last bin) and `n`. Returns
 * undefined when there is nothing to bin.
 */
export function histogramSql(table: string, columns: readonly HistogramColumn[]): string | undefined {
  const from = quoteIdentifier(table);
  const parts = columns.map(({ index, name, kind, bins }) => {
    const x = numericExpr(name, kind);
    const b = Math.max(1, Math.floor(bins));
    return (
      `SELECT ${index} AS col, bin, count(*) AS n FROM (` +
      `SELECT CASE WHEN s.hi = s.lo THEN 0 ELSE least(CAST(floor((v.x - s.lo) / (s.hi - s.lo) * ${b}) AS INTEGER), ${b - 1}) END AS bin ` +
      `FROM (SELECT ${x} AS x FROM ${from} WHERE isfinite(${x})) v, ` +
      `(SELECT min(${x}) AS lo, max(${x}) AS hi FROM ${from} WHERE isfinite(${x})) s` +
      `) GROUP BY bin`
    );
  });
  if (parts.length === 0) return undefined;
  return `${parts.join("\nUNION ALL\n")}\nORDER BY col, bin`;
}

/**
 * The `limit` most frequent non-null values of each column (as VARCHAR), most frequent first and
 * ties by value: `col` (profile index), `value`, `n`. Returns undefined when no column is given.
 */
export function topValuesSql(
  table: string,
  columns: readonly { index: number; name: string }[],
  limit = 5,
): string | undefined {
  const from = quoteIdentifier(table);
  const parts = columns.map(({ index, name }) => {
    const q = quoteIdentifier(name);
    return (
      `SELECT ${index} AS col, value, n FROM (SELECT CAST(${q} AS VARCHAR) AS value, count(*) AS n ` +
      `FROM ${from} WHERE ${q} IS NOT NULL GROUP BY 1 ORDER BY n DESC, value LIMIT ${Math.max(1, Math.floor(limit))})`
    );
  });
  if (parts.length === 0) return undefined;
  return `${parts.join("\nUNION ALL\n")}\nORDER BY col, n DESC, value`;
}
