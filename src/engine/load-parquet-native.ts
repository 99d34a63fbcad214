/**
 * Parquet on native DuckDB through its own reader (`read_parquet`, compiled into the native library)
 * instead of the JS reader (parquet-to-arrow.ts) the wasm engine uses, with the table the JS reader
 * would give: same columns, same types, same values. DuckDB's reader is used where that is provably
 * so, after a look at the file's footer (parquet_schema, parquet_metadata); for everything else the
 * caller keeps the JS path, so results and errors stay identical between the engines:
 *
 * - read by DuckDB as is: BOOLEAN, the integer types, FLOAT (also FLOAT16), DOUBLE, DATE, TIME
 *   (millis/micros), TIMESTAMP (millis/micros, as microseconds), TIMESTAMP_NS, text (UTF8/STRING,
 *   ENUM) and unannotated binary (BLOB);
 * - converted in SQL the way the JS reader converts: JSON -> VARCHAR; timestamps adjusted to UTC
 *   (millis/micros) -> plain TIMESTAMP of the UTC wall time; DECIMAL up to 18 digits -> DOUBLE
 *   computed exactly as the JS reader does (the unscaled integer as a double times 10^-scale);
 * - left to the JS reader: nested columns (LIST/MAP/STRUCT become JSON text there), DECIMAL over 18
 *   digits, INT96, UUID, nanosecond TIME and UTC timestamps, codecs other than Snappy or none (the
 *   JS reader's error names the fix), duplicate names, a `columns` option naming a missing column,
 *   and any file DuckDB fails on (the JS reader then gives the wasm engine's error).
 */
import type { LoadOptions } from "./engine.ts";
import type { LoadContext } from "./load-file.ts";
import { register, type ReadSource } from "./load-source.ts";
import { dropIfExists } from "./catalog.ts";
import { quoteIdentifier, quoteString } from "./sql-text.ts";

/** Codecs the JS reader reads; a file using another one goes there for its error. */
const JS_READER_CODECS = new Set(["UNCOMPRESSED", "SNAPPY"]);

/** DuckDB types read_parquet gives that are the JS reader's types for the same Parquet columns. */
const SAME_TYPES = new Set([
  "BOOLEAN",
  "TINYINT",
  "SMALLINT",
  "INTEGER",
  "BIGINT",
  "UTINYINT",
  "USMALLINT",
  "UINTEGER",
  "UBIGINT",
  "FLOAT",
  "DOUBLE",
  "DATE",
  "TIME",
  "TIMESTAMP",
  "TIMESTAMP_NS",
  "VARCHAR",
  "BLOB",
]);

/** One top-level Parquet column: its footer entry and the type DuckDB's reader gives it. */
interface Column {
  name: string;
  physical: string | null;
  converted: string | null;
  logical: string | null;
  nested: boolean;
  duckdbType: string;
}

/** Strings of each row of a query result, by column name. */
async function rows(ctx: LoadContext, sql: string): Promise<Record<string, string | null>[]> {
  const result = await ctx.run(sql);
  return result.toArray().map((row) => {
    const values = row.toJSON() as Record<string, unknown>;
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === null ? null : String(v)]));
  });
}

/** The top-level columns of the file, walking the flattened schema tree by child counts. */
async function topLevelColumns(ctx: LoadContext, file: string): Promise<Column[] | undefined> {
  const schema = await rows(
    ctx,
    `SELECT name, type, converted_type, logical_type, num_children FROM parquet_schema(${file})`,
  );
  const described = await rows(ctx, `DESCRIBE SELECT * FROM read_parquet(${file})`);
  const columns: Column[] = [];
  let i = 1;
  const skip = (index: number): number => {
    // Returns the index after the subtree rooted at `index`.
    let next = index + 1;
    for (let c = 0; c < Number(schema[index]!.num_children ?? 0); c++) next = skip(next);
    return next;
  };
  while (i < schema.length) {
    const element = schema[i]!;
    const duckdb = described[columns.length];
    if (!duckdb || duckdb.column_name !== element.name) return undefined;
    columns.push({
      name: element.name!,
      physical: element.type ?? null,
      converted: element.converted_type ?? null,
      logical: element.logical_type ?? null,
      nested: Number(element.num_children ?? 0) > 0,
      duckdbType: duckdb.column_type!,
    });
    i = skip(i);
  }
  return columns.length === described.length ? columns : undefined;
}

/** The select-list item giving the JS reader's column, or undefined when only the JS reader can. */
function selectItem(column: Column): string | undefined {
  const quoted = quoteIdentifier(column.name);
  const { duckdbType: type, physical, logical, converted } = column;
  if (column.nested || physical === "INT96") return undefined;
  const nanos = logical?.includes("NANOS=NanoSeconds") ?? false;
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(type);
  if (decimal) {
    const [precision, scale] = [Number(decimal[1]), Number(decimal[2])];
    if (precision > 18) return undefined;
    // The JS reader computes Number(unscaled) * 10 ** -scale: the same two roundings here.
    const factor = 10 ** -scale;
    const unscaled = scale === 0 ? quoted : `(${quoted} * ${10 ** scale})`;
    return `CAST(CAST(${unscaled} AS BIGINT) AS DOUBLE) * '${String(factor)}'::DOUBLE AS ${quoted}`;
  }
  if (type === "TIMESTAMP WITH TIME ZONE") {
    return nanos ? undefined : `make_timestamp(epoch_us(${quoted})) AS ${quoted}`;
  }
  if (type === "JSON") return `CAST(${quoted} AS VARCHAR) AS ${quoted}`;
  if (!SAME_TYPES.has(type) || (type === "TIME" && nanos)) return undefined;
  if (type === "VARCHAR" && physical === "BYTE_ARRAY") {
    // Text only when annotated as text, as the JS reader decides (unannotated bytes are BLOB there).
    const text = ["UTF8", "ENUM", "JSON"].includes(converted ?? "") || /^(String|Enum|Json)Type/.test(logical ?? "");
    if (!text) return undefined;
  }
  return quoted;
}

/**
 * Loads the Parquet `read` into table `staging` with DuckDB's own reader and returns true, or
 * returns false (having created nothing) when the JS reader must read it to give the same table or
 * error. The file is registered as `registered` (the caller drops it).
 * @example if (!(await loadParquetNative(ctx, staging, registered, read, options))) useTheJsReader();
 */
export async function loadParquetNative(
  ctx: LoadContext,
  staging: string,
  registered: string,
  read: ReadSource,
  options: LoadOptions,
): Promise<boolean> {
  await register(ctx, registered, read);
  const file = quoteString(registered);
  let items: string[];
  try {
    const codecs = await rows(ctx, `SELECT DISTINCT compression FROM parquet_metadata(${file})`);
    if (codecs.some((row) => !JS_READER_CODECS.has(String(row.compression).toUpperCase()))) return false;
    const columns = await topLevelColumns(ctx, file);
    if (!columns || new Set(columns.map((c) => c.name.toLowerCase())).size !== columns.length) return false;
    const wanted = options.columns ?? columns.map((c) => c.name);
    const chosen = wanted.map((name) => columns.find((c) => c.name === name));
    if (chosen.some((c) => c === undefined)) return false;
    const selected = chosen.map((c) => selectItem(c!));
    if (selected.some((item) => item === undefined)) return false;
    items = selected as string[];
  } catch {
    // Not a Parquet file DuckDB can read (not Parquet, truncated, ...): the JS reader words the error.
    return false;
  }
  try {
    await ctx.run(`CREATE TABLE ${quoteIdentifier(staging)} AS SELECT ${items.join(", ")} FROM read_parquet(${file})`);
    return true;
  } catch {
    // A value DuckDB refuses (e.g. text that is not UTF-8): the JS reader gives the wasm engine's result.
    await dropIfExists(ctx.run, staging).catch(() => undefined);
    return false;
  }
}
