/** Names that may be used unquoted as DuckDB tables and as TS variables. */
const SQL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Whether `name` can name a data table or a SQL cell's result: ASCII letters, digits and `_`,
 * not starting with a digit. Kept this narrow so the same name works in SQL and in TypeScript.
 */
export function isSqlIdentifier(name: string): boolean {
  return SQL_IDENTIFIER.test(name);
}

/** The fix to suggest when {@link isSqlIdentifier} fails; shared so every message says the same. */
export const IDENTIFIER_HINT = "use ASCII letters, digits and _, not starting with a digit";
