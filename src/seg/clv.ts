/**
 * Customer lifetime value with BG/NBD (expected purchases, probability alive) and Gamma-Gamma
 * (expected spend), following the `lifetimes` package's definitions exactly.
 *
 * The RFM summary is one DuckDB query (daily granularity, as lifetimes' `freq="D"`): purchases on the
 * same day merge into one purchase day; frequency = purchase days - 1; recency = days from the first
 * to the last purchase day; T = days from the first purchase to `asOf`; monetary = mean total of the
 * repeat purchase days (the first day is excluded; 0 for customers without repeats). With period
 * "week", recency and T are divided by 7. Only transactions on or before `asOf` count. The fits and
 * predictions run as a numeric kernel (clv-kernel.ts); the per-segment summary is SQL again.
 */
import { quoteIdentifier } from "../engine/sql-text.ts";
import { requireColumns, resolveTable } from "./context.ts";
import type { SegContext, TableInput } from "./context.ts";
import type { BgNbdParams, GammaGammaParams } from "./clv-kernel.ts";
import { inProcessKernels } from "./kernel-runner.ts";
import { joinRowValues } from "./row-values-join.ts";
import { toFloat64 } from "./seg-result.ts";
import { resolveAsOf } from "./as-of.ts";
import { segTable, type SegTable } from "./contract.ts";
import { rejectRenamed } from "./renamed-options.ts";

/** Options for {@link clv}. */
export interface ClvOptions {
  /** Customer id column. */
  id: string;
  /** Purchase date column (DATE, TIMESTAMP or ISO text; the time of day is ignored). */
  date: string;
  /** Purchase amount column. */
  amount: string;
  /**
   * End of the observation period, "YYYY-MM-DD" or a Date at midnight (default: the newest day in
   * `date`, never the wall clock); later transactions are ignored.
   */
  asOf?: string | Date;
  /** How many periods ahead to predict purchases and value. */
  horizon: number;
  /** Unit of recency, T and horizon: "day" (default) or "week" (days / 7). */
  period?: "day" | "week";
  /** Discount rate per period: CLV sums each period's expected value / (1 + rate)^period. */
  discountRate?: number;
  /** Optional column of `table` to summarise by (e.g. a segment); the summary is per value of it. */
  segment?: string;
}

/** The fitted models and the summary, in `info` (log-likelihoods are totals over customers). */
export interface ClvInfo {
  readonly bgnbd: BgNbdParams & { readonly logLikelihood: number; readonly converged: boolean };
  readonly gammaGamma:
    | (GammaGammaParams & { readonly logLikelihood: number; readonly converged: boolean; readonly customers: number })
    | null;
  readonly asOf: string;
  readonly period: "day" | "week";
  readonly horizon: number;
  readonly discountRate: number | null;
  readonly customers: number;
  /** Per segment (or one row for everyone): customers, expected purchases, CLV, mean CLV and P(alive). */
  readonly summary: readonly ClvSummaryRow[];
}

/** One row of the CLV summary (per segment when `segment` was given, else one row for everyone). */
export interface ClvSummaryRow {
  /** The segment value (text, number or boolean), or null for everyone / customers without one. */
  segment: string | number | boolean | null;
  customers: number;
  expectedPurchases: number | null;
  clv: number | null;
  meanClv: number | null;
  meanPAlive: number | null;
}

/**
 * What {@link clv} returns: one row per customer with `frequency`, `recency`, `T`, `monetary`,
 * `p_alive`, `expected_purchases` (over the horizon), `expected_spend`, `clv` (and the segment
 * column when given, then marked as the segment column) with {@link ClvInfo}: the fitted BG/NBD and
 * Gamma-Gamma parameters and the summary.
 */
export type ClvResult = SegTable<ClvInfo>;

/** A segment value as JSON-able data: BIGINT as a number, a DATE (epoch ms) stays a number, text as is. */
function plainLabel(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "string") return value;
  return String(value);
}

/**
 * SQL for the sum of `expr` over a group (rows where `where` holds), added in ascending order of
 * value: the same bits whatever order the engine reads or aggregates rows in. DuckDB's `sum` adds
 * in the order rows reach the aggregate, which differs between duckdb-wasm and the multi-threaded
 * native DuckDB of `segbook run --engine native`; a last-bit difference in a customer's mean spend
 * moved the Gamma-Gamma optimum in the 7th digit (the likelihood is flat there).
 */
function orderedSum(expr: string, where?: string): string {
  // NULLs are left out (NULL when none is left), as sum() does.
  return `list_sum(list_sort(list(${expr}) FILTER (WHERE (${expr}) IS NOT NULL${where ? ` AND ${where}` : ""})))`;
}

function checkOptions(options: ClvOptions): void {
  rejectRenamed(options, { customer: "id" }, "clv");
  if (!options || ["id", "date", "amount"].some((k) => typeof options[k as keyof ClvOptions] !== "string")) {
    throw new Error(`seg.clv: pass {id, date, amount, horizon} (column names and a number of periods)`);
  }
  if (!(typeof options.horizon === "number" && options.horizon > 0 && Number.isFinite(options.horizon))) {
    throw new Error(`seg.clv: horizon must be a number of periods > 0, got ${JSON.stringify(options.horizon)}`);
  }
  const { period = "day", discountRate } = options;
  if (period !== "day" && period !== "week") {
    throw new Error(`seg.clv: period must be "day" or "week", got ${JSON.stringify(period)}`);
  }
  if (discountRate !== undefined && !(discountRate >= 0 && Number.isFinite(discountRate))) {
    throw new Error(`seg.clv: discountRate must be a rate >= 0 per period, got ${discountRate}`);
  }
}

/**
 * Fits BG/NBD and Gamma-Gamma to a transaction table and predicts each customer's purchases, spend
 * and lifetime value over `horizon` periods after `asOf`.
 *
 * @example
 * const value = await seg.clv(orders, {id: "customer_id", date: "order_date", amount: "amount", horizon: 26, period: "week"});
 * value.info.bgnbd;    // {r, alpha, a, b, logLikelihood (total over customers), converged}
 * value.info.asOf;     // "2024-12-30", the newest order's day
 * await sql`SELECT customer_id, p_alive, clv FROM ${value} ORDER BY clv DESC LIMIT 10`;
 */
export async function clv(ctx: SegContext, input: TableInput, options: ClvOptions): Promise<ClvResult> {
  checkOptions(options);
  const table = await resolveTable(ctx, input, "clv");
  const { id, date, amount, horizon, period = "day", discountRate, segment } = options;
  requireColumns(table, [id, date, amount, ...(segment === undefined ? [] : [segment])], "clv");
  const asOf = await resolveAsOf(ctx, table, date, options.asOf, "clv");
  const c = quoteIdentifier(id);
  const divisor = period === "week" ? 7 : 1;
  const segmentSelect = segment === undefined ? "" : `, any_value(${quoteIdentifier(segment)}) AS __segment`;

  const rfm = await ctx.db.query(
    `WITH days AS (
      SELECT ${c} AS __customer, CAST(${quoteIdentifier(date)} AS DATE) AS __day,
        ${orderedSum(`CAST(${quoteIdentifier(amount)} AS DOUBLE)`)} AS __amount${segmentSelect}
      FROM ${quoteIdentifier(table.name)}
      WHERE ${c} IS NOT NULL AND ${quoteIdentifier(date)} IS NOT NULL AND CAST(${quoteIdentifier(date)} AS DATE) <= CAST(? AS DATE)
      GROUP BY 1, 2
    ), marked AS (SELECT *, min(__day) OVER (PARTITION BY __customer) AS __first FROM days)
    SELECT row_number() OVER (ORDER BY __customer) - 1 AS __row, __customer AS ${c},
      ${segment === undefined ? "" : `any_value(__segment) AS ${quoteIdentifier(segment)},`}
      CAST(count(*) - 1 AS DOUBLE) AS frequency,
      date_diff('day', min(__day), max(__day)) / ${divisor}.0 AS recency,
      date_diff('day', min(__day), CAST(? AS DATE)) / ${divisor}.0 AS "T",
      coalesce(${orderedSum("__amount", "__day > __first")} / (count(*) - 1), 0.0) AS monetary
    FROM marked GROUP BY __customer ORDER BY __row`,
    [asOf, asOf],
  );
  const arrow = await ctx.db.engine.query(
    `SELECT frequency, recency, "T", monetary FROM ${quoteIdentifier(rfm.name)} ORDER BY __row`,
  );
  const column = (name: string) => toFloat64(arrow.getChild(name)?.toArray() ?? []);
  const [x, tx, T, m] = ["frequency", "recency", "T", "monetary"].map(column) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const warnings: string[] = [];
  if (x.length < 4) throw new Error(`seg.clv: ${x.length} customers bought on or before ${asOf}; need at least 4`);
  const nonPositive = x.filter((xi, i) => xi > 0 && !(m[i]! > 0)).length;
  if (nonPositive) {
    warnings.push(`${nonPositive} repeat customers with a mean repeat spend <= 0 are left out of the Gamma-Gamma fit`);
  }

  const fit = await (ctx.kernels ?? inProcessKernels).run("clv", x, tx, T, m, horizon, discountRate ?? null);
  if (!fit.bgnbd.converged) warnings.push("BG/NBD fit stopped at the iteration limit before converging");
  if (!fit.gammaGamma)
    warnings.push("fewer than 2 repeat customers: no Gamma-Gamma fit, expected spend and CLV are NULL");
  else if (!fit.gammaGamma.converged) warnings.push("Gamma-Gamma fit stopped at the iteration limit");
  else if (fit.gammaGamma.q <= 1)
    warnings.push(`Gamma-Gamma q = ${fit.gammaGamma.q} <= 1: expected spend is undefined`);

  const rows = Float64Array.from(x, (_, i) => i);
  const nan = (col: string) => `CASE WHEN isnan(l.${col}) THEN NULL ELSE l.${col} END`;
  const result = await joinRowValues(
    ctx,
    { row: rows, p: fit.pAlive, e: fit.expected, s: fit.spend, v: fit.clv },
    (l) =>
      `SELECT r.* EXCLUDE (__row), l.p AS p_alive, l.e AS expected_purchases, ${nan("s")} AS expected_spend,
        ${nan("v")} AS clv
      FROM ${quoteIdentifier(rfm.name)} AS r JOIN ${l} AS l ON r.__row = CAST(l."row" AS BIGINT)
      ORDER BY r.__row`,
  );
  const by = segment === undefined ? "NULL" : quoteIdentifier(segment);
  const grouped = await ctx.db.engine.query(
    `SELECT ${by} AS segment, count(*) AS customers, ${orderedSum("expected_purchases")} AS expected,
      ${orderedSum("clv")} AS clv, ${orderedSum("clv")} / count(clv) AS mean_clv,
      ${orderedSum("p_alive")} / count(p_alive) AS mean_alive
    FROM ${quoteIdentifier(result.name)} GROUP BY 1 ORDER BY 1 NULLS LAST`,
  );
  const summary: ClvSummaryRow[] = [];
  for (let i = 0; i < grouped.numRows; i++) {
    const get = (name: string) => grouped.getChild(name)?.get(i) as unknown;
    const num = (name: string) => (get(name) === null || get(name) === undefined ? null : Number(get(name)));
    summary.push({
      segment: plainLabel(get("segment")),
      customers: Number(get("customers")),
      expectedPurchases: num("expected"),
      clv: num("clv"),
      meanClv: num("mean_clv"),
      meanPAlive: num("mean_alive"),
    });
  }
  const info: ClvInfo = {
    bgnbd: fit.bgnbd,
    gammaGamma: fit.gammaGamma,
    asOf,
    period,
    horizon,
    discountRate: discountRate ?? null,
    customers: x.length,
    summary,
  };
  return segTable(result, info, warnings, segment);
}
