/**
 * RFM (recency, frequency, monetary) scoring of customers from a transactions table. Aggregation and
 * scoring run in DuckDB; only the quantile edges are computed in TypeScript (qcut-kernel.ts), so the
 * scores match pandas' `qcut` bit for bit.
 */
import type { DataType } from "apache-arrow";
import { columnValues } from "../engine/arrow-values.ts";
import type { SqlParam } from "../engine/engine.ts";
import { isTableHandle } from "../engine/is-table-handle.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import { requireColumns, resolveTable } from "./context.ts";
import { exactSumSql } from "./exact-sum.ts";
import type { SegContext, TableInput } from "./context.ts";
import { firstDuplicateEdge, linspaceProbabilities, qcutEdges, quantilesSorted } from "./qcut-kernel.ts";
import { resolveRfmMap } from "./rfm-maps.ts";
import type { RfmMap, RfmMapRule } from "./rfm-maps.ts";
import { toFloat64 } from "./seg-result.ts";
import { dayAfter, parseAsOf } from "./as-of.ts";
import { rejectRenamed } from "./renamed-options.ts";
import { segTable, withToSql, type SegTable, type SqlScoring } from "./contract.ts";
import { rfmSql, type RfmSqlSpec } from "./to-sql-rfm.ts";

/** Fixed business thresholds per metric: ascending inner cut points, `bins - 1` of them. */
export interface RfmThresholds {
  recency: readonly number[];
  frequency: readonly number[];
  monetary: readonly number[];
}

/** Options of {@link rfm}. */
export interface RfmOptions {
  /** Customer id column (kept under this name in the result). Rows with a null id are left out. */
  id: string;
  /** Purchase date/time column (TIMESTAMP, DATE or a string DuckDB can cast to TIMESTAMP). */
  date: string;
  /** Purchase amount column (summed into `monetary`). */
  amount: string;
  /** Invoice/order id column: frequency counts distinct invoices; without it, rows are counted. */
  invoice?: string;
  /**
   * The last day of the data, "YYYY-MM-DD" or a Date at midnight: recency counts whole days from the
   * end of it (pandas' `snapshot = asOf + 1 day`). Default: the newest purchase's day, recency
   * counted from 24 hours after the newest purchase (pandas' `max() + 1 day`).
   */
  asOf?: Date | string;
  /** Number of score levels (2..9), default 5. */
  bins?: number;
  /**
   * - "quantile" (default): pandas `qcut` (see {@link rfm});
   * - "ntile": DuckDB `NTILE(bins)`, ties broken by customer id (always equal-sized groups);
   * - thresholds `{recency, frequency, monetary}`: fixed cut points; a value equal to a cut point
   *   belongs to the lower group (right-closed intervals, like `pd.cut(x, [-inf, ...cuts, inf])`).
   *   Low recency still scores high.
   */
  scoring?: "quantile" | "ntile" | RfmThresholds;
  /**
   * Segment map: "rf10" (the default with 5 bins and mapOn "rf"; otherwise the default is null), a
   * function, rules, or a table of rules with columns pattern|code and name. null: no segment column.
   */
  map?: RfmMap | TableHandle | null;
  /** Which code the map reads: "rf" (default, e.g. "45") or "rfm" (e.g. "453"). */
  mapOn?: "rf" | "rfm";
}

/** The quantile edges used (bins + 1 each); frequency edges are over ranks 1..n. */
export interface RfmEdges {
  recency: number[];
  frequency: number[];
  monetary: number[];
}

/** What {@link rfm} decided, in `info`. */
export interface RfmInfo {
  /** The last day of the data recency was measured at, "YYYY-MM-DD". */
  asOf: string;
  /** Quantile edges (scoring "quantile"), the fixed thresholds, or null (scoring "ntile"). */
  edges: RfmEdges | null;
  bins: number;
  scoring: "quantile" | "ntile" | "thresholds";
  /** The segment map used ("rf10", "custom") or null (no segment column). */
  map: "rf10" | "custom" | null;
  mapOn: "rf" | "rfm";
  /** Customers scored. */
  n: number;
}

/**
 * What {@link rfm} returns: the scored table with {@link RfmInfo}; `warnings` name overlapping or
 * unreachable map rules and codes without a segment; and `toSQL`, the same scoring with the fitted
 * edges and reference date as one SELECT over a transactions table, for DuckDB or ClickHouse.
 */
export type RfmResult = SegTable<RfmInfo> & SqlScoring;

const DAY_US = 86_400_000_000;
/** Column types whose cast to TIMESTAMP keeps their order (so max and the cast commute). */
const MONOTONE_TIMESTAMP_TYPES = new Set(["DATE", "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"]);
const OUTPUT_COLUMNS = [
  "recency",
  "frequency",
  "monetary",
  "r_score",
  "f_score",
  "m_score",
  "rf_code",
  "rfm_code",
  "segment",
];

function checkBins(bins: unknown): number {
  if (typeof bins !== "number" || !Number.isInteger(bins) || bins < 2 || bins > 9) {
    throw new Error(
      `seg.rfm: bins must be an integer from 2 to 9 (codes use one digit per score), got ${String(bins)}`,
    );
  }
  return bins;
}

function thresholdBins(scoring: RfmThresholds, bins: number | undefined): number {
  const lengths = (["recency", "frequency", "monetary"] as const).map((metric) => {
    const cuts = scoring[metric];
    if (!Array.isArray(cuts) || cuts.some((c) => typeof c !== "number" || !Number.isFinite(c))) {
      throw new Error(`seg.rfm: scoring.${metric} must be an array of finite numbers (inner cut points)`);
    }
    if (cuts.some((c, i) => i > 0 && c <= cuts[i - 1]!)) {
      throw new Error(`seg.rfm: scoring.${metric} cut points must be strictly ascending, got ${cuts.join(", ")}`);
    }
    return cuts.length;
  });
  if (new Set(lengths).size > 1 || (bins !== undefined && lengths[0]! + 1 !== bins)) {
    throw new Error(
      `seg.rfm: fixed thresholds need bins - 1 cut points for each of recency, frequency and monetary (got ${lengths.join(", ")}${bins === undefined ? "" : ` for bins ${bins}`})`,
    );
  }
  return checkBins(lengths[0]! + 1);
}

/**
 * `1 + (x > c1) + (x > c2) + …` (or its mirror for recency), the cut points bound as parameters.
 * They are bound as their shortest decimal text and cast in SQL: duckdb-wasm carries number
 * parameters as JSON and DuckDB parses them with a few ulps of error (1086.1200000000001 became
 * 1086.12), which moved customers sitting exactly on an edge; the text cast is correctly rounded.
 */
function bucketSql(
  column: string,
  cuts: readonly number[],
  bins: number,
  reverse: boolean,
  params: SqlParam[],
): string {
  const terms = cuts.map((cut) => {
    params.push(String(cut));
    return `CAST(${column} > CAST(? AS DOUBLE) AS INTEGER)`;
  });
  return reverse ? `(${bins} - ${terms.join(" - ")})` : `(1 + ${terms.join(" + ")})`;
}

function uniqueEdges(metric: string, edges: Float64Array): number[] {
  const duplicate = firstDuplicateEdge(edges);
  if (duplicate >= 0) {
    throw new Error(
      `seg.rfm: the quantile edges of ${metric} are not unique (${Array.from(edges).join(", ")}; ${edges[duplicate]} repeats), so pandas.qcut would raise "Bin edges must be unique"; use scoring: "ntile", fewer bins, or fixed thresholds`,
    );
  }
  return Array.from(edges);
}

async function mapRules(map: RfmMap | TableHandle): Promise<RfmMap> {
  if (!isTableHandle(map)) return map;
  const rows = await map.rows();
  return rows.map((row, i): RfmMapRule => {
    const name = row.name ?? row.segment;
    if (typeof name !== "string")
      throw new Error(`seg.rfm: map table row ${i + 1} needs a "name" (or "segment") column`);
    if (row.code !== null && row.code !== undefined) return { code: String(row.code), name };
    if (typeof row.pattern === "string") return { pattern: row.pattern, name };
    throw new Error(`seg.rfm: map table row ${i + 1} ("${name}") needs a "pattern" or a "code" column value`);
  });
}

/**
 * Scores customers on recency, frequency and monetary value and names their segment.
 *
 * One row per customer, ordered by customer id: the customer column, `recency` (whole days from the
 * last purchase to `asOf`, counted as elapsed 24-hour periods like pandas `Timedelta.days`),
 * `frequency` (distinct invoices, or rows), `monetary` (the sum of amount, correctly rounded and the same on every engine), `r_score`, `f_score`,
 * `m_score` (1..bins, high is good: low recency scores high), `rf_code` ("45"), `rfm_code` ("453")
 * and `segment`.
 *
 * Scoring "quantile" reproduces the usual pandas code exactly:
 * `pd.qcut(recency, 5, labels=[5,4,3,2,1])`, `pd.qcut(frequency.rank(method="first"), 5, labels=[1..5])`
 * (ranks over customers in ascending id order) and `pd.qcut(monetary, 5, labels=[1..5])`; like
 * pandas it fails when edges repeat. `info` holds `asOf`, `edges`, `bins`, `scoring`, `map`,
 * `mapOn` and `n`; the table is marked on `segment` (when there is a map).
 *
 * @example
 * const scored = await seg.rfm(orders, {id: "customer_id", date: "order_date", amount: "amount", invoice: "order_id"});
 * scored.info.asOf;          // "2024-12-30", the newest order's day
 * scored.info.edges.monetary; // the quintile edges
 * await sql`SELECT segment, count(*) AS customers FROM ${scored} GROUP BY ALL ORDER BY customers DESC`;
 * scored.toSQL({dialect: "clickhouse", table: "orders"}); // the same scoring of every customer, in the warehouse
 */
export async function rfm(ctx: SegContext, transactions: TableInput, options: RfmOptions): Promise<RfmResult> {
  const table = await resolveTable(ctx, transactions, "rfm");
  const { id: customer, date, amount, invoice } = options ?? ({} as RfmOptions);
  rejectRenamed(options, { customer: "id" }, "rfm");
  for (const [key, value] of Object.entries({ id: customer, date, amount })) {
    if (typeof value !== "string") throw new Error(`seg.rfm: pass {${key}: "<column name>"}`);
  }
  requireColumns(table, [customer, date, amount, ...(invoice === undefined ? [] : [invoice])], "rfm");
  if (OUTPUT_COLUMNS.includes(customer)) {
    throw new Error(`seg.rfm: the id column cannot be named "${customer}" (an output column); rename it in SQL first`);
  }
  const scoring = options.scoring ?? "quantile";
  const bins = typeof scoring === "object" ? thresholdBins(scoring, options.bins) : checkBins(options.bins ?? 5);
  if (typeof scoring !== "object" && scoring !== "quantile" && scoring !== "ntile") {
    throw new Error(
      `seg.rfm: unknown scoring "${String(scoring)}"; pass "quantile", "ntile" or {recency, frequency, monetary} cut points`,
    );
  }
  const mapOn = options.mapOn ?? "rf";
  // rf10 only fits 5-level RF codes; with other bins the default is no segment column.
  const map = options.map === undefined ? (bins === 5 && mapOn === "rf" ? "rf10" : null) : options.map;
  const resolved = map === null ? null : resolveRfmMap(await mapRules(map), bins, mapOn === "rfm" ? 3 : 2);

  // An explicit asOf day counts from its end (midnight of the next day), so its purchases count.
  const asOfParam = options.asOf === undefined ? null : `${dayAfter(parseAsOf(options.asOf, "rfm"))} 00:00:00`;

  const c = quoteIdentifier(customer);
  // One pass over the transactions, no ORDER BY (the scored table is ordered at the end) and asOf
  // taken from the per-customer latest purchases, so the transactions are not scanned a second time.
  // For DATE/TIMESTAMP columns the cast to TIMESTAMP is monotone, so it can follow max() and runs once
  // per customer instead of once per row; strings must be cast before comparing.
  const dateType = table.columns.find((column) => column.name === date)!.type;
  const lastPurchase = MONOTONE_TIMESTAMP_TYPES.has(dateType)
    ? `CAST(max(${quoteIdentifier(date)}) AS TIMESTAMP)`
    : `max(CAST(${quoteIdentifier(date)} AS TIMESTAMP))`;
  // Epoch microseconds, not date_diff: date_diff('day') counts midnights crossed, pandas counts 24h periods.
  // Monetary is the correctly rounded sum, whatever order the engine adds rows in: duckdb-wasm and the
  // multi-threaded native engine write the same bits, so a customer on a quintile edge stays on its side.
  const aggregate = await ctx.db.query(
    `WITH customers AS (
  SELECT ${c} AS c, epoch_us(${lastPurchase}) AS last_us,
    ${invoice === undefined ? "count(*)" : `count(DISTINCT ${quoteIdentifier(invoice)})`} AS frequency,
    coalesce(${exactSumSql(`CAST(${quoteIdentifier(amount)} AS DOUBLE)`)}, 0) AS monetary
  FROM ${quoteIdentifier(table.name)} WHERE ${c} IS NOT NULL GROUP BY ${c}
), ref AS (
  SELECT coalesce(epoch_us(CAST(? AS TIMESTAMP)), max(last_us) + ${DAY_US}) AS as_of_us FROM customers
)
SELECT c AS ${c}, CAST(floor((as_of_us - last_us) / ${DAY_US}.0) AS BIGINT) AS recency, frequency, monetary, as_of_us
FROM customers, ref`,
    [asOfParam],
  );
  // The reported day: the explicit one, or the newest purchase's day (the reference minus 24 hours).
  const asOfRows = await ctx.db.engine.query(
    `SELECT strftime(make_timestamp(max(as_of_us) - ${DAY_US})::DATE, '%Y-%m-%d') AS v, max(as_of_us) AS us FROM ${quoteIdentifier(aggregate.name)}`,
  );
  const asOfUs = Number(asOfRows.getChild("us")?.get(0) ?? 0);
  const asOf =
    options.asOf === undefined
      ? ((asOfRows.getChild("v")?.get(0) as string | null | undefined) ?? null)
      : parseAsOf(options.asOf, "rfm");

  const params: SqlParam[] = [];
  let r: string;
  let f: string;
  let m: string;
  let edges: RfmEdges | null = null;
  let frequencySql: RfmSqlSpec["frequency"] | null = null;
  if (scoring === "quantile") {
    if (aggregate.numRows === 0) throw new Error(`seg.rfm: no customers in "${table.name}" (all ids null or no rows)`);
    // Ranks with method "first" are 1..n whatever the data, so their quantiles need no data.
    const ranks = Float64Array.from({ length: aggregate.numRows }, (_, i) => i + 1);
    // One read of both columns, recency already as DOUBLE: Arrow hands DOUBLE columns over as
    // Float64Arrays without a copy, where BIGINT ones would be converted value by value from BigInt.
    const sample = await ctx.db.engine.query(
      `SELECT CAST(recency AS DOUBLE) AS recency, monetary FROM ${quoteIdentifier(aggregate.name)}`,
    );
    const doubles = (name: string) => {
      const index = sample.schema.fields.findIndex((field) => field.name === name);
      return toFloat64(columnValues(sample.getChildAt(index)!, sample.schema.fields[index]!.type as DataType));
    };
    edges = {
      recency: uniqueEdges("recency", qcutEdges(doubles("recency"), bins)),
      frequency: uniqueEdges("frequency ranks", quantilesSorted(ranks, linspaceProbabilities(bins))),
      monetary: uniqueEdges("monetary", qcutEdges(doubles("monetary"), bins)),
    };
    r = bucketSql("recency", edges.recency.slice(1, -1), bins, true, params);
    f = bucketSql("f_rank", edges.frequency.slice(1, -1), bins, false, params);
    m = bucketSql("monetary", edges.monetary.slice(1, -1), bins, false, params);
    frequencySql = { after: await rankBoundaries(ctx, aggregate, c, edges.frequency.slice(1, -1)) };
  } else if (scoring === "ntile") {
    r = `NTILE(${bins}) OVER (ORDER BY recency DESC, ${c})`;
    f = `NTILE(${bins}) OVER (ORDER BY frequency, ${c})`;
    m = `NTILE(${bins}) OVER (ORDER BY monetary, ${c})`;
  } else {
    edges = { recency: [...scoring.recency], frequency: [...scoring.frequency], monetary: [...scoring.monetary] };
    r = bucketSql("recency", scoring.recency, bins, true, params);
    f = bucketSql("frequency", scoring.frequency, bins, false, params);
    m = bucketSql("monetary", scoring.monetary, bins, false, params);
    frequencySql = { cuts: [...scoring.frequency] };
  }

  let segment = "";
  if (resolved) {
    // The lookup compares the scores as one integer (code "45" is 45): integer comparisons, not string
    // ones, per customer and rule. Codes are digits 1..9 made by resolveRfmMap, so they are inlined.
    const whens = [...resolved.lookup].map(([code, name]) => {
      params.push(name);
      return `WHEN ${Number(code)} THEN ?`;
    });
    const code = mapOn === "rfm" ? "r_score * 100 + f_score * 10 + m_score" : "r_score * 10 + f_score";
    segment = whens.length
      ? `,\n  CASE ${code} ${whens.join(" ")} END AS segment`
      : ",\n  CAST(NULL AS VARCHAR) AS segment";
  }
  const result = await ctx.db.query(
    `WITH ranked AS (
  SELECT *, row_number() OVER (ORDER BY frequency, ${c}) AS f_rank FROM ${quoteIdentifier(aggregate.name)}
), scored AS (
  SELECT ${c}, recency, frequency, monetary,
    CAST(${r} AS INTEGER) AS r_score, CAST(${f} AS INTEGER) AS f_score, CAST(${m} AS INTEGER) AS m_score
  FROM ranked
), coded AS (
  SELECT *, r_score::VARCHAR || f_score::VARCHAR AS rf_code,
    r_score::VARCHAR || f_score::VARCHAR || m_score::VARCHAR AS rfm_code
  FROM scored
)
SELECT *${segment} FROM coded ORDER BY ${c}`,
    params,
  );
  const info: RfmInfo = {
    asOf: asOf ?? "",
    edges,
    bins,
    scoring: typeof scoring === "object" ? "thresholds" : scoring,
    map: map === null ? null : map === "rf10" ? "rf10" : "custom",
    mapOn,
    n: result.numRows,
  };
  const scored = segTable(result, info, resolved?.warnings ?? [], resolved ? "segment" : undefined);
  const inner = (cuts: readonly number[] | undefined) => (cuts ? cuts.slice(1, -1) : []);
  const spec: RfmSqlSpec | null =
    frequencySql && edges
      ? {
          ...{ id: customer, date, amount, invoice, asOfUs, bins, frequency: frequencySql, mapOn },
          recency: scoring === "quantile" ? inner(edges.recency) : edges.recency,
          monetary: scoring === "quantile" ? inner(edges.monetary) : edges.monetary,
          lookup: resolved?.lookup ?? null,
        }
      : null;
  return withToSql(scored, (o) => {
    if (!spec) {
      throw new Error(
        `rfm toSQL: scoring "ntile" ranks customers among the ones scored, so it has no edges to score others with; use scoring "quantile" or fixed thresholds`,
      );
    }
    return rfmSql(spec, o);
  });
}

/**
 * The (frequency, id) pairs of the customers at the frequency rank edges (rank = position by
 * frequency, then id): rank > edge exactly when (frequency, id) sorts after the pair at rank
 * floor(edge). Pairs for edges below rank 1 or at the last rank are clamped to "always" / "never".
 */
async function rankBoundaries(
  ctx: SegContext,
  aggregate: TableHandle,
  c: string,
  edges: readonly number[],
): Promise<[number, SqlParam][]> {
  const ranks = edges.map((edge) => Math.floor(edge));
  const rows = await ctx.db.engine.query(
    `SELECT f_rank, frequency, ${c} AS id FROM (SELECT frequency, ${c}, row_number() OVER (ORDER BY frequency, ${c}) AS f_rank FROM ${quoteIdentifier(aggregate.name)}) WHERE f_rank IN (${ranks.map((r) => Math.max(r, 1)).join(", ")})`,
  );
  const byRank = new Map<number, [number, SqlParam]>();
  for (let i = 0; i < rows.numRows; ++i) {
    const id = rows.getChild("id")!.get(i) as SqlParam;
    byRank.set(Number(rows.getChild("f_rank")!.get(i)), [Number(rows.getChild("frequency")!.get(i)), id]);
  }
  // Edges come from the ranks 1..n themselves, so each inner edge has a customer at its floor.
  return ranks.map((rank) => byRank.get(rank)!);
}
