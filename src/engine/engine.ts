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
  | {
      kind: "file";
      file: Blob;
      fileName: string;
      /**
       * The hex SHA-256 of exactly this Blob, when the caller has it already (the data panel hashes a
       * file as it is added): loadFile then reports it instead of reading the whole file again to hash it.
       */
      sha256?: string;
    };

/** Options for {@link Engine.loadFile}. */
export interface LoadOptions {
  /** Format; inferred from the file name's extension when omitted. */
  format?: FileFormat;
  /**
   * Create a table (default: the data is copied into DuckDB) or a view that reads the registered
   * file at every query. Views are for CSV/TSV only; JSON and Parquet are always copied into a table.
   */
  as?: "table" | "view";
  /** CSV/TSV only: overrides for DuckDB's sniffer (anything not given is sniffed). */
  csv?: CsvOptions;
  /**
   * Parquet only: load just these columns, in this order. With an http(s) URL source only the
   * file's footer and these columns' chunks are fetched (HTTP range requests).
   */
  columns?: string[];
}

/** Overrides for DuckDB's CSV sniffer (read_csv options). */
export interface CsvOptions {
  /** Field delimiter, e.g. `";"` (read_csv `delim`; TSV files default to a tab). */
  delimiter?: string;
  /** Whether the first line holds column names (read_csv `header`). */
  header?: boolean;
  /** Column names in file order, mainly for files without a header (read_csv `names`). */
  names?: string[];
  /**
   * DuckDB types for some columns by name, e.g. `{zip: "VARCHAR"}` to keep leading zeros; the other
   * columns keep their sniffed types (read_csv `types`). Without a header, columns are named by
   * `names` or DuckDB's `column0`, `column1`, ....
   */
  columns?: Record<string, string>;
  /**
   * DuckDB's `strict_mode`. When left out and the sniffer cannot detect the file's dialect in strict
   * mode (e.g. a file mixing LF and CRLF line ends, like the classic Mall_Customers.csv), loading is
   * retried once with `strict_mode = false`. Pass `true` to never relax, `false` to always.
   */
  strictMode?: boolean;
}

/** What DuckDB's CSV sniffer detected in a file (see {@link Engine.sniffCsv}). */
export interface CsvSniff {
  /** Field delimiter, e.g. `,`, `;` or a tab. */
  delimiter: string;
  /** Quote character (empty when none). */
  quote: string;
  /** Whether the first line holds column names. */
  header: boolean;
  /** Lines skipped before the data (or header). */
  skipRows: number;
  /** Column names and sniffed DuckDB types, in file order. */
  columns: ColumnInfo[];
  /** False when the file only sniffs with `strict_mode = false` (loadFile relaxes the same way). */
  strictMode: boolean;
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
  /**
   * What the load assumed about a messy file, one sentence each, e.g. `column customer_id: read
   * 17850.0 as DOUBLE; ...` or `3 rows had too many fields and were skipped (first at line 17); ...`.
   * Empty for a clean file. Shown with the data source in the UI and in `segbook run` output.
   */
  notes: string[];
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
  /**
   * What DuckDB's sniffer detects in a CSV/TSV source under the given overrides (delimiter, header,
   * strictMode), reading only its sample; a browser File is not copied into memory.
   */
  sniffCsv(source: FileSource, options?: { format?: "csv" | "tsv"; csv?: CsvOptions }): Promise<CsvSniff>;
  /** Insert an Arrow table as a new table `name` (replacing it). */
  insertArrow(name: string, table: ArrowTable): Promise<void>;
  /** Columns of a table or view. */
  describe(name: string): Promise<ColumnInfo[]>;
  /** DuckDB's version string, e.g. `v1.4.3`. */
  version(): Promise<string>;
  /** Release the database (and its worker, in the browser). */
  close(): Promise<void>;
}
