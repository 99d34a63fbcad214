/**
 * The shape of a table handle: a named DuckDB table seen from TypeScript. Data stays in DuckDB until
 * a method asks for it.
 */
import type { Table as ArrowTable } from "apache-arrow";
import type { ColumnTable } from "arquero";
import type { ColumnInfo } from "./engine.ts";

/** A numeric column comes back as a typed array; anything else as a plain array. */
export type ColumnValues =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | BigInt64Array
  | unknown[];

/**
 * A named table in the engine. `Row` types what `rows()` gives (the editor declares a notebook's
 * tables with their columns, e.g. `TableHandle<{ customer_id: number }>`).
 */
export interface TableHandle<Row extends object = Record<string, unknown>> {
  /** Marks handles so the UI and inspector can tell them from plain objects. */
  readonly kind: "table";
  /** The table's name in DuckDB (quote it with `"` in SQL if it is not a plain identifier). */
  readonly name: string;
  /** Row count at the time the handle was made. */
  readonly numRows: number;
  /** Columns with their DuckDB types. */
  readonly columns: readonly ColumnInfo[];
  /** Rows as plain objects (first `limit` rows when given). BIGINTs that fit become numbers. */
  rows(limit?: number): Promise<Row[]>;
  /** One column: a typed array for numeric columns without nulls, otherwise an array. */
  column(name: keyof Row & string): Promise<ColumnValues>;
  /** The whole table as Arrow. */
  arrow(): Promise<ArrowTable>;
  /** The whole table as an Arquero table. */
  arquero(): Promise<ColumnTable>;
}
