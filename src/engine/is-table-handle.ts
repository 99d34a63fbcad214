/**
 * Telling a table handle (a SQL cell's result, `db.query`, `sql`…, a data source, a `seg` result)
 * from other values: the runtime's SQL binding, the `seg` functions and charts, the outputs and the
 * reports all ask here. Duck-typed, so a handle made by any engine or bundle copy passes.
 */
import type { TableHandle } from "./table-handle-types.ts";

/**
 * Whether a value is a table handle: an object of kind "table" with a table name.
 * @example isTableHandle(await db.table("orders")) // => true; isTableHandle([{ a: 1 }]) // => false
 */
export function isTableHandle(value: unknown): value is TableHandle {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "table" &&
    typeof (value as { name?: unknown }).name === "string"
  );
}
