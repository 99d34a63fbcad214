/**
 * Turning DuckDB's errors into messages that name the file or statement and say what to do.
 */

/**
 * The text of an error thrown by duckdb-wasm. Some calls (insertJSONFromPath, insertArrow...) throw
 * a JSON object `{"exception_type": "...", "exception_message": "..."}` as the message; that is
 * unwrapped into DuckDB's usual `<Type> Error: <message>` form.
 */
export function duckdbMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  if (raw.startsWith("{")) {
    try {
      const parsed = JSON.parse(raw) as { exception_type?: unknown; exception_message?: unknown };
      if (typeof parsed.exception_message === "string") {
        const type = typeof parsed.exception_type === "string" ? `${parsed.exception_type} ` : "";
        return `${type}Error: ${parsed.exception_message}`;
      }
    } catch {
      // Not JSON after all: keep the raw text.
    }
  }
  return raw;
}

const EXTENSION_HINTS: Record<string, string> = {
  parquet:
    "load Parquet files with loadFile (Segbook reads them itself and copies them into a table), then query the table",
  json: "load JSON files with loadFile (it copies them into a table), then query the table",
  icu: "time zone and collation functions need ICU; keep timestamps in UTC (TIMESTAMP, not TIMESTAMPTZ)",
  httpfs: 'fetch remote files with loadFile({kind: "url", ...}) instead of reading URLs in SQL',
};

/**
 * When DuckDB failed because something lives in an extension, a message explaining that this
 * engine has no extensions (it runs offline and never downloads them), replacing DuckDB's advice to
 * INSTALL/LOAD. Otherwise null.
 */
export function extensionErrorMessage(message: string): string | null {
  const match =
    /exists in the (\w+) extension/.exec(message) ??
    /requires? the (\w+) extension/i.exec(message) ??
    /[Ee]xtension "?(\w+)"? (?:is )?not (?:loaded|found|installed)/.exec(message);
  if (!match) return null;
  const extension = match[1]!;
  const firstLine = message.split("\n")[0]!;
  const hint = EXTENSION_HINTS[extension] ?? "use core DuckDB functions instead";
  return (
    `${firstLine}\nSegbook's DuckDB runs offline without extensions, so the "${extension}" ` +
    `extension cannot be installed or loaded: ${hint}.`
  );
}

/** An Error for a failed query/exec: DuckDB's message, with extension failures explained. */
export function queryError(error: unknown): Error {
  const message = duckdbMessage(error);
  return new Error(extensionErrorMessage(message) ?? message, { cause: error });
}
