/**
 * Checking a name for a SQL cell before it is given (rename in the cell header): a plain identifier,
 * not a builtin or reserved word, not the name of another cell, output or data table. Pure.
 */
import { IDENTIFIER_HINT, isSqlIdentifier } from "./identifiers.ts";

/** A name already in use in the notebook, and what holds it (for the message and a link). */
export interface TakenName {
  name: string;
  /** The cell (or data node) that holds it. */
  id: string;
  /** How to name the holder in a message, e.g. `cell 4 (SQL)` or `the data table (front matter)`. */
  label: string;
}

/** Why a name cannot be given, and the other cell that holds it (to link to). */
export interface CellNameProblem {
  message: string;
  otherId?: string;
}

/**
 * Words that cannot name a table handle in TypeScript and a table in SQL without quoting (reserved in
 * one or the other), so a cell named this way would break the cells that read it.
 */
const RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await async of undefined NaN Infinity " +
    "select from where group by order having limit offset join on using union all as and or not is like between " +
    "table create drop insert update values with distinct case when then end cast window qualify pivot unpivot"
  ).split(" "),
);

/**
 * The problem with naming cell `id` `name` (undefined when it is fine). `builtins` are the names every
 * cell gets (db, sql, seg, Plot, …); `taken` the names the notebook already uses. An empty name is
 * fine: the cell becomes unnamed (its result is only shown). Names compare without case, as DuckDB's do.
 * @example
 * checkCellName("segments", "c2", new Set(["db"]), [{name: "segments", id: "c4", label: "cell 4 (SQL)"}])
 * // {message: "`segments` is already the name of cell 4 (SQL)", otherId: "c4"}
 */
export function checkCellName(
  name: string,
  id: string,
  builtins: ReadonlySet<string>,
  taken: readonly TakenName[],
): CellNameProblem | undefined {
  if (name === "") return undefined;
  if (!isSqlIdentifier(name)) return { message: `\`${name}\` cannot name a cell: ${IDENTIFIER_HINT}` };
  if (builtins.has(name)) {
    return { message: `\`${name}\` is a builtin every cell uses (db, sql, seg, Plot, …): choose another name` };
  }
  if (RESERVED_WORDS.has(name.toLowerCase())) {
    return { message: `\`${name}\` is a reserved word in SQL or TypeScript: choose another name` };
  }
  const other = taken.find((t) => t.id !== id && t.name.toLowerCase() === name.toLowerCase());
  if (other) return { message: `\`${name}\` is already the name of ${other.label}`, otherId: other.id };
  return undefined;
}
