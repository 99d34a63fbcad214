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
import { tableFromArrays } from "apache-arrow";
import type { TableHandle } from "../engine/table-handle-types.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import { requireColumns, resolveTable } from "./context.ts";
import type { SegContext, TableInput } from "./context.ts";
import type { BgNbdParams, GammaGammaParams } from "./clv-kernel.ts";
import { inProcessKernels } from "./kernel-runner.ts";
import { toFloat64, withExtras } from "./seg-result.ts";

/** Options for {@link clv}. */
export interface ClvOptions {
  /** Customer id column. */
  customer: string;
  /** Purchase date column (DATE, TIMESTAMP or ISO text; the time of day is ignored). */
  date: string;
  /** Purchase amount column. */
  amount: string;
  /** End of the observation period ("YYYY-MM-DD" or a Date); later transactions are ignored. */
  asOf: string | Date;
  /** How many periods ahead to predict purchases and value. */
  horizon: number;
  /** Unit of recency, T and horizon: "day" (default) or "week" (days / 7). */
  period?: "day" | "week";
  /** Discount rate per period: CLV sums each period's expected value / (1 + rate)^period. */
  discountRate?: number;
  /** Optional column of `table` to summarise by (e.g. a segment); the summary is per value of it. */
  segment?: string;
}

/** The fitted models, kept on the result. */
export interface ClvModel {
  readonly bgnbd: BgNbdParams & { readonly logLikelihood: number; readonly converged: boolean };
  readonly gammaGamma:
    | (GammaGammaParams & { readonly logLikelihood: number; readonly converged: boolean; readonly customers: number })
    | null;
  readonly asOf: string;
  readonly period: "day" | "week";
  readonly horizon: number;
  readonly discountRate: number | null;
  readonly customers: number;
}

/** One row of the CLV summary (per segment when `segment` was given, else one row for everyone). */
export interface ClvSummaryRow {
  segment: unknown;
  customers: number;
  expectedPurchases: number;
  clv: number;
  meanClv: number;
  meanPAlive: number;
}

/**
 * What {@link clv} returns: one row per customer with `frequency`, `recency`, `T`, `monetary`,
 * `p_alive`, `expected_purchases` (over the horizon), `expected_spend`, `clv` (and the segment
 * column when given), plus the fitted model and a summary.
 */
export type ClvResult = TableHandle &
  Readonly<{ model: ClvModel; summary: readonly ClvSummaryRow[]; warnings: readonly string[] }>;

let stagingCounter = 0;

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

function isoDate(value: string | Date): string {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    throw new Error(`seg.clv: asOf must be a date "YYYY-MM-DD" or a Date, got ${JSON.stringify(value)}`);
  }
  return text;
}

function checkOptions(options: ClvOptions): void {
  if (!options || ["customer", "date", "amount"].some((k) => typeof options[k as keyof ClvOptions] !== "string")) {
    throw new Error(`seg.clv: pass {customer, date, amount, asOf, horizon} (column names, a date and a number)`);
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
 * const value = await seg.clv(orders, {customer: "customer_id", date: "order_date", amount: "amount",
 *   asOf: "1997-09-30", horizon: 52, period: "week"});
 * value.model.bgnbd; // {r: 0.243, alpha: 4.41, a: 0.793, b: 2.43, logLikelihood: -9582.4, …} on CDNOW
 */
export async function clv(ctx: SegContext, input: TableInput, options: ClvOptions): Promise<ClvResult> {
  checkOptions(options);
  const table = await resolveTable(ctx, input, "clv");
  const { customer, date, amount, horizon, period = "day", discountRate, segment } = options;
  requireColumns(table, [customer, date, amount, ...(segment === undefined ? [] : [segment])], "clv");
  const asOf = isoDate(options.asOf);
  const c = quoteIdentifier(customer);
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

  const staging = `seg_clv_staging_${Date.now().toString(36)}_${++stagingCounter}`;
  const rows = Float64Array.from(x, (_, i) => i);
  await ctx.db.engine.insertArrow(
    staging,
    tableFromArrays({ row: rows, p: fit.pAlive, e: fit.expected, s: fit.spend, v: fit.clv }),
  );
  const nan = (col: string) => `CASE WHEN isnan(l.${col}) THEN NULL ELSE l.${col} END`;
  let result: TableHandle;
  try {
    result = await ctx.db.query(
      `SELECT r.* EXCLUDE (__row), l.p AS p_alive, l.e AS expected_purchases, ${nan("s")} AS expected_spend,
        ${nan("v")} AS clv
      FROM ${quoteIdentifier(rfm.name)} AS r JOIN ${quoteIdentifier(staging)} AS l ON r.__row = CAST(l."row" AS BIGINT)
      ORDER BY r.__row`,
    );
  } finally {
    await ctx.db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(staging)}`);
  }
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
    const num = (name: string) => (get(name) === null ? NaN : Number(get(name)));
    summary.push({
      segment: get("segment"),
      customers: num("customers"),
      expectedPurchases: num("expected"),
      clv: num("clv"),
      meanClv: num("mean_clv"),
      meanPAlive: num("mean_alive"),
    });
  }
  const model: ClvModel = {
    bgnbd: fit.bgnbd,
    gammaGamma: fit.gammaGamma,
    asOf,
    period,
    horizon,
    discountRate: discountRate ?? null,
    customers: x.length,
  };
  return withExtras(result, { model, summary, warnings });
}
