/**
 * A remote SQL cell (```` ```sql customers engine=warehouse ````): its SQL runs on the connection's
 * remote engine, `${}` values travel as that engine's own query parameters (never spliced into the
 * text), and the result comes into local DuckDB as the cell's table, a table handle like any other.
 * The runtime never opens a connection itself: the host (the page, or `segbook run`) injects a
 * {@link RemoteConnector} that knows where credentials come from.
 */
import type { Table as ArrowTable } from "apache-arrow";
import type { Engine } from "../engine/engine.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import { createTableHandle } from "../engine/table-handle.ts";
import { isTableHandle } from "../engine/is-table-handle.ts";
import { INTERNAL_NAME_PREFIX } from "../engine/sql-text.ts";
import { remoteResultToArrow } from "../engine/remote/remote-arrow.ts";
import type { ConnectionSpec, RemoteEngine, RemoteParam, RemoteProgress } from "../engine/remote/remote-engine.ts";
import { RemoteError } from "../engine/remote/remote-engine.ts";
import type { ConnectionSource } from "../notebook/model.ts";
import { unknownEngineMessage } from "../notebook/connections.ts";

/**
 * Opens (or returns the already open) remote engine of a front matter connection. The page asks the
 * user for credentials (memory only); `segbook run` reads the environment or `--connection`.
 * @example const connect: RemoteConnector = async (name, spec) => createClickHouseEngine(name, spec, credentials);
 */
export type RemoteConnector = (name: string, spec: ConnectionSpec, signal: AbortSignal) => Promise<RemoteEngine>;

/** A remote query as manifests record it: the connection (no credentials) and the SQL, parameter names only. */
export interface RemoteQueryRecord {
  connection: { name: string; type: string; url: string; database: string | null };
  /** The SQL as sent, with the engine's parameter references (`{p1:String}`), never their values. */
  sql: string;
  /** Names of the parameters sent with it; their values stay out of manifests (they are user data). */
  params: string[];
  rows: number;
}

/** What a remote cell run produced. */
export interface RemoteCellResult {
  /** The cell's table (named cell) or the rows as Arrow (unnamed: only shown). */
  value: TableHandle | ArrowTable;
  rows: number;
  record: RemoteQueryRecord;
  note: string;
}

/**
 * A URL as it may be shown or recorded: any `user:password@` removed.
 * @example displayUrl("https://ana:s3cret@ch.example.com:8443/") // "https://ch.example.com:8443/"
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, "//");
  }
}

/**
 * The SQL text with the engine's parameter references and the parameters by name (`p1`, `p2`, …, in
 * the order of the `${}`s). A table handle is refused: a local table does not exist on the server.
 * @example bindRemoteSql(["SELECT * FROM orders WHERE country = ", ""], ["DE"], engine) // {text: "… = {p1:String}", params: {p1: "DE"}}
 */
export function bindRemoteSql(
  parts: readonly string[],
  values: readonly unknown[],
  remote: Pick<RemoteEngine, "name" | "placeholder">,
): { text: string; params: Record<string, RemoteParam> } {
  let text = parts[0] ?? "";
  const params: Record<string, RemoteParam> = {};
  values.forEach((value, i) => {
    const name = `p${i + 1}`;
    if (isTableHandle(value)) {
      throw new TypeError(
        `\${} ${i + 1} is ${value.name.startsWith(INTERNAL_NAME_PREFIX) ? "a local table" : `the local table "${value.name}"`}, which does not exist on connection "${remote.name}"; a remote cell reads the server's tables — aggregate there and join locally in a SQL cell without engine=`,
      );
    }
    if (
      value !== null &&
      typeof value !== "string" &&
      typeof value !== "number" &&
      typeof value !== "bigint" &&
      typeof value !== "boolean" &&
      !(value instanceof Date)
    ) {
      const what = Array.isArray(value) ? "an array" : value === undefined ? "undefined" : `a ${typeof value}`;
      throw new TypeError(
        `\${} ${i + 1} is ${what}, which cannot be sent as a query parameter; pass a string, number, bigint, boolean, Date or null`,
      );
    }
    params[name] = value;
    text += remote.placeholder(name, value) + (parts[i + 1] ?? "");
  });
  return { text, params };
}

/** The SQL text of a cell that is one `${…}`: it must be text (e.g. what `model.toSQL` returns). */
function generatedSql(value: unknown, connection: string): { text: string; params: Record<string, RemoteParam> } {
  if (typeof value !== "string" || value.trim() === "") {
    const what = typeof value === "string" ? "empty text" : value === null ? "null" : `a ${typeof value}`;
    throw new TypeError(
      `this remote cell is one \${…}, so its value is the SQL sent to connection "${connection}", but it is ${what}; give it SQL text such as km.model.toSQL({dialect: "clickhouse", table: "customer_features"})`,
    );
  }
  return { text: value, params: {} };
}

/**
 * Runs a remote SQL cell: opens its connection through the host, sends the bound query with the row
 * cap, reports progress, and puts the rows into local DuckDB as table `name` (an unnamed cell's
 * result is only shown). Aborting `signal` cancels the query on the server.
 */
export async function runRemoteCell(input: {
  engine: Engine;
  connect: RemoteConnector | undefined;
  connections: Readonly<Record<string, ConnectionSource>>;
  connection: string;
  maxRows: number;
  /** The cell is one `${…}` whose value is the SQL text itself (see CompiledSql.remote). */
  generated?: boolean;
  name: string | undefined;
  parts: readonly string[];
  values: readonly unknown[];
  signal: AbortSignal;
  onProgress: (progress: RemoteProgress) => void;
}): Promise<RemoteCellResult> {
  const { connection } = input;
  const spec = input.connections[connection];
  if (!spec) throw new Error(unknownEngineMessage(connection, Object.keys(input.connections)));
  if (!input.connect) {
    throw new Error(
      `connection "${connection}" (${displayUrl(spec.url)}) cannot be opened here: this host runs no remote engines`,
    );
  }
  const remote = await input.connect(connection, spec, input.signal);
  const { text, params } = input.generated
    ? generatedSql(input.values[0], connection)
    : bindRemoteSql(input.parts, input.values, remote);
  const started = performance.now();
  const options = { params, maxRows: input.maxRows, signal: input.signal, onProgress: input.onProgress };
  // An engine that gets its rows as Arrow already (the sandbox frame's) hands them on as they are.
  const table = await (
    remote.queryArrow
      ? remote.queryArrow(text, options).then((result) => result.table)
      : remote.query(text, options).then(remoteResultToArrow)
  ).catch((error: unknown) => {
    // Where the cap is set: the cell's own fence.
    if (error instanceof RemoteError && error.failure === "row-cap")
      throw new RemoteError(
        "row-cap",
        `${error.message} (This cell's cap is ${input.maxRows.toLocaleString("en-US")} rows; raise it in its fence, e.g. \`\`\`sql ${input.name ?? "result"} engine=${connection} maxRows=${(input.maxRows * 10).toLocaleString("en-US").replaceAll(",", "_")}.)`,
      );
    throw error;
  });
  const rows = table.numRows;
  const record: RemoteQueryRecord = {
    connection: { name: connection, type: spec.type, url: displayUrl(spec.url), database: spec.database ?? null },
    sql: text,
    params: Object.keys(params),
    rows,
  };
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const note = `${rows.toLocaleString("en-US")} rows from connection "${connection}" in ${seconds} s (row cap ${input.maxRows.toLocaleString("en-US")})`;
  if (!input.name) return { value: table, rows, record, note };
  await input.engine.insertArrow(input.name, table);
  return { value: await createTableHandle(input.engine, input.name), rows, record, note };
}
