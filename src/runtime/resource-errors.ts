/**
 * Turning "out of memory" into something an analyst can act on. A browser tab has a hard memory
 * ceiling (DuckDB-wasm's own limit, the wasm heap, the tab's JS heap); the raw messages either say
 * nothing useful ("Array buffer allocation failed") or give advice that does not apply in a tab
 * (DuckDB suggests a temp directory, which an in-memory wasm database cannot use).
 */

const DUCKDB_OOM = /^Out of Memory Error: ?([^\n]*)/;
const JS_OOM =
  /Array buffer allocation failed|Invalid typed array length|Invalid array length|Maximum memory size exceeded|WebAssembly\.Memory|Aborted\(OOM\)|\bout of memory\b/i;

/** What to do when memory runs out, in the order that usually helps most. */
export const MEMORY_ADVICE =
  "What to do: filter or aggregate before loading results into the cell (WHERE, GROUP BY), take a sample " +
  "(USING SAMPLE 10%), select only the columns you need, prefer Parquet over CSV for big inputs, or run the " +
  "notebook headless with `segbook run` on a machine with more memory. The notebook and the tables loaded so " +
  "far are intact.";

/**
 * The message to show for an error: unchanged unless it is an out-of-memory error, which becomes one
 * line saying what ran out plus {@link MEMORY_ADVICE}.
 */
export function withMemoryAdvice(message: string): string {
  const duck = DUCKDB_OOM.exec(message);
  if (duck) return `Out of memory: DuckDB could not allocate more in this tab (${duck[1]!.trim()}). ${MEMORY_ADVICE}`;
  if (JS_OOM.test(message)) return `Out of memory: ${message.split("\n")[0]!.trim()}. ${MEMORY_ADVICE}`;
  return message;
}
