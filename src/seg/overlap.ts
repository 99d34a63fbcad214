/**
 * How much boolean segment columns overlap: sizes and pairwise intersections, counted in DuckDB.
 */
import type { TableHandle } from "../engine/table-handle-types.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import { requireColumns, resolveTable } from "./context.ts";
import type { SegContext, TableInput } from "./context.ts";
import { segTable, type SegTable } from "./contract.ts";

/** Options of {@link overlap}. */
export interface OverlapOptions {
  /** Boolean (or 0/1) segment columns; default: every BOOLEAN column of the table. */
  segments?: readonly string[];
}

/** The overlap as plain numbers, in `info`. */
export interface OverlapInfo {
  /** Segment names, in the order of the rows and columns. */
  segments: string[];
  /** Rows in each segment. */
  sizes: number[];
  /** `matrix[i][j]`: rows in both segment i and segment j (the diagonal repeats the sizes). */
  matrix: number[][];
}

/** What {@link overlap} returns: the matrix as a table (one row per segment), with {@link OverlapInfo}. */
export type OverlapResult = SegTable<OverlapInfo>;

/**
 * Pairwise overlap of segment membership columns (e.g. from `seg.segments(…, {exclusive: false})`).
 * Returns a table with one row per segment: `segment`, `size`, and one column per segment counting
 * the rows in both (null counts as not in the segment). `info` has `segments`, `sizes` and `matrix`
 * as plain arrays. The table's `segment` column names rows, not customers, so it is not marked.
 *
 * @example
 * const flags = await seg.segments(customers, {exclusive: false, definitions: [
 *   {name: "young", where: "age < 30"}, {name: "web", where: "channel = 'web'"}]});
 * const o = await seg.overlap(flags, {segments: ["young", "web"]});
 * o.info.matrix[0][1]; // customers both young and on the web
 */
export async function overlap(
  ctx: SegContext,
  input: TableInput,
  options: OverlapOptions = {},
): Promise<OverlapResult> {
  const table = await resolveTable(ctx, input, "overlap");
  const names = options.segments ?? table.columns.filter((c) => c.type === "BOOLEAN").map((c) => c.name);
  if (!names.length) {
    throw new Error(
      `seg.overlap: no segment columns; pass {segments: ["<boolean column>", …]} (table "${table.name}" has no BOOLEAN column)`,
    );
  }
  requireColumns(table, names, "overlap");
  const clash = names.find((n) => n === "segment" || n === "size" || n === "__i");
  if (clash !== undefined)
    throw new Error(`seg.overlap: a segment column cannot be named "${clash}"; rename it in SQL first`);
  if (new Set(names).size !== names.length) throw new Error(`seg.overlap: a segment is listed twice`);
  const flag = (name: string) => `coalesce(CAST(${quoteIdentifier(name)} AS BOOLEAN), FALSE)`;
  const src = quoteIdentifier(table.name);
  const rows = names.map(
    (a, i) =>
      `SELECT ${i} AS __i, ? AS segment, count_if(${flag(a)}) AS size, ${names
        .map((b) => `count_if(${flag(a)} AND ${flag(b)}) AS ${quoteIdentifier(b)}`)
        .join(", ")} FROM ${src}`,
  );
  let result: TableHandle;
  try {
    result = await ctx.db.query(`SELECT * EXCLUDE (__i) FROM (${rows.join("\nUNION ALL\n")}) ORDER BY __i`, names);
  } catch (error) {
    throw new Error(`seg.overlap: the segment columns must be boolean or 0/1: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const values = await result.rows();
  const sizes = values.map((row) => Number(row.size));
  const matrix = values.map((row) => names.map((name) => Number(row[name])));
  return segTable(result, { segments: [...names], sizes, matrix });
}
