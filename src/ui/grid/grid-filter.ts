/**
 * Per-column filters of the data grid: what the user types in a column's filter box, parsed into a
 * small filter value that becomes SQL (with the user's text as bound parameters, never spliced) or,
 * for in-memory tables, a JavaScript predicate with the same meaning.
 *
 * Syntax, for every column type:
 * - `null` / `!null` — the value is (not) NULL;
 * - numbers (`BIGINT`, `DOUBLE`, `DECIMAL(…)`, …): `42`, `= 42`, `!= 42`, `> 10`, `<= 2.5`;
 * - dates and timestamps: `>= 2011-01-01`, `< 2011-06-01 12:00` (with an operator), otherwise a
 *   text search of the value's text (`2011-12` finds December 2011);
 * - booleans: `true` / `false`;
 * - anything else: case-insensitive "contains" on the value's text (`%` and `_` are plain characters).
 */
import { isNumericType } from "../../engine/column-types.ts";

/** A comparison operator a filter can use. */
export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

/** A parsed column filter. */
export type GridFilter =
  | { kind: "null"; negate: boolean }
  | { kind: "compare"; op: CompareOp; value: number | string | boolean; cast?: "DATE" | "TIMESTAMP" }
  | { kind: "contains"; text: string };

/** What {@link parseFilter} returns: a filter (undefined for an empty box) or why the text is not one. */
export type ParsedFilter = { ok: true; filter: GridFilter | undefined } | { ok: false; error: string };

/** How a DuckDB type is filtered and sorted. */
export type TypeFamily = "number" | "date" | "timestamp" | "boolean" | "text";

/** The family of a DuckDB type name as DESCRIBE spells it (e.g. `DECIMAL(18,3)` is a number). */
export function typeFamily(type: string): TypeFamily {
  const upper = type.toUpperCase();
  if (isNumericType(upper)) return "number";
  if (upper === "DATE") return "date";
  if (upper.startsWith("TIMESTAMP")) return "timestamp";
  if (upper === "BOOLEAN") return "boolean";
  return "text";
}

const COMPARISON = /^(==|=|!=|<>|<=|>=|<|>)\s*(.*)$/s;

function normalizeOp(op: string): CompareOp {
  if (op === "==") return "=";
  if (op === "<>") return "!=";
  return op as CompareOp;
}

/**
 * Parses the text of a filter box for a column of DuckDB type `type` (see the module comment).
 * @example parseFilter(">= 10", "BIGINT") // => { ok: true, filter: { kind: "compare", op: ">=", value: 10 } }
 */
export function parseFilter(text: string, type: string): ParsedFilter {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, filter: undefined };
  const lower = trimmed.toLowerCase();
  if (lower === "null" || lower === "is null") return { ok: true, filter: { kind: "null", negate: false } };
  if (lower === "!null" || lower === "not null" || lower === "is not null") {
    return { ok: true, filter: { kind: "null", negate: true } };
  }
  const family = typeFamily(type);
  const match = COMPARISON.exec(trimmed);
  switch (family) {
    case "number": {
      const op = match ? normalizeOp(match[1]!) : "=";
      const operand = (match ? match[2]! : trimmed).trim();
      const value = Number(operand);
      if (operand === "" || !Number.isFinite(value)) {
        return {
          ok: false,
          error: `expects a number, optionally after = != < <= > >= (e.g. ">= 10"), got "${trimmed}"`,
        };
      }
      return { ok: true, filter: { kind: "compare", op, value } };
    }
    case "date":
    case "timestamp": {
      if (!match) return { ok: true, filter: { kind: "contains", text: trimmed } };
      const operand = match[2]!.trim();
      if (!/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(operand)) {
        return { ok: false, error: `expects a date like 2011-12-31 (or 2011-12-31 08:30) after ${match[1]}` };
      }
      const cast = family === "date" && operand.length === 10 ? "DATE" : "TIMESTAMP";
      return { ok: true, filter: { kind: "compare", op: normalizeOp(match[1]!), value: operand, cast } };
    }
    case "boolean": {
      const operand = (match ? match[2]! : trimmed).trim().toLowerCase();
      if (operand !== "true" && operand !== "false") return { ok: false, error: `expects true or false` };
      const op = match ? normalizeOp(match[1]!) : "=";
      if (op !== "=" && op !== "!=") return { ok: false, error: `expects true, false, = or != for a BOOLEAN column` };
      return { ok: true, filter: { kind: "compare", op, value: operand === "true" } };
    }
    default:
      return { ok: true, filter: { kind: "contains", text: trimmed } };
  }
}
