/**
 * The one interface over DuckDB that the runtime, the CLI and the UI use. Two implementations exist:
 * the browser one (AsyncDuckDB in its own Web Worker) and the Node one (duckdb-wasm's blocking Node
 * bundle). Both pass the same conformance suite (test/engine/engine-cases.ts).
 */
import type { Table as ArrowTable } from "apache-arrow";

/** A value that can be bound to a `?` / `$n` parameter of a prepared statement. */
export type SqlParam = string | number | bigint | boolean | null | Date;

/** File formats the engine can load. */
export type FileFormat = "csv" | "tsv" | "parquet" | "json";

/**
 * Where a file comes from: a path (Node) or URL (browser, relative URLs resolve against the page or
 * the given base), raw bytes, or a browser `File`/`Blob`.
 */
export type FileSource =
  | { kind: "path"; path: string }
  | { kind: "url"; url: string }
  | { kind: "bytes"; bytes: Uint8Array; fileName: string }
  | { kind: "file"; file: Blob; fileName: string };

/** Options for {@link Engine.loadFile}. */
export interface LoadOptions {
  /** Format; inferred from the file name's extension when omitted. */
  format?: FileFormat;
  /** Create a table (default, data copied into DuckDB) or a view over the registered file. */
  as?: "table" | "view";
  /** CSV/TSV only: overrides for DuckDB's sniffer. */
  csv?: { delimiter?: string; header?: boolean; columns?: Record<string, string> };
}

/** A column's name and DuckDB type (as DuckDB spells it, e.g. `BIGINT`, `VARCHAR`, `DATE`). */
export interface ColumnInfo {
  name: string;
  type: string;
}

/** What {@link Engine.loadFile} reports about the loaded table. */
export interface LoadResult {
  name: string;
  numRows: number;
  columns: ColumnInfo[];
  /** Hex sha256 of the source bytes, so a notebook can record what it was run on. */
  sha256: string;
}

/**
 * The engine. Every method is async, whatever the implementation, so callers never depend on the
 * blocking Node bundle's synchronous nature.
 */
export interface Engine {
  /** Run a query (with optional bound parameters) and return its full result as Arrow. */
  query(sql: string, params?: readonly SqlParam[]): Promise<ArrowTable>;
  /** Run one or more statements for their effect (no parameters, no result). */
  exec(sql: string): Promise<void>;
  /** Load a CSV/TSV/Parquet/JSON file into a table or view named `name` (replacing it). */
  loadFile(name: string, source: FileSource, options?: LoadOptions): Promise<LoadResult>;
  /** Insert an Arrow table as a new table `name` (replacing it). */
  insertArrow(name: string, table: ArrowTable): Promise<void>;
  /** Columns of a table or view. */
  describe(name: string): Promise<ColumnInfo[]>;
  /** DuckDB's version string, e.g. `v1.4.3`. */
  version(): Promise<string>;
  /** Release the database (and its worker, in the browser). */
  close(): Promise<void>;
}
