/**
 * Parquet into DuckDB through parquet-wasm (arrow-rs compiled to WebAssembly): the file is decoded to
 * Arrow record batches in wasm, each batch goes to DuckDB as Arrow IPC and is appended to the table,
 * so no value ever becomes a JavaScript object and peak memory is the table plus one batch. Only the
 * wanted columns are decoded (arrow-rs reads just their column chunks).
 *
 * The result is the same as hyparquet's path (parquet-to-arrow.ts): each column gets the type that
 * path gives it (DECIMAL -> DOUBLE, TIMESTAMP_MS/TIMESTAMPTZ -> TIMESTAMP, …), cast in DuckDB from
 * arrow-rs's exact values. Columns that path turns into something arrow-rs does not give (nested
 * data as JSON text, UUIDs as text, FLOAT16, INT96, other fixed-length bytes) stay on hyparquet:
 * {@link wasmReadProblem} says which.
 */
import { wasmPanicGuard, type WasmPanicGuard } from "./wasm-panic-guard.ts";
import type { SchemaTree } from "hyparquet";
import type { DataType } from "apache-arrow";
import type { LoadContext } from "./load-file.ts";
import { arrowTypeOf } from "./parquet-to-arrow.ts";
import { describeRelation } from "./catalog.ts";
import { quoteIdentifier } from "./sql-text.ts";

/** What Segbook uses of parquet-wasm (its browser and Node builds have this same API). */
export interface ParquetWasmModule {
  ParquetFile: {
    fromFile(file: Blob): Promise<ParquetWasmFile>;
  };
}

/** A Parquet file opened by parquet-wasm (see {@link ParquetWasmModule}). */
export interface ParquetWasmFile {
  stream(options?: { columns?: string[]; batchSize?: number } | null): Promise<ReadableStream>;
  free(): void;
}

/** Loads (once) and initialises parquet-wasm for this platform: browser.ts and node.ts each give one. */
export type ParquetWasmLoader = () => Promise<ParquetWasmModule>;

/** Rows per record batch: large enough that DuckDB appends few batches, small enough to stay one copy. */
const BATCH_ROWS = 131_072;

/**
 * Why hyparquet, not parquet-wasm, reads this column (undefined when parquet-wasm does): the kinds of
 * column whose established result arrow-rs's Arrow cannot be cast to exactly.
 * @example
 * wasmReadProblem(listColumn); // "nested"
 */
export function wasmReadProblem(column: SchemaTree): string | undefined {
  const { type, logical_type: logical, converted_type: converted, precision } = column.element;
  if (column.children.length > 0) return "nested";
  if (type === "INT96") return "INT96 timestamp";
  if (logical?.type === "FLOAT16") return "FLOAT16";
  if (logical?.type === "UUID") return "UUID";
  if (converted === "INTERVAL") return "INTERVAL";
  const decimal = converted === "DECIMAL" || logical?.type === "DECIMAL";
  if (decimal && (precision ?? 0) > 38) return "DECIMAL wider than 38 digits";
  if (type === "FIXED_LEN_BYTE_ARRAY" && !decimal) return "fixed-length bytes";
  return undefined;
}

/**
 * Whether DuckDB's own Parquet readers take these top-level columns: parquet-wasm on the wasm engine,
 * read_parquet on the native engine (load-parquet-native.ts). One rule for both engines, so that the
 * same files go to the same kind of reader and get the same table; the rest go to hyparquet.
 * @example
 * duckdbCastsParquet([idColumn, amountColumn]); // true
 * duckdbCastsParquet([listColumn]); // false: hyparquet reads nested columns (as JSON text)
 */
export function duckdbCastsParquet(columns: readonly SchemaTree[]): boolean {
  return columns.every((column) => wasmReadProblem(column) === undefined);
}

/** DuckDB's name for each Arrow type hyparquet's path produces. */
function duckdbType(type: DataType): string {
  const name = type.toString();
  const exact: Record<string, string> = {
    Bool: "BOOLEAN",
    Int8: "TINYINT",
    Int16: "SMALLINT",
    Int32: "INTEGER",
    Int64: "BIGINT",
    Uint8: "UTINYINT",
    Uint16: "USMALLINT",
    Uint32: "UINTEGER",
    Uint64: "UBIGINT",
    Float32: "FLOAT",
    Float64: "DOUBLE",
    "Date32<DAY>": "DATE",
    "Timestamp<MICROSECOND>": "TIMESTAMP",
    "Timestamp<NANOSECOND>": "TIMESTAMP_NS",
    "Time64<MICROSECOND>": "TIME",
    Utf8: "VARCHAR",
    Binary: "BLOB",
  };
  const found = exact[name];
  if (!found) throw new Error(`internal: no DuckDB type for Arrow ${name}`);
  return found;
}

/**
 * The DuckDB type a top-level Parquet column loads as (either reader).
 * @example
 * duckdbTypeOf(dateColumn); // "DATE"
 */
export function duckdbTypeOf(column: SchemaTree): string {
  return duckdbType(arrowTypeOf(column));
}

/**
 * Whether DuckDB's cast from the type a DuckDB-side reader gave a column (arrow-rs's via Arrow, or
 * read_parquet's) to the type the column loads as is the established one (exact, or DuckDB's own
 * DECIMAL -> DOUBLE cast). When false the column is read by hyparquet instead.
 * @example
 * exactCast("DECIMAL(9,2)", "DOUBLE"); // true
 * exactCast("TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS"); // false
 */
export function exactCast(from: string, to: string): boolean {
  if (from === to) return true;
  if (to === "DOUBLE" && /^DECIMAL\(/.test(from)) return true;
  if (to === "TIMESTAMP") return /^TIMESTAMP(_S|_MS| WITH TIME ZONE)$/.test(from);
  if (to === "TIME") return /^TIME( WITH TIME ZONE)?$/.test(from);
  if (to === "VARCHAR") return from === "JSON";
  return false;
}

/**
 * The select-list item turning column `name` of type `from` into type `to` (see {@link exactCast}),
 * the same on both engines. A UTC-adjusted timestamp becomes its UTC wall time whatever the
 * session's TimeZone (native DuckDB has ICU, whose cast would use the local zone).
 * @example
 * castItem("paid", "DECIMAL(9,2)", "DOUBLE"); // 'CAST("paid" AS DOUBLE) AS "paid"'
 */
export function castItem(name: string, from: string, to: string): string {
  const column = quoteIdentifier(name);
  if (from === to) return column;
  if (from === "TIMESTAMP WITH TIME ZONE" && to === "TIMESTAMP") {
    return `make_timestamp(epoch_us(${column})) AS ${column}`;
  }
  return `CAST(${column} AS ${to}) AS ${column}`;
}

/** Thrown when arrow-rs's types for the file cannot be cast exactly: the caller reads it with hyparquet. */
export class WasmTypesMismatch extends Error {}

/**
 * Reads the next record batch's IPC stream bytes, or null at the end. Each batch is converted and
 * released at once, so wasm memory holds one batch.
 */
async function nextBatch(reader: ReadableStreamDefaultReader, guard: WasmPanicGuard): Promise<Uint8Array | null> {
  const { done, value } = await guard.race(reader.read());
  if (done) return null;
  return (value as { intoIPCStream(): Uint8Array }).intoIPCStream();
}

/**
 * Loads `columns` (top-level columns of the file, in the wanted order) of the Parquet `file` into a
 * new table `staging`, batch by batch. Returns false for a file without rows (the caller's
 * hyparquet path makes its empty table); throws {@link WasmTypesMismatch} before `staging` exists
 * when a column's type would not come out as hyparquet's path makes it.
 */
export async function loadParquetWasm(
  ctx: LoadContext,
  parquetWasm: ParquetWasmModule,
  staging: string,
  file: Blob,
  columns: readonly SchemaTree[],
  allColumns: number,
): Promise<boolean> {
  const names = columns.map((c) => c.element.name);
  const guard = wasmPanicGuard();
  let opened;
  try {
    opened = await guard.race(parquetWasm.ParquetFile.fromFile(file));
  } catch (error) {
    guard.dispose();
    throw damaged(error);
  }
  const raw = `${staging}_batch`;
  // One transaction for the whole load: DuckDB then hands the table's row groups over at COMMIT as
  // they are. Committing batch by batch made it copy every batch a second time into the table (a
  // batch is one Parquet row group, below DuckDB's row-group size) and checkpoint the table again
  // and again on the way: 3-4x the time of the decoding.
  let inTransaction = false;
  try {
    // parquet-wasm's `columns` keeps file order; the SELECT below puts them in the wanted order.
    const projection = names.length < allColumns ? { columns: names } : {};
    const reader = (await guard.race(opened.stream({ ...projection, batchSize: BATCH_ROWS }))).getReader();
    let first = await nextBatch(reader, guard);
    if (first === null) return false;
    await ctx.run("BEGIN TRANSACTION");
    inTransaction = true;
    await ctx.driver.insertArrow(raw, first);
    first = null;
    const got = new Map((await describeRelation(ctx.run, raw)).map((c) => [c.name, c.type]));
    const wanted = columns.map((column) => ({ name: column.element.name, type: duckdbType(arrowTypeOf(column)) }));
    const mismatch = wanted.find((w) => !got.has(w.name) || !exactCast(got.get(w.name)!, w.type));
    if (mismatch) {
      throw new WasmTypesMismatch(`${mismatch.name}: ${got.get(mismatch.name)} -> ${mismatch.type}`);
    }
    const identity = wanted.every((w, i) => [...got.keys()][i] === w.name && got.get(w.name) === w.type);
    const select = wanted.map((w) => castItem(w.name, got.get(w.name)!, w.type)).join(", ");
    // Batches whose Arrow already has the wanted layout are appended as they come; others go through
    // a one-batch table and a cast.
    const direct = identity && ctx.driver.appendArrow !== undefined;
    if (direct) await ctx.run(`ALTER TABLE ${quoteIdentifier(raw)} RENAME TO ${quoteIdentifier(staging)}`);
    else {
      await ctx.run(`CREATE TABLE ${quoteIdentifier(staging)} AS SELECT ${select} FROM ${quoteIdentifier(raw)}`);
      await ctx.run(`DROP TABLE ${quoteIdentifier(raw)}`);
    }
    const append = async (ipc: Uint8Array) => {
      if (direct) {
        await ctx.driver.appendArrow!(staging, ipc);
        return;
      }
      await ctx.driver.insertArrow(raw, ipc);
      await ctx.run(
        `INSERT INTO ${quoteIdentifier(staging)} SELECT ${select} FROM ${quoteIdentifier(raw)}; DROP TABLE ${quoteIdentifier(raw)}`,
      );
    };
    // In the browser DuckDB appends in its worker while this thread decodes the next batch: at most
    // two batches are in flight. (In Node both are synchronous, so they simply alternate.)
    let pending: Promise<void> = Promise.resolve();
    for (let ipc = await nextBatch(reader, guard); ipc !== null; ipc = await nextBatch(reader, guard)) {
      await pending;
      pending = append(ipc);
      // Awaited at the next batch or after the last; a failure meanwhile must not count as unhandled.
      pending.catch(() => undefined);
    }
    await pending;
    inTransaction = false;
    await ctx.run("COMMIT");
    return true;
  } catch (error) {
    // Nothing of the load stays (the caller may read the file with hyparquet instead).
    if (inTransaction) await ctx.run("ROLLBACK").catch(() => undefined);
    throw damaged(error);
  } finally {
    guard.dispose();
    opened.free();
  }
}

/** A panic of the wasm decoder said in the user's terms (still a RuntimeError: the caller stops using it). */
function damaged(error: unknown): unknown {
  if (!(error instanceof WebAssembly.RuntimeError)) return error;
  return new WebAssembly.RuntimeError(
    `its column data could not be decoded (the file looks damaged: the Parquet decoder stopped with "${error.message}")`,
  );
}
