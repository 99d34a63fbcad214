/**
 * Parquet on native DuckDB through its own reader (`read_parquet`, compiled into the native library)
 * for exactly the files the wasm engine decodes with parquet-wasm, with the same casts, so both
 * engines give the same table:
 *
 * - which files: those whose columns all pass {@link duckdbCastsParquet} (the wasm engine's rule,
 *   shared), whatever their codec (DuckDB reads Snappy, ZSTD, gzip, LZ4 and Brotli, as parquet-wasm);
 * - which types: each column loads as {@link duckdbTypeOf} says, cast from read_parquet's type by
 *   {@link castItem} where {@link exactCast} allows (DECIMAL -> DOUBLE by DuckDB's CAST, UTC
 *   timestamps -> their UTC wall time, JSON -> VARCHAR, …), as the wasm engine casts arrow-rs's;
 * - everything else goes back to the caller's hyparquet path, as on the wasm engine: nested, UUID,
 *   INT96, FLOAT16, INTERVAL and other fixed-length byte columns, a type no exact cast reaches,
 *   names DuckDB would rename (case-insensitive duplicates), and any file DuckDB fails on (hyparquet
 *   then words the error).
 */
import type { SchemaTree } from "hyparquet";
import type { LoadContext } from "./load-file.ts";
import { register, type ReadSource } from "./load-source.ts";
import { dropIfExists } from "./catalog.ts";
import { castItem, duckdbCastsParquet, duckdbTypeOf, exactCast } from "./parquet-wasm-load.ts";
import { quoteIdentifier, quoteString } from "./sql-text.ts";

/**
 * Loads `columns` (top-level columns of the Parquet `read`, in the wanted order, from hyparquet's
 * reading of its footer; `allNames` are all the file's top-level names) into the new table `staging`
 * with DuckDB's own reader and returns true, or returns false (having created nothing) when hyparquet
 * must read it, as on the wasm engine. The file is registered as `registered` (the caller drops it).
 * @example if (!(await loadParquetNative(ctx, staging, registered, read, columns, names))) useHyparquet();
 */
export async function loadParquetNative(
  ctx: LoadContext,
  staging: string,
  registered: string,
  read: ReadSource,
  columns: readonly SchemaTree[],
  allNames: readonly string[],
): Promise<boolean> {
  if (!duckdbCastsParquet(columns)) return false;
  // DuckDB's names are case-insensitive: it would rename one of "a" and "A"; hyparquet keeps both.
  if (new Set(allNames.map((name) => name.toLowerCase())).size !== allNames.length) return false;
  await register(ctx, registered, read);
  const names = columns.map((column) => column.element.name);
  const scan = `SELECT ${names.map(quoteIdentifier).join(", ")} FROM read_parquet(${quoteString(registered)})`;
  let items: string[];
  try {
    const described = (await ctx.run(`DESCRIBE ${scan}`)).toArray().map((row) => row.toJSON());
    const got = new Map(described.map((row) => [String(row.column_name), String(row.column_type)]));
    items = [];
    for (const column of columns) {
      const name = column.element.name;
      const [from, to] = [got.get(name), duckdbTypeOf(column)];
      if (from === undefined || !exactCast(from, to)) return false;
      items.push(castItem(name, from, to));
    }
  } catch {
    // Not a Parquet file DuckDB can read (not Parquet, truncated, ...): hyparquet words the error.
    return false;
  }
  try {
    await ctx.run(`CREATE TABLE ${quoteIdentifier(staging)} AS SELECT ${items.join(", ")} FROM (${scan})`);
    return true;
  } catch {
    // A value DuckDB refuses (e.g. text that is not UTF-8): hyparquet reads the file instead.
    await dropIfExists(ctx.run, staging).catch(() => undefined);
    return false;
  }
}
