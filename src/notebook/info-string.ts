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
      const read = readCellAttributes(kind, rest);
      result.errors.push(...read.errors);
      if (read.unknown.length)
        result.warnings.push(`fence attributes "${read.unknown.join(" ")}" are not understood yet; kept as written`);
    }
  }
  return result;
}

/** What a code cell's fence attributes say (the words after the language and SQL name). */
export interface CellAttributes {
  /** `engine=NAME`: the SQL runs on the remote engine of front matter connection NAME. */
  engine?: string;
  /** `maxRows=N`: most rows a remote cell may bring into the tab (default {@link DEFAULT_REMOTE_MAX_ROWS}). */
  maxRows?: number;
}

/** The row cap of a remote SQL cell without `maxRows=`: about what a browser tab holds comfortably. */
export const DEFAULT_REMOTE_MAX_ROWS = 1_000_000;

/**
 * Reads the attributes a cell understands from its fence's attribute words; the others are returned
 * in `unknown` (kept in the file, reported as not understood).
 * @example readCellAttributes("sql", "engine=warehouse maxRows=50000") // {attributes: {engine: "warehouse", maxRows: 50000}, errors: [], unknown: []}
 */
export function readCellAttributes(
  kind: CellInfo["kind"],
  attrs: string | undefined,
): { attributes: CellAttributes; errors: string[]; unknown: string[] } {
  const attributes: CellAttributes = {};
  const errors: string[] = [];
  const unknown: string[] = [];
  for (const word of (attrs ?? "").split(/\s+/).filter(Boolean)) {
    const match = /^(engine|maxRows)=(.*)$/.exec(word);
    if (!match) {
      unknown.push(word);
      continue;
    }
    const [, key, value] = match as unknown as [string, "engine" | "maxRows", string];
    if (kind !== "sql") {
      errors.push(
        `"${word}": ${key} applies to SQL cells only (e.g. a fence "sql customers engine=warehouse"); remove it`,
      );
    } else if (key === "engine") {
      if (isSqlIdentifier(value)) attributes.engine = value;
      else
        errors.push(
          `"${word}": engine= names a connection of the front matter "connections:", e.g. engine=warehouse; ${IDENTIFIER_HINT}`,
        );
    } else {
      const rows = /^[1-9][0-9_]*$/.test(value) ? Number(value.replaceAll("_", "")) : NaN;
      if (Number.isSafeInteger(rows)) attributes.maxRows = rows;
      else
        errors.push(
          `"${word}": maxRows= is the most rows the cell may bring into the tab, a whole number above 0 such as maxRows=${DEFAULT_REMOTE_MAX_ROWS}`,
        );
    }
  }
  if (attributes.maxRows !== undefined && attributes.engine === undefined && kind === "sql")
    errors.push(
      `maxRows=${attributes.maxRows} applies to remote SQL cells only; add engine=CONNECTION or remove maxRows`,
    );
  return { attributes, errors, unknown };
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
