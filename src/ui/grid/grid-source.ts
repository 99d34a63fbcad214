/**
 * What the data grid reads from. A source is a table (in DuckDB, or in memory); opening it with a
 * {@link GridView} gives the filtered, sorted result, read one page at a time.
 */
import type { ColumnInfo } from "../../engine/engine.ts";
import { formatCell } from "../render/table-data.ts";
import type { GridView } from "./grid-sql.ts";

/** One row, keyed by column name. */
export type GridRow = Record<string, unknown>;

/** A table the grid can show. */
export interface GridSource {
  /** The table's name, when it has one worth showing. */
  readonly name?: string;
  readonly columns: readonly ColumnInfo[];
  /** Rows of the whole, unfiltered table. */
  readonly numRows: number;
  /** File formats {@link GridResult.download} can make. */
  readonly formats: readonly DownloadFormat[];
  /** The view's result; release it when the grid no longer shows it. */
  open(view: GridView): Promise<GridResult>;
}

/** A file format the grid can download. */
export type DownloadFormat = "csv" | "parquet";

/** A filtered, sorted result of a source. */
export interface GridResult {
  /** Rows that pass the filters. */
  readonly numRows: number;
  /** Rows `offset` .. `offset + limit - 1` of the result (fewer at the end). */
  rows(offset: number, limit: number): Promise<GridRow[]>;
  /** The whole result as a file. */
  download(format: DownloadFormat): Promise<Blob>;
  /** Frees what the result holds (e.g. a temporary table). Safe to call twice. */
  release(): Promise<void>;
}

/** Rows as TSV text (header line first) for the clipboard: tabs and line breaks inside values become spaces. */
export function toTsv(columns: readonly ColumnInfo[], rows: readonly GridRow[]): string {
  const clean = (text: string) => text.replace(/[\t\r\n]+/g, " ");
  const lines = [columns.map((c) => clean(c.name)).join("\t")];
  for (const row of rows)
    lines.push(columns.map((c) => (row[c.name] == null ? "" : clean(formatCell(row[c.name])))).join("\t"));
  return lines.join("\n") + "\n";
}
