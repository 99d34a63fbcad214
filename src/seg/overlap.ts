/**
 * How much boolean segment columns overlap: sizes and pairwise intersections, counted in DuckDB.
 */
import type { TableHandle } from "../engine/table-handle-types.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import { requireColumns, resolveTable } from "./context.ts";
import type { SegContext, TableInput } from "./context.ts";
import { withExtras } from "./seg-result.ts";

/** Options of {@link overlap}. */
export interface OverlapOptions {
  /** Boolean (or 0/1) segment columns; default: every BOOLEAN column of the table. */
  segments?: readonly string[];
}

/** What {@link overlap} returns: the matrix as a table, and as plain numbers. */
export type OverlapResult = TableHandle & {
  /** Segment names, in the order of the rows and columns. */
  readonly segments: readonly string[];
  /** Rows in each segment. */
  readonly sizes: readonly number[];
  /** `matrix[i][j]`: rows in both segment i and segment j (the diagonal repeats the sizes). */
  readonly matrix: readonly (readonly number[])[];
};

/**
 * Pairwise overlap of segment membership columns (e.g. from `seg.segments(…, {exclusive: false})`).
 * Returns a table with one row per segment: `segment`, `size`, and one column per segment counting
 * the rows in both (null counts as not in the segment). The result also carries `segments`, `sizes`
 * and `matrix` as plain arrays.
 *
 * @example
 * const flags = await seg.segments(customers, defs, {exclusive: false});
 * const o = await seg.overlap(flags, {segments: ["vip", "active", "lapsing"]});
 * o.matrix[0][1]; // customers both vip and active
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
  return withExtras(result, { segments: [...names], sizes, matrix });
}
