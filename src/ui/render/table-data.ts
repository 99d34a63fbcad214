/**
 * A static preview of a table (its first rows; the HTML report uses it; the workbench itself shows
 * tables in the data grid, src/ui/grid), made from either kind of table a cell can produce: a
 * {@link TableHandle} (named or unnamed SQL result, data source) or a bare Arrow table (the result of
 * an unnamed statement that is not a query).
 */
import type { Table as ArrowTable } from "apache-arrow";
import type { ColumnInfo } from "../../engine/engine.ts";
import type { TableHandle } from "../../engine/table-handle-types.ts";
import { exactText } from "../../format/format-value.ts";
import { INTERNAL_NAME_PREFIX } from "../../engine/sql-text.ts";

/** How many rows a static preview shows. */
export const PREVIEW_ROWS = 50;

/** A table as a static preview needs it. */
export interface TableData {
  /** The table's name in DuckDB, when it has one. */
  name?: string;
  numRows: number;
  columns: readonly ColumnInfo[];
  /** The first {@link PREVIEW_ROWS} rows. */
  preview(): Promise<Record<string, unknown>[]>;
}

/** Whether a value is an apache-arrow Table (duck-typed: a second copy of the library would fail instanceof). */
export function isArrowTable(value: unknown): value is ArrowTable {
  const v = value as { schema?: { fields?: unknown }; numRows?: unknown; slice?: unknown } | null;
  return (
    typeof v === "object" &&
    v !== null &&
    Array.isArray(v.schema?.fields) &&
    typeof v.numRows === "number" &&
    typeof v.slice === "function"
  );
}

/** View data of a table handle. */
export function fromHandle(handle: TableHandle): TableData {
  return {
    // A table a cell made (`__segbook_…`) has no name worth showing.
    name: handle.name.startsWith(INTERNAL_NAME_PREFIX) ? undefined : handle.name,
    numRows: handle.numRows,
    columns: handle.columns,
    preview: () => handle.rows(PREVIEW_ROWS),
  };
}

/** View data of an Arrow table; column types are Arrow's names (DuckDB's are not known here). */
export function fromArrow(table: ArrowTable): TableData {
  return {
    numRows: table.numRows,
    columns: table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) })),
    preview: async () =>
      table
        .slice(0, PREVIEW_ROWS)
        .toArray()
        .map((row) => ({ ...(row as { toJSON(): Record<string, unknown> }).toJSON() })),
  };
}

/**
 * Exact text of one table cell (every digit; for Copy, CSV and filters). What the grid shows is
 * formatValue's text (src/format/format-value.ts).
 */
export const formatCell = exactText;
