/**
 * The internal seam between the shared engine logic (engine-core.ts) and the two duckdb-wasm
 * flavours: the blocking Node bundle (synchronous) and AsyncDuckDB in a Web Worker (asynchronous).
 * A driver only passes calls through; every rule (naming, replacing, formats, errors) lives in the
 * core so both engines behave the same.
 */
import type { WireParam } from "./params.ts";

/** A synchronous (Node) or asynchronous (browser) result; the core always awaits it. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * duckdb-wasm operations over one connection. Results travel as Arrow IPC stream bytes, which the
 * core decodes with its own apache-arrow: in Node, duckdb-wasm's CommonJS build loads a second copy
 * of apache-arrow, and Arrow objects do not mix across copies.
 */
export interface EngineDriver {
  /** True when registerBuffer/insertArrow take ownership of the bytes (they are transferred). */
  readonly takesBuffers: boolean;
  /** Runs one or more statements; the last one's result as an Arrow IPC stream. */
  query(sql: string): MaybePromise<Uint8Array>;
  /** Prepares one statement, runs it with the parameters, closes it. */
  prepareQuery(sql: string, params: WireParam[]): MaybePromise<Uint8Array>;
  /**
   * The directory registered files are named under (with its trailing `/`), where DuckDB's file
   * names are paths of its own virtual file system (duckdb-wasm): a lock may then allow just it.
   * Absent (native): names stay bare, in the engine's temporary folder.
   */
  readonly fileDirectory?: string;
  /** Makes `bytes` readable by DuckDB as the file `fileName`. */
  registerBuffer(fileName: string, bytes: Uint8Array): MaybePromise<void>;
  /**
   * Makes a browser File/Blob readable as `fileName` without copying it into memory first.
   * Absent where unsupported (Node): the core then reads the bytes and uses registerBuffer.
   */
  registerFileHandle?(fileName: string, file: Blob): MaybePromise<void>;
  /**
   * Makes the local file at `absolutePath` readable by DuckDB as `fileName`, in place (no copy
   * through JS memory). Present only where DuckDB runs in this process with file access (native).
   */
  registerLocalFile?(fileName: string, absolutePath: string): MaybePromise<void>;
  /**
   * True when DuckDB here has its own Parquet reader (`read_parquet`, compiled into native DuckDB);
   * loadFile then reads Parquet with it wherever that gives the same table as the JS reader.
   */
  readonly readsParquet?: boolean;
  /** Creates table `tableName` from an Arrow IPC stream (the table must not exist). */
  insertArrow(tableName: string, ipcStream: Uint8Array): MaybePromise<void>;
  /**
   * Appends an Arrow IPC stream to table `tableName`, whose columns it matches. Absent where
   * unsupported: the core then inserts into a new table and copies.
   */
  appendArrow?(tableName: string, ipcStream: Uint8Array): MaybePromise<void>;
  /** Creates table `tableName` from a registered file holding a JSON array of objects. */
  insertJSON(fileName: string, tableName: string): MaybePromise<void>;
  /** Forgets a registered file. */
  dropFile(fileName: string): MaybePromise<void>;
  /** DuckDB's version string, e.g. `v1.4.3`. */
  version(): MaybePromise<string>;
  /** Closes the connection and releases the database (and worker). */
  close(): MaybePromise<void>;
}

/** How a platform reads `path` and `url` file sources into memory. */
export interface SourceReader {
  /** Reads a file path; throws a message naming the path when it cannot. */
  readPath(path: string): Promise<Uint8Array>;
  /** Reads a URL (relative ones resolved by the platform); throws a message naming the URL. */
  readUrl(url: string): Promise<Uint8Array>;
  /**
   * The absolute http(s) URL a `url` source resolves to, or null when it is not remote (file:,
   * invalid). Parquet files at such URLs are read with range requests instead of downloaded whole.
   */
  remoteUrl?(url: string): string | null;
  /**
   * Opens a `path` source without reading it into memory: its absolute path (for a driver's
   * registerLocalFile), a Blob that reads it lazily, and its SHA-256 streamed from disk. Throws the
   * same messages as readPath; null when the path is no regular file (a pipe: read it with readPath).
   * Absent where files cannot be opened in place (the browser).
   */
  openPath?(path: string): Promise<LocalFile | null>;
}

/** A local file opened in place by {@link SourceReader.openPath}. */
export interface LocalFile {
  absolutePath: string;
  blob: Blob;
  sha256: string;
  /** Whether some line is longer than 1 MiB (then the CSV loader measures the lines exactly). */
  longLines: boolean;
}
