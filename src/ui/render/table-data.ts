/**
 * What the data grid needs to know of the tables a cell can produce: whether a value is a bare Arrow
 * table (the result of an unnamed statement that is not a query), and the exact text of a cell.
 */
import { exactText } from "../../format/format-value.ts";
import type { Table as ArrowTable } from "apache-arrow";

/**
 * Whether a value is an apache-arrow Table (duck-typed: a second copy of the library would fail instanceof).
 * @example isArrowTable(await db.query("SELECT 1")) // => true
 */
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

/**
 * Exact text of one table cell (every digit; for Copy, CSV and filters). What the grid shows is
 * formatValue's text (src/format/format-value.ts).
 * @example formatCell(0.36399217) // => "0.36399217"
 */
export const formatCell = exactText;
