/**
 * Writing SQL text for a target dialect (DuckDB or ClickHouse) from fitted models: quoting names and
 * strings the way each dialect reads them, number literals that parse back to the very same double,
 * conditionals, and the "fail on a bad row" check. Everything `toSQL` emits goes through here, so a
 * hostile column name or category value is quoted in one place.
 *
 * The ClickHouse text sticks to functions ClickHouse 18.16 (2018) already had — `multiIf`, `toFloat64`,
 * `toString`, `isFinite`, `least`, `greatest` — and no window functions, so it runs on old clusters
 * as well as on a current ClickHouse.
 */
import type { SqlDialect } from "../engine/remote/remote-engine.ts";
import { pow } from "./portable-math.ts";

export type { SqlDialect };

/** The options every `toSQL` takes (models and rule sets alike). */
export interface ToSqlOptions {
  /** The SQL dialect to write: "duckdb" (local DuckDB, MotherDuck) or "clickhouse" (ClickHouse 18.16 and later). */
  dialect: SqlDialect;
  /**
   * The table to score, by its name in the target database: `"customers"`, or its parts for a
   * qualified name (`["analytics", "customers"]`). It needs the columns the model was fitted on.
   * Give this or {@link query}.
   */
  table?: string | readonly string[];
  /**
   * A SELECT, in the target dialect, whose rows are scored (it becomes a subquery): e.g. the very
   * query that aggregated the features the model was fitted on, so the warehouse scores exactly
   * that without a table being made. Give this or {@link table}.
   */
  query?: string;
  /**
   * The column(s) carried over to each output row so the labels join back (default: the id column
   * the model or rule set was fitted with).
   */
  id?: string | readonly string[];
  /** Name of the label column the query adds (default "cluster" for models, "segment" for rule sets). */
  as?: string;
}

/** The dialects, for messages. */
export const DIALECTS: readonly SqlDialect[] = ["duckdb", "clickhouse"];

/** One dialect's way of writing names, literals and conditionals. */
export interface SqlWriter {
  readonly dialect: SqlDialect;
  /** A quoted identifier (any name is safe). */
  id(name: string): string;
  /** A string literal (any text is safe). */
  str(value: string): string;
  /** A DOUBLE literal that parses back to exactly `value` (finite numbers only). */
  num(value: number): string;
  /** `expr` as a DOUBLE, as the model's reader casts it. */
  double(expr: string): string;
  /** `expr` as text, as the model's reader casts categories. */
  text(expr: string): string;
  /** Natural logarithm. */
  ln(expr: string): string;
  /** True when `expr` (already a DOUBLE) is null, NaN or infinite; never NULL itself. */
  notFinite(expr: string): string;
  /** True when `expr` is null; never NULL itself. */
  isNull(expr: string): string;
  /** The value of the first true condition (NULL conditions count as false), else `otherwise`. */
  cases(branches: readonly (readonly [string, string])[], otherwise: string): string;
  /** A WHERE condition that is true for every row, and stops the query with `message` on the first row where a check is true. */
  failIf(checks: readonly (readonly [string, string])[]): string;
  /** Boolean literal. */
  bool(value: boolean): string;
}

/** The smallest positive normal double. */
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * The shortest decimal that reads back as `value`, in exponent form: both DuckDB and ClickHouse read
 * `7.05e1` as a DOUBLE (DuckDB would read `70.5` as a DECIMAL), correctly rounded.
 */
function doubleLiteral(value: number, fn: string): string {
  if (!Number.isFinite(value)) throw new Error(`${fn}: the model holds a non-finite number (${value}); refit it`);
  // `-x` parses as unary minus of a positive literal, exact; -0 is written as 0 (same comparisons).
  if (value === 0) return "0e0";
  if (Math.abs(value) < MIN_NORMAL) {
    // ClickHouse 18.16 refuses subnormal literals (its parser treats the underflow as an error):
    // write v as (v * 2^600) * 2^-600, both factors normal and the product exact.
    return `(${doubleLiteral(value * pow(2, 600), fn)} * ${doubleLiteral(pow(2, -600), fn)})`;
  }
  const text = value.toExponential();
  return value < 0 ? `(${text})` : text;
}

const duckdb = (fn: string): SqlWriter => ({
  dialect: "duckdb",
  id: (name) => `"${name.replaceAll('"', '""')}"`,
  str: (value) => `'${value.replaceAll("'", "''")}'`,
  num: (value) => doubleLiteral(value, fn),
  double: (expr) => `CAST(${expr} AS DOUBLE)`,
  ln: (expr) => `ln(${expr})`,
  text: (expr) => `CAST(${expr} AS VARCHAR)`,
  notFinite: (expr) => `coalesce(NOT isfinite(${expr}), TRUE)`,
  isNull: (expr) => `(${expr} IS NULL)`,
  cases: (branches, otherwise) =>
    branches.length
      ? `CASE ${branches.map(([when, then]) => `WHEN ${when} THEN ${then}`).join(" ")} ELSE ${otherwise} END`
      : otherwise,
  failIf: (checks) =>
    checks.length
      ? `CASE ${checks.map(([when, message]) => `WHEN ${when} THEN error(${duckdb(fn).str(message)})`).join(" ")} ELSE TRUE END`
      : "TRUE",
  bool: (value) => (value ? "TRUE" : "FALSE"),
});

/** ClickHouse reads backslash escapes in quoted names and strings, so backslashes are escaped too. */
const escapeClickHouse = (value: string, quote: string) =>
  value.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`);

const clickhouse = (fn: string): SqlWriter => ({
  dialect: "clickhouse",
  id: (name) => `\`${escapeClickHouse(name, "`")}\``,
  str: (value) => `'${escapeClickHouse(value, "'")}'`,
  num: (value) => doubleLiteral(value, fn),
  double: (expr) => `toFloat64(${expr})`,
  ln: (expr) => `log(${expr})`,
  text: (expr) => `toString(${expr})`,
  notFinite: (expr) => `ifNull(NOT isFinite(${expr}), 1)`,
  isNull: (expr) => `isNull(${expr})`,
  // multiIf, not if: ClickHouse 18.16's `if` returns NULL for a NULL condition; multiIf takes the else.
  cases: (branches, otherwise) =>
    branches.length
      ? `multiIf(${branches.map(([when, then]) => `${when}, ${then}`).join(", ")}, ${otherwise})`
      : otherwise,
  // 18.16's throwIf takes no message; a failed parse of the message does, and only for the bad row
  // (multiIf evaluates every branch, so the message must be data, not a constant that always fails).
  failIf: (checks) =>
    checks.length
      ? `toUInt8(multiIf(${checks.map(([when, message]) => `${when}, ${clickhouse(fn).str(message)}`).join(", ")}, '0')) = 0`
      : "1",
  bool: (value) => (value ? "1" : "0"),
});

/**
 * Checks the options every `toSQL` takes and returns the dialect's writer, the quoted table and the
 * id columns (the fitted id when none are given; none, meaning every column of the table, when
 * `everyColumnByDefault` and there is no fitted id). `fn` names the caller in messages.
 * @example
 * const {sql, table, ids} = sqlTarget(options, model.id, "kmeans model.toSQL");
 * `SELECT ${ids.map(sql.id).join(", ")} FROM ${table}`;
 */
export function sqlTarget(
  options: ToSqlOptions,
  fittedId: string | readonly string[] | null,
  fn: string,
  everyColumnByDefault = false,
): { sql: SqlWriter; table: string; ids: string[]; as: string | undefined } {
  if (!options || typeof options !== "object") {
    throw new Error(
      `${fn}: pass {dialect: "clickhouse" | "duckdb", table: "<table to score>"} (or {query: "SELECT …"})`,
    );
  }
  const dialect = options.dialect as unknown;
  if (dialect !== "duckdb" && dialect !== "clickhouse") {
    throw new Error(
      `${fn}: unknown dialect ${JSON.stringify(dialect)}; use ${DIALECTS.map((d) => JSON.stringify(d)).join(" or ")}`,
    );
  }
  const sql = dialect === "duckdb" ? duckdb(fn) : clickhouse(fn);
  const table = scoredSource(options, sql, fn);
  const given: unknown = options.id ?? fittedId;
  const ids: unknown[] = given === null ? [] : Array.isArray(given) ? [...(given as unknown[])] : [given];
  if (!ids.every((id) => typeof id === "string" && id !== "")) {
    throw new Error(`${fn}: id must be a column name or a list of column names, got ${JSON.stringify(options.id)}`);
  }
  if (ids.length === 0 && !everyColumnByDefault) {
    throw new Error(
      `${fn}: the model was fitted without an id column, so its labels could not be joined back; pass {id: "<id column>"}`,
    );
  }
  if (options.as !== undefined && (typeof options.as !== "string" || options.as === "")) {
    throw new Error(`${fn}: as must be a column name, got ${JSON.stringify(options.as)}`);
  }
  if (options.as !== undefined && ids.includes(options.as)) {
    throw new Error(`${fn}: as "${options.as}" is also an id column; pass another {as: "<column name>"}`);
  }
  return { sql, table, ids: ids as string[], as: options.as };
}

/** The FROM item of the rows to score: the quoted table name, or the query as a subquery. */
function scoredSource(options: ToSqlOptions, sql: SqlWriter, fn: string): string {
  if (options.query !== undefined && options.table !== undefined) {
    throw new Error(`${fn}: pass either {table} or {query}, not both`);
  }
  if (options.query !== undefined) {
    // A trailing ";" would end the statement inside the parentheses.
    const query = typeof options.query === "string" ? options.query.trim().replace(/;\s*$/, "") : "";
    if (query === "")
      throw new Error(`${fn}: query must be a SELECT in the target dialect, got ${JSON.stringify(options.query)}`);
    return `(${query})`;
  }
  const parts = typeof options.table === "string" ? [options.table] : options.table;
  if (!Array.isArray(parts) || parts.length === 0 || !parts.every((p) => typeof p === "string" && p !== "")) {
    throw new Error(
      `${fn}: pass {table: "<name>"} (or its parts, ["database", "table"]): the table to score in the target database; or {query: "SELECT …"}`,
    );
  }
  return parts.map((p) => sql.id(p)).join(".");
}

/**
 * The index of the first smallest (or largest, `"max"`) of `values`, as the JS kernels pick it: a
 * later value wins only when strictly better, so ties go to the lower index.
 * @example firstBest(sql, ["d0", "d1", "d2"], "min") // multiIf(d0 <= d1 AND d0 <= d2, 0, d1 < d0 AND d1 <= d2, 1, 2)
 */
export function firstBest(sql: SqlWriter, values: readonly string[], best: "min" | "max"): string {
  const [strict, loose] = best === "min" ? ["<", "<="] : [">", ">="];
  const branches = values.slice(0, -1).map((value, c): [string, string] => [
    values
      .map((other, j) => (j === c ? "" : `${value} ${j < c ? strict : loose} ${other}`))
      .filter(Boolean)
      .join(" AND "),
    String(c),
  ]);
  return sql.cases(branches, String(values.length - 1));
}
