/**
 * The labels table every clustering function ends with: per-row results computed in TypeScript
 * (cluster numbers, probabilities) joined back to the snapshot the features were read from on its
 * row numbers (through the one temporary-table join, row-values-join.ts), so the id column keeps
 * its type and order, and the result is a table owned by the calling cell.
 */
import { quoteIdentifier } from "../engine/sql-text.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import type { SegContext } from "./context.ts";
import { joinRowValues } from "./row-values-join.ts";

/** Where per-row values join back: a snapshot with a `__row` column (and `__id` when `idColumn`). */
export interface LabelsSource {
  table: TableHandle;
  /** The snapshot row number of each computed row, in the order of `columns`' arrays. */
  rows: Float64Array;
  idColumn: string | null;
}

/**
 * A table of the id column (or `row`, the 0-based row number, without an id) followed by
 * `columns`, one row per computed row, in snapshot order.
 * @example
 * const labels = await labelsTable(ctx, fm.source, {cluster: run.labels, probability});
 * // table: customer_id, cluster, probability
 */
export async function labelsTable(
  ctx: SegContext,
  source: LabelsSource,
  columns: Readonly<Record<string, Int32Array | Float64Array>>,
): Promise<TableHandle> {
  const idSelect = source.idColumn === null ? `s."__row" AS "row"` : `s."__id" AS ${quoteIdentifier(source.idColumn)}`;
  const values = Object.keys(columns).map((name) => `l.${quoteIdentifier(name)}`);
  return joinRowValues(
    ctx,
    { ...columns, row: source.rows },
    (l) =>
      `SELECT ${[idSelect, ...values].join(", ")} FROM ${quoteIdentifier(source.table.name)} AS s JOIN ${l} AS l ON s."__row" = CAST(l."row" AS BIGINT) ORDER BY s."__row"`,
  );
}
