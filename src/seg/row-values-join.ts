/**
 * Values a kernel computed per row in JS (cluster labels, probabilities, CLV figures) go back into
 * DuckDB beside the rows they belong to: put in a temporary table with a `row` column, joined by the
 * caller's query on the source's row numbers, then dropped whatever happens. kmeans, gmm,
 * kprototypes and clv all return their results this way.
 */
import { tableFromArrays } from "apache-arrow";
import { quoteIdentifier } from "../engine/sql-text.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import type { SegContext } from "./context.ts";

/** Per-row values by column name; `row` numbers the source row each value belongs to. */
export type RowValues = { row: Float64Array } & Record<string, Float64Array | Int32Array>;

let counter = 0;

/**
 * Runs `query(staging)` with `values` in a temporary table (`staging` is its quoted name) and
 * returns the result, a table owned by the calling cell. The temporary table is gone afterwards,
 * also when the query fails.
 * @example
 * await joinRowValues(ctx, { row: rows, cluster: labels }, (l) =>
 *   `SELECT s.id, l.cluster FROM source AS s JOIN ${l} AS l ON s.__row = CAST(l."row" AS BIGINT) ORDER BY s.__row`);
 */
export async function joinRowValues(
  ctx: SegContext,
  values: RowValues,
  query: (staging: string) => string,
): Promise<TableHandle> {
  const staging = `seg_row_values_${Date.now().toString(36)}_${++counter}`;
  try {
    await ctx.db.engine.insertArrow(staging, tableFromArrays(values));
    return await ctx.db.query(query(quoteIdentifier(staging)));
  } finally {
    await ctx.db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(staging)}`);
  }
}
