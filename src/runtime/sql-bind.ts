/**
 * Turns SQL text parts and interpolated values into one statement with `?` placeholders and a list
 * of bound parameters. Values are never spliced into the text, with one safe exception: a table
 * handle is written as its quoted table name, because a table cannot be a parameter.
 */
import type { SqlParam } from "../engine/engine.ts";
import { isTableHandle } from "../engine/is-table-handle.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";

export { isTableHandle };

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === undefined) return "undefined";
  return `a ${typeof value === "object" ? ((value as object).constructor?.name ?? "object") : typeof value}`;
}

/** The statement and its parameters. Throws a clear error for a value that cannot be bound. */
export function bindSql(parts: readonly string[], values: readonly unknown[]): { text: string; params: SqlParam[] } {
  let text = parts[0] ?? "";
  const params: SqlParam[] = [];
  for (let i = 0; i < values.length; ++i) {
    const value = values[i];
    if (isTableHandle(value)) {
      text += quoteIdentifier(value.name);
    } else if (
      value === null ||
      typeof value === "string" ||
      typeof value === "number" ||
      typeof value === "bigint" ||
      typeof value === "boolean" ||
      value instanceof Date
    ) {
      text += "?";
      params.push(value);
    } else {
      throw new TypeError(
        `SQL parameter ${i + 1} is ${describeValue(value)}, which cannot be bound; pass a string, number, bigint, boolean, Date, null or a table`,
      );
    }
    text += parts[i + 1] ?? "";
  }
  return { text, params };
}
