import type { FormatIssue } from "./model.ts";

/** A file's text as lines with "\n" endings, and the line ending to write it back with. */
export interface SplitText {
  /** The lines without their endings; a final line ending does not make an extra empty line. */
  lines: string[];
  /** "\r\n" when the file's first line ends with CRLF. */
  lineEnding?: "\r\n";
}

/**
 * Splits text into lines. CRLF files become LF internally and remember their ending; a file that
 * mixes both is read fine but gets a warning, because it is written back with one ending throughout.
 * A lone CR inside a line is content and stays.
 */
export function splitLines(text: string, issues: FormatIssue[]): SplitText {
  if (text === "") return { lines: [] };
  const firstBreak = text.indexOf("\n");
  const crlf = firstBreak > 0 && text[firstBreak - 1] === "\r";
  // "\r\r\n" counts as odd too: the extra CR is read as part of the line break (below).
  const odd = crlf ? /(^|[^\r])\n|\r\r+\n/ : /\r\n/;
  const m = odd.exec(text);
  if (m) {
    const line = text.slice(0, m.index + 1).split("\n").length;
    const written = crlf ? "CRLF" : "LF";
    issues.push({
      severity: "warning",
      line,
      message: `line endings are mixed (CRLF and LF; this line differs from line 1); the file will be written with ${written} throughout`,
    });
  }
  // CRs right before a line break belong to the break: kept in the line, a CR followed by the "\n"
  // that joins lines would read back as CRLF and the written file would parse differently.
  const lines = text.replace(/\r+$/, "").split(/\r*\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return crlf ? { lines, lineEnding: "\r\n" } : { lines };
}

/** Whether a line is blank in the CommonMark sense (only spaces and tabs). */
export function isBlankLine(line: string): boolean {
  return /^[ \t]*$/.test(line);
}

/** Drops leading and trailing blank lines: between cells they are separators, not content. */
export function trimBlankLines(lines: readonly string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && isBlankLine(lines[start] ?? "")) start++;
  while (end > start && isBlankLine(lines[end - 1] ?? "")) end--;
  return lines.slice(start, end);
}
