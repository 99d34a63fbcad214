/**
 * The format and SQL side of loading files, shared by both engines: telling the format from a file
 * name, naming files registered with DuckDB, and building the read_csv(...) call.
 */
import type { FileFormat, FileSource, LoadOptions } from "./engine.ts";
import { quoteIdentifier, quoteString } from "./sql-text.ts";

const FORMATS: readonly FileFormat[] = ["csv", "tsv", "parquet", "json"];

const EXTENSION_FORMATS: Record<string, FileFormat> = {
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
  // Delimited text: comma, tab, semicolon and pipe are sniffed by DuckDB, runs of spaces by load-csv.
  txt: "csv",
  parquet: "parquet",
  pq: "parquet",
  json: "json",
  ndjson: "json",
  jsonl: "json",
};

const FORMAT_HINT = `pass {format: "csv"|"tsv"|"parquet"|"json"}`;

/** The name a source is known by in messages and in DuckDB: the last part of its path or URL. */
export function sourceFileName(source: FileSource): string {
  switch (source.kind) {
    case "path":
      return source.path.split(/[\\/]/).pop() || source.path;
    case "url": {
      const path = source.url.split(/[?#]/)[0]!;
      const last = path.split("/").pop() || path;
      try {
        return decodeURIComponent(last);
      } catch {
        return last;
      }
    }
    default:
      return source.fileName;
  }
}

/**
 * The format to load `fileName` as: `explicit` when given, else from the extension (`.csv` and
 * delimited `.txt`, `.tsv`/`.tab`, `.parquet`/`.pq`, `.json`/`.ndjson`/`.jsonl`; CSV/TSV may be
 * gzipped, `.csv.gz`).
 * Throws a message naming the file and the fix when the format cannot be told.
 */
export function resolveFormat(fileName: string, explicit?: FileFormat): FileFormat {
  if (explicit !== undefined) {
    if (!FORMATS.includes(explicit)) {
      throw new Error(`loadFile: unknown format "${String(explicit)}" for "${fileName}"; ${FORMAT_HINT}`);
    }
    return explicit;
  }
  const parts = fileName.toLowerCase().split(".");
  if (parts.length < 2) {
    throw new Error(`loadFile: cannot tell the format of "${fileName}" (it has no extension); ${FORMAT_HINT}`);
  }
  let extension = parts.pop()!;
  const gzipped = extension === "gz" && parts.length >= 2;
  if (gzipped) extension = parts.pop()!;
  const format = EXTENSION_FORMATS[extension];
  if (!format || (gzipped && format !== "csv" && format !== "tsv")) {
    const shown = gzipped ? `${extension}.gz` : extension;
    throw new Error(`loadFile: unknown format "${shown}" for "${fileName}"; ${FORMAT_HINT}`);
  }
  return format;
}

/**
 * The directory of duckdb-wasm's virtual file system that loadFile registers files under, so that a
 * locked DuckDB can allow exactly it (`SET allowed_directories`, the cell sandbox, docs/sandbox.md)
 * and nothing else.
 */
export const REGISTERED_FILE_DIRECTORY = "/segbook-files/";

/**
 * A unique name to register a file under in DuckDB's virtual file system. It keeps the original
 * name's tail (so DuckDB still sees `.gz`), minus characters that DuckDB would read as glob
 * patterns; `directory` (the driver's `fileDirectory`, e.g. {@link REGISTERED_FILE_DIRECTORY}) comes first.
 *
 * @example
 * registeredFileName(3, "people.csv.gz"); // "segbook-3-people.csv.gz"
 * registeredFileName(3, "people.csv", REGISTERED_FILE_DIRECTORY); // "/segbook-files/segbook-3-people.csv"
 */
export function registeredFileName(id: number, fileName: string, directory = ""): string {
  return `${directory}segbook-${id}-${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}`;
}

/**
 * The `read_csv(...)` table function call for a registered CSV/TSV file and the user's options;
 * `extra` holds arguments loadFile adds itself when retrying a bad file (e.g. `encoding = 'latin-1'`).
 */
export function readCsvCall(
  fileName: string,
  format: "csv" | "tsv",
  options: LoadOptions = {},
  extra: readonly string[] = [],
): string {
  const args = [quoteString(fileName)];
  const csv = options.csv ?? {};
  const delimiter = csv.delimiter ?? (format === "tsv" ? "\t" : undefined);
  if (delimiter !== undefined) args.push(`delim = ${quoteString(delimiter)}`);
  if (csv.header !== undefined) args.push(`header = ${csv.header ? "true" : "false"}`);
  if (csv.names !== undefined) args.push(`names = [${csv.names.map(quoteString).join(", ")}]`);
  if (csv.strictMode !== undefined) args.push(`strict_mode = ${csv.strictMode ? "true" : "false"}`);
  if (csv.columns !== undefined) {
    const types = Object.entries(csv.columns).map(([name, type]) => `${quoteString(name)}: ${quoteString(type)}`);
    args.push(`types = {${types.join(", ")}}`);
  }
  args.push(...extra);
  return `read_csv(${args.join(", ")})`;
}

/** `CREATE TABLE|VIEW "name" AS SELECT * FROM read_csv(...)`. */
export function createFromCsvSql(
  kind: "table" | "view",
  name: string,
  fileName: string,
  format: "csv" | "tsv",
  options?: LoadOptions,
  extra: readonly string[] = [],
): string {
  const what = kind === "view" ? "VIEW" : "TABLE";
  return `CREATE ${what} ${quoteIdentifier(name)} AS SELECT * FROM ${readCsvCall(fileName, format, options, extra)}`;
}
