/**
 * The one temporary-table join every clustering function ends with: per-row results computed in
 * TypeScript (cluster numbers, probabilities) go into DuckDB as Arrow and are joined back to the
 * snapshot the features were read from on its row numbers, so the id column keeps its type and
 * order, and the result is a table owned by the calling cell.
 */
import { tableFromArrays } from "apache-arrow";
import { quoteIdentifier } from "../engine/sql-text.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import type { SegContext } from "./context.ts";

/** Where per-row values join back: a snapshot with a `__row` column (and `__id` when `idColumn`). */
export interface LabelsSource {
  table: TableHandle;
  /** The snapshot row number of each computed row, in the order of `columns`' arrays. */
  rows: Float64Array;
  idColumn: string | null;
}

let stagingCounter = 0;

/**
 * A table of the id column (or `row`, the 0-based row number, without an id) followed by
 * `columns`, one row per computed row, in snapshot order. The staging table is always dropped.
 * @example
 * const labels = await joinRowValues(ctx, fm.source, {cluster: run.labels, probability});
 * // table: customer_id, cluster, probability
 */
export async function joinRowValues(
  ctx: SegContext,
  source: LabelsSource,
  columns: Readonly<Record<string, Int32Array | Float64Array>>,
): Promise<TableHandle> {
  const staging = `seg_labels_staging_${Date.now().toString(36)}_${++stagingCounter}`;
  await ctx.db.engine.insertArrow(staging, tableFromArrays({ row: source.rows, ...columns }));
  try {
    const idSelect =
      source.idColumn === null ? `s."__row" AS "row"` : `s."__id" AS ${quoteIdentifier(source.idColumn)}`;
    const values = Object.keys(columns).map((name) => `l.${quoteIdentifier(name)}`);
    return await ctx.db.query(
      `SELECT ${[idSelect, ...values].join(", ")} FROM ${quoteIdentifier(source.table.name)} AS s JOIN ${quoteIdentifier(staging)} AS l ON s."__row" = CAST(l."row" AS BIGINT) ORDER BY s."__row"`,
    );
  } finally {
    await ctx.db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(staging)}`);
  }
}
