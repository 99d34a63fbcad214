/**
 * A/B test read-outs per segment: every treatment variant against the control inside each segment,
 * with a two-proportion z-test (binary outcomes) or Welch's t-test (numeric outcomes), confidence
 * intervals of the difference, Holm-adjusted p-values over all comparisons and, on request, whether
 * each segment reached the sample size a minimum detectable effect needs.
 *
 * The per-group aggregates (n, successes, mean, sample variance) are one GROUP BY in DuckDB; only the
 * handful of summary numbers come to TypeScript for the statistics (stats.ts), and the read-out goes
 * back into DuckDB as a table joined to the aggregates, so segment and variant keep their types.
 */
import type { SqlParam } from "../engine/engine.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import { requireColumns, resolveTable } from "./context.ts";
import type { SegContext, TableInput } from "./context.ts";
import { segTable, type SegTable } from "./contract.ts";
import { holmAdjust, sampleSize, twoProportionZTest, welchTTest, type TestResult } from "./stats.ts";

/** Options for {@link abtest}. */
export interface AbtestOptions {
  /** Column holding each row's segment; without it the whole table is one segment (NULL). */
  segment?: string;
  /** Column holding the variant (arm) each row was assigned to. */
  variant: string;
  /** Outcome column: 0/1 or BOOLEAN for conversions, any number for numeric outcomes. NULLs are left out. */
  outcome: string;
  /** The control variant's value; default the variant named "control" (any case), else the smallest. */
  control?: string | number | boolean;
  /** Significance level: CIs are (1 - alpha), `significant` is p_adjusted < alpha. Default 0.05. */
  alpha?: number;
  /** "binary" (z-test) or "numeric" (Welch); default binary when every outcome is 0 or 1. */
  kind?: "binary" | "numeric";
  /** Multiple-comparison adjustment over all segment x variant comparisons: "holm" (default) or "none". */
  adjust?: "holm" | "none";
  /**
   * Adds `required_n` (per arm) and `reached` per comparison: the sample size for this minimum
   * detectable effect (absolute difference) at `alpha` and `power` (default 0.8). The baseline is the
   * control's rate in the segment (binary); the sd is the control's sd in the segment unless given.
   */
  power?: { mde: number; power?: number; sd?: number };
}

/** How the read-out was made, in `info`. */
export interface AbtestInfo {
  readonly kind: "binary" | "numeric";
  readonly control: string;
  readonly alpha: number;
  readonly adjust: "holm" | "none";
  readonly comparisons: number;
}

/**
 * What {@link abtest} returns: the read-out table, one row per segment x treatment variant, with
 * columns `segment`, `variant`, `control`, `n_control`, `n_variant`, `control_value` and
 * `variant_value` (conversion rate or mean), `difference` (variant - control), `ci_low`, `ci_high`,
 * `statistic` (z or t), `df` (Welch only), `p_value`, `p_adjusted`, `significant` and, with `power`,
 * `required_n` and `reached`. Comparisons that cannot be tested (an arm with too few rows) have NULL
 * statistics and a warning. `info` says how it was read ({@link AbtestInfo}). One row per comparison,
 * not per customer, so the `segment` column is not marked as a member-per-row segment column.
 */
export type AbtestResult = SegTable<AbtestInfo>;

interface GroupRow {
  s: number;
  v: number;
  key: string;
  segmentLabel: string;
  n: number;
  successes: number;
  mean: number;
  variance: number;
}

const num = (value: unknown) => (value === null || value === undefined ? NaN : Number(value));
const orNull = (value: number) => (Number.isFinite(value) ? value : null);

function checkOptions(options: AbtestOptions): void {
  if (!options || typeof options.variant !== "string" || typeof options.outcome !== "string") {
    throw new Error(`seg.abtest: pass {variant: "<arm column>", outcome: "<outcome column>", segment?: "<column>"}`);
  }
  const { alpha = 0.05, kind, adjust = "holm" } = options;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`seg.abtest: alpha must be in (0, 1), got ${alpha}`);
  if (kind !== undefined && kind !== "binary" && kind !== "numeric") {
    throw new Error(`seg.abtest: kind must be "binary" or "numeric", got ${JSON.stringify(kind)}`);
  }
  if (adjust !== "holm" && adjust !== "none") {
    throw new Error(`seg.abtest: adjust must be "holm" or "none", got ${JSON.stringify(adjust)}`);
  }
}

/**
 * Compares every variant with the control inside each segment.
 *
 * Binary outcomes: two-proportion z-test, pooled SE for z, unpooled SE for the CI of the rate
 * difference. Numeric outcomes: Welch's t-test (Welch–Satterthwaite df, t quantile for the CI), as
 * scipy's `ttest_ind(equal_var=False)`. p-values are two-sided; `p_adjusted` is Holm's step-down
 * adjustment over all comparisons in the table (statsmodels' `multipletests(method="holm")`).
 *
 * @example
 * const trial = await sql`SELECT region, CASE WHEN customer_id % 2 = 0 THEN 'control' ELSE 'new_mail' END AS arm,
 *   CASE WHEN channel = 'web' THEN 1 ELSE 0 END AS converted FROM ${customers}`;
 * const readout = await seg.abtest(trial, {segment: "region", variant: "arm", outcome: "converted", power: {mde: 0.1}});
 * readout.info; // {kind: "binary", control: "control", alpha: 0.05, adjust: "holm", comparisons: 4}
 */
export async function abtest(ctx: SegContext, input: TableInput, options: AbtestOptions): Promise<AbtestResult> {
  checkOptions(options);
  const table = await resolveTable(ctx, input, "abtest");
  const { segment, variant, outcome, alpha = 0.05, adjust = "holm", power } = options;
  requireColumns(table, segment === undefined ? [variant, outcome] : [segment, variant, outcome], "abtest");
  const src = quoteIdentifier(table.name);
  const o = `CAST(${quoteIdentifier(outcome)} AS DOUBLE)`;
  const seg = segment === undefined ? "CAST(NULL AS VARCHAR)" : quoteIdentifier(segment);
  const v = quoteIdentifier(variant);

  let kind = options.kind;
  if (kind === undefined) {
    const check = await ctx.db.engine.query(`SELECT bool_and(${o} IN (0, 1)) AS binary FROM ${src}`);
    kind = check.getChild("binary")?.get(0) === false ? "numeric" : "binary";
  }

  // One row per segment x variant; __s and __v number them so the read-out can join back by number.
  const groups = await ctx.db.query(
    `SELECT dense_rank() OVER (ORDER BY ${seg} NULLS LAST) AS __s, dense_rank() OVER (ORDER BY ${v} NULLS LAST) AS __v,
      ${seg} AS segment, ${v} AS variant, CAST(${v} AS VARCHAR) AS __key, CAST(${seg} AS VARCHAR) AS __label,
      count(${o}) AS n, sum(${o}) AS successes, avg(${o}) AS mean, var_samp(${o}) AS variance
    FROM ${src} GROUP BY ${seg}, ${v} ORDER BY __s, __v`,
  );
  const arrow = await ctx.db.engine.query(`SELECT * FROM ${quoteIdentifier(groups.name)}`);
  const rows: GroupRow[] = [];
  for (let i = 0; i < arrow.numRows; i++) {
    const get = (name: string) => arrow.getChild(name)?.get(i) as unknown;
    rows.push({
      s: num(get("__s")),
      v: num(get("__v")),
      key: String(get("__key")),
      segmentLabel: String(get("__label")),
      n: num(get("n")),
      successes: num(get("successes")),
      mean: num(get("mean")),
      variance: num(get("variance")),
    });
  }
  const keys = [...new Map(rows.map((r) => [r.v, r.key])).entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  const control =
    options.control !== undefined
      ? String(options.control)
      : (keys.find((k) => k.toLowerCase() === "control") ?? keys[0]);
  if (control === undefined) throw new Error(`seg.abtest: table "${table.name}" has no rows`);
  if (!keys.includes(control)) {
    throw new Error(
      `seg.abtest: control ${JSON.stringify(control)} is not a value of "${variant}"; its values are ${keys.join(", ")}`,
    );
  }
  if (keys.length < 2) throw new Error(`seg.abtest: "${variant}" has only one value (${control}); nothing to compare`);

  const warnings: string[] = [];
  const tests: { s: number; v: number; vc: number; result: TestResult | null; required: number | null }[] = [];
  for (const s of [...new Set(rows.map((r) => r.s))]) {
    const inSegment = rows.filter((r) => r.s === s);
    const base = inSegment.find((r) => r.key === control);
    for (const row of inSegment) {
      if (row.key === control) continue;
      if (!base) {
        warnings.push(`segment ${row.segmentLabel}: no control rows; variant ${row.key} is not compared`);
        continue;
      }
      let result: TestResult | null = null;
      const minN = kind === "binary" ? 1 : 2;
      if (base.n < minN || row.n < minN) {
        warnings.push(
          `segment ${row.segmentLabel}, variant ${row.key}: too few rows to test (${base.n} control, ${row.n} variant)`,
        );
      } else if (kind === "binary") {
        result = twoProportionZTest(base, row, { alpha });
      } else {
        result = welchTTest(base, row, { alpha });
      }
      let required: number | null = null;
      if (power) {
        const sd = power.sd ?? Math.sqrt(base.variance);
        try {
          required = sampleSize({ baseline: base.mean, mde: power.mde, alpha, power: power.power ?? 0.8, kind, sd });
        } catch (error) {
          warnings.push(`segment ${row.segmentLabel}: no required sample size (${(error as Error).message})`);
        }
      }
      tests.push({ s, v: row.v, vc: base.v, result, required });
    }
  }
  const pValues = tests.map((t) => t.result?.pValue ?? NaN);
  const adjusted = adjust === "holm" ? holmAdjust(pValues) : pValues;

  const params: SqlParam[] = [];
  const values = tests.map((t, i) => {
    const r = t.result;
    const p = adjusted[i]!;
    params.push(t.s, t.v, t.vc, ...[r?.difference, r?.ciLow, r?.ciHigh, r?.statistic].map((x) => orNull(num(x))));
    params.push(kind === "numeric" ? orNull(num(r?.df)) : null, orNull(num(r?.pValue)), orNull(p));
    params.push(Number.isFinite(p) ? p < alpha : null, t.required);
    return `(${Array(12).fill("?").join(", ")})`;
  });
  const g = quoteIdentifier(groups.name);
  const powerColumns = power ? `, r.required_n, least(c.n, t.n) >= r.required_n AS reached` : "";
  const sql = tests.length
    ? `WITH r(__s, __v, __vc, difference, ci_low, ci_high, statistic, df, p_value, p_adjusted, significant, required_n) AS (
        SELECT CAST(c0 AS BIGINT), CAST(c1 AS BIGINT), CAST(c2 AS BIGINT), CAST(c3 AS DOUBLE), CAST(c4 AS DOUBLE),
          CAST(c5 AS DOUBLE), CAST(c6 AS DOUBLE), CAST(c7 AS DOUBLE), CAST(c8 AS DOUBLE), CAST(c9 AS DOUBLE),
          CAST(c10 AS BOOLEAN), CAST(c11 AS BIGINT)
        FROM (VALUES ${values.join(", ")}) AS v(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11))
      SELECT t.segment, t.variant, c.variant AS control, c.n AS n_control, t.n AS n_variant,
        c.mean AS control_value, t.mean AS variant_value, r.difference, r.ci_low, r.ci_high, r.statistic,
        ${kind === "numeric" ? "r.df, " : ""}r.p_value, r.p_adjusted, r.significant${powerColumns}
      FROM r JOIN ${g} AS t ON t.__s = r.__s AND t.__v = r.__v JOIN ${g} AS c ON c.__s = r.__s AND c.__v = r.__vc
      ORDER BY r.__s, r.__v`
    : `SELECT segment, variant, variant AS control FROM ${g} WHERE false`;
  const result = await ctx.db.query(sql, params);
  const info: AbtestInfo = { kind, control, alpha, adjust, comparisons: tests.length };
  return segTable(result, info, warnings);
}
