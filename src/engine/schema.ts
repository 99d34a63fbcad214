/**
 * The schema browser's view of the engine: every user table and view (loaded files, named SQL
 * results, tables cells made) with its row count and columns. Segbook's own staging and result
 * tables (`__segbook_*`) are left out.
 */
import type { ColumnInfo, Engine } from "./engine.ts";
import { INTERNAL_NAME_PREFIX, quoteIdentifier, quoteString } from "./sql-text.ts";

/** One table or view as the schema browser lists it. */
export interface TableSummary {
  name: string;
  kind: "table" | "view";
  /** True for temporary tables (e.g. made by `db.query` in a cell). */
  temporary: boolean;
  /** Exact row count (`count(*)`). */
  numRows: number;
  columns: ColumnInfo[];
}

/**
 * Lists user tables and views, temporary or not, by name, excluding Segbook's internal ones except
 * those in `include` (internal tables a cell bound to a name of its own, see Session.tableLabels).
 */
export function listRelationsSql(include: readonly string[] = []): string {
  const hidden = quoteString(INTERNAL_NAME_PREFIX);
  const shown = include.length ? ` OR name IN (${include.map(quoteString).join(", ")})` : "";
  return (
    `SELECT * FROM (` +
    `SELECT database_name, schema_name, table_name AS name, 'table' AS kind, temporary FROM duckdb_tables() ` +
    `WHERE NOT internal ` +
    `UNION ALL ` +
    `SELECT database_name, schema_name, view_name AS name, 'view' AS kind, temporary FROM duckdb_views() ` +
    `WHERE NOT internal` +
    `) WHERE NOT starts_with(name, ${hidden})${shown} ORDER BY lower(name), temporary, name`
  );
}

function qualified(row: { database_name: string; schema_name: string; name: string }): string {
  return [row.database_name, row.schema_name, row.name].map(quoteIdentifier).join(".");
}

/**
 * Every user table and view (and the internal ones in `include`) with exact row counts and columns,
 * in three queries.
 * @example const tables = await listTables(engine); // [{name: "customers", numRows: 200, ...}]
 */
export async function listTables(engine: Engine, include: readonly string[] = []): Promise<TableSummary[]> {
  const relations = [...(await engine.query(listRelationsSql(include)))].map((r) => ({
    database_name: String(r.database_name),
    schema_name: String(r.schema_name),
    name: String(r.name),
    kind: r.kind === "view" ? ("view" as const) : ("table" as const),
    temporary: Boolean(r.temporary),
  }));
  if (relations.length === 0) return [];
  const counts = await engine.query(
    relations.map((r, i) => `SELECT ${i} AS i, count(*) AS n FROM ${qualified(r)}`).join(" UNION ALL "),
  );
  const numRows = new Map<number, number>();
  for (const row of counts) numRows.set(Number(row.i), Number(row.n));
  const columnRows = await engine.query(
    `SELECT database_name, schema_name, table_name, column_name, data_type FROM duckdb_columns() ` +
      `WHERE NOT internal ORDER BY database_name, schema_name, table_name, column_index`,
  );
  const columns = new Map<string, ColumnInfo[]>();
  for (const row of columnRows) {
    const key = qualified({
      database_name: String(row.database_name),
      schema_name: String(row.schema_name),
      name: String(row.table_name),
    });
    let list = columns.get(key);
    if (!list) columns.set(key, (list = []));
    list.push({ name: String(row.column_name), type: String(row.data_type) });
  }
  return relations.map((r, i) => ({
    name: r.name,
    kind: r.kind,
    temporary: r.temporary,
    numRows: numRows.get(i) ?? 0,
    columns: columns.get(qualified(r)) ?? [],
  }));
}
