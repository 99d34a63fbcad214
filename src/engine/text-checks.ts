/**
 * Checks on a text file's first bytes that DuckDB's CSV reader does not report: what the file
 * really is (Parquet or a ZIP under a .csv name), byte order marks, line ends, quotes that are not
 * CSV quoting, duplicate header names, and fixed-width layouts. Pure functions over bytes/text, so
 * they are the same in both engines; each returns a note or a message naming the file, line and fix.
 */

/** How many leading bytes the checks read (a browser File is sliced, never read whole). */
export const PREFIX_BYTES = 1024 * 1024;

/**
 * `text` without a leading byte order mark; what `text.replace(/^\uFEFF/, "")` gives.
 * @example stripBom("\uFEFFid,name") // "id,name"
 */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The lines of `text` exactly as `text.split(/\r?\n/)` gives them (the first `limit` only), found with
 * `indexOf` instead of a regular expression. Why: `segbook run` freezes `RegExp.prototype` for its
 * sandbox (cli/seal-realm.ts), which turns off V8's fast regular expression paths, and a regex
 * split of the 1 MiB prefix these checks read then took hundreds of milliseconds per call.
 * @example splitLines("a\r\nb\n\nc") // ["a", "b", "", "c"]
 */
export function splitLines(text: string, limit = Infinity): string[] {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < limit) {
    const end = text.indexOf("\n", start);
    if (end < 0) {
      lines.push(text.slice(start));
      break;
    }
    lines.push(text.slice(start, end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end));
    start = end + 1;
  }
  return lines;
}

/** What the first bytes say the file is, whatever its extension. */
export type ContentKind = "parquet" | "zip" | "json" | "text" | "empty";

/** Tells Parquet (`PAR1`), ZIP/xlsx (`PK\x03\x04`), JSON (`[` / `{`), empty and other text apart. */
export function contentKind(prefix: Uint8Array, size: number): ContentKind {
  if (size === 0) return "empty";
  const ascii = String.fromCharCode(...prefix.subarray(0, 4));
  if (ascii === "PAR1") return "parquet";
  if (ascii === "PK\x03\x04") return "zip";
  const text = decodeLoose(prefix.subarray(0, 256))
    .replace(/^\uFEFF/, "")
    .trimStart();
  if (text === "" && size === prefix.length) return "empty";
  if (text.startsWith("[") || text.startsWith("{")) return "json";
  return "text";
}

/** Decodes without failing on bad bytes (they become U+FFFD), for looking, never for loading. */
export function decodeLoose(bytes: Uint8Array): string {
  return new TextDecoder("utf-8").decode(bytes);
}

/** The first characters of a text, for messages: `"id,name"`. */
export function preview(text: string, length = 24): string {
  const first = text.replace(/^\uFEFF/, "").split(/\r?\n/)[0]!;
  return JSON.stringify(first.length > length ? `${first.slice(0, length)}…` : first);
}

/** Notes about the byte order mark and line ends of a CSV/TSV file's first bytes. */
export function encodingNotes(prefix: Uint8Array): string[] {
  const notes: string[] = [];
  if (prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf) {
    notes.push("file starts with a UTF-8 byte order mark (removed)");
  }
  let crlf = 0;
  let lf = 0;
  for (let i = 0; i < prefix.length; i++) {
    if (prefix[i] !== 0x0a) continue;
    if (i > 0 && prefix[i - 1] === 0x0d) crlf++;
    else lf++;
  }
  if (crlf > 0 && lf === 0) notes.push("lines end with CRLF (Windows line ends): read as line breaks");
  if (crlf > 0 && lf > 0) {
    notes.push(`line ends are mixed (${crlf} CRLF and ${lf} LF in the first lines): both read as line breaks`);
  }
  return notes;
}

/**
 * Whether any line of `bytes` is longer than `limit` bytes (without its newline).
 *
 * @example
 * hasLineOver(new TextEncoder().encode("a\nbbb\n"), 2); // true
 */
export function hasLineOver(bytes: Uint8Array, limit: number): boolean {
  // A line starting at `start` is over the limit exactly when bytes[start..start+limit] hold no
  // newline; the last newline in that window is the end of a line that is not, so the scan jumps
  // there: about size / limit native searches instead of one per line.
  for (let start = 0; bytes.length - start > limit;) {
    const end = bytes.subarray(start, start + limit + 1).lastIndexOf(0x0a);
    if (end < 0) return true;
    start += end + 1;
  }
  return false;
}

/**
 * The longest line of `bytes` (its 1-based number and length in bytes, without the newline).
 * Scans every line: call it only once {@link hasLineOver} has found a line worth naming.
 *
 * @example
 * longestLine(new TextEncoder().encode("a\nbbb\n")); // {line: 2, length: 3}
 */
export function longestLine(bytes: Uint8Array): { line: number; length: number } {
  let best = { line: 1, length: 0 };
  let line = 1;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    if (end - start > best.length) best = { line, length: end - start };
    line++;
    start = end + 1;
  }
  return best;
}

function splitHeader(line: string, delimiter: string): string[] {
  const names: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        current += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === delimiter && !quoted) {
      names.push(current.trim());
      current = "";
    } else current += ch;
  }
  names.push(current.trim());
  return names;
}

/**
 * A note for header names that appear more than once (DuckDB names the copies `amount_1`, ...;
 * names differing only in case count as the same, as DuckDB's are case-insensitive).
 */
export function duplicateHeaderNote(text: string, loaded: readonly string[]): string | undefined {
  const first = splitLines(stripBom(text), 1)[0] ?? "";
  const delimiter = [",", "\t", ";", "|"].find((d) => splitHeader(first, d).length === loaded.length);
  if (!delimiter || loaded.length < 2) return undefined;
  const raw = splitHeader(first, delimiter);
  const groups = new Map<string, number[]>();
  raw.forEach((name, i) => groups.set(name.toLowerCase(), [...(groups.get(name.toLowerCase()) ?? []), i]));
  const parts = [...groups.values()]
    .filter((indexes) => indexes.length > 1)
    .map((indexes) => {
      const shown = indexes.map((i) => raw[i]!);
      const as = indexes.map((i) => loaded[i]!);
      return `${[...new Set(shown)].map((n) => JSON.stringify(n)).join(" / ")} appears ${indexes.length} times (read as ${as.join(", ")})`;
    });
  return parts.length ? `duplicate column names: ${parts.join("; ")}` : undefined;
}

/** Where a quote that is not CSV quoting sits: the line, and whether it opens a field. */
export interface StrayQuote {
  line: number;
  text: string;
  opensField: boolean;
}

/**
 * The first line with an odd number of `"`, i.e. a quote that opens a field and never closes, or
 * one inside a field. Only meaningful when the reader did not use `"` as the quote (the loaded text
 * still holds quotes), since then a quoted field spanning lines cannot be the reason.
 */
export function findStrayQuote(text: string): StrayQuote | undefined {
  const lines = splitLines(stripBom(text));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const count = line.split('"').length - 1;
    if (count % 2 === 1) return { line: i + 1, text: line, opensField: /(^|[,;\t|])\s*"[^"]*$/.test(line) };
  }
  return undefined;
}

/**
 * Column boundaries of a fixed-width / whitespace-aligned text: the first lines have no CSV
 * delimiter but runs of two or more spaces, and some character positions are blank on every line.
 * Returns the start offset of each column, or undefined when the text does not look that way.
 */
export function fixedWidthColumns(text: string): number[] | undefined {
  const lines = splitLines(stripBom(text)).filter((line) => line.trim() !== "");
  // The last line of a prefix may be cut off; look at whole lines only.
  const sample = lines.slice(0, Math.min(lines.length, 200));
  if (sample.length < 2 || sample.some((line) => /[,\t;|]/.test(line)) || !/\S {2,}\S/.test(sample[0]!)) {
    return undefined;
  }
  const width = Math.max(...sample.map((line) => line.length));
  const blank = Array.from({ length: width }, (_, i) => sample.every((line) => i >= line.length || line[i] === " "));
  const starts: number[] = [];
  for (let i = 0; i < width; i++) if (!blank[i] && (i === 0 || blank[i - 1])) starts.push(i);
  return starts.length >= 2 ? starts : undefined;
}

/** Rewrites fixed-width text as tab-separated text, cutting every line at `starts`. */
export function fixedWidthToTsv(text: string, starts: readonly number[]): string {
  return splitLines(stripBom(text))
    .filter((line) => line.trim() !== "")
    .map((line) => starts.map((start, i) => line.slice(start, starts[i + 1] ?? line.length).trim()).join("\t"))
    .join("\n")
    .concat("\n");
}
