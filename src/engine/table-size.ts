/**
 * How much memory a file will take once loaded into DuckDB, estimated from the file before any of it
 * is loaded: for Parquet from the footer (row count, column types and column chunk sizes), for
 * CSV/TSV from a sample of its first lines. DuckDB keeps an in-memory table uncompressed: a fixed
 * width per value (4 bytes for INTEGER/DATE, 8 for BIGINT/DOUBLE/TIMESTAMP, 16 for a VARCHAR's
 * header) plus the text of strings longer than 12 bytes. Measured on the generated orders (1,044,966
 * rows × 10 columns): 89 bytes per row in DuckDB, 1.15× the widths below, hence {@link OVERHEAD}.
 * Pure.
 */
import type { FileMetaData, SchemaTree } from "hyparquet";
import { splitLines } from "./text-checks.ts";

/** DuckDB's bookkeeping (validity masks, row groups) on top of the values' widths, measured. */
const OVERHEAD = 1.15;

/** Strings up to this many bytes live inside DuckDB's 16-byte string header. */
const INLINE_STRING_BYTES = 12;

/** A table's estimated size in DuckDB, with what it was estimated from. */
export interface TableSizeEstimate {
  /** Estimated bytes in DuckDB. */
  bytes: number;
  /** Rows (exact for Parquet, estimated for CSV). */
  rows: number;
  /** Columns loaded. */
  columns: number;
}

/** Bytes of one value of a column that is not text, by its Parquet type. */
function fixedWidth(column: SchemaTree): number | undefined {
  const { type, converted_type: converted, logical_type: logical } = column.element;
  if (column.children.length > 0) return undefined;
  if (converted === "DECIMAL" || logical?.type === "DECIMAL") return 8;
  if (converted === "DATE" || logical?.type === "DATE") return 4;
  switch (type) {
    case "BOOLEAN":
      return 1;
    case "INT32":
    case "FLOAT":
      return /^U?INT_(8|16)$/.test(converted ?? "") ? 2 : 4;
    case "INT64":
    case "DOUBLE":
    case "INT96":
      return 8;
    default:
      return undefined;
  }
}

/**
 * Estimates the size in DuckDB of `columns` (top-level columns of the file's schema) of a Parquet
 * file from its footer. Text uses the column chunks' uncompressed sizes, beyond what fits in the
 * 16-byte header.
 * @example
 * const metadata = parquetMetadata(buffer);
 * estimateParquetTable(metadata, parquetSchema(metadata).children).bytes; // ≈ 93e6 for the 1M orders
 */
export function estimateParquetTable(metadata: FileMetaData, columns: readonly SchemaTree[]): TableSizeEstimate {
  const rows = Number(metadata.num_rows);
  let rowBytes = 0;
  let heap = 0;
  for (const column of columns) {
    const width = fixedWidth(column);
    if (width !== undefined) {
      rowBytes += width;
      continue;
    }
    rowBytes += 16;
    // The chunks' uncompressed bytes of this column (and of its leaves, for nested data shown as text).
    const name = column.element.name;
    let uncompressed = 0;
    for (const group of metadata.row_groups) {
      for (const chunk of group.columns) {
        if (chunk.meta_data?.path_in_schema[0] === name)
          uncompressed += Number(chunk.meta_data.total_uncompressed_size);
      }
    }
    // Plain encoding stores 4 length bytes per value; text longer than the inline limit is kept.
    const perValue = rows > 0 ? Math.max(0, uncompressed / rows - 4) : 0;
    if (perValue > INLINE_STRING_BYTES) heap += perValue * rows;
  }
  return { bytes: Math.round((rowBytes * rows + heap) * OVERHEAD), rows, columns: columns.length };
}

/** Splits a sample line on the delimiter (quotes are respected well enough for an estimate). */
function fields(line: string, delimiter: string): string[] {
  const code = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  // A delimiter that is one UTF-16 unit (not half a surrogate pair) splits code units exactly as code
  // points, so the common case needs no per-character strings: a line without quotes is a plain split.
  if (code < 0 || (code >= 0xd800 && code <= 0xdfff)) return fieldsByCodePoint(line, delimiter);
  if (!line.includes('"')) return line.split(delimiter);
  const out: string[] = [];
  let field = "";
  let from = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x22) {
      field += line.slice(from, i);
      from = i + 1;
      quoted = !quoted;
    } else if (c === code && !quoted) {
      out.push(field + line.slice(from, i));
      field = "";
      from = i + 1;
    }
  }
  out.push(field + line.slice(from));
  return out;
}

/** {@link fields} one code point at a time, for a delimiter longer than one UTF-16 unit. */
function fieldsByCodePoint(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === delimiter && !quoted) {
      out.push(field);
      field = "";
    } else field += c;
  }
  out.push(field);
  return out;
}

/**
 * The length of `text` in UTF-8 bytes, as `new TextEncoder().encode(text).length` gives it (a lone
 * surrogate is 3 bytes, U+FFFD) without encoding it.
 */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Whether `text` starts like an ISO date, `/^\d{4}-\d\d-\d\d/`, tested without a regular expression. */
function startsWithIsoDate(text: string): boolean {
  if (text.length < 10) return false;
  for (let i = 0; i < 10; i++) {
    const c = text.charCodeAt(i);
    if (i === 4 || i === 7 ? c !== 0x2d : c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * Estimates the size in DuckDB of a CSV/TSV file of `size` bytes from its first bytes: rows from the
 * sample's bytes per line, and per value 8 bytes for numbers and dates, a 16-byte header for text
 * plus the text itself when longer than 12 bytes. Returns undefined when the sample has no complete
 * data line.
 * @example
 * // 6 bytes per data line in the sample, so a 6 MB file has about a million rows:
 * estimateCsvTable(new TextEncoder().encode("id,name\n1,Ann\n2,Bob\n"), 6_000_008)!.rows; // 1000000
 */
export function estimateCsvTable(sample: Uint8Array, size: number, delimiter?: string): TableSizeEstimate | undefined {
  // No regular expressions over the sample, nor per value: see splitLines in text-checks.ts for why.
  const text = new TextDecoder().decode(sample);
  const lines = splitLines(text);
  // The last piece may be cut off mid-line unless the sample is the whole file.
  if (sample.length < size) lines.pop();
  const data = lines.slice(1).filter((line) => line !== "");
  if (data.length === 0) return undefined;
  const header = lines[0] ?? "";
  const delim =
    delimiter ?? [",", "\t", ";", "|"].reduce((a, b) => (header.split(b).length > header.split(a).length ? b : a));
  let sampleBytes = 0;
  let valueBytes = 0;
  let columns = 0;
  for (const line of data) {
    sampleBytes += utf8Length(line) + 1;
    const values = fields(line, delim);
    columns = Math.max(columns, values.length);
    for (const value of values) {
      const trimmed = value.trim();
      const numeric = trimmed !== "" && (!Number.isNaN(Number(trimmed)) || startsWithIsoDate(trimmed));
      const length = numeric ? 0 : utf8Length(trimmed);
      valueBytes += numeric ? 8 : 16 + (length > INLINE_STRING_BYTES ? length : 0);
    }
  }
  const headerBytes = utf8Length(header) + 1;
  const rows = Math.max(0, Math.round(((size - headerBytes) * data.length) / sampleBytes));
  return { bytes: Math.round((valueBytes / data.length) * rows * OVERHEAD), rows, columns };
}
