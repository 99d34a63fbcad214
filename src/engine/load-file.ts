/**
 * Engine.loadFile, written once for both engines: read the source, build a staging table or view
 * for its format, swap it in under the user's name, and report rows, columns and sha256.
 */
import type { ColumnInfo, FileFormat, FileSource, LoadOptions, LoadResult } from "./engine.ts";
import type { EngineDriver, SourceReader } from "./driver.ts";
import { countRows, describeRelation, dropIfExists, swapIn, type RunSql } from "./catalog.ts";
import { prepareJson } from "./json-source.ts";
import { loadCsv } from "./load-csv.ts";
import { allBytes, loadError, prefixBytes, register, sourceSize, type ReadSource } from "./load-source.ts";
import { registeredFileName, resolveFormat, sourceFileName } from "./load.ts";
import { contentKind, preview } from "./text-checks.ts";
import { loadParquet } from "./load-parquet.ts";
import type { ParquetWasmLoader } from "./parquet-wasm-load.ts";
import { checkMemoryBudget } from "./memory-budget.ts";
import { estimateCsvTable } from "./table-size.ts";
import { checkColumnsOption, loadRemoteParquet } from "./parquet-range.ts";
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
  /** parquet-wasm for this platform; absent where Parquet is read by hyparquet only. */
  parquetWasm?: ParquetWasmLoader;
  /** Bytes a load may bring DuckDB to (memory-budget.ts); absent: 3/4 of DuckDB's memory limit. */
  memoryBudget?: number;
}

const SOURCE_KINDS = `{kind: "path"|"url"|"bytes"|"file", ...}`;

/**
 * The file's sha256, hashed while DuckDB reads it: Web Crypto copies the bytes when called (so the
 * browser driver may transfer them to DuckDB's worker at once) and hashes off this thread, so the
 * hash and the load overlap instead of adding up. Without Web Crypto the bytes are hashed first.
 */
async function hashAlongside(bytes: Uint8Array): Promise<{ hash: Promise<string> }> {
  if (!globalThis.crypto?.subtle) return { hash: Promise.resolve(await sha256Bytes(bytes)) };
  const hash = sha256Bytes(bytes);
  // Awaited with the result; a load that fails first must not leave it an unhandled rejection.
  hash.catch(() => undefined);
  return { hash };
}

async function readSource(ctx: LoadContext, source: FileSource, lazyFile: boolean): Promise<ReadSource> {
  const fileName = sourceFileName(source);
  switch (source.kind) {
    case "path":
    case "url": {
      // Native DuckDB reads a local file where it lies: nothing is copied through JS memory.
      const local =
        source.kind === "path" && ctx.driver.registerLocalFile && ctx.reader.openPath
          ? await ctx.reader.openPath(source.path)
          : null;
      if (local) {
        const { blob, absolutePath: localPath, sha256, longLines } = local;
        return { fileName, blob, localPath, longLines, callerOwned: false, sha256 };
      }
      const bytes =
        source.kind === "path" ? await ctx.reader.readPath(source.path) : await ctx.reader.readUrl(source.url);
      return { fileName, bytes, callerOwned: false, sha256: await hashAlongside(bytes) };
    }
    case "bytes":
      return { fileName, bytes: source.bytes, callerOwned: true, sha256: await hashAlongside(source.bytes) };
    case "file": {
      if (source.sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(source.sha256)) {
        throw new Error(
          `loadFile: sha256 "${String(source.sha256).slice(0, 80)}" is not a SHA-256 (64 hex digits); leave it out and the file is hashed`,
        );
      }
      const sha256 = source.sha256?.toLowerCase() ?? (await sha256Blob(source.file));
      if (lazyFile) return { fileName, blob: source.file, callerOwned: true, sha256 };
      return { fileName, bytes: new Uint8Array(await source.file.arrayBuffer()), callerOwned: false, sha256 };
    }
    default:
      throw new Error(`loadFile: unknown source kind "${(source as { kind?: unknown }).kind}"; pass ${SOURCE_KINDS}`);
  }
}

async function loadJson(
  ctx: LoadContext,
  staging: string,
  registered: string,
  read: ReadSource,
  notes: string[],
): Promise<void> {
  const prepared = prepareJson(await allBytes(read), read.fileName);
  notes.push(...prepared.notes);
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

/**
 * The format to read, checked against the file's first bytes: a Parquet file under another
 * extension is read as Parquet (with a note); an empty file, a ZIP (e.g. an Excel workbook) read as
 * text, or text read as JSON fails naming the file and the fix.
 */
async function checkContent(read: ReadSource, format: FileFormat, explicit: boolean, notes: string[]) {
  const prefix = await prefixBytes(read);
  const kind = contentKind(prefix, sourceSize(read));
  const file = JSON.stringify(read.fileName);
  if (kind === "empty") {
    throw new Error(
      `loadFile: ${file} is empty (${sourceSize(read)} bytes of data): there is nothing to load; ` +
        "fix: check that the export finished and pick the file again",
    );
  }
  if (kind === "parquet" && format !== "parquet" && !explicit) {
    notes.push(`${file} is a Parquet file despite its name: read as Parquet`);
    return "parquet";
  }
  if (kind === "zip" && format !== "parquet") {
    throw new Error(
      `loadFile: ${file} is a ZIP archive (an Excel .xlsx workbook?), not ${format.toUpperCase()}; ` +
        "fix: add .xlsx files through the data panel, or save the sheet as CSV",
    );
  }
  if (format === "json" && kind === "text") {
    const text = new TextDecoder().decode(prefix.subarray(0, 256));
    const csv = /^[^\n]*[,;\t][^\n]*\r?\n/.test(text.replace(/^\uFEFF/, ""));
    throw new Error(
      `loadFile: ${file} is not JSON: it starts with ${preview(text)}` +
        (csv ? '; it looks like CSV: pass {format: "csv"} or rename the file to .csv' : "; check the file"),
    );
  }
  return format;
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
  const named = resolveFormat(shownName, options.format);
  checkOptions(shownName, named, options);
  checkColumnsOption(shownName, named, options);
  // An http(s) Parquet URL is read by range requests, never downloaded whole (parquet-range.ts).
  const remote = named === "parquet" ? await loadRemoteParquet(ctx, name, source, options) : null;
  if (remote) return remote;
  const notes: string[] = [];
  // DuckDB reads CSV straight from a browser File, and parquet-wasm reads Parquet from it in slices;
  // JSON is parsed in JS.
  const lazy =
    (named === "csv" || named === "tsv" || (named === "parquet" && ctx.parquetWasm !== undefined)) &&
    ctx.driver.registerFileHandle !== undefined;
  const read = await readSource(ctx, source, lazy);
  const format = await checkContent(read, named, options.format !== undefined, notes);
  const csvLike = format === "csv" || format === "tsv";
  // A Parquet file found under a .csv name is copied into a table like any Parquet file.
  const kind = csvLike ? (options.as ?? "table") : "table";
  const id = ctx.nextId();
  const staging = `${INTERNAL_NAME_PREFIX}staging_${id}`;
  const registered = registeredFileName(id, read.fileName, ctx.driver.fileDirectory);
  // A view keeps reading its registered file; everything else is copied, so the file can go.
  const keepFile = kind === "view";
  let swapped = false;
  let numRows: number | undefined;
  let columns: ColumnInfo[] | undefined;
  try {
    if (csvLike) {
      const estimate = estimateCsvTable(await prefixBytes(read), sourceSize(read), options.csv?.delimiter);
      if (estimate) await checkMemoryBudget(ctx.run, name, read.fileName, "csv", estimate, ctx.memoryBudget);
      ({ numRows, columns } = await loadCsv(ctx, staging, registered, read, format, options, notes));
    } else if (format === "json") {
      await loadJson(ctx, staging, registered, read, notes);
    } else {
      await loadParquet(ctx, name, staging, registered, read, options, notes);
    }
    await swapIn(ctx.run, name, staging, kind);
    swapped = true;
  } catch (error) {
    await dropIfExists(ctx.run, `${staging}_json`).catch(() => undefined);
    await dropIfExists(ctx.run, `${staging}_batch`).catch(() => undefined);
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
    columns: columns ?? (await describeRelation(ctx.run, name)),
    sha256: typeof read.sha256 === "string" ? read.sha256 : await read.sha256.hash,
    notes,
  };
}
