/**
 * Telling an Arrow table (what `db.query` gives for a statement that is not a named table) from other
 * values, without loading apache-arrow: the page's first chunk and the report writer test values with it.
 */
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
