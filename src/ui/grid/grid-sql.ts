/**
 * The SQL behind the data grid: a table's rows filtered and sorted as the grid's header says, with
 * every value the user typed bound as a `?` parameter. Identifiers are always quoted.
 */
import type { ColumnInfo, SqlParam } from "../../engine/engine.ts";
import { quoteIdentifier } from "../../engine/sql-text.ts";
import type { GridFilter } from "./grid-filter.ts";

/** Sort direction of a column. */
export type SortDirection = "asc" | "desc";

/** One sorted column. */
export interface GridSort {
  column: string;
  direction: SortDirection;
}

/** What the grid shows of a table: column filters (by column name) and an optional sort. */
export interface GridView {
  filters: Readonly<Record<string, GridFilter>>;
  sort?: GridSort;
}

/** SQL text plus the values for its `?` placeholders, in order. */
export interface BoundSql {
  sql: string;
  params: SqlParam[];
}

/** The empty view: every row, in the table's order. */
export const ALL_ROWS: GridView = { filters: {} };

/** Whether a view changes anything (a filter or a sort). */
export function isPlainView(view: GridView): boolean {
  return !view.sort && Object.keys(view.filters).length === 0;
}

/** One filter as a SQL condition on column `name`. */
export function filterCondition(name: string, filter: GridFilter): BoundSql {
  const column = quoteIdentifier(name);
  switch (filter.kind) {
    case "null":
      return { sql: `${column} IS ${filter.negate ? "NOT " : ""}NULL`, params: [] };
    case "contains":
      // strpos, not LIKE: a user's % and _ are characters to find, not wildcards.
      return { sql: `strpos(lower(CAST(${column} AS VARCHAR)), lower(?)) > 0`, params: [filter.text] };
    case "compare": {
      // The cast target comes from a fixed list, never from user text.
      const operand = filter.cast ? `CAST(? AS ${filter.cast})` : "?";
      return { sql: `${column} ${filter.op} ${operand}`, params: [filter.value] };
    }
  }
}

/**
 * The WHERE clause (with a leading space) of a view's filters, or an empty string. Filters on
 * columns the table does not have are an error, so a stale filter never silently matches everything.
 */
export function whereClause(columns: readonly ColumnInfo[], view: GridView): BoundSql {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  for (const [name, filter] of Object.entries(view.filters)) {
    if (!columns.some((c) => c.name === name)) throw new Error(`grid filter: no column ${JSON.stringify(name)}`);
    const condition = filterCondition(name, filter);
    parts.push(condition.sql);
    params.push(...condition.params);
  }
  return { sql: parts.length ? ` WHERE ${parts.join(" AND ")}` : "", params };
}

/**
 * The ORDER BY clause (with a leading space) of a view's sort, or an empty string. NULLs sort last
 * in both directions (as spreadsheets do); `stableKey` (e.g. `rowid`) breaks ties so equal values
 * keep the table's order.
 */
export function orderClause(columns: readonly ColumnInfo[], view: GridView, stableKey?: string): string {
  if (!view.sort) return "";
  const { column, direction } = view.sort;
  if (!columns.some((c) => c.name === column)) throw new Error(`grid sort: no column ${JSON.stringify(column)}`);
  const keys = [`${quoteIdentifier(column)} ${direction.toUpperCase()} NULLS LAST`];
  if (stableKey) keys.push(stableKey);
  return ` ORDER BY ${keys.join(", ")}`;
}

/** `SELECT <columns> FROM table [WHERE …] [ORDER BY …]`: the view's full result, in order. */
export function viewQuery(table: string, columns: readonly ColumnInfo[], view: GridView, stableKey?: string): BoundSql {
  const select = columns.map((c) => quoteIdentifier(c.name)).join(", ");
  const where = whereClause(columns, view);
  return {
    sql: `SELECT ${select} FROM ${quoteIdentifier(table)}${where.sql}${orderClause(columns, view, stableKey)}`,
    params: where.params,
  };
}

/** One page of a query: `… LIMIT ? OFFSET ?` with both bound. */
export function pageQuery(query: BoundSql, offset: number, limit: number): BoundSql {
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 0) {
    throw new Error(`grid page: offset and limit must be non-negative integers, got ${offset} and ${limit}`);
  }
  return { sql: `${query.sql} LIMIT ? OFFSET ?`, params: [...query.params, limit, offset] };
}

/** `SELECT count(*) AS n FROM (query)`. */
export function countQuery(query: BoundSql): BoundSql {
  return { sql: `SELECT count(*) AS n FROM (${query.sql})`, params: query.params };
}
