/**
 * Loading a whole Parquet file (bytes, or a browser File read in slices): the footer is read first
 * (hyparquet, a few kB) to check `columns` and the tab's memory budget before anything is decoded;
 * then the columns are decoded in WebAssembly (parquet-wasm-load.ts) where the engine has
 * parquet-wasm and the columns' types allow, else by hyparquet in JavaScript (parquet-to-arrow.ts).
 * Native DuckDB reads the same files (same rule, same casts) with its own read_parquet
 * (load-parquet-native.ts) and leaves the rest to hyparquet too.
 */
import { parquetMetadataAsync, parquetSchema, type AsyncBuffer, type SchemaTree } from "hyparquet";
import { tableToIPC } from "apache-arrow";
import type { LoadOptions } from "./engine.ts";
import type { LoadContext } from "./load-file.ts";
import { allBytes, loadError, type ReadSource } from "./load-source.ts";
import { parquetToArrow } from "./parquet-to-arrow.ts";
import { loadParquetNative } from "./load-parquet-native.ts";
import { duckdbCastsParquet, duckdbTypeOf, loadParquetWasm, WasmTypesMismatch } from "./parquet-wasm-load.ts";
import { unknownColumnsMessage } from "./closest-name.ts";
import { checkMemoryBudget } from "./memory-budget.ts";
import { estimateParquetTable } from "./table-size.ts";
import { preview } from "./text-checks.ts";
import { bytesBlob } from "./bytes-blob.ts";

/** The source as hyparquet's AsyncBuffer: slices of the bytes or of the File, never all of a File. */
function asyncBuffer(read: ReadSource): AsyncBuffer {
  if (read.bytes) {
    const bytes = read.bytes;
    return {
      byteLength: bytes.length,
      // A copy of the range (a Node Buffer's own slice() would share the whole pool's memory).
      slice: (start, end) => new Uint8Array(bytes.subarray(start, end ?? bytes.length)).buffer,
    };
  }
  const blob = read.blob!;
  return { byteLength: blob.size, slice: (start, end) => blob.slice(start, end).arrayBuffer() };
}

/** Why bytes that should be Parquet are not readable as Parquet, and what to do. */
export function parquetHint(bytes: Uint8Array, error: unknown): string {
  if (/compression codec/i.test(String((error as Error)?.message))) {
    return (
      "This file needs Segbook's JavaScript Parquet reader (used for nested, UUID, INT96, FLOAT16, " +
      "INTERVAL and other fixed-length byte columns), which reads only uncompressed and Snappy-compressed " +
      "Parquet; rewrite the file with Snappy (e.g. DuckDB: COPY t TO 'f.parquet' (FORMAT parquet, " +
      "COMPRESSION snappy)), or leave those columns out with {columns}."
    );
  }
  const magic = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (magic(0) !== "PAR1") {
    return `The file is not Parquet: it does not start with "PAR1" (it starts with ${preview(new TextDecoder().decode(bytes.subarray(0, 64)))}); check the file or pass the right {format}.`;
  }
  if (bytes.length < 12 || magic(bytes.length - 4) !== "PAR1") {
    return `The file is truncated: it starts like Parquet but its footer is missing (${bytes.length.toLocaleString("en-US")} bytes); copy or download it again.`;
  }
  return "Check that the file is a valid Parquet file.";
}

/** The file's top-level columns to load, in the wanted order; unknown names fail naming the nearest. */
function pickColumns(all: readonly SchemaTree[], wanted: readonly string[] | undefined): SchemaTree[] {
  if (!wanted) return [...all];
  const names = all.map((c) => c.element.name);
  const missing = wanted.filter((name) => !names.includes(name));
  if (missing.length > 0) throw new Error(unknownColumnsMessage(missing, names));
  return wanted.map((name) => all.find((c) => c.element.name === name)!);
}

/** Set once parquet-wasm has failed inside its wasm (a panic leaves its instance unusable). */
let wasmBroken = false;

/**
 * Loads the Parquet source into the new table `staging` (see the module comment). Notes say when
 * the file was read by the slower JavaScript reader for a reason the user may act on.
 */
export async function loadParquet(
  ctx: LoadContext,
  name: string,
  staging: string,
  registered: string,
  read: ReadSource,
  options: LoadOptions,
  notes: string[],
): Promise<void> {
  const fail = async (error: unknown) =>
    loadError(read.fileName, "Parquet", error, parquetHint(await allBytes(read), error));
  const buffer = asyncBuffer(read);
  let columns: SchemaTree[];
  let all: SchemaTree[];
  let metadata;
  try {
    metadata = await parquetMetadataAsync(buffer, { initialFetchSize: 1 << 16 });
    all = parquetSchema(metadata).children;
    columns = pickColumns(all, options.columns);
  } catch (error) {
    throw await fail(error);
  }
  await checkMemoryBudget(
    ctx.run,
    name,
    read.fileName,
    "parquet",
    estimateParquetTable(metadata, columns),
    ctx.memoryBudget,
  );
  // The files parquet-wasm reads on the wasm engine, native DuckDB reads with its own read_parquet.
  const duckdbReads = duckdbCastsParquet(columns);
  if (ctx.driver.readsParquet && duckdbReads) {
    const names = all.map((c) => c.element.name);
    if (await loadParquetNative(ctx, staging, registered, read, columns, names)) return;
  }
  if (ctx.parquetWasm && !wasmBroken && duckdbReads) {
    let module;
    try {
      module = await ctx.parquetWasm();
    } catch (error) {
      notes.push(`read "${read.fileName}" with the slower JavaScript reader: ${(error as Error).message}`);
    }
    if (module) {
      // Bytes in memory are read in place, column chunk by column chunk (bytes-blob.ts).
      const file = read.blob ?? (bytesBlob(read.bytes!) as unknown as Blob);
      try {
        if (await loadParquetWasm(ctx, module, staging, file, columns, all.length)) return;
      } catch (error) {
        if (!(error instanceof WasmTypesMismatch)) {
          if (error instanceof WebAssembly.RuntimeError) wasmBroken = true;
          throw await fail(error);
        }
      }
    }
  }
  let ipc: Uint8Array;
  try {
    const bytes = await allBytes(read);
    ipc = tableToIPC(await parquetToArrow(bytes, options.columns ? { columns: options.columns } : {}), "stream");
  } catch (error) {
    throw await fail(error);
  }
  await ctx.driver.insertArrow(staging, ipc);
}

/**
 * The top-level columns of a Parquet file and the DuckDB type each loads as, from its footer only
 * (a few kB read from the end of the File), for choosing `columns` before loading.
 * @example
 * await parquetColumns(file); // [{name: "customer_id", type: "INTEGER"}, {name: "amount", type: "DOUBLE"}, …]
 */
export async function parquetColumns(file: Blob): Promise<{ name: string; type: string }[]> {
  const buffer: AsyncBuffer = { byteLength: file.size, slice: (start, end) => file.slice(start, end).arrayBuffer() };
  const metadata = await parquetMetadataAsync(buffer, { initialFetchSize: 1 << 16 });
  return parquetSchema(metadata).children.map((column) => ({ name: column.element.name, type: duckdbTypeOf(column) }));
}
