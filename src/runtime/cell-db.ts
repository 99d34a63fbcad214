/**
 * The `db` and `sql` a cell sees. Query results become tables in DuckDB (data stays there until a
 * cell asks for it) owned by the cell that made them: they are dropped when that cell re-runs or is
 * deleted, so re-running a notebook never piles up tables.
 */
import type { Engine, SqlParam } from "../engine/engine.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import { createTableHandle } from "../engine/table-handle.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import { bindSql } from "./sql-bind.ts";
import { scanSql, WRAPPED_QUERY_KEYWORDS } from "./sql-scan.ts";

/** The database as a cell sees it. */
export interface CellDb {
  /** Runs a query with optional bound parameters; the result is a table handle. */
  query(sql: string, params?: readonly SqlParam[]): Promise<TableHandle>;
  /** Runs statements for their effect (CREATE, INSERT, …). */
  exec(sql: string): Promise<void>;
  /** A handle on an existing table or view. */
  table(name: string): Promise<TableHandle>;
  /** The engine itself, for what the handle API does not cover (results as Arrow). */
  readonly engine: Engine;
}

/** The `sql` tagged template: `` sql`select * from t where x = ${x}` `` -> a table handle. */
export type SqlTag = (strings: TemplateStringsArray, ...values: unknown[]) => Promise<TableHandle>;

let tableCounter = 0;

/**
 * Makes a query usable after `CREATE TABLE … AS`: trailing semicolons go, and statements DuckDB
 * cannot nest there (DESCRIBE, SUMMARIZE, SHOW) are wrapped in a subquery.
 */
export function asSubquery(query: string): string {
  const text = query.replace(/[\s;]+$/, "");
  const { firstKeyword } = scanSql(text);
  return WRAPPED_QUERY_KEYWORDS.has(firstKeyword) ? `SELECT * FROM (${text}\n)` : `${text}\n`;
}

/** An error in SQL the user wrote, located on the line of their text when DuckDB says where. */
export class SqlError extends Error {
  /** 1-based line within the user's SQL. */
  readonly line: number | undefined;
  constructor(message: string, line: number | undefined) {
    super(message);
    this.name = "SqlError";
    this.line = line;
  }
}

/**
 * Rewrites a DuckDB error for a statement that was prefixed with `prefixLines` lines of our own, so
 * its `LINE n:` context counts the user's lines and never shows SQL they did not write.
 */
export function userSqlError(error: unknown, prefixLines: number): SqlError {
  const message = error instanceof Error ? error.message : String(error);
  const match = /\n*LINE (\d+):/.exec(message);
  if (!match) return new SqlError(message, undefined);
  const line = Number(match[1]) - prefixLines;
  if (line < 1) return new SqlError(message.slice(0, match.index).trimEnd(), undefined);
  return new SqlError(message.replace(/LINE \d+:/, `LINE ${line}:`), line);
}

/** Runs `query` into a new table `name` (replacing it) and returns its handle. */
export async function queryIntoTable(
  engine: Engine,
  name: string,
  query: string,
  params: readonly SqlParam[],
  temporary: boolean,
): Promise<TableHandle> {
  const kind = temporary ? "TEMP TABLE" : "TABLE";
  // The wrapper sits on a line of its own so DuckDB's line numbers point into the user's text.
  const statement = `CREATE OR REPLACE ${kind} ${quoteIdentifier(name)} AS\n${asSubquery(query)}`;
  try {
    await engine.query(statement, params);
  } catch (error) {
    throw userSqlError(error, 1);
  }
  return createTableHandle(engine, name);
}

/** A cell's database access, and a function that drops what it made. */
export function createCellDb(engine: Engine): { db: CellDb; sql: SqlTag; dispose: () => Promise<void> } {
  const owned: string[] = [];
  let disposed = false;
  const query = async (text: string, params: readonly SqlParam[] = []) => {
    // A superseded run must not leave tables behind that nobody will drop.
    if (disposed) throw new Error("this run of the cell was superseded by a newer one");
    const { isQuery } = scanSql(text);
    if (!isQuery) {
      throw new Error(
        "db.query expects a query (SELECT, WITH, FROM, …); use db.exec for statements such as CREATE or INSERT",
      );
    }
    const name = `__segbook_t${++tableCounter}`;
    owned.push(name);
    return queryIntoTable(engine, name, text, params, true);
  };
  const db: CellDb = {
    query,
    exec: (text) => engine.exec(text),
    table: (name) => createTableHandle(engine, name),
    engine,
  };
  const sql: SqlTag = (strings, ...values) => {
    const { text, params } = bindSql(strings, values);
    return query(text, params);
  };
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    const names = owned.splice(0);
    for (const name of names) await engine.exec(`DROP TABLE IF EXISTS temp.${quoteIdentifier(name)}`);
  };
  return { db, sql, dispose };
}
