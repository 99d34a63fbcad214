/**
 * Rule sets as one SELECT (`toSQL` on `seg.segments` and `seg.explain` results): segment rule trees
 * compiled for a target dialect with literals in place of bound parameters, and explain's fitted
 * decision trees as nested conditionals over the features read as `seg.explain` read them.
 */
import type { SqlParam } from "../engine/engine.ts";
import type { TreeColumn } from "./explain-rules.ts";
import type { ExplainNode, ExplainTree } from "./explain.ts";
import type { ColumnRule, Rule, SegmentDefinition } from "./rules.ts";
import { sqlTarget, type SqlWriter, type ToSqlOptions } from "./to-sql-dialect.ts";

/** A value as a literal of the dialect (strings quoted, numbers exact). */
export function literal(sql: SqlWriter, value: SqlParam, fn: string): string {
  if (value === null) return "NULL";
  if (typeof value === "boolean") return sql.bool(value);
  if (typeof value === "bigint") return String(value);
  if (typeof value === "number") return Number.isSafeInteger(value) ? String(value + 0) : sql.num(value);
  if (typeof value === "string") return sql.str(value);
  if (value instanceof Date) {
    const text = sql.str(value.toISOString().replace("T", " ").replace("Z", ""));
    return sql.dialect === "duckdb" ? `CAST(${text} AS TIMESTAMP)` : `toDateTime64(${text}, 3, 'UTC')`;
  }
  throw new Error(`${fn}: cannot write ${JSON.stringify(value)} as a SQL value`);
}

/** The SELECT list head: the id columns, or every column of the table. */
const head = (sql: SqlWriter, ids: readonly string[]) => (ids.length ? ids.map((id) => sql.id(id)) : ["*"]);

/** A column rule of seg.segments in the dialect, with the same meaning as compileColumn in rules.ts. */
function columnSql(sql: SqlWriter, rule: ColumnRule, fail: (problem: string) => Error, fn: string): string {
  const col = `__t.${sql.id(rule.column)}`;
  const op = String(rule.op).toLowerCase();
  const value = rule.value;
  const one = (v: unknown) => literal(sql, v as SqlParam, fn);
  switch (op) {
    case "is null":
      return sql.isNull(col);
    case "is not null":
      return `NOT ${sql.isNull(col)}`;
    case "in":
    case "not in": {
      if (!Array.isArray(value)) throw fail(`op "${op}" needs an array value, e.g. {value: ["DE", "FR"]}`);
      if (!value.length) return op === "in" ? sql.bool(false) : `NOT ${sql.isNull(col)}`;
      return `${col} ${op.toUpperCase()} (${value.map(one).join(", ")})`;
    }
    case "between":
      if (!Array.isArray(value) || value.length !== 2) throw fail(`op "between" needs {value: [low, high]}`);
      return `${col} BETWEEN ${one(value[0])} AND ${one(value[1])}`;
    case "=":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=":
      if (value === undefined || Array.isArray(value)) throw fail(`op "${op}" needs a single value`);
      return `${col} ${op === "!=" ? "<>" : op} ${one(value)}`;
    default:
      throw fail(`unknown op "${rule.op}"`);
  }
}

/** A seg.segments condition in the dialect; SQL text conditions are copied as written. */
function ruleSql(sql: SqlWriter, rule: Rule, fail: (problem: string) => Error, fn: string): string {
  if (typeof rule === "string") return rule;
  const all = (parts: readonly Rule[], joiner: string, empty: boolean) =>
    parts.length ? parts.map((part) => `(${ruleSql(sql, part, fail, fn)})`).join(joiner) : sql.bool(empty);
  if ("all" in rule) return all(rule.all, " AND ", true);
  if ("any" in rule) return all(rule.any, " OR ", false);
  if ("not" in rule) return `NOT (${ruleSql(sql, rule.not, fail, fn)})`;
  if ("events" in rule) {
    throw fail(
      "it has an event rule, which reads a second table; toSQL compiles column rules, all/any/not and SQL conditions — aggregate the events per customer into a column first and test that column",
    );
  }
  return columnSql(sql, rule, fail, fn);
}

/** What seg.segments decided that its SQL needs. */
export interface SegmentsSqlSpec {
  definitions: readonly SegmentDefinition[];
  exclusive: boolean;
  other: string;
  as: string;
  /** The id option of seg.segments, if any (the default column carried over; otherwise every column). */
  id: string | undefined;
}

/**
 * The SELECT that assigns segments to every row of `options.table`, as seg.segments does: one
 * label column (first matching definition, else `other`; a NULL condition does not match) or, not
 * exclusive, one 0/1 column per segment. Column rules become the dialect's SQL with literal values;
 * SQL text conditions are copied as written, so they must be valid in the target dialect.
 * @example segmentsSql({definitions, exclusive: true, other: "other", as: "segment", id: "customer_id"}, {dialect: "clickhouse", table: "customers"})
 */
export function segmentsSql(spec: SegmentsSqlSpec, options: ToSqlOptions): string {
  const fn = "segments toSQL";
  const { sql, table, ids, as } = sqlTarget(options, spec.id ?? null, fn, true);
  const compiled = spec.definitions.map((d) => {
    const fail = (problem: string) => new Error(`${fn}: segment "${d.name}": ${problem}`);
    return ruleSql(sql, d.where, fail, fn);
  });
  const no = sql.bool(false);
  const columns = spec.exclusive
    ? [
        `${sql.cases(
          compiled.map((c, i) => [`(${c})`, sql.str(spec.definitions[i]!.name)] as const),
          sql.str(spec.other),
        )} AS ${sql.id(as ?? spec.as)}`,
      ]
    : compiled.map(
        (c, i) =>
          `${sql.dialect === "duckdb" ? `coalesce((${c}), ${no})` : `ifNull((${c}), ${no})`} AS ${sql.id(spec.definitions[i]!.name)}`,
      );
  const select = ids.length ? head(sql, ids) : ["__t.*"];
  return `SELECT ${[...select, ...columns].join(",\n  ")}\nFROM ${table} AS __t`;
}

/** What seg.explain fitted that its SQL needs. */
export interface ExplainSqlSpec {
  trees: readonly ExplainTree[];
  treeColumns: readonly TreeColumn[];
  mode: "one-vs-rest" | "multiclass";
  missing: "error" | "drop";
}

/**
 * The SELECT that labels every row of `options.table` with explain's trees: the multiclass tree's
 * predicted segment, or (one-vs-rest) the first segment, in the order of `info.rules`, whose rule
 * selects the row — NULL when none does. Features are read as seg.explain read them (numbers as
 * DOUBLE, text as one 0/1 column per value seen); a row with a missing feature stops the query, or
 * gets NULL when explain ran with `missing: "drop"`.
 * @example explainSql({trees, treeColumns, mode: "multiclass", missing: "error"}, {dialect: "duckdb", table: "customers"})
 */
export function explainSql(spec: ExplainSqlSpec, options: ToSqlOptions): string {
  const fn = "explain toSQL";
  const { sql, table, ids, as } = sqlTarget(options, null, fn, true);
  const value = (column: TreeColumn) =>
    column.kind === "numeric"
      ? sql.double(`__t.${sql.id(column.feature)}`)
      : sql.cases([[`__t.${sql.id(column.feature)} = ${sql.str(column.category)}`, "1e0"]], "0e0");
  const node = (nodes: readonly ExplainNode[], at: number, leaf: (n: ExplainNode) => string): string => {
    const n = nodes[at]!;
    if (n.feature < 0 || n.threshold === null) return leaf(n);
    const test = `${value(spec.treeColumns[n.feature]!)} <= ${sql.num(n.threshold)}`;
    return sql.cases([[test, node(nodes, n.left, leaf)]], node(nodes, n.right, leaf));
  };
  const label = (segment: string | number | boolean) => literal(sql, segment, fn);
  const predicted =
    spec.mode === "multiclass"
      ? node(spec.trees[0]!.nodes, 0, (n) => label(spec.trees[0]!.classes[n.prediction]!))
      : sql.cases(
          spec.trees.map(
            (tree) => [`(${node(tree.nodes, 0, (n) => sql.bool(n.prediction === 1))})`, label(tree.segment!)] as const,
          ),
          "NULL",
        );
  const features = [...new Map(spec.treeColumns.map((c) => [c.feature, c])).values()];
  const checks = features.map((c) => {
    const column = `__t.${sql.id(c.feature)}`;
    return [
      c.kind === "numeric" ? sql.notFinite(sql.double(column)) : sql.isNull(column),
      `${fn}: feature "${c.feature}" is ${c.kind === "numeric" ? "null, NaN or infinite" : "null"} in a row; filter those rows before scoring (seg.explain refused them too)`,
    ] as const;
  });
  const labelled =
    spec.missing === "drop" && checks.length
      ? sql.cases([[checks.map(([bad]) => bad).join(" OR "), "NULL"]], predicted)
      : predicted;
  const select = ids.length ? head(sql, ids) : ["__t.*"];
  const where = spec.missing === "drop" ? "" : `\nWHERE ${sql.failIf(checks)}`;
  return `SELECT ${[...select, `${labelled} AS ${sql.id(as ?? "segment")}`].join(",\n  ")}\nFROM ${table} AS __t${where}`;
}
