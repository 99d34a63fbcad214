/**
 * Building SQL text safely: quoting identifiers and string literals, and telling which names can be
 * written without quotes.
 */

// DuckDB v1.4 keywords (duckdb_keywords()) of the "reserved" and "type_function" categories: the ones
// that cannot name a table or column unless quoted. Hard-coded so isIdentifier() stays synchronous.
const RESERVED_WORDS = new Set(
  (
    "all analyse analyze and any array as asc asymmetric both case cast check collate column " +
    "constraint create default deferrable desc describe distinct do else end except false fetch for " +
    "foreign from group having in initially intersect into lambda lateral leading limit not null " +
    "offset on only or order pivot pivot_longer pivot_wider placing primary qualify references " +
    "returning select show some summarize symmetric table then to trailing true union unique " +
    "unpivot using variadic when where window with " +
    "anti asof at authorization binary by collation columns concurrently cross freeze full " +
    "generated glob ilike inner is isnull join left like map natural notnull outer overlaps " +
    "positional right semi similar struct tablesample try_cast unpack verbose"
  ).split(" "),
);

/**
 * Quotes a table or column name for SQL: always wraps it in double quotes and doubles any `"` inside,
 * so every name (spaces, quotes, keywords, unicode) is safe.
 * @example quoteIdentifier('my "t"') // => '"my ""t"""'
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Quotes a string as a SQL string literal (single quotes, `'` doubled).
 * @example quoteString("O'Brien") // => "'O''Brien'"
 */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * True when `name` can be written in SQL without quotes: ASCII letters, digits and `_`, not starting
 * with a digit, and not a DuckDB keyword that is reserved for table/column names (e.g. `select`,
 * `order`, `left`). Case is not significant for the keyword check.
 */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED_WORDS.has(name.toLowerCase());
}

/** Names starting with this prefix are reserved for the engine's own staging tables. */
export const INTERNAL_NAME_PREFIX = "__segbook_";

/**
 * Why `name` cannot be used as a table name, or null when it can. Any non-empty name is allowed
 * (names are always quoted), except names with control characters, surrounding whitespace, or the
 * engine's internal prefix.
 */
export function tableNameProblem(name: unknown): string | null {
  if (typeof name !== "string" || name.length === 0) {
    return "a table name must be a non-empty string";
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return "a table name cannot contain control characters";
  if (name.trim() !== name) return "a table name cannot start or end with whitespace";
  if (name.toLowerCase().startsWith(INTERNAL_NAME_PREFIX)) {
    return `names starting with "${INTERNAL_NAME_PREFIX}" are reserved for the engine`;
  }
  return null;
}
