/**
 * Parquet over HTTP range requests, for files bigger than a browser tab should download: a Parquet
 * source given as an absolute http(s) URL (or any URL, when `columns` is given) is read with
 * hyparquet's asyncBufferFromUrl, which fetches only the footer and the chunks of the columns read.
 * The whole file is never in memory, so its sha256 cannot be known: the result reports "".
 */
import { asyncBufferFromUrl, cachedAsyncBuffer, type AsyncBuffer } from "hyparquet";
import { tableToIPC } from "apache-arrow";
import type { FileFormat, FileSource, LoadOptions, LoadResult } from "./engine.ts";
import type { SourceReader } from "./driver.ts";
import { countRows, describeRelation, dropIfExists, swapIn } from "./catalog.ts";
import { duckdbMessage } from "./errors.ts";
import type { LoadContext } from "./load-file.ts";
import { sourceFileName } from "./load.ts";
import { parquetToArrow } from "./parquet-to-arrow.ts";
import { INTERNAL_NAME_PREFIX } from "./sql-text.ts";

/** Throws when `options.columns` is given for a format it does not apply to, or is not a name list. */
export function checkColumnsOption(fileName: string, format: FileFormat, options: LoadOptions): void {
  const columns = options.columns;
  if (columns === undefined) return;
  if (format !== "parquet") {
    throw new Error(`loadFile: options.columns applies to Parquet files only, not to ${format} file "${fileName}"`);
  }
  if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === "string" && c !== "")) {
    throw new Error(`loadFile: options.columns for "${fileName}" must be a non-empty list of column names`);
  }
}

/**
 * The range-reading buffer for a Parquet source, or null when the source is not read that way (not
 * a URL, a file: URL, a relative URL without `columns`, or a server that does not tell the file's
 * length: such files are downloaded whole as before).
 */
export async function openRemoteParquet(
  reader: SourceReader,
  source: FileSource,
  options: LoadOptions,
): Promise<AsyncBuffer | null> {
  if (source.kind !== "url" || !reader.remoteUrl) return null;
  if (!/^https?:\/\//i.test(source.url) && options.columns === undefined) return null;
  const url = reader.remoteUrl(source.url);
  if (url === null) return null;
  let file: AsyncBuffer;
  try {
    file = await asyncBufferFromUrl({ url });
  } catch {
    // No HEAD answer with a length (a missing file, a server without range support): read the whole
    // file as before, which names the HTTP error when there is one.
    return null;
  }
  // Column chunks of one row group may be read by several slices: fetch each range once.
  return cachedAsyncBuffer(file);
}

/**
 * Loads a remote Parquet file into table `name` by range reads; null when the source is not read
 * that way (then loadFile reads it whole). The name and options are already checked.
 */
export async function loadRemoteParquet(
  ctx: LoadContext,
  name: string,
  source: FileSource,
  options: LoadOptions,
): Promise<LoadResult | null> {
  const file = await openRemoteParquet(ctx.reader, source, options);
  if (!file) return null;
  const fileName = sourceFileName(source);
  const staging = `${INTERNAL_NAME_PREFIX}staging_${ctx.nextId()}`;
  let ipc: Uint8Array;
  try {
    ipc = tableToIPC(await parquetToArrow(file, options.columns ? { columns: options.columns } : {}), "stream");
  } catch (error) {
    throw new Error(`loadFile: could not read "${fileName}" as Parquet: ${duckdbMessage(error)}`, { cause: error });
  }
  try {
    await ctx.driver.insertArrow(staging, ipc);
    await swapIn(ctx.run, name, staging, "table");
  } catch (error) {
    await dropIfExists(ctx.run, staging).catch(() => undefined);
    throw error;
  }
  // A view of that name was reading a registered file: it is replaced, so the file can go.
  const viewFile = ctx.viewFiles.get(name.toLowerCase());
  if (viewFile !== undefined) {
    ctx.viewFiles.delete(name.toLowerCase());
    await Promise.resolve(ctx.driver.dropFile(viewFile)).catch(() => undefined);
  }
  return {
    name,
    numRows: await countRows(ctx.run, name),
    columns: await describeRelation(ctx.run, name),
    sha256: "",
    notes: [],
  };
}
