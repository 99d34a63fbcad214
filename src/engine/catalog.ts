/**
 * Catalog operations the engine core builds on: describing a relation, and swapping a freshly built
 * staging table/view in under the user's name.
 */
import type { Table as ArrowTable } from "apache-arrow";
import type { ColumnInfo } from "./engine.ts";
import type { WireParam } from "./params.ts";
import { quoteIdentifier } from "./sql-text.ts";

/** Runs SQL on the engine's connection (no guards, raw DuckDB errors). */
export type RunSql = (sql: string, params?: WireParam[]) => Promise<ArrowTable>;

/** The string values of one column of a result. */
function strings(table: ArrowTable, column: string): string[] {
  const vector = table.getChild(column);
  return vector ? (vector.toArray() as unknown[]).map(String) : [];
}

/** Columns of a table or view, as DuckDB's DESCRIBE reports them. */
export async function describeRelation(run: RunSql, name: string): Promise<ColumnInfo[]> {
  const result = await run(`DESCRIBE ${quoteIdentifier(name)}`);
  const names = strings(result, "column_name");
  const types = strings(result, "column_type");
  return names.map((column, i) => ({ name: column, type: types[i]! }));
}

/** Row count of a table or view. */
export async function countRows(run: RunSql, name: string): Promise<number> {
  const result = await run(`SELECT count(*) AS n FROM ${quoteIdentifier(name)}`);
  return Number(result.getChild("n")?.get(0) ?? 0);
}

/**
 * The table or view already called `name` in the current schema (DuckDB names are
 * case-insensitive, so `People` matches `people`), or null.
 */
export async function findRelation(
  run: RunSql,
  name: string,
): Promise<{ name: string; kind: "table" | "view" } | null> {
  // duckdb_tables() and duckdb_views() directly: information_schema.tables is a large view over them
  // whose first use costs a visit ~100 ms of DuckDB compiling its own code (every load asks this).
  const here = "database_name = current_database() AND schema_name = current_schema()";
  const result = await run(
    `SELECT table_name AS name, 'table' AS kind FROM duckdb_tables() WHERE ${here} AND lower(table_name) = lower(?) ` +
      `UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE ${here} AND NOT internal AND lower(view_name) = lower(?)`,
    [name, name],
  );
  const names = strings(result, "name");
  const kinds = strings(result, "kind");
  if (names.length === 0) return null;
  return { name: names[0]!, kind: kinds[0] === "view" ? "view" : "table" };
}

/**
 * Replaces whatever is called `name` with the staging table/view, in one transaction, so a failed
 * load never leaves the old data half-removed.
 */
export async function swapIn(run: RunSql, name: string, staging: string, kind: "table" | "view"): Promise<void> {
  const existing = await findRelation(run, name);
  const statements = ["BEGIN TRANSACTION"];
  if (existing) {
    statements.push(`DROP ${existing.kind === "view" ? "VIEW" : "TABLE"} ${quoteIdentifier(existing.name)}`);
  }
  statements.push(
    `ALTER ${kind === "view" ? "VIEW" : "TABLE"} ${quoteIdentifier(staging)} RENAME TO ${quoteIdentifier(name)}`,
    "COMMIT",
  );
  try {
    await run(statements.join(";\n"));
  } catch (error) {
    await run("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** Drops a staging table or view if it exists (cleanup after a failed load). */
export async function dropIfExists(run: RunSql, name: string): Promise<void> {
  const existing = await findRelation(run, name);
  if (existing) {
    await run(`DROP ${existing.kind === "view" ? "VIEW" : "TABLE"} ${quoteIdentifier(existing.name)}`);
  }
}
