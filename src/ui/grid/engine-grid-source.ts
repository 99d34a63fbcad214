/**
 * A grid source over a DuckDB table or view. Without filter or sort, pages are read straight from the
 * table (`LIMIT ? OFFSET ?` keeps the table's order). With one, the filtered, sorted result is first
 * written to a temporary table, once: sorting a million rows takes about a second, and doing it for
 * every page would make scrolling crawl, while a page of the temporary table reads in milliseconds.
 * Downloads read the same table, so the file holds exactly what the grid shows, in its order.
 */
import type { ColumnInfo, Engine } from "../../engine/engine.ts";
import { arrowRows } from "../../engine/table-handle.ts";
import { INTERNAL_NAME_PREFIX, quoteIdentifier } from "../../engine/sql-text.ts";
import { csvCell, csvHeader, encodeParquet } from "../../seg/export-encode.ts";
import type { DownloadFormat, GridResult, GridRow, GridSource } from "./grid-source.ts";
import { ALL_ROWS, countQuery, isPlainView, pageQuery, viewQuery, type BoundSql, type GridView } from "./grid-sql.ts";

/** Temporary result tables of the grid start with this (inside the engine's reserved prefix). */
export const GRID_TABLE_PREFIX = `${INTERNAL_NAME_PREFIX}grid_`;

/** Rows per query when writing a CSV file, so no single huge result is held at once. */
export const CSV_CHUNK_ROWS = 100_000;

let tableCounter = 0;

/**
 * A grid source over table or view `table` of `engine`, with the given columns and row count (a
 * table handle knows both).
 * @example const source = engineGridSource(engine, handle.name, handle.columns, handle.numRows);
 */
export function engineGridSource(
  engine: Engine,
  table: string,
  columns: readonly ColumnInfo[],
  numRows: number,
  displayName: string | undefined = table.startsWith(INTERNAL_NAME_PREFIX) ? undefined : table,
): GridSource {
  // Tables have a rowid that makes a sort total (equal values keep the table's order); views do not.
  let stableKey: Promise<string | undefined> | undefined;
  const keyOf = () =>
    (stableKey ??= engine.query(`SELECT rowid FROM ${quoteIdentifier(table)} LIMIT 0`).then(
      () => "rowid",
      () => undefined,
    ));
  return {
    name: displayName,
    columns,
    numRows,
    formats: ["csv", "parquet"],
    async open(view: GridView): Promise<GridResult> {
      if (isPlainView(view)) return tableResult(engine, table, columns, numRows, async () => {});
      const query = viewQuery(table, columns, view, await keyOf());
      const temp = `${GRID_TABLE_PREFIX}${++tableCounter}_${Math.random().toString(36).slice(2, 8)}`;
      await engine.query(`CREATE TEMP TABLE ${quoteIdentifier(temp)} AS ${query.sql}`, query.params);
      const count = await countRows(engine, viewQuery(temp, columns, ALL_ROWS));
      return tableResult(engine, temp, columns, count, () =>
        engine.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(temp)}`),
      );
    },
  };
}

async function countRows(engine: Engine, query: BoundSql): Promise<number> {
  const counted = countQuery(query);
  const result = await engine.query(counted.sql, counted.params);
  return Number(result.getChild("n")?.get(0) ?? 0);
}

/** A result that reads table `table` in its stored order. */
function tableResult(
  engine: Engine,
  table: string,
  columns: readonly ColumnInfo[],
  numRows: number,
  drop: () => Promise<void>,
): GridResult {
  const all = viewQuery(table, columns, ALL_ROWS);
  let released: Promise<void> | undefined;
  return {
    numRows,
    async rows(offset: number, limit: number): Promise<GridRow[]> {
      const page = pageQuery(all, offset, limit);
      return arrowRows(await engine.query(page.sql, page.params));
    },
    async download(format: DownloadFormat): Promise<Blob> {
      if (format === "csv") return csvBlob(engine, table, columns);
      const bytes = await encodeParquet(engine, table, columns, "Segbook");
      return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/vnd.apache.parquet" });
    },
    release: () => (released ??= drop()),
  };
}

/**
 * Table `table` as CSV in the same form as `seg.export` (DuckDB's text for every value, see
 * export-encode.ts), read {@link CSV_CHUNK_ROWS} rows at a time into the parts of a Blob.
 */
export async function csvBlob(engine: Engine, table: string, columns: readonly ColumnInfo[]): Promise<Blob> {
  const select = columns.map((c) => `CAST(${quoteIdentifier(c.name)} AS VARCHAR)`).join(", ");
  // Formulas neutralized as seg.export does by default: the file is opened in a spreadsheet.
  const parts: string[] = [columns.map((c) => csvHeader(c.name)).join(",") + "\n"];
  for (let offset = 0; ; offset += CSV_CHUNK_ROWS) {
    const result = await engine.query(`SELECT ${select} FROM ${quoteIdentifier(table)} LIMIT ? OFFSET ?`, [
      CSV_CHUNK_ROWS,
      offset,
    ]);
    const vectors = columns.map((_, i) => result.getChildAt(i)!);
    const lines: string[] = new Array(result.numRows);
    for (let row = 0; row < result.numRows; row++) {
      lines[row] = vectors
        .map((vector, i) => csvCell((vector.get(row) as string | null) ?? null, columns[i]!.type))
        .join(",");
    }
    if (lines.length) parts.push(lines.join("\n") + "\n");
    if (result.numRows < CSV_CHUNK_ROWS) break;
  }
  return new Blob(parts, { type: "text/csv" });
}
