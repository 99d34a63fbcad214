import type { CellKind } from "./model.ts";
import { IDENTIFIER_HINT, isSqlIdentifier } from "./identifiers.ts";

/** Languages whose fences are code cells. Anything else is ordinary Markdown showing code. */
const CODE_LANGUAGES: ReadonlySet<string> = new Set(["ts", "js", "sql"]);

/** What a code cell's info string says, plus the problems found in it. */
export interface CellInfo {
  kind: Exclude<CellKind, "md">;
  name?: string;
  attrs?: string;
  /** Messages about the info string; the caller knows the line. */
  errors: string[];
  warnings: string[];
}

/**
 * Reads a fence's info string. Returns null when it does not open a code cell (the first word is
 * not exactly `ts`, `js` or `sql`); the fence then stays part of the Markdown around it.
 */
export function readCellInfo(info: string): CellInfo | null {
  const lang = /^\S*/.exec(info)?.[0] ?? "";
  if (!CODE_LANGUAGES.has(lang)) return null;
  const kind = lang as CellInfo["kind"];
  const result: CellInfo = { kind, errors: [], warnings: [] };
  let rest = info.slice(lang.length).trim();
  if (kind === "sql" && rest !== "") {
    const word = /^\S+/.exec(rest)?.[0] ?? "";
    if (isSqlIdentifier(word)) {
      result.name = word;
      rest = rest.slice(word.length).trim();
    } else {
      // The word stays in attrs so the file is written back exactly as it was.
      result.errors.push(
        `sql cell name "${word}" is not a valid SQL identifier; ${IDENTIFIER_HINT} (the fence is kept as written, the result has no name)`,
      );
    }
  }
  if (rest !== "") {
    result.attrs = rest;
    // After a bad name the same words were just reported as an error; a second message is noise.
    if (result.errors.length === 0) {
      result.warnings.push(`fence attributes "${rest}" are not understood yet; kept as written`);
    }
  }
  return result;
}

/** The info string serialize writes: the language, the SQL name, then the attributes. */
export function formatCellInfo(kind: CellInfo["kind"], name?: string, attrs?: string): string {
  const words: string[] = [kind];
  // Only SQL cells have names; a name on another kind has no meaning in the file.
  if (kind === "sql" && name) words.push(name);
  // A newline would end the fence line early, so attributes are always written on one line.
  const extra = attrs?.replace(/\s*[\r\n]+\s*/g, " ").trim();
  if (extra) words.push(extra);
  return words.join(" ");
}
