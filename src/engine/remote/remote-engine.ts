/**
 * The one interface over a remote SQL engine (a team's warehouse): ClickHouse now; Trino, Spark
 * Connect, BigQuery or Databricks SQL are each one more file implementing it. A remote engine is never
 * ours: Segbook sends it a query and streams the result into local DuckDB, where it becomes a table
 * handle like any other. Nothing here holds a credential longer than the connection object that the
 * page (memory only) or `segbook run` (environment / `--connection`) created.
 */
import type { Table as ArrowTable } from "apache-arrow";

/** The SQL dialects that fitted models and rule sets compile to (see `model.toSQL`). */
export type SqlDialect = "duckdb" | "clickhouse";

/** Where a remote engine is, as named in the notebook's front matter `connections:` (never a secret). */
export interface ConnectionSpec {
  /** The engine kind, e.g. `clickhouse`. */
  type: string;
  /** Base URL of the engine's HTTP interface, e.g. `https://warehouse.example.com:8443`. */
  url: string;
  /** Default database for unqualified table names. */
  database?: string;
}

/** What a user supplies at run time to reach a connection. Kept in memory only; never serialized. */
export interface Credentials {
  user?: string;
  password?: string;
}

/** A value bound to a named parameter of a remote query (`${}` in a remote SQL cell). */
export type RemoteParam = string | number | bigint | boolean | null | Date;

/** A column of a remote result: its name and the engine's own type name (e.g. `UInt64`, `Nullable(String)`). */
export interface RemoteColumn {
  name: string;
  type: string;
}

/** Progress of a running remote query, as the server reports it. */
export interface RemoteProgress {
  /** Rows the server has read so far (scanned, on all shards). */
  rowsRead: number;
  /** Rows of the result received by us so far. */
  rowsReceived: number;
}

/** Options of one remote query. */
export interface RemoteQueryOptions {
  /** Named parameters; the query refers to them in the adapter's own syntax (see {@link RemoteEngine.placeholder}). */
  params?: Readonly<Record<string, RemoteParam>>;
  /**
   * Most rows the result may have. A query whose result would be larger fails with an error that says
   * to aggregate on the server first (or raise the cap), before the rows are pulled into the tab.
   */
  maxRows?: number;
  /** Cancels the query: the request is aborted and the server-side query is killed. */
  signal?: AbortSignal;
  /** Called as the server reports progress and as rows arrive. */
  onProgress?: (progress: RemoteProgress) => void;
}

/** A remote query's full result, typed, ready to insert into local DuckDB. */
export interface RemoteResult {
  columns: RemoteColumn[];
  /** Rows in column order; values already converted to what DuckDB takes (numbers, bigints, strings, Dates, null). */
  rows: unknown[][];
  /** The query id the server knows it by (for logs and for killing it). */
  queryId: string;
}

/** A remote query's result already as an Arrow table (see {@link RemoteEngine.queryArrow}). */
export interface RemoteArrowResult {
  /** One typed column per remote column, as `remoteResultToArrow` makes them. */
  table: ArrowTable;
  queryId: string;
}

/**
 * A remote engine adapter. Each implementation is one file (see clickhouse.ts); all errors it throws
 * are {@link RemoteError}s whose message names the connection, what failed and how to fix it.
 */
export interface RemoteEngine {
  /** The connection's name in the notebook (front matter key), for messages. */
  readonly name: string;
  /** The dialect generated SQL must use for this engine. */
  readonly dialect: SqlDialect;
  /** The parameter reference for `name` of the given value in this engine's syntax (ClickHouse: `{name:Type}`). */
  placeholder(name: string, value: RemoteParam): string;
  /** Runs one SELECT-like query and returns its typed result. */
  query(sql: string, options?: RemoteQueryOptions): Promise<RemoteResult>;
  /**
   * Optional: the result as Arrow, for an engine that receives it so (the sandbox frame's, whose
   * queries the app runs and converts). A remote cell uses it instead of converting `query`'s rows.
   */
  queryArrow?(sql: string, options?: RemoteQueryOptions): Promise<RemoteArrowResult>;
  /** The server's version string, e.g. `18.16.1`. */
  version(): Promise<string>;
}

/** Why a remote call failed, so the UI and the runner can say which and how to fix it. */
export type RemoteFailure = "unreachable" | "cors" | "credentials" | "row-cap" | "cancelled" | "query" | "timeout";

/**
 * An error of a remote engine: `failure` says which kind, the message says which connection, what
 * happened and the fix (e.g. the server settings IT needs for CORS).
 * @example throw new RemoteError("credentials", `connection "warehouse" refused user "ana": check the password`);
 */
export class RemoteError extends Error {
  constructor(
    readonly failure: RemoteFailure,
    message: string,
  ) {
    super(message);
    this.name = "RemoteError";
  }
}
