/**
 * A small result table (one row per segment, a few columns) computed in TypeScript, written into
 * DuckDB as a table owned by the calling cell so it renders and joins like any other result. Every
 * value is a bound parameter; identifiers are quoted.
 */
import type { SqlParam } from "../engine/engine.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import type { SegContext } from "./context.ts";

/** A column of a {@link valuesTable}: its name and DuckDB type. */
export interface ValuesColumn {
  name: string;
  type: string;
}

/** `value` as a bindable parameter (bigint kept, NaN/undefined as NULL, arrays as JSON text). */
export function toParam(value: unknown): SqlParam {
  if (value === undefined || (typeof value === "number" && Number.isNaN(value))) return null;
  if (
    value === null ||
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "bigint" ||
    typeof value === "boolean" ||
    value instanceof Date
  ) {
    return value;
  }
  return JSON.stringify(value);
}

/** A table of `rows` (objects keyed by column name) with exactly `columns`, in their order and types. */
export async function valuesTable(
  ctx: SegContext,
  columns: readonly ValuesColumn[],
  rows: readonly Record<string, unknown>[],
): Promise<TableHandle> {
  const names = columns.map((c) => quoteIdentifier(c.name)).join(", ");
  if (rows.length === 0) {
    const select = columns.map((c) => `CAST(NULL AS ${c.type}) AS ${quoteIdentifier(c.name)}`).join(", ");
    return ctx.db.query(`SELECT ${select} WHERE FALSE`);
  }
  const params: SqlParam[] = [];
  const tuples = rows.map(
    (row, i) =>
      `(${i}, ${columns
        .map((c) => {
          params.push(toParam(row[c.name]));
          return `CAST(? AS ${c.type})`;
        })
        .join(", ")})`,
  );
  return ctx.db.query(
    `SELECT ${names} FROM (VALUES ${tuples.join(", ")}) AS t("__order", ${names}) ORDER BY "__order"`,
    params,
  );
}
