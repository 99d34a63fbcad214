/**
 * Least privilege for `segbook run`: once the notebook's data sources have loaded, DuckDB itself is
 * told it may not touch the file system or network (`enable_external_access = false`) and that no
 * setting may change again (`lock_configuration = true`). This is DuckDB's own enforcement, not a
 * check of the SQL text, so no quoting trick gets past it: `read_csv('/etc/passwd')`, `COPY … TO`,
 * `ATTACH`, `INSTALL`/`LOAD` and `SET enable_external_access = true` all fail inside DuckDB.
 *
 * The lock waits for the data sources because the engine's own loadFile reads registered files
 * through DuckDB; cell queries wait for the lock, so none runs with host access.
 */
import type { Engine, FileSource } from "../engine/engine.ts";

/** The refusal of a file load a cell asked for itself. */
function refusedLoad(call: string): string {
  return `segbook run: cells cannot load files themselves (${call}); name the data in the front matter or pass --data, or pass --allow-host-access for a trusted notebook`;
}

/** The statements that lock DuckDB down (both engines, DuckDB ≥ 1.1, support them). */
export const LOCK_SQL = "SET enable_external_access = false; SET lock_configuration = true;";

const FIX =
  "segbook run only lets cells use the data sources named in the front matter or --data; pass --allow-host-access for a trusted notebook";

/**
 * The clear message for DuckDB's refusals under the lock, or null for any other error.
 * @example
 * hostAccessMessage('Permission Error: Cannot access file "/etc/passwd" - file system operations are disabled by configuration')
 * // 'segbook run: this notebook\'s SQL tried to access the file "/etc/passwd"; segbook run only lets …'
 */
export function hostAccessMessage(message: string): string | null {
  const file = /Cannot access (?:file|directory) "([^"]*)"[^\n]*disabled by configuration/.exec(message);
  if (file) return `segbook run: this notebook's SQL tried to access the file "${file[1]}"; ${FIX}`;
  const setting = /Cannot change configuration option "([^"]*)" - the configuration has been locked/.exec(message);
  if (setting) return `segbook run: this notebook's SQL tried to change DuckDB's setting "${setting[1]}"; ${FIX}`;
  if (/Permission Error:[^\n]*disabled/i.test(message) || /disabled (?:by|through) configuration/i.test(message)) {
    const what = /extension/i.test(message) ? "load a DuckDB extension" : "reach the file system or network";
    return `segbook run: this notebook's SQL tried to ${what}; ${FIX}`;
  }
  return null;
}

function clearly<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    const message = hostAccessMessage(error instanceof Error ? error.message : String(error));
    throw message ? new Error(message, { cause: error }) : error;
  });
}

/**
 * Wraps `engine` for a locked run: `loadFile` passes straight through until each of the
 * `dataSources` (table names) has settled — its loadFile returned or failed, or the host reported it
 * with `settled(name)` (e.g. its path could not be resolved, or the session blocked it). Then the lock
 * is applied once, and every other call, including those issued before, runs only after it.
 * Refusals get {@link hostAccessMessage}s. `loadFile` and `sniffCsv` of a source `isOwnSource` does not
 * know (one a cell made) are refused.
 * @example
 * const locked = lockedEngine(engine, Object.keys(frontMatter.data), (source) => resolvedSources.has(source));
 * // when data "orders" fails before reaching loadFile: locked.settled("orders")
 */
export function lockedEngine(
  engine: Engine,
  dataSources: readonly string[],
  isOwnSource: (source: FileSource) => boolean = () => true,
): Engine & { settled(name: string): void } {
  const pending = new Set(dataSources.map((name) => name.toLowerCase()));
  let open!: () => void;
  const ready = new Promise<void>((resolve) => (open = resolve));
  // A run that could not lock down must not run cells: a failed lock fails every later call.
  const locked = ready.then(() => engine.exec(LOCK_SQL));
  const settled = (name: string) => {
    if (pending.delete(name.toLowerCase()) && pending.size === 0) open();
  };
  if (pending.size === 0) open();
  const after = <T>(task: () => Promise<T>): Promise<T> => clearly(locked.then(task));
  // Frozen: cells hold it (db.engine), and the session loads the data through it.
  const wrapped: Engine & { settled(name: string): void } = {
    settled,
    query: (sql, params) => after(() => engine.query(sql, params)),
    exec: (sql) => after(() => engine.exec(sql)),
    // Cells hold the engine too (`db.engine`): its loadFile and sniffCsv read any path or URL in the
    // host, outside DuckDB's lock, so only the run's own data sources (the very objects its resolver
    // returned) may pass.
    loadFile: (name, source, options) =>
      !isOwnSource(source)
        ? Promise.reject(new Error(refusedLoad("db.engine.loadFile")))
        : pending.has(name.toLowerCase())
          ? clearly(engine.loadFile(name, source, options)).finally(() => settled(name))
          : after(() => engine.loadFile(name, source, options)),
    sniffCsv: (source, options) =>
      isOwnSource(source)
        ? after(() => engine.sniffCsv(source, options))
        : Promise.reject(new Error(refusedLoad("db.engine.sniffCsv"))),
    insertArrow: (name, table) => after(() => engine.insertArrow(name, table)),
    describe: (name) => after(() => engine.describe(name)),
    version: () => engine.version(),
    close: () => engine.close(),
  };
  return Object.freeze(wrapped);
}
