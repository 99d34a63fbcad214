/**
 * seg.scorecard: is each segment worth acting on? One row per segment measuring the usual tests of a
 * good segmentation: substantial (share of customers and revenue), stable (bootstrap Jaccard or an
 * ARI between periods), differentiable (largest profile index gap, and a Welch t-test of that feature
 * against the rest of the customers), identifiable (precision/recall of its seg.explain rule),
 * accessible (share with a contact), measurable (share with the KPI) and actionable (your note), with
 * flags for what fails. The counts, sums and dates are aggregated in one DuckDB query.
 */
import { quoteIdentifier } from "../engine/sql-text.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import { requireColumns, resolveTable, type SegContext, type TableInput } from "./context.ts";
import { explain, type ExplainResult } from "./explain.ts";
import { suppressSmallSegments, type Suppression } from "./privacy.ts";
import { isNumericType } from "./profile.ts";
import { markResultKind, withExtras } from "./seg-result.ts";
import type { StabilityResult } from "./stability.ts";
import { welchTTest } from "./stats.ts";
import { valuesTable } from "./values-table.ts";

/** Thresholds of the flags (defaults in brackets). */
export interface ScorecardThresholds {
  /** too_narrow below this share of customers [0.05] or this many customers [30]. */
  minShare?: number;
  minSize?: number;
  /** too_broad above this share of customers [0.5]. */
  maxShare?: number;
  /** too_narrow also below this share of revenue (only when given). */
  minRevenueShare?: number;
  /** stale_data when the newest date is more than this many days before asOf [90]. */
  staleDays?: number;
  /** missing_data when a feature's null share in the segment is above this [0.1]. */
  maxMissing?: number;
  /** unstable below this mean Jaccard [0.6] or ARI [0.6]. */
  minStability?: number;
  /** not_identifiable when the rule's precision or recall is below this [0.5]. */
  minPrecision?: number;
  minRecall?: number;
  /** The checks only (no flag): differentiable when the top feature's Welch p is below this [0.05]. */
  maxWelchP?: number;
  /** The checks only (no flag): accessible / measurable at or above this share [0.5]. */
  minAccessible?: number;
  minMeasurable?: number;
}

/** Options of {@link scorecard}. */
export interface ScorecardOptions {
  segment: string;
  /** Numeric revenue column: adds revenue_share. */
  revenue?: string;
  /** Numeric features for differentiability (index gap, Welch test) and the rule when none is passed. */
  features?: readonly string[];
  /** The date column for stale_data. */
  dateColumn?: string;
  /**
   * The day stale_data is judged on: a Date or "YYYY-MM-DD" (default: the newest date in `dateColumn`
   * over the whole table, never the wall clock, so the same data scores the same on any day).
   */
  asOf?: string | Date;
  /** Contact column: BOOLEAN (true = reachable) or any column (non-null = reachable). */
  contact?: string;
  /** The KPI column: measurable = its non-null share. */
  kpi?: string;
  /** seg.stability's result (clusters matched to segments by number), or an ARI between periods. */
  stability?: StabilityResult | number;
  /** seg.explain's result; computed from `features` when absent (set false to skip). */
  explanation?: ExplainResult | false;
  /** The action planned per segment (actionable), keyed by the segment as text. */
  notes?: Record<string, string>;
  thresholds?: ScorecardThresholds;
}

/** The flags a segment can get. */
export type ScorecardFlag =
  "too_broad" | "too_narrow" | "stale_data" | "missing_data" | "unstable" | "not_identifiable" | "not_actionable";

/** One flag on one segment, with what tripped it. */
export interface FlagEntry {
  segment: unknown;
  flag: ScorecardFlag;
  detail: string;
}

/** The seven tests of a segment, in the order the scorecard shows them. */
export const SCORECARD_TESTS = [
  "substantial",
  "stable",
  "differentiable",
  "identifiable",
  "accessible",
  "measurable",
  "actionable",
] as const;

/** One of {@link SCORECARD_TESTS}. */
export type ScorecardTest = (typeof SCORECARD_TESTS)[number];

/** How a segment did on one test: `unmeasured` when the options gave nothing to judge it by. */
export interface ScorecardCheck {
  segment: unknown;
  test: ScorecardTest;
  status: "pass" | "fail" | "unmeasured";
  /** Why, in a few words: the figure and the threshold. */
  detail: string;
}

/**
 * What {@link scorecard} returns: the table (one row per segment) plus the `flags` as entries, the
 * pass/fail `checks` of every test, and `suppression` when the notebook's privacy.minSegmentSize hid
 * segments.
 */
export type ScorecardResult = TableHandle &
  Readonly<{ flags: FlagEntry[]; checks: ScorecardCheck[]; suppression?: Suppression }>;

const DAY = 86_400_000;

/**
 * The day stale_data is judged on: `asOf` when given (a valid Date or date string, else a clear
 * error), otherwise the newest of the segments' newest dates — derived from the data, never from the
 * wall clock, so a notebook re-run tomorrow on the same data flags the same segments. Null when
 * there is nothing to judge (no date column, or only NULL dates), since no segment can then be stale.
 * @example scorecardAsOf(undefined, [Date.UTC(2024, 5, 1), null]); // 2024-06-01T00:00:00Z
 */
export function scorecardAsOf(asOf: string | Date | undefined, newestDates: readonly unknown[]): Date | null {
  if (asOf !== undefined) {
    const date = asOf instanceof Date || typeof asOf === "string" ? new Date(asOf) : new Date(NaN);
    if (Number.isNaN(date.getTime())) {
      throw new Error(
        `seg.scorecard: asOf must be a valid Date or a date string such as "2024-06-30", got ${JSON.stringify(asOf)}`,
      );
    }
    return date;
  }
  const times = newestDates
    .filter((v) => v !== null && v !== undefined)
    .map((v) => new Date(v as number | string).getTime());
  return times.length ? new Date(Math.max(...times)) : null;
}

/**
 * A scorecard of segments: one row per segment with `size`, `share`, `revenue_share`, `stability`,
 * `top_feature`, `index_gap` (largest |index - 100|), `welch_p` (top feature vs the rest),
 * `precision`/`recall` of its rule, `accessible`, `measurable`, `newest_date`, `note` and `flags`
 * (comma-separated); `result.flags` lists each flag with its reason. Under the notebook's
 * `privacy.minSegmentSize`, smaller segments keep `segment`, `note` and `flags` but every figure is
 * NULL, `suppressed` is true and their flag details name no numbers (`card.suppression` counts them).
 *
 * @example
 * const card = await seg.scorecard(customers, {
 *   segment: "cluster", revenue: "monetary", features: ["recency", "frequency", "monetary"],
 *   contact: "email_opt_in", kpi: "orders_90d", dateColumn: "last_order", asOf: "2024-06-30",
 *   stability: await seg.stability(customers, {features: ["recency", "frequency", "monetary"], k: 4}),
 *   notes: {"0": "win-back mail", "1": "loyalty tier"},
 *   thresholds: {minShare: 0.05, maxShare: 0.4},
 * });
 * card.flags; // [{segment: 2, flag: "too_narrow", detail: "3.1% of customers < 5%"}, ...]
 */
export async function scorecard(
  ctx: SegContext,
  input: TableInput,
  options: ScorecardOptions,
): Promise<ScorecardResult> {
  const fn = "scorecard";
  if (!options || typeof options.segment !== "string") throw new Error('seg.scorecard: pass {segment: "column"}');
  const table = await resolveTable(ctx, input, fn);
  const features = [...(options.features ?? [])];
  const optional = [options.revenue, options.dateColumn, options.contact, options.kpi].filter(
    (c): c is string => typeof c === "string",
  );
  requireColumns(table, [options.segment, ...features, ...optional], fn);
  const types = new Map(table.columns.map((c) => [c.name, c.type]));
  const numeric = features.filter((f) => isNumericType(types.get(f)!));
  const t = {
    minShare: 0.05,
    minSize: 30,
    maxShare: 0.5,
    staleDays: 90,
    maxMissing: 0.1,
    minStability: 0.6,
    minPrecision: 0.5,
    minRecall: 0.5,
    maxWelchP: 0.05,
    minAccessible: 0.5,
    minMeasurable: 0.5,
    ...options.thresholds,
  };
  const q = quoteIdentifier;
  const contact = options.contact
    ? types.get(options.contact) === "BOOLEAN"
      ? `avg(CASE WHEN ${q(options.contact)} THEN 1.0 ELSE 0.0 END)`
      : `avg(CASE WHEN ${q(options.contact)} IS NOT NULL THEN 1.0 ELSE 0.0 END)`
    : "NULL::DOUBLE";
  const aggregates = [
    `count(*) AS size`,
    options.revenue ? `coalesce(sum(${q(options.revenue)}::DOUBLE), 0) AS revenue` : `NULL::DOUBLE AS revenue`,
    `${contact} AS accessible`,
    options.kpi ? `avg(CASE WHEN ${q(options.kpi)} IS NOT NULL THEN 1.0 ELSE 0.0 END)` : `NULL::DOUBLE`,
    options.dateColumn ? `CAST(max(${q(options.dateColumn)}) AS DATE)` : `NULL::DATE`,
    ...features.map((f) => `avg(CASE WHEN ${q(f)} IS NULL THEN 1.0 ELSE 0.0 END)`),
    ...numeric.flatMap((f) => [
      `count(${q(f)})`,
      `coalesce(sum(${q(f)}::DOUBLE), 0)`,
      `coalesce(sum(${q(f)}::DOUBLE * ${q(f)}::DOUBLE), 0)`,
    ]),
  ].map((sql, i) => (i < 3 ? sql : `${sql} AS "a${i}"`));
  const result = await ctx.db.engine.query(
    `SELECT ${q(options.segment)} AS segment, ${aggregates.join(", ")} FROM ${q(table.name)} GROUP BY ALL ORDER BY 1 NULLS LAST`,
  );
  const groups = result.toArray().map((row) => Object.values(row.toJSON() as Record<string, unknown>));
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const total = groups.reduce((s, g) => s + Number(g[1]), 0);
  const totalRevenue = groups.reduce((s, g) => s + (num(g[2]) ?? 0), 0);
  const moments = (g: unknown[], j: number) => {
    const base = 6 + features.length + 3 * j;
    return [Number(g[base]), Number(g[base + 1]), Number(g[base + 2])] as const;
  };
  const totals = numeric.map((_, j) =>
    groups.reduce<[number, number, number]>(
      (acc, g) => {
        const [n, sum, sq] = moments(g, j);
        return [acc[0] + n, acc[1] + sum, acc[2] + sq];
      },
      [0, 0, 0],
    ),
  );
  const summary = (n: number, sum: number, sq: number) => ({
    n,
    mean: sum / n,
    variance: n > 1 ? Math.max(0, (sq - (sum * sum) / n) / (n - 1)) : NaN,
  });

  let explanation = options.explanation;
  if (explanation === undefined && features.length) {
    explanation = await explain(ctx, table, { segment: options.segment, features, missing: "drop" });
  }
  const asOf = scorecardAsOf(
    options.asOf,
    groups.map((g) => g[5]),
  );
  // A stability result is a table, one row per cluster (its `cluster` and `mean_jaccard` columns).
  const jaccardByCluster =
    options.stability && typeof options.stability !== "number"
      ? new Map((await options.stability.rows()).map((r) => [String(r.cluster), r.mean_jaccard as number | null]))
      : null;
  const flags: FlagEntry[] = [];
  const checks: ScorecardCheck[] = [];
  const rows = groups.map((g) => {
    const segment = typeof g[0] === "bigint" ? Number(g[0]) : g[0];
    const key = String(segment);
    const flag = (name: ScorecardFlag, detail: string) => flags.push({ segment, flag: name, detail });
    const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
    const size = Number(g[1]);
    const share = size / total;
    const revenueShare = options.revenue && totalRevenue ? (num(g[2]) ?? 0) / totalRevenue : null;
    if (share > t.maxShare) flag("too_broad", `${pct(share)} of customers > ${pct(t.maxShare)}`);
    if (share < t.minShare) flag("too_narrow", `${pct(share)} of customers < ${pct(t.minShare)}`);
    else if (size < t.minSize) flag("too_narrow", `${size} customers < ${t.minSize}`);
    else if (t.minRevenueShare !== undefined && revenueShare !== null && revenueShare < t.minRevenueShare) {
      flag("too_narrow", `${pct(revenueShare)} of revenue < ${pct(t.minRevenueShare)}`);
    }
    const newest = g[5] === null || g[5] === undefined ? null : new Date(g[5] as number | string);
    if (newest && asOf && (asOf.getTime() - newest.getTime()) / DAY > t.staleDays) {
      flag(
        "stale_data",
        `newest ${options.dateColumn} ${newest.toISOString().slice(0, 10)} is over ${t.staleDays} days before ${asOf.toISOString().slice(0, 10)}`,
      );
    }
    features.forEach((f, j) => {
      const missing = Number(g[6 + j]);
      if (missing > t.maxMissing) flag("missing_data", `${pct(missing)} of "${f}" is null > ${pct(t.maxMissing)}`);
    });
    let top: { feature: string; gap: number; p: number | null } | null = null;
    numeric.forEach((f, j) => {
      const [n, sum, sq] = moments(g, j);
      const [tn, tsum, tsq] = totals[j]!;
      const gap = Math.abs((sum / n / (tsum / tn)) * 100 - 100);
      if (!Number.isFinite(gap) || (top && gap <= top.gap)) return;
      const rest = summary(tn - n, tsum - sum, tsq - sq);
      const inside = summary(n, sum, sq);
      const p =
        inside.n >= 2 && rest.n >= 2 && inside.variance + rest.variance > 0 ? welchTTest(rest, inside).pValue : null;
      top = { feature: f, gap, p };
    });
    let stable: number | null = null;
    if (typeof options.stability === "number") stable = options.stability;
    else if (jaccardByCluster) stable = jaccardByCluster.get(key) ?? null;
    if (stable !== null && stable < t.minStability)
      flag("unstable", `stability ${stable.toFixed(2)} < ${t.minStability}`);
    const rule = explanation ? explanation.rules.find((r) => String(r.segment) === key) : undefined;
    if (rule && ((rule.precision ?? 0) < t.minPrecision || rule.recall < t.minRecall)) {
      flag("not_identifiable", `rule precision ${pct(rule.precision ?? 0)}, recall ${pct(rule.recall)}: ${rule.text}`);
    }
    const note = options.notes?.[key] ?? null;
    if (options.notes && !note) flag("not_actionable", "no action noted for this segment");
    const chosen = top as { feature: string; gap: number; p: number | null } | null;
    const mine = (names: readonly ScorecardFlag[]) =>
      flags.filter((e) => String(e.segment) === key && names.includes(e.flag)).map((e) => e.detail);
    const check = (test: ScorecardTest, status: ScorecardCheck["status"], detail: string) =>
      checks.push({ segment, test, status, detail });
    const failed = mine(["too_broad", "too_narrow"]);
    check("substantial", failed.length ? "fail" : "pass", failed.join("; ") || `${pct(share)} of customers`);
    if (stable === null) check("stable", "unmeasured", "no stability given");
    else check("stable", stable < t.minStability ? "fail" : "pass", `stability ${stable.toFixed(2)}`);
    if (!chosen || chosen.p === null) check("differentiable", "unmeasured", "no numeric feature to test");
    else {
      const gap = `${chosen.feature}: index gap ${chosen.gap.toFixed(0)}, Welch p ${chosen.p < 0.001 ? "< 0.001" : chosen.p.toFixed(3)}`;
      check("differentiable", chosen.p < t.maxWelchP ? "pass" : "fail", gap);
    }
    if (!rule) check("identifiable", "unmeasured", "no rule");
    else {
      const unclear = mine(["not_identifiable"]);
      check(
        "identifiable",
        unclear.length ? "fail" : "pass",
        `rule precision ${pct(rule.precision ?? 0)}, recall ${pct(rule.recall)}`,
      );
    }
    const shareCheck = (test: ScorecardTest, value: number | null, min: number, what: string) =>
      value === null
        ? check(test, "unmeasured", `no ${what} column given`)
        : check(
            test,
            value >= min ? "pass" : "fail",
            `${pct(value)} with a ${what}${value >= min ? "" : ` < ${pct(min)}`}`,
          );
    shareCheck("accessible", num(g[3]), t.minAccessible, "contact");
    shareCheck("measurable", num(g[4]), t.minMeasurable, "KPI");
    if (!options.notes) check("actionable", "unmeasured", "no notes given");
    else check("actionable", note ? "pass" : "fail", note ?? "no action noted for this segment");
    return {
      segment,
      size,
      share,
      revenue_share: revenueShare,
      stability: stable,
      top_feature: chosen?.feature ?? null,
      index_gap: chosen?.gap ?? null,
      welch_p: chosen?.p ?? null,
      precision: rule?.precision ?? null,
      recall: rule?.recall ?? null,
      accessible: num(g[3]),
      measurable: num(g[4]),
      newest_date: newest ? newest.toISOString().slice(0, 10) : null,
      note,
      flags: flags
        .filter((e) => String(e.segment) === key)
        .map((e) => e.flag)
        .join(", "),
    };
  });
  const handle = await valuesTable(
    ctx,
    [
      { name: "segment", type: types.get(options.segment)! },
      { name: "size", type: "BIGINT" },
      ...["share", "revenue_share", "stability"].map((name) => ({ name, type: "DOUBLE" })),
      { name: "top_feature", type: "VARCHAR" },
      ...["index_gap", "welch_p", "precision", "recall", "accessible", "measurable"].map((name) => ({
        name,
        type: "DOUBLE",
      })),
      { name: "newest_date", type: "DATE" },
      { name: "note", type: "VARCHAR" },
      { name: "flags", type: "VARCHAR" },
    ],
    rows,
  );
  // The notebook's privacy.minSegmentSize: small segments keep their row and flags, not their figures.
  const { table: shown, suppression } = await suppressSmallSegments(ctx, handle, {
    segment: "segment",
    size: "size",
    keep: ["note", "flags"],
  });
  if (!suppression) return markResultKind(withExtras(handle, { flags, checks }), "scorecard");
  const hidden = new Set(rows.filter((r) => r.size < suppression.minSegmentSize).map((r) => String(r.segment)));
  const guarded = flags.map((e) =>
    hidden.has(String(e.segment)) ? { ...e, detail: `details suppressed: ${suppression.reason}` } : e,
  );
  const hiddenChecks = checks.map((c): ScorecardCheck =>
    hidden.has(String(c.segment)) ? { ...c, status: "unmeasured", detail: "suppressed" } : c,
  );
  return markResultKind(withExtras(shown, { flags: guarded, checks: hiddenChecks, suppression }), "scorecard");
}
