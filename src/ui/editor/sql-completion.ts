/**
 * Completion of table and column names in SQL cells, from the live DuckDB schema (every table the
 * engine has: data sources, named SQL results and tables other cells made). After `name.` only that
 * table's (or alias's) columns are offered; elsewhere the tables, and the columns of the tables the
 * text reads (of every table when it reads none yet).
 */
import type * as Monaco from "monaco-editor/editor";
import type { TableSchema } from "./workbench-types.ts";

/** One suggestion, independent of Monaco. */
export interface SqlSuggestion {
  label: string;
  kind: "table" | "column";
  /** The column's table and type, or the table's column count. */
  detail: string;
}

const QUALIFIED = /([A-Za-z_][\w$]*)\.[\w$]*$/;
const FROM_JOIN = /\b(?:from|join)\s+("?)([A-Za-z_][\w$]*)\1(?:\s+(?:as\s+)?([A-Za-z_][\w$]*))?/gi;
const NOT_ALIAS = new Set(["where", "group", "order", "limit", "join", "left", "right", "inner", "outer", "full"]);
const NOT_ALIAS_MORE = new Set(["cross", "on", "using", "union", "having", "qualify", "window", "natural"]);

/** Table names (and their aliases, lower-cased) that the SQL text reads. */
function readTables(text: string, tables: ReadonlyMap<string, TableSchema>): Map<string, TableSchema> {
  const found = new Map<string, TableSchema>();
  for (const match of text.matchAll(FROM_JOIN)) {
    const table = tables.get(match[2]!.toLowerCase());
    if (!table) continue;
    found.set(table.name.toLowerCase(), table);
    const alias = match[3]?.toLowerCase();
    if (alias && !NOT_ALIAS.has(alias) && !NOT_ALIAS_MORE.has(alias)) found.set(alias, table);
  }
  return found;
}

/** What to suggest at the end of `before`, given the whole cell `text` and the engine's tables. */
export function sqlSuggestions(before: string, text: string, tables: readonly TableSchema[]): SqlSuggestion[] {
  const byName = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
  const read = readTables(text, byName);
  const columnsOf = (table: TableSchema): SqlSuggestion[] =>
    table.columns.map((c) => ({ label: c.name, kind: "column", detail: `${table.name}.${c.name} ${c.type}` }));
  const qualifier = QUALIFIED.exec(before)?.[1]?.toLowerCase();
  if (qualifier !== undefined) {
    const table = read.get(qualifier) ?? byName.get(qualifier);
    return table ? columnsOf(table) : [];
  }
  const suggestions: SqlSuggestion[] = tables.map((t) => ({
    label: t.name,
    kind: "table",
    detail: `table, ${t.columns.length} columns`,
  }));
  const sources = read.size ? [...new Set(read.values())] : tables;
  const seen = new Set<string>();
  for (const table of sources) {
    for (const s of columnsOf(table)) {
      if (seen.has(s.label)) continue;
      seen.add(s.label);
      suggestions.push(s);
    }
  }
  return suggestions;
}

/** Registers the SQL completion provider; `tables` is read on every request (it changes as cells run). */
export function registerSqlCompletion(monaco: typeof Monaco, tables: () => readonly TableSchema[]): Monaco.IDisposable {
  return monaco.languages.registerCompletionItemProvider("sql", {
    triggerCharacters: ["."],
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const before = model.getValueInRange(new monaco.Range(1, 1, position.lineNumber, position.column));
      const suggestions = sqlSuggestions(before, model.getValue(), tables()).map((s) => ({
        label: s.label,
        kind:
          s.kind === "table" ? monaco.languages.CompletionItemKind.Class : monaco.languages.CompletionItemKind.Field,
        detail: s.detail,
        insertText: /^[A-Za-z_][\w$]*$/.test(s.label) ? s.label : `"${s.label.replace(/"/g, '""')}"`,
        range,
      }));
      return { suggestions };
    },
  });
}
