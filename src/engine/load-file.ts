/**
 * Engine.loadFile, written once for both engines: read the source, build a staging table or view
 * for its format, swap it in under the user's name, and report rows, columns and sha256.
 */
import { tableToIPC } from "apache-arrow";
import type { FileFormat, FileSource, LoadOptions, LoadResult } from "./engine.ts";
import type { EngineDriver, SourceReader } from "./driver.ts";
import { countRows, describeRelation, dropIfExists, swapIn, type RunSql } from "./catalog.ts";
import { duckdbMessage } from "./errors.ts";
import { prepareJson } from "./json-source.ts";
import { createFromCsvSql, registeredFileName, resolveFormat, sourceFileName } from "./load.ts";
import { parquetToArrow } from "./parquet-to-arrow.ts";
import { sha256Blob, sha256Bytes } from "./sha256.ts";
import { INTERNAL_NAME_PREFIX, quoteIdentifier } from "./sql-text.ts";

/** What loadFile needs from the engine that runs it. */
export interface LoadContext {
  driver: EngineDriver;
  reader: SourceReader;
  run: RunSql;
  /** A fresh number for staging-table and registered-file names. */
  nextId(): number;
  /** Registered files that views read, by lower-cased view name (dropped when replaced). */
  viewFiles: Map<string, string>;
}

/** A source read (or, for a browser File read lazily by DuckDB, merely opened). */
interface ReadSource {
  fileName: string;
  bytes?: Uint8Array;
  blob?: Blob;
  /** The bytes belong to the caller, so they are copied before a driver may take them. */
  callerOwned: boolean;
  sha256: string;
}

const SOURCE_KINDS = `{kind: "path"|"url"|"bytes"|"file", ...}`;

async function readSource(ctx: LoadContext, source: FileSource, lazyFile: boolean): Promise<ReadSource> {
  const fileName = sourceFileName(source);
  switch (source.kind) {
    case "path":
    case "url": {
      const bytes =
        source.kind === "path" ? await ctx.reader.readPath(source.path) : await ctx.reader.readUrl(source.url);
      return { fileName, bytes, callerOwned: false, sha256: await sha256Bytes(bytes) };
    }
    case "bytes":
      return { fileName, bytes: source.bytes, callerOwned: true, sha256: await sha256Bytes(source.bytes) };
    case "file": {
      const sha256 = await sha256Blob(source.file);
      if (lazyFile) return { fileName, blob: source.file, callerOwned: true, sha256 };
      return { fileName, bytes: new Uint8Array(await source.file.arrayBuffer()), callerOwned: false, sha256 };
    }
    default:
      throw new Error(`loadFile: unknown source kind "${(source as { kind?: unknown }).kind}"; pass ${SOURCE_KINDS}`);
  }
}

async function register(ctx: LoadContext, fileName: string, read: ReadSource, bytes?: Uint8Array) {
  if (!bytes && read.blob && ctx.driver.registerFileHandle) {
    await ctx.driver.registerFileHandle(fileName, read.blob);
    return;
  }
  const data = bytes ?? read.bytes!;
  const copy = ctx.driver.takesBuffers && read.callerOwned && data === read.bytes ? data.slice() : data;
  await ctx.driver.registerBuffer(fileName, copy);
}

function loadError(fileName: string, format: string, error: unknown, hint: string, registered?: string): Error {
  let message = duckdbMessage(error).trimEnd();
  if (registered) message = message.replaceAll(registered, fileName);
  return new Error(`loadFile: could not read "${fileName}" as ${format}: ${message}\n${hint}`, { cause: error });
}

async function loadCsv(
  ctx: LoadContext,
  staging: string,
  registered: string,
  read: ReadSource,
  format: "csv" | "tsv",
  options: LoadOptions,
): Promise<number> {
  const kind = options.as ?? "table";
  const attempt = async (csvOptions: LoadOptions) => {
    await ctx.run(createFromCsvSql(kind, staging, registered, format, csvOptions));
    // A view reads the file lazily: count it now so a bad file fails here, not in a later cell.
    return countRows(ctx.run, staging);
  };
  try {
    return await attempt(options);
  } catch (error) {
    // DuckDB's sniffer gives up in strict mode on some common files (mixed LF/CRLF line ends);
    // its first suggested fix is strict_mode = false, so try that once unless the user chose.
    if (options.csv?.strictMode === undefined && /Error when sniffing file/.test(duckdbMessage(error))) {
      await dropIfExists(ctx.run, staging).catch(() => undefined);
      try {
        return await attempt({ ...options, csv: { ...options.csv, strictMode: false } });
      } catch {
        // Report the strict-mode error: it is the one DuckDB's advice is about.
      }
    }
    const hint =
      "Check the delimiter, header and column types " +
      "(options.csv: {delimiter, header, names, columns, strictMode}).";
    throw loadError(read.fileName, format.toUpperCase(), error, hint, registered);
  }
}

async function loadJson(ctx: LoadContext, staging: string, registered: string, read: ReadSource): Promise<void> {
  const prepared = prepareJson(read.bytes!, read.fileName);
  const raw = `${staging}_json`;
  await register(ctx, registered, read, prepared.arrayBytes);
  try {
    await ctx.driver.insertJSON(registered, raw);
  } catch (error) {
    const hint = "Each key must hold values of one type (e.g. all numbers or all strings) in every row.";
    throw loadError(read.fileName, "JSON", error, hint, registered);
  }
  // insertJSONFromPath sorts columns and reads dates as TIMESTAMP_S: restore the file's key order,
  // make date-only columns DATE and other timestamps plain (microsecond) TIMESTAMP.
  const types = new Map((await describeRelation(ctx.run, raw)).map((c) => [c.name, c.type]));
  const order = [
    ...prepared.columns.filter((c) => types.has(c)),
    ...[...types.keys()].filter((c) => !prepared.columns.includes(c)),
  ];
  const select = order.map((column) => {
    const type = types.get(column)!;
    const quoted = quoteIdentifier(column);
    if (prepared.dateColumns.has(column) && type.startsWith("TIMESTAMP")) return `CAST(${quoted} AS DATE) AS ${quoted}`;
    if (/^TIMESTAMP_(S|MS|NS)$/.test(type)) return `CAST(${quoted} AS TIMESTAMP) AS ${quoted}`;
    return quoted;
  });
  await ctx.run(`CREATE TABLE ${quoteIdentifier(staging)} AS SELECT ${select.join(", ")} FROM ${quoteIdentifier(raw)}`);
  await ctx.run(`DROP TABLE ${quoteIdentifier(raw)}`);
}

async function loadParquet(ctx: LoadContext, staging: string, read: ReadSource): Promise<void> {
  let ipc: Uint8Array;
  try {
    ipc = tableToIPC(await parquetToArrow(read.bytes!), "stream");
  } catch (error) {
    const compression = /compression codec/i.test(String((error as Error)?.message));
    const hint = compression
      ? "Segbook reads uncompressed and Snappy-compressed Parquet; rewrite the file with Snappy " +
        "(e.g. DuckDB: COPY t TO 'f.parquet' (FORMAT parquet, COMPRESSION snappy))."
      : "Check that the file is a valid Parquet file.";
    throw loadError(read.fileName, "Parquet", error, hint);
  }
  await ctx.driver.insertArrow(staging, ipc);
}

/** Drops the file a replaced view was reading, if any. */
export async function forgetViewFile(ctx: Pick<LoadContext, "driver" | "viewFiles">, name: string) {
  const key = name.toLowerCase();
  const file = ctx.viewFiles.get(key);
  if (file === undefined) return;
  ctx.viewFiles.delete(key);
  await dropQuietly(ctx.driver, file);
}

/** Forgets a registered file, ignoring failures (sync or async): it is only cleanup. */
async function dropQuietly(driver: EngineDriver, fileName: string): Promise<void> {
  try {
    await driver.dropFile(fileName);
  } catch {
    // Nothing to clean up, or nothing more to do about it.
  }
}

function checkOptions(fileName: string, format: FileFormat, options: LoadOptions): void {
  const kind = options.as ?? "table";
  if (kind !== "table" && kind !== "view") {
    throw new Error(`loadFile: unknown option as: "${String(kind)}" for "${fileName}"; pass {as: "table"|"view"}`);
  }
  const csvLike = format === "csv" || format === "tsv";
  if (kind === "view" && !csvLike) {
    throw new Error(
      `loadFile: {as: "view"} works for CSV/TSV only; ${format === "json" ? "JSON" : "Parquet"} files are ` +
        `copied into a table, so omit {as: "view"} for "${fileName}"`,
    );
  }
  if (options.csv !== undefined && !csvLike) {
    throw new Error(`loadFile: options.csv applies to CSV/TSV files only, not to ${format} file "${fileName}"`);
  }
}

/** Loads `source` into table/view `name`; see Engine.loadFile. The name is already validated. */
export async function loadFile(
  ctx: LoadContext,
  name: string,
  source: FileSource,
  options: LoadOptions = {},
): Promise<LoadResult> {
  if (source === null || typeof source !== "object") throw new Error(`loadFile: the source must be ${SOURCE_KINDS}`);
  const shownName = sourceFileName(source);
  const format = resolveFormat(shownName, options.format);
  checkOptions(shownName, format, options);
  const kind = options.as ?? "table";
  const csvLike = format === "csv" || format === "tsv";
  // Only CSV can be read by DuckDB straight from a browser File; JSON and Parquet are parsed in JS.
  const read = await readSource(ctx, source, csvLike && ctx.driver.registerFileHandle !== undefined);
  const id = ctx.nextId();
  const staging = `${INTERNAL_NAME_PREFIX}staging_${id}`;
  const registered = registeredFileName(id, read.fileName);
  // A view keeps reading its registered file; everything else is copied, so the file can go.
  const keepFile = kind === "view";
  let swapped = false;
  let numRows: number | undefined;
  try {
    if (csvLike) {
      await register(ctx, registered, read);
      numRows = await loadCsv(ctx, staging, registered, read, format, options);
    } else if (format === "json") {
      await loadJson(ctx, staging, registered, read);
    } else {
      await loadParquet(ctx, staging, read);
    }
    await swapIn(ctx.run, name, staging, kind);
    swapped = true;
  } catch (error) {
    await dropIfExists(ctx.run, `${staging}_json`).catch(() => undefined);
    await dropIfExists(ctx.run, staging).catch(() => undefined);
    throw error;
  } finally {
    if (!(keepFile && swapped)) await dropQuietly(ctx.driver, registered);
  }
  await forgetViewFile(ctx, name);
  if (keepFile) ctx.viewFiles.set(name.toLowerCase(), registered);
  return {
    name,
    numRows: numRows ?? (await countRows(ctx.run, name)),
    columns: await describeRelation(ctx.run, name),
    sha256: read.sha256,
  };
}
