/**
 * Named segments from conditions: SQL predicates, structured rule trees compiled to SQL with bound
 * parameters, and event conditions ("at least 3 purchases in the last 30 days") evaluated against a
 * transactions table. Everything runs as one DuckDB query.
 */
import type { SqlParam } from "../engine/engine.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import { requireColumns, resolveTable } from "./context.ts";
import type { SegContext, TableInput } from "./context.ts";
import { dayAfter, newestDate, parseAsOf } from "./as-of.ts";
import { segTable, withToSql, type SegTable, type SqlScoring } from "./contract.ts";
import { segmentsSql } from "./to-sql-rules.ts";

/** Comparison operators of a column rule. */
export type RuleOp = "=" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in" | "between" | "is null" | "is not null";

/** `{column, op, value}`: `in`/`not in` take an array, `between` a `[low, high]` pair (inclusive). */
export interface ColumnRule {
  column: string;
  op: RuleOp;
  value?: SqlParam | readonly SqlParam[];
}

/** Bounds on a number; either may be left out. */
export interface Bounds {
  atLeast?: number;
  atMost?: number;
}

/**
 * A condition on each customer's events (purchases) in a window before a reference date. An event's
 * age is its whole elapsed days before the reference date (like RFM recency); events after the
 * reference date never count. `within: {days: 30}` means age 0..29 (the last 30 days);
 * `within: {between: [60, 90]}` means ages 60 to 90 inclusive. Without `count` and `amount` the
 * condition is `count: {atLeast: 1}`; "no purchase" is `count: {atMost: 0}`.
 */
export interface EventRule {
  events: { table: TableInput; id: string; date: string; amount?: string };
  count?: Bounds;
  /** Bounds on the summed `events.amount` in the window (0 when there is none). */
  amount?: Bounds;
  /**
   * The window; `of` is the reference day ("YYYY-MM-DD", ages counted from its end). Default: the
   * `asOf` option, else 24 hours after the event table's latest event.
   */
  within: { days: number; of?: Date | string } | { between: readonly [number, number]; of?: Date | string };
}

/** A condition: a SQL predicate string, a combination, a column rule or an event rule. */
export type Rule =
  string | { all: readonly Rule[] } | { any: readonly Rule[] } | { not: Rule } | ColumnRule | EventRule;

/** A named segment. */
export interface SegmentDefinition {
  name: string;
  where: Rule;
}

/** Options of {@link segments}. */
export interface SegmentsOptions {
  /** The segments: `[{name, where}, …]` in priority order, or `{name: where, …}`. */
  definitions: readonly SegmentDefinition[] | Record<string, Rule>;
  /** true (default): one `segment` column, first matching definition wins; false: one boolean column per segment. */
  exclusive?: boolean;
  /** Label of customers no definition matches (exclusive mode), default "other". */
  other?: string;
  /** Name of the segment column (exclusive mode), default "segment". */
  as?: string;
  /** The table's customer id column for event rules (default: the event table's `id` name). */
  id?: string;
  /** Reference day of event rules that give no `within.of` ("YYYY-MM-DD"; ages count from its end). */
  asOf?: Date | string;
}

/** Per segment: customers its condition matches, and customers it gets (fewer when exclusive). */
export interface SegmentSize {
  segment: string;
  matches: number;
  assigned: number;
}

/** What {@link segments} decided, in `info`. */
export interface SegmentsInfo {
  /** Per segment, in definition order: rows its condition matches, and rows it is assigned. */
  sizes: SegmentSize[];
  exclusive: boolean;
  /**
   * The reference day of event rules: the `asOf` option, else the newest day of the event tables
   * (ages then count from 24 hours after the latest event); null without event rules.
   */
  asOf: string | null;
}

/**
 * What {@link segments} returns: the table with the segment column (exclusive, marked as the
 * segment column) or one boolean column per segment, with {@link SegmentsInfo}, and `toSQL`, the
 * same segments as one SELECT for DuckDB or ClickHouse (column rules; event rules stay local).
 */
export type SegmentsResult = SegTable<SegmentsInfo> & SqlScoring;

const OPS = new Set<string>(["=", "!=", "<", "<=", ">", ">=", "in", "not in", "between", "is null", "is not null"]);
const DAY_US = 86_400_000_000;

interface Compiled {
  sql: string;
  params: SqlParam[];
}

interface CompileScope {
  ctx: SegContext;
  table: TableHandle;
  segment: string;
  options: Omit<SegmentsOptions, "definitions">;
  /** The newest day of each event table used, for info.asOf. */
  newest: string[];
}

const fail = (scope: CompileScope, problem: string) =>
  new Error(`seg.segments: segment "${scope.segment}": ${problem}`);

/** The reference instant of a reference day: the end of it (midnight of the next day). */
function dateParam(value: Date | string | undefined): string | null {
  if (value === undefined) return null;
  return `${dayAfter(parseAsOf(value, "segments"))} 00:00:00`;
}

function boundsSql(expr: string, bounds: Bounds, what: string, scope: CompileScope, params: SqlParam[]): string[] {
  const parts: string[] = [];
  for (const [key, op] of [
    ["atLeast", ">="],
    ["atMost", "<="],
  ] as const) {
    const bound = bounds[key];
    if (bound === undefined) continue;
    if (typeof bound !== "number" || !Number.isFinite(bound)) throw fail(scope, `${what}.${key} must be a number`);
    parts.push(`${expr} ${op} ?`);
    params.push(bound);
  }
  if (!parts.length) throw fail(scope, `${what} needs atLeast and/or atMost`);
  return parts;
}

async function compileEvents(rule: EventRule, scope: CompileScope): Promise<Compiled> {
  const { events, within } = rule;
  if (events && "customer" in events)
    throw fail(scope, `events: the key "customer" is now "id"; pass events: {table, id, date, amount?}`);
  if (!events || typeof events.id !== "string" || typeof events.date !== "string") {
    throw fail(scope, `events needs {table, id, date} (amount optional)`);
  }
  const source = await resolveTable(scope.ctx, events.table, "segments");
  requireColumns(source, [events.id, events.date, ...(events.amount ? [events.amount] : [])], "segments");
  const id = scope.options.id ?? events.id;
  if (!scope.table.columns.some((c) => c.name === id)) {
    throw fail(
      scope,
      `event rules join on column "${id}", which table "${scope.table.name}" lacks; pass {id: "<customer id column>"}`,
    );
  }
  const params: SqlParam[] = [];
  const eventTime = `epoch_us(CAST(__e.${quoteIdentifier(events.date)} AS TIMESTAMP))`;
  const ref = dateParam(within?.of ?? scope.options.asOf);
  if (within?.of === undefined && scope.options.asOf === undefined) {
    const newest = await newestDate(scope.ctx, source, events.date);
    if (newest !== null) scope.newest.push(newest);
  }
  params.push(ref);
  const asOf = `coalesce(epoch_us(CAST(? AS TIMESTAMP)), (SELECT max(epoch_us(CAST(${quoteIdentifier(events.date)} AS TIMESTAMP))) FROM ${quoteIdentifier(source.name)}) + ${DAY_US})`;
  const age = `floor((${asOf} - ${eventTime}) / ${DAY_US}.0)`;
  let window: string;
  if (within && "days" in within && typeof within.days === "number" && within.days > 0) {
    window = `${age} >= 0 AND ${age} < ?`;
    params.push(ref, within.days);
  } else if (within && "between" in within && Array.isArray(within.between) && within.between.length === 2) {
    const [low, high] = within.between;
    if (!(low >= 0 && high >= low)) throw fail(scope, `within.between needs 0 <= low <= high, got [${low}, ${high}]`);
    window = `${age} BETWEEN ? AND ?`;
    params.push(low, high);
  } else {
    throw fail(
      scope,
      `within must be {days: N} (N > 0) or {between: [low, high]} in whole days before the reference date`,
    );
  }
  const from = `FROM ${quoteIdentifier(source.name)} AS __e WHERE __e.${quoteIdentifier(events.id)} = __t.${quoteIdentifier(id)} AND ${window}`;
  const parts: string[] = [];
  const windowParams = [...params];
  const count = rule.count ?? (rule.amount ? undefined : { atLeast: 1 });
  const out: SqlParam[] = [];
  if (count) {
    const bounds: SqlParam[] = [];
    const checks = boundsSql("__n", count, "count", scope, bounds);
    for (const check of checks) {
      parts.push(check.replace("__n", `(SELECT count(*) ${from})`));
      out.push(...windowParams, bounds.shift()!);
    }
  }
  if (rule.amount) {
    if (!events.amount) throw fail(scope, `an amount condition needs events.amount (the column to sum)`);
    const bounds: SqlParam[] = [];
    const checks = boundsSql("__s", rule.amount, "amount", scope, bounds);
    const sum = `coalesce((SELECT sum(__e.${quoteIdentifier(events.amount)}) ${from}), 0)`;
    for (const check of checks) {
      parts.push(check.replace("__s", sum));
      out.push(...windowParams, bounds.shift()!);
    }
  }
  return { sql: parts.join(" AND "), params: out };
}

function compileColumn(rule: ColumnRule, scope: CompileScope): Compiled {
  requireColumns(scope.table, [rule.column], "segments");
  const col = `__t.${quoteIdentifier(rule.column)}`;
  const op = String(rule.op).toLowerCase();
  if (!OPS.has(op)) throw fail(scope, `unknown op "${rule.op}"; use one of ${[...OPS].join(", ")}`);
  if (op === "is null" || op === "is not null") return { sql: `${col} ${op.toUpperCase()}`, params: [] };
  const value = rule.value;
  if (op === "in" || op === "not in") {
    if (!Array.isArray(value)) throw fail(scope, `op "${op}" needs an array value, e.g. {value: ["DE", "FR"]}`);
    // An empty list matches nothing (IN) or everything that is not null (NOT IN), as in SQL with a list.
    if (!value.length) return { sql: op === "in" ? "FALSE" : `${col} IS NOT NULL`, params: [] };
    return { sql: `${col} ${op.toUpperCase()} (${value.map(() => "?").join(", ")})`, params: [...value] };
  }
  if (op === "between") {
    if (!Array.isArray(value) || value.length !== 2) throw fail(scope, `op "between" needs {value: [low, high]}`);
    return { sql: `${col} BETWEEN ? AND ?`, params: [value[0], value[1]] };
  }
  if (value === undefined || Array.isArray(value)) throw fail(scope, `op "${op}" needs a single value`);
  return { sql: `${col} ${op === "!=" ? "<>" : op} ?`, params: [value as SqlParam] };
}

async function compileRule(rule: Rule, scope: CompileScope): Promise<Compiled> {
  if (typeof rule === "string") {
    try {
      await scope.ctx.db.engine.query(
        `SELECT CAST((${rule}) AS BOOLEAN) AS ok FROM ${quoteIdentifier(scope.table.name)} AS __t LIMIT 0`,
      );
    } catch (error) {
      throw new Error(
        `seg.segments: segment "${scope.segment}": invalid SQL condition ${JSON.stringify(rule)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return { sql: rule, params: [] };
  }
  if (!rule || typeof rule !== "object") throw fail(scope, `a condition must be a SQL string or a rule object`);
  const combine = async (parts: readonly Rule[], joiner: string, empty: string): Promise<Compiled> => {
    if (!Array.isArray(parts)) throw fail(scope, `all/any need an array of conditions`);
    if (!parts.length) return { sql: empty, params: [] };
    const compiled = [];
    for (const part of parts) compiled.push(await compileRule(part, scope));
    return { sql: compiled.map((c) => `(${c.sql})`).join(joiner), params: compiled.flatMap((c) => c.params) };
  };
  if ("all" in rule) return combine(rule.all, " AND ", "TRUE");
  if ("any" in rule) return combine(rule.any, " OR ", "FALSE");
  if ("not" in rule) {
    const inner = await compileRule(rule.not, scope);
    return { sql: `NOT (${inner.sql})`, params: inner.params };
  }
  if ("events" in rule) return compileEvents(rule, scope);
  if ("column" in rule) return compileColumn(rule, scope);
  throw fail(
    scope,
    `unknown rule ${JSON.stringify(rule)}; use a SQL string, {all}, {any}, {not}, {column, op, value} or {events, within}`,
  );
}

function normalize(definitions: readonly SegmentDefinition[] | Record<string, Rule>): SegmentDefinition[] {
  const list = Array.isArray(definitions)
    ? definitions
    : Object.entries(definitions ?? {}).map(([name, where]) => ({ name, where }));
  if (!list.length)
    throw new Error(`seg.segments: pass at least one definition, e.g. [{name: "vip", where: "monetary > 1000"}]`);
  list.forEach((d, i) => {
    if (!d || typeof d.name !== "string" || d.name === "" || d.where === undefined) {
      throw new Error(`seg.segments: definition ${i + 1} needs {name, where}`);
    }
  });
  const names = list.map((d) => d.name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new Error(`seg.segments: segment name "${repeated}" is used twice`);
  return list;
}

/**
 * Assigns named segments from conditions. Exclusive (default): adds one column (`segment`) holding the
 * first matching definition's name, or `other`; conditions that are NULL for a row count as not
 * matching. Non-exclusive: adds one boolean column per segment (named after it), for
 * {@link overlap}. Rows keep the table's columns. `info.sizes` has matches vs. assigned per
 * segment, `info.asOf` the reference day of event rules, and `warnings` name segments that match
 * nobody or lose all their customers to earlier ones.
 *
 * Conditions: a SQL predicate (`"monetary > 1000 AND country = 'UK'"`, checked by DuckDB), a rule
 * tree `{all: [...]}`, `{any: [...]}`, `{not: rule}`, `{column, op, value}`, or an event rule (see
 * {@link EventRule}).
 *
 * @example
 * const events = {table: orders, id: "customer_id", date: "order_date"};
 * const segs = await seg.segments(customers, {definitions: [
 *   {name: "young_web", where: {all: [{column: "age", op: "<", value: 30}, {column: "channel", op: "=", value: "web"}]}},
 *   {name: "active", where: {events, count: {atLeast: 3}, within: {days: 90}}},
 * ], id: "customer_id"});
 * segs.info.sizes; // [{segment: "young_web", matches: …, assigned: …}, {segment: "active", …}]
 * const young = await seg.segments(customers, {definitions: {young: {column: "age", op: "<", value: 30}}});
 * young.toSQL({dialect: "clickhouse", table: "customers", id: "customer_id"}); // the same segments, in the warehouse
 */
export async function segments(ctx: SegContext, input: TableInput, options: SegmentsOptions): Promise<SegmentsResult> {
  const table = await resolveTable(ctx, input, "segments");
  if (Array.isArray(options) || options === undefined || options === null || !("definitions" in options))
    throw new Error(
      `seg.segments: pass one options object with the definitions: seg.segments(table, {definitions: [{name, where}, …], …})`,
    );
  const { definitions, ...rest } = options;
  const list = normalize(definitions);
  const { exclusive = true, other = "other", as = "segment" } = rest;
  const added = exclusive ? [as] : list.map((d) => d.name);
  const taken = added.filter((name) => table.columns.some((c) => c.name === name));
  if (taken.length) {
    throw new Error(
      `seg.segments: the table already has column(s) ${taken.join(", ")}; ${exclusive ? `pass {as: "<column name>"}` : "rename the segments"}`,
    );
  }
  if (exclusive && list.some((d) => d.name === other)) {
    throw new Error(`seg.segments: "${other}" is both a segment and the catch-all label; pass {other: "<label>"}`);
  }
  const compiled: Compiled[] = [];
  const newest: string[] = [];
  for (const d of list)
    compiled.push(await compileRule(d.where, { ctx, table, segment: d.name, options: rest, newest }));

  const params: SqlParam[] = [];
  let columnsSql: string;
  if (exclusive) {
    const whens = compiled.map((c, i) => {
      params.push(...c.params, list[i]!.name);
      return `WHEN (${c.sql}) THEN ?`;
    });
    params.push(other);
    columnsSql = `CASE ${whens.join(" ")} ELSE ? END AS ${quoteIdentifier(as)}`;
  } else {
    columnsSql = compiled
      .map((c, i) => {
        params.push(...c.params);
        return `coalesce((${c.sql}), FALSE) AS ${quoteIdentifier(list[i]!.name)}`;
      })
      .join(", ");
  }
  const src = `${quoteIdentifier(table.name)} AS __t`;
  const result = await ctx.db.query(`SELECT __t.*, ${columnsSql} FROM ${src}`, params);

  // Sizes: what each condition matches on its own, and what it is assigned.
  const countParams = compiled.flatMap((c) => c.params);
  const counts = await ctx.db.engine.query(
    `SELECT ${compiled.map((c, i) => `count_if(coalesce((${c.sql}), FALSE)) AS m${i}`).join(", ")} FROM ${src}`,
    countParams,
  );
  const assignedRows = exclusive
    ? await ctx.db.engine.query(
        `SELECT ${quoteIdentifier(as)} AS s, count(*) AS n FROM ${quoteIdentifier(result.name)} GROUP BY 1`,
      )
    : null;
  const assigned = new Map<string, number>();
  for (let i = 0; i < (assignedRows?.numRows ?? 0); i++) {
    assigned.set(String(assignedRows!.getChild("s")!.get(i)), Number(assignedRows!.getChild("n")!.get(i)));
  }
  const warnings: string[] = [];
  const sizes = list.map((d, i) => {
    const matches = Number(counts.getChild(`m${i}`)!.get(0));
    const got = exclusive ? (assigned.get(d.name) ?? 0) : matches;
    if (matches === 0) warnings.push(`segment "${d.name}" matches no row`);
    else if (got === 0)
      warnings.push(`segment "${d.name}" matches ${matches} rows but earlier segments take all of them`);
    return { segment: d.name, matches, assigned: got };
  });
  // Exclusive segments live in one column; overlapping ones are a boolean column each (no one segment column).
  const asOf =
    rest.asOf !== undefined ? parseAsOf(rest.asOf, "segments") : newest.length ? newest.sort().at(-1)! : null;
  const spec = { definitions: list, exclusive, other, as, id: rest.id };
  return withToSql(segTable(result, { sizes, exclusive, asOf }, warnings, exclusive ? as : undefined), (o) =>
    segmentsSql(spec, o),
  );
}
