/**
 * Column profiles of a whole table, computed by DuckDB over every row (not a sample): nulls,
 * distinct counts, min/max/mean/quartiles and a histogram for numbers and dates, top values for
 * text. The SQL lives in profile-sql.ts.
 */
import type { Table as ArrowTable } from "apache-arrow";
import type { ColumnInfo, Engine } from "./engine.ts";
import {
  histogramSql,
  profileKind,
  summaryAlias,
  summarySql,
  topValuesSql,
  type HistogramColumn,
  type ProfileKind,
} from "./profile-sql.ts";

/** One bin of a histogram: `[lo, hi)` (the last bin includes `hi`) and how many values fall in it. */
export interface HistogramBin {
  lo: number;
  hi: number;
  count: number;
}

/** What a profile says about one column. */
export interface ColumnProfile {
  name: string;
  type: string;
  kind: ProfileKind;
  /** Null values, and their share of all rows in percent (0 for an empty table). */
  nulls: number;
  nullPercent: number;
  /** Exact count of distinct non-null values; undefined for types DuckDB cannot compare (MAP). */
  distinct?: number;
  /**
   * Numbers: DOUBLE values; dates and timestamps: DuckDB's text for them (e.g. `2011-03-04` or
   * `2011-03-04 10:30:00`). Undefined when the column has no non-null value or is not numeric/dated.
   */
  min?: number | string;
  max?: number | string;
  mean?: number | string;
  q1?: number | string;
  median?: number | string;
  q3?: number | string;
  /** Text columns: the most frequent values, most frequent first. */
  top?: { value: string; count: number }[];
  /** Numbers and dates: equal-width bins over the finite range (microseconds for dates). */
  histogram?: HistogramBin[];
}

/** A table's profile. */
export interface TableProfile {
  table: string;
  rows: number;
  columns: ColumnProfile[];
}

/** Options for {@link profileTable}. */
export interface ProfileOptions {
  /** Most bins per histogram (fewer when a column has fewer distinct values). Default 20. */
  bins?: number;
  /** How many top values per text column. Default 5. */
  top?: number;
}

function plain(value: unknown): number | string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "bigint") return Number(value);
  return value as number | string;
}

function firstRow(table: ArrowTable): Record<string, unknown> {
  const row = table.get(0);
  return row ? (row.toJSON() as Record<string, unknown>) : {};
}

/**
 * Profiles table or view `table` (its columns from DESCRIBE unless given) with three queries over
 * all its rows.
 * @example const profile = await profileTable(engine, "customers");
 */
export async function profileTable(
  engine: Engine,
  table: string,
  options: ProfileOptions = {},
  columns?: readonly ColumnInfo[],
): Promise<TableProfile> {
  const maxBins = options.bins ?? 20;
  const cols = columns ?? (await engine.describe(table));
  const summary = firstRow(await engine.query(summarySql(table, cols)));
  const rows = Number(plain(summary.rows) ?? 0);
  const stat = (i: number, name: string) => plain(summary[summaryAlias(i, name)]);

  const profiles: ColumnProfile[] = cols.map((column, i) => {
    const kind = profileKind(column.type);
    const nulls = rows - Number(stat(i, "count") ?? 0);
    const distinct = stat(i, "distinct");
    const profile: ColumnProfile = {
      name: column.name,
      type: column.type,
      kind,
      nulls,
      nullPercent: rows === 0 ? 0 : (100 * nulls) / rows,
    };
    if (distinct !== undefined) profile.distinct = Number(distinct);
    if (kind === "number" || kind === "temporal") {
      for (const key of ["min", "max", "mean", "q1", "median", "q3"] as const) {
        const value = stat(i, key);
        if (value !== undefined) profile[key] = value;
      }
    }
    return profile;
  });

  const binned: (HistogramColumn & { lo: number; hi: number })[] = [];
  profiles.forEach((p, index) => {
    const lo = stat(index, "lo");
    const hi = stat(index, "hi");
    if ((p.kind === "number" || p.kind === "temporal") && typeof lo === "number" && typeof hi === "number") {
      const bins = hi === lo ? 1 : Math.max(1, Math.min(maxBins, p.distinct ?? maxBins));
      binned.push({ index, name: p.name, kind: p.kind, bins, lo, hi });
    }
  });
  const histSql = histogramSql(table, binned);
  if (histSql) {
    const result = await engine.query(histSql);
    for (const b of binned) {
      const width = (b.hi - b.lo) / b.bins;
      profiles[b.index]!.histogram = Array.from({ length: b.bins }, (_, k) => ({
        lo: b.lo + k * width,
        hi: k === b.bins - 1 ? b.hi : b.lo + (k + 1) * width,
        count: 0,
      }));
    }
    for (const row of result) {
      const histogram = profiles[Number(row.col)]!.histogram!;
      histogram[Number(row.bin)]!.count = Number(row.n);
    }
  }

  const texts = profiles.flatMap((p, index) => (p.kind === "text" ? [{ index, name: p.name }] : []));
  const topSql = topValuesSql(table, texts, options.top ?? 5);
  if (topSql) {
    for (const { index } of texts) profiles[index]!.top = [];
    for (const row of await engine.query(topSql)) {
      profiles[Number(row.col)]!.top!.push({ value: String(row.value), count: Number(row.n) });
    }
  }
  return { table, rows, columns: profiles };
}
