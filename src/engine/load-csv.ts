/**
 * Loading a CSV/TSV file into a staging table or view, reading messy files the way an analyst would
 * and saying what was assumed: each retry (raised line limit, Latin-1, skipped ragged rows, relaxed
 * strict mode) and each column assumption becomes a note on the load result; what cannot be read
 * safely fails with the file, the line and a fix. Nothing is dropped without a count.
 */
import type { ColumnInfo, LoadOptions } from "./engine.ts";
import { countRows, describeRelation, dropIfExists } from "./catalog.ts";
import { columnNotes } from "./column-notes.ts";
import { duckdbMessage } from "./errors.ts";
import type { LoadContext } from "./load-file.ts";
import { allBytes, loadError, prefixBytes, register, type ReadSource } from "./load-source.ts";
import { createFromCsvSql } from "./load.ts";
import { quoteIdentifier, quoteString } from "./sql-text.ts";
import {
  decodeLoose,
  duplicateHeaderNote,
  encodingNotes,
  findStrayQuote,
  fixedWidthColumns,
  hasLineOver,
  fixedWidthToTsv,
  longestLine,
} from "./text-checks.ts";
import { unsniffableReason, whitespaceColumns, whitespaceToTsv, WHITESPACE_DELIMITER } from "./whitespace-text.ts";

const HINT =
  "Check the delimiter, header and column types (options.csv: {delimiter, header, names, columns, strictMode}).";

/** How the retries of one load stand. */
interface Attempt {
  options: LoadOptions;
  extra: string[];
  rejects: boolean;
  relaxed: boolean;
}

const ERROR_LINE = /CSV Error on Line: (\d+)/;

/** DuckDB's default max_line_size. */
const MAX_LINE = 2_000_000;

/** Raises DuckDB's line limit for a file with a longer line, with a note saying which line. */
function allowLongLines(attempt: Attempt, bytes: Uint8Array, notes: string[]): boolean {
  if (attempt.extra.some((a) => a.startsWith("max_line_size")) || !hasLineOver(bytes, MAX_LINE)) return false;
  const { line, length } = longestLine(bytes);
  attempt.extra.push(`max_line_size = ${length + 1024}`);
  notes.push(
    `line ${line} is ${length.toLocaleString("en-US")} bytes long, over DuckDB's 2,000,000-byte line limit: ` +
      "read with the limit raised",
  );
  return true;
}

/** Whether to retry after DuckDB's error `message` (changing `attempt` for it), or give up. */
async function retryAfter(
  message: string,
  attempt: Attempt,
  read: ReadSource,
  kind: "table" | "view",
  staging: string,
  notes: string[],
): Promise<boolean> {
  if (/Maximum line size of \d+ bytes exceeded/.test(message)) {
    return allowLongLines(attempt, await allBytes(read), notes);
  }
  if (/Invalid unicode/i.test(message) && !attempt.extra.some((a) => a.startsWith("encoding"))) {
    attempt.extra.push("encoding = 'latin-1'");
    const line = ERROR_LINE.exec(message)?.[1];
    notes.push(
      `file is not UTF-8 (first invalid byte${line ? ` on line ${line}` : ""}): read as Latin-1 (ISO-8859-1); ` +
        "if characters look wrong, save the file as UTF-8",
    );
    return true;
  }
  const cast = /Error when converting column "([^"]+)"\. Could not convert string "(.{0,60})/.exec(message);
  if (cast && attempt.options.csv?.columns?.[cast[1]!] === undefined) {
    // A value past the rows DuckDB sampled for types does not fit the sniffed type: keep the text.
    const column = cast[1]!;
    const line = ERROR_LINE.exec(message)?.[1];
    attempt.options = {
      ...attempt.options,
      csv: { ...attempt.options.csv, columns: { ...attempt.options.csv?.columns, [column]: "VARCHAR" } },
    };
    notes.push(
      `column ${column}: line ${line ?? "?"} holds "${cast[2]!.replace(/" to .*$/, "")}", which does not fit the type ` +
        "DuckDB guessed from its sample: the column was read as VARCHAR",
    );
    return true;
  }
  if (/Expected Number of Columns/i.test(message) && !attempt.rejects && kind === "table") {
    addRejects(attempt, staging);
    return true;
  }
  if (/Error when sniffing file/.test(message) && attempt.options.csv?.strictMode === undefined && !attempt.relaxed) {
    // DuckDB's sniffer gives up in strict mode on some common files (mixed LF/CRLF line ends);
    // its first suggested fix is strict_mode = false, so try that once unless the user chose.
    attempt.relaxed = true;
    attempt.options = { ...attempt.options, csv: { ...attempt.options.csv, strictMode: false } };
    notes.push("DuckDB's sniffer rejected the file in strict mode: read with strict_mode = false");
    return true;
  }
  return false;
}

function addRejects(attempt: Attempt, staging: string): void {
  attempt.rejects = true;
  attempt.extra.push(
    "store_rejects = true",
    `rejects_table = ${quoteString(`${staging}_rejects`)}`,
    `rejects_scan = ${quoteString(`${staging}_scans`)}`,
  );
}

const REJECT_WORDS: Record<string, string> = {
  "TOO MANY COLUMNS": "had too many fields",
  "MISSING COLUMNS": "had too few fields",
  CAST: "had a value that does not fit its column's type",
  "UNQUOTED VALUE": "had an unquoted value after a quote",
  "INVALID UNICODE": "had bytes that are not UTF-8",
  "LINE SIZE OVER MAXIMUM": "were too long",
};

/** Notes counting the rows the reader skipped (by reason, with the first line), then cleans up. */
async function rejectNotes(ctx: LoadContext, staging: string): Promise<string[]> {
  const table = quoteIdentifier(`${staging}_rejects`);
  const result = await ctx.run(
    `SELECT error_type::VARCHAR AS type, count(*) AS n, min(line) AS first FROM ${table} GROUP BY 1 ORDER BY 3`,
  );
  await ctx.run(`DROP TABLE IF EXISTS ${table}; DROP TABLE IF EXISTS ${quoteIdentifier(`${staging}_scans`)}`);
  return result.toArray().map((row) => {
    const { type, n, first } = row.toJSON() as { type: string; n: bigint; first: bigint };
    const count = Number(n);
    const what = REJECT_WORDS[type] ?? `had a problem (${type.toLowerCase()})`;
    return (
      `${count} ${count === 1 ? "row" : "rows"} ${what} and ${count === 1 ? "was" : "were"} skipped ` +
      `(first at line ${Number(first)}); fix those lines to keep them`
    );
  });
}

/** The one column's name when DuckDB read every line as a single field although it holds delimiters. */
function unsplitDelimiter(columns: readonly { name: string; type: string }[]): string | undefined {
  if (columns.length !== 1 || columns[0]!.type !== "VARCHAR") return undefined;
  return [",", "\t", ";", "|"].find((d) => columns[0]!.name.includes(d));
}

/** Whether any text value of the relation still holds a `"` (so `"` was not read as quoting). */
async function hasQuotesInText(ctx: LoadContext, staging: string): Promise<boolean> {
  const texts = (await describeRelation(ctx.run, staging)).filter((c) => c.type === "VARCHAR");
  if (!texts.length) return false;
  const where = texts.map((c) => `contains(${quoteIdentifier(c.name)}, '"')`).join(" OR ");
  const result = await ctx.run(`SELECT count(*) AS n FROM ${quoteIdentifier(staging)} WHERE ${where}`);
  return Number(result.getChild("n")?.get(0) ?? 0) > 0;
}

/**
 * Loads a registered-to-be CSV/TSV source into `staging` and returns its row count and columns (as
 * DESCRIBE gives them; a rename keeps them), adding what it assumed to `notes`.
 */
export async function loadCsv(
  ctx: LoadContext,
  staging: string,
  registered: string,
  read: ReadSource,
  format: "csv" | "tsv",
  options: LoadOptions,
  notes: string[],
): Promise<{ numRows: number; columns: ColumnInfo[] }> {
  const kind = options.as ?? "table";
  const prefix = await prefixBytes(read);
  const prefixText = decodeLoose(prefix);
  const attempt: Attempt = { options, extra: [], rejects: false, relaxed: false };
  notes.push(...encodingNotes(prefix));
  const sniffDelimiter = options.csv?.delimiter === undefined;
  const spaced =
    options.csv?.delimiter === WHITESPACE_DELIMITER || (sniffDelimiter && whitespaceColumns(prefixText) !== undefined);
  const starts = sniffDelimiter && !spaced ? fixedWidthColumns(prefixText) : undefined;
  if (sniffDelimiter && !spaced && !starts && isTextFile(read.fileName)) {
    const reason = unsniffableReason(prefixText);
    if (reason) throw unsniffableError(read.fileName, reason);
  }
  if (spaced) {
    // Runs of spaces are not a delimiter DuckDB knows: rewrite them as tabs, line for line.
    await register(ctx, registered, read, await whitespaceToTsv(read));
    attempt.options = { ...options, csv: { ...options.csv, delimiter: "\t" } };
    if (sniffDelimiter) {
      notes.push(
        `columns separated by runs of spaces: read as whitespace-separated (${whitespaceColumns(prefixText)} columns)`,
      );
    }
  } else if (starts) {
    const tsv = fixedWidthToTsv(new TextDecoder().decode(await allBytes(read)), starts);
    await register(ctx, registered, read, new TextEncoder().encode(tsv));
    attempt.options = { ...options, csv: { ...options.csv, delimiter: "\t" } };
    notes.push(
      `no delimiter found: read as fixed-width columns starting at characters ${starts.map((s) => s + 1).join(", ")}`,
    );
  } else {
    // DuckDB takes many seconds to fail on a line over its limit, so a file in memory is measured first
    // (before registering: the browser's driver transfers the buffer to DuckDB's worker, detaching it).
    if (read.bytes) allowLongLines(attempt, read.bytes, notes);
    // A local file read in place (native) is only read into memory when its scan saw a line over 1 MiB.
    else if (read.longLines) allowLongLines(attempt, await allBytes(read), notes);
    await register(ctx, registered, read);
  }
  for (let tries = 0; ; tries++) {
    let numRows: number;
    try {
      const created = await ctx.run(
        createFromCsvSql(kind, staging, registered, format, attempt.options, attempt.extra),
      );
      // CREATE TABLE AS answers the rows it wrote. A view reads the file lazily: count it now so a bad
      // file fails here, not in a later cell.
      numRows = kind === "table" ? createdRows(created) : await countRows(ctx.run, staging);
    } catch (error) {
      await dropIfExists(ctx.run, staging).catch(() => undefined);
      if (tries < 6 && (await retryAfter(duckdbMessage(error), attempt, read, kind, staging, notes))) continue;
      const fix = /Expected Number of Columns/.test(duckdbMessage(error))
        ? "Fix the lines with the wrong number of fields, or load it as a table (not a view) to skip them with a count."
        : HINT;
      throw loadError(read.fileName, formatLabel(read.fileName, format), error, fix, registered);
    }
    const columns = await describeRelation(ctx.run, staging);
    const delimiter = sniffDelimiter && !starts && !spaced ? unsplitDelimiter(columns) : undefined;
    if (delimiter && attempt.options.csv?.delimiter === undefined && tries < 6) {
      // The sniffer found no consistent layout (ragged rows) and read whole lines as one field.
      await dropIfExists(ctx.run, staging);
      attempt.options = { ...attempt.options, csv: { ...attempt.options.csv, delimiter } };
      if (kind === "table" && !attempt.rejects) addRejects(attempt, staging);
      continue;
    }
    if (attempt.rejects) notes.push(...(await rejectNotes(ctx, staging)));
    await checkQuotes(ctx, staging, read.fileName, prefixText, notes);
    if (numRows === 0) notes.push("the file has a header but no rows: 0 rows, every column read as VARCHAR");
    const duplicates = duplicateHeaderNote(
      prefixText,
      columns.map((c) => c.name),
    );
    if (duplicates) notes.push(duplicates);
    const columnNoteList = await columnNotes(ctx.run, staging, columns, kind);
    notes.push(...columnNoteList);
    // A conversion (yyyymmdd to DATE, "1,234" to DOUBLE) always comes with its note: only then can the
    // types have changed since the DESCRIBE above.
    return { numRows, columns: columnNoteList.length ? await describeRelation(ctx.run, staging) : columns };
  }
}

/** The row count a CREATE TABLE AS answers (DuckDB's `Count` column), on every engine. */
function createdRows(result: Awaited<ReturnType<LoadContext["run"]>>): number {
  const count = result.getChild("Count")?.get(0) as bigint | number | undefined;
  if (count === undefined) throw new Error("loadFile: DuckDB did not report the rows it loaded");
  return Number(count);
}

/** Whether the file is named as plain text (`.txt`), whose delimiter is always sniffed. */
export function isTextFile(fileName: string): boolean {
  return /\.txt(\.gz)?$/i.test(fileName);
}

/** How messages name the format: a `.txt` file is "delimited text", not CSV. */
function formatLabel(fileName: string, format: "csv" | "tsv"): string {
  return isTextFile(fileName) ? "delimited text" : format.toUpperCase();
}

/** The error for a text file whose columns cannot be told apart, naming the file and the fix. */
function unsniffableError(fileName: string, reason: string): Error {
  const table = fileName.replace(/\..*$/, "").replace(/[^A-Za-z0-9_]/g, "_") || "t";
  return new Error(
    `loadFile: cannot tell how the columns of "${fileName}" are separated: no comma, tab, semicolon or pipe, ` +
      `and runs of spaces do not split every line alike (${reason}); fix: choose the delimiter in the data ` +
      `panel, or name it in the front matter, e.g. data: {${table}: {path: ${fileName}, delimiter: "|"}} ` +
      `(delimiter: " " reads runs of spaces as one separator)`,
  );
}

/**
 * A quote left in the text: a field that opens with one and never closes fails; one inside a field is a
 * note. The file's first lines are looked at first: only an odd quote there makes reading every text
 * value (whether DuckDB kept a `"` in one) worth its full scan.
 */
async function checkQuotes(ctx: LoadContext, staging: string, fileName: string, text: string, notes: string[]) {
  const stray = text.includes('"') ? findStrayQuote(text) : undefined;
  if (!stray || !(await hasQuotesInText(ctx, staging))) return;
  const shown = JSON.stringify(stray.text.length > 80 ? `${stray.text.slice(0, 80)}…` : stray.text);
  if (stray.opensField) {
    throw new Error(
      `loadFile: "${fileName}" line ${stray.line}: unterminated quote in ${shown} (a field opens with " and never ` +
        `closes); fix: add the closing quote, remove the stray one, or write a quote inside a field as ""`,
    );
  }
  notes.push(`line ${stray.line}: a stray quote inside a field (${shown}) was kept as part of the text`);
}
