/**
 * Whitespace-separated text (columns split by runs of spaces or tabs, often with leading spaces and
 * padding, like the classic CDNOW_master.txt): DuckDB's CSV sniffer never tries a space delimiter,
 * and a single-space delimiter would read every run of padding as empty columns. So such a file is
 * recognised from its first lines and rewritten, in one streaming pass, as tab-separated text that
 * DuckDB reads as usual. Every line (and line end) is kept, so DuckDB's line numbers in errors and
 * notes are the file's own.
 */
import { decodeLoose, splitLines, stripBom } from "./text-checks.ts";

/** What loadFile's options call the whitespace "delimiter": `{csv: {delimiter: " "}}`. */
export const WHITESPACE_DELIMITER = " ";

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;

/** The whole lines of a text prefix worth looking at: the last one may be cut off, blank ones say nothing. */
function sampleLines(text: string, limit = 200): string[] {
  const lines = splitLines(stripBom(text));
  if (lines.length > 1) lines.pop();
  return lines.filter((line) => line.trim() !== "").slice(0, limit);
}

/** How many fields a line has when runs of spaces/tabs split it (a `"…"` field may hold spaces). */
export function whitespaceFieldCount(line: string): number {
  return line.trim().match(/"[^"]*"|[^\s"]+("[^"]*")?[^\s"]*/g)?.length ?? 0;
}

/**
 * The number of columns when the text's first lines are whitespace-separated: no comma, tab,
 * semicolon or pipe (DuckDB sniffs those), at least two lines, and runs of spaces split every line
 * into the same number (two or more) of fields. Undefined otherwise.
 * @example whitespaceColumns(" id  date\n 01 19970101\n") // 2
 */
export function whitespaceColumns(text: string): number | undefined {
  const lines = sampleLines(text);
  if (lines.length < 2 || lines.some((line) => /[,\t;|]/.test(line))) return undefined;
  const count = whitespaceFieldCount(lines[0]!);
  if (count < 2 || lines.some((line) => whitespaceFieldCount(line) !== count)) return undefined;
  return count;
}

/**
 * Why a text file's columns cannot be told apart, or undefined when they can (or it is one column):
 * no delimiter DuckDB sniffs and lines split by spaces into different numbers of fields, e.g. prose.
 * @example unsniffableReason("a b\nc d e\n") // "line 1 has 2 space-separated fields, line 2 has 3"
 */
export function unsniffableReason(text: string): string | undefined {
  const lines = sampleLines(text);
  if (lines.length === 0 || lines.some((line) => /[,\t;|]/.test(line))) return undefined;
  const counts = lines.map(whitespaceFieldCount);
  if (counts.every((c) => c <= 1)) return undefined;
  const other = counts.findIndex((c) => c !== counts[0]);
  if (other < 0) return undefined;
  return `line 1 has ${counts[0]} space-separated fields, line ${other + 1} has ${counts[other]}`;
}

/**
 * Rewrites whitespace-separated bytes as tab-separated bytes, chunk by chunk: leading and trailing
 * spaces/tabs of a line are dropped, every run between fields becomes one tab, `"…"` fields are
 * copied as they are (a quote never spans a line end), line ends and a byte order mark are kept.
 * Works on bytes, so any ASCII-compatible encoding (UTF-8, Latin-1) passes through unchanged.
 * @example
 * const rewrite = new WhitespaceToTsv();
 * const tsv = concat([rewrite.push(chunk1), rewrite.push(chunk2)]);
 */
export class WhitespaceToTsv {
  #lineStart = true;
  #quoted = false;
  #separator = false;
  #first = true;

  /** The rewritten bytes of the next chunk (at most one byte longer: a tab held over from the last one). */
  push(chunk: Uint8Array): Uint8Array {
    const out = new Uint8Array(chunk.length + 1);
    let o = 0;
    let i = 0;
    if (this.#first && chunk.length > 0) {
      this.#first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        out.set(chunk.subarray(0, 3));
        o = i = 3;
      }
    }
    for (; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === LF || b === CR) {
        // Trailing padding is dropped; the line end itself is kept as written.
        out[o++] = b;
        this.#separator = false;
        this.#quoted = false;
        if (b === LF) this.#lineStart = true;
        continue;
      }
      if (this.#quoted) {
        out[o++] = b;
        if (b === QUOTE) this.#quoted = false;
        continue;
      }
      if (b === SPACE || b === TAB) {
        if (!this.#lineStart) this.#separator = true;
        continue;
      }
      if (this.#separator) {
        out[o++] = TAB;
        this.#separator = false;
      }
      this.#lineStart = false;
      if (b === QUOTE) this.#quoted = true;
      out[o++] = b;
    }
    return out.subarray(0, o);
  }
}

/** Joins byte chunks into one array. */
function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * A whole whitespace-separated source as tab-separated bytes: bytes in memory in one pass, a Blob
 * (a browser File) read as a stream, so the file is never held twice as text.
 * @example const tsv = await whitespaceToTsv({ bytes }); // then register tsv with delim '\t'
 */
export async function whitespaceToTsv(source: { bytes?: Uint8Array; blob?: Blob }): Promise<Uint8Array> {
  const rewrite = new WhitespaceToTsv();
  if (source.bytes) return rewrite.push(source.bytes);
  const chunks: Uint8Array[] = [];
  const reader = source.blob!.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(rewrite.push(value));
  }
  return concat(chunks);
}

/** The first whole lines of a prefix rewritten as tab-separated text (for the sniffer). */
export function whitespacePrefixToTsv(prefix: Uint8Array): Uint8Array {
  const lastLine = prefix.lastIndexOf(LF);
  return new WhitespaceToTsv().push(lastLine >= 0 ? prefix.subarray(0, lastLine + 1) : prefix);
}

/** Whether a text prefix is whitespace-separated (see {@link whitespaceColumns}), decoding loosely. */
export function looksWhitespaceSeparated(prefix: Uint8Array): boolean {
  return whitespaceColumns(decodeLoose(prefix)) !== undefined;
}
