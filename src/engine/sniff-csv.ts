/**
 * Engine.sniffCsv: what DuckDB's CSV sniffer detects in a file (delimiter, quote, header, column
 * types) under the user's overrides, so the data panel can show it and offer to change it. Only the
 * sniffer's sample is read: a browser File is registered as a handle, never copied whole.
 */
import type { Table as ArrowTable } from "apache-arrow";
import type { ColumnInfo, CsvOptions, CsvSniff, FileSource } from "./engine.ts";
import { duckdbMessage } from "./errors.ts";
import type { LoadContext } from "./load-file.ts";
import { registeredFileName, sourceFileName } from "./load.ts";
import { quoteString } from "./sql-text.ts";
import { PREFIX_BYTES as TEXT_PREFIX_BYTES } from "./text-checks.ts";
import { looksWhitespaceSeparated, whitespacePrefixToTsv, WHITESPACE_DELIMITER } from "./whitespace-text.ts";

/** Rows the sniffer samples (DuckDB's default), bounding how much of a large file is read. */
const SAMPLE_ROWS = 20480;
/** Without a lazy file handle, a browser File's first bytes are enough for the sniffer. */
const PREFIX_BYTES = 16 * 1024 * 1024;

/** The `sniff_csv(...)` call for a registered file and the user's overrides. */
export function sniffCsvSql(fileName: string, format: "csv" | "tsv", csv: CsvOptions = {}): string {
  const args = [quoteString(fileName), `sample_size = ${SAMPLE_ROWS}`];
  const delimiter = csv.delimiter ?? (format === "tsv" ? "\t" : undefined);
  if (delimiter !== undefined) args.push(`delim = ${quoteString(delimiter)}`);
  if (csv.header !== undefined) args.push(`header = ${csv.header ? "true" : "false"}`);
  if (csv.strictMode !== undefined) args.push(`strict_mode = ${csv.strictMode ? "true" : "false"}`);
  return `SELECT * FROM sniff_csv(${args.join(", ")})`;
}

/** Reads the sniffer's one result row. */
export function readSniff(result: ArrowTable, strictMode: boolean): CsvSniff {
  const row = result.get(0)?.toJSON() as Record<string, unknown> | undefined;
  if (!row) throw new Error("sniff_csv returned no row");
  const columns: ColumnInfo[] = [];
  const list = row.Columns as { toArray(): { toJSON(): { name: string; type: string } }[] } | null;
  for (const item of list?.toArray() ?? []) {
    const { name, type } = item.toJSON();
    columns.push({ name: String(name), type: String(type) });
  }
  const text = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  return {
    delimiter: text(row.Delimiter),
    quote: text(row.Quote),
    header: Boolean(row.HasHeader),
    skipRows: Number(row.SkipRows ?? 0),
    columns,
    strictMode,
  };
}

/** The source's first bytes, for telling whitespace-separated text apart (a File is only sliced). */
async function sourcePrefix(ctx: LoadContext, source: FileSource): Promise<Uint8Array> {
  switch (source.kind) {
    case "file":
      return new Uint8Array(await source.file.slice(0, TEXT_PREFIX_BYTES).arrayBuffer());
    case "bytes":
      return source.bytes.subarray(0, TEXT_PREFIX_BYTES);
    case "path":
      return (await ctx.reader.readPath(source.path)).subarray(0, TEXT_PREFIX_BYTES);
    case "url":
      return (await ctx.reader.readUrl(source.url)).subarray(0, TEXT_PREFIX_BYTES);
    default:
      throw new Error(`sniffCsv: unknown source kind "${(source as { kind?: unknown }).kind}"`);
  }
}

async function registerForSniff(ctx: LoadContext, registered: string, source: FileSource): Promise<void> {
  switch (source.kind) {
    case "file":
      if (ctx.driver.registerFileHandle) return void (await ctx.driver.registerFileHandle(registered, source.file));
      return void (await ctx.driver.registerBuffer(
        registered,
        new Uint8Array(await source.file.slice(0, PREFIX_BYTES).arrayBuffer()),
      ));
    case "bytes":
      return void (await ctx.driver.registerBuffer(
        registered,
        ctx.driver.takesBuffers ? source.bytes.slice() : source.bytes,
      ));
    case "path":
      return void (await ctx.driver.registerBuffer(registered, await ctx.reader.readPath(source.path)));
    case "url":
      return void (await ctx.driver.registerBuffer(registered, await ctx.reader.readUrl(source.url)));
    default:
      throw new Error(`sniffCsv: unknown source kind "${(source as { kind?: unknown }).kind}"`);
  }
}

/**
 * Sniffs a CSV/TSV source; whitespace-separated text (or `delimiter: " "`) is sniffed as loadFile
 * reads it and reported with delimiter `" "`. As loadFile does, a file the sniffer rejects in strict mode (e.g. mixed
 * LF/CRLF line ends) is sniffed again with `strict_mode = false` unless the caller chose.
 */
export async function sniffCsv(
  ctx: LoadContext,
  source: FileSource,
  format: "csv" | "tsv",
  csv: CsvOptions = {},
): Promise<CsvSniff> {
  const fileName = sourceFileName(source);
  const registered = registeredFileName(ctx.nextId(), fileName, ctx.driver.fileDirectory);
  // Whitespace-separated text is sniffed as loadFile reads it: its first lines rewritten with tabs.
  const spaced =
    csv.delimiter === WHITESPACE_DELIMITER ||
    (csv.delimiter === undefined && format === "csv" && looksWhitespaceSeparated(await sourcePrefix(ctx, source)));
  if (spaced) await ctx.driver.registerBuffer(registered, whitespacePrefixToTsv(await sourcePrefix(ctx, source)));
  else await registerForSniff(ctx, registered, source);
  const asRead = spaced ? { ...csv, delimiter: "\t" } : csv;
  const shown = (sniff: CsvSniff): CsvSniff => (spaced ? { ...sniff, delimiter: WHITESPACE_DELIMITER } : sniff);
  try {
    try {
      return shown(readSniff(await ctx.run(sniffCsvSql(registered, format, asRead)), csv.strictMode ?? true));
    } catch (error) {
      if (csv.strictMode !== undefined || !/Error when sniffing file/.test(duckdbMessage(error))) throw error;
      const relaxed = { ...asRead, strictMode: false };
      return shown(readSniff(await ctx.run(sniffCsvSql(registered, format, relaxed)), false));
    }
  } catch (error) {
    const message = duckdbMessage(error).trimEnd().replaceAll(registered, fileName);
    throw new Error(`sniffCsv: could not sniff "${fileName}": ${message}`, { cause: error });
  } finally {
    try {
      await ctx.driver.dropFile(registered);
    } catch {
      // Only cleanup.
    }
  }
}
