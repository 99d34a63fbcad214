/**
 * Segment profiles: how each segment differs from the whole population, computed in DuckDB over all
 * rows (no sampling), so a profile of a million customers costs one query.
 *
 * The result table is LONG: one row per segment x feature (x category level for categorical
 * features), because that is what reads well sorted and filtered in a table, and what a heatmap
 * (segment x feature, coloured by index) needs. Columns, in order:
 *
 * | column | meaning |
 * |---|---|
 * | `segment` | the segment value (its original type; NULL segments form their own group) |
 * | `size` | rows in the segment |
 * | `customer_share` | size / all rows (with `weights`: segment weight / total weight) |
 * | `revenue_share` | the segment's sum of `amount` / the total (only when `amount` is given) |
 * | `feature` | the feature's column name |
 * | `level` | the category (VARCHAR) for categorical features; NULL for numeric ones |
 * | `mean` | numeric: segment mean (weighted mean with `weights`); NULL for categorical |
 * | `median` | numeric: segment median (interpolated, unweighted even with `weights`) |
 * | `share` | categorical: share of the segment's rows (weight) in this level |
 * | `population` | population mean (numeric) or population share of the level (categorical) |
 * | `index` | mean / population mean x 100, or share / population share x 100 (NULL when divided by 0) |
 * | `z_score` | numeric: (segment mean - population mean) / population std (NULL when std is 0) |
 *
 * The population std is the POPULATION standard deviation (ddof = 0, i.e. divided by n, or by the
 * total weight), because the segments partition the very rows being described, not a sample.
 * NULL feature values are left out of that feature's statistics; for categorical features a NULL
 * value is its own level (level NULL), so shares within a segment add up to 1.
 */
import { isNumericType } from "../engine/column-types.ts";
import type { SqlParam } from "../engine/engine.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import { requireColumns, resolveTable } from "./context.ts";
import type { SegContext, TableInput } from "./context.ts";
import { segTable, type SegTable } from "./contract.ts";
import { rejectRenamed } from "./renamed-options.ts";
import { suppressSmallSegments, type Suppression } from "./privacy.ts";

/** Options for {@link profile}. */
export interface ProfileOptions {
  /** Column holding the segment of each row. */
  segment: string;
  /** Columns to profile: numeric columns get mean/median/index/z, VARCHAR/BOOLEAN columns shares. */
  features: readonly string[];
  /** Optional non-negative weight column: means, shares and the population std become weighted. */
  weights?: string;
  /** Optional numeric money column (e.g. monetary): adds each segment's share of its total, `revenue_share`. */
  amount?: string;
}

/** How a feature was profiled. */
export interface ProfiledFeature {
  name: string;
  kind: "numeric" | "categorical";
}

/** How a profile was made, in `info` (charts such as profileHeatmap read it). */
export interface ProfileInfo {
  readonly segment: string;
  readonly features: readonly ProfiledFeature[];
  readonly weights: string | null;
  readonly amount: string | null;
  /** What the notebook's `privacy.minSegmentSize` suppressed, or null when no minimum is set. */
  readonly suppression: Suppression | null;
}

/**
 * What {@link profile} returns: the long profile table itself (see the module comment for its
 * columns), usable in SQL and plots as is, with how it was made in `info`. One row per segment x
 * feature, so its `segment` column is not marked as a member-per-row segment column.
 */
export type ProfileResult = SegTable<ProfileInfo>;

/** True for DuckDB numeric types; kept here for the seg functions that import it from profile. */
export { isNumericType };

function featureKind(table: TableHandle, name: string): ProfiledFeature["kind"] {
  const type = table.columns.find((c) => c.name === name)!.type;
  if (isNumericType(type)) return "numeric";
  if (type === "VARCHAR" || type === "BOOLEAN") return "categorical";
  throw new Error(
    `seg.profile: feature "${name}" has type ${type}, which is neither numeric nor categorical (VARCHAR/BOOLEAN); cast it in SQL first, e.g. "${name}"::VARCHAR`,
  );
}

function checkOptions(table: TableHandle, options: ProfileOptions): ProfiledFeature[] {
  if (!options || typeof options.segment !== "string") {
    throw new Error('seg.profile: pass {segment: "column", features: ["col", ...]}');
  }
  if (!Array.isArray(options.features) || options.features.length === 0) {
    throw new Error('seg.profile: pass at least one feature, e.g. {features: ["Age", "Gender"]}');
  }
  const extra = [options.weights, options.amount].filter((c): c is string => typeof c === "string");
  requireColumns(table, [options.segment, ...options.features, ...extra], "profile");
  if (new Set(options.features).size !== options.features.length) {
    throw new Error("seg.profile: a feature is listed twice; list each feature once");
  }
  if (options.features.includes(options.segment)) {
    throw new Error(`seg.profile: "${options.segment}" is the segment column; it cannot also be a feature`);
  }
  for (const column of extra) {
    if (!isNumericType(table.columns.find((c) => c.name === column)!.type)) {
      throw new Error(`seg.profile: "${column}" must be a numeric column (weights/amount)`);
    }
  }
  return options.features.map((name) => ({ name, kind: featureKind(table, name) }));
}

async function checkWeights(ctx: SegContext, table: TableHandle, weights: string): Promise<void> {
  const w = quoteIdentifier(weights);
  const result = await ctx.db.engine.query(
    `SELECT count(*) FILTER (WHERE ${w} IS NULL) AS nulls, count(*) FILTER (WHERE ${w} < 0) AS negative,
       coalesce(sum(${w}::DOUBLE), 0) AS total FROM ${quoteIdentifier(table.name)}`,
  );
  const row = result.get(0)!.toJSON() as { nulls: bigint; negative: bigint; total: number };
  if (Number(row.nulls) > 0 || Number(row.negative) > 0) {
    throw new Error(
      `seg.profile: weights "${weights}" has ${Number(row.nulls)} null and ${Number(row.negative)} negative values; weights must be >= 0 (filter or coalesce them)`,
    );
  }
  if (!(row.total > 0)) throw new Error(`seg.profile: weights "${weights}" sum to 0; nothing to weight by`);
}

/** The profile query; every value (feature names) is bound, identifiers are quoted. */
function profileSql(
  table: TableHandle,
  features: readonly ProfiledFeature[],
  options: ProfileOptions,
): { sql: string; params: SqlParam[] } {
  const params: SqlParam[] = [];
  const bind = (value: SqlParam) => {
    params.push(value);
    return "?";
  };
  const weight = options.weights ? `${quoteIdentifier(options.weights)}::DOUBLE` : "1.0";
  const revenue = options.amount ? `${quoteIdentifier(options.amount)}::DOUBLE` : "NULL::DOUBLE";
  const columns = features.map((f, i) =>
    f.kind === "numeric"
      ? `${quoteIdentifier(f.name)}::DOUBLE AS f${i}`
      : `${quoteIdentifier(f.name)}::VARCHAR AS f${i}`,
  );
  const base = `SELECT ${quoteIdentifier(options.segment)} AS segment, ${weight} AS w, ${revenue} AS r, ${columns.join(", ")}
    FROM ${quoteIdentifier(table.name)}`;
  const parts: string[] = [];
  features.forEach((f, i) => {
    const x = `f${i}`;
    if (f.kind === "numeric") {
      // Weighted mean over the rows where the feature is present; with unit weights avg() is the
      // same number computed the usual way.
      const mean = options.weights
        ? (v: string) => `sum(w * ${v}) FILTER (WHERE ${v} IS NOT NULL) / sum(w) FILTER (WHERE ${v} IS NOT NULL)`
        : (v: string) => `avg(${v})`;
      parts.push(`num${i} AS (
        SELECT segment, ${mean(x)} AS mean, median(${x}) AS median FROM base GROUP BY segment),
      pop${i} AS (SELECT ${mean(x)} AS mean FROM base),
      std${i} AS (
        SELECT sqrt(sum(w * (${x} - p.mean) * (${x} - p.mean)) FILTER (WHERE ${x} IS NOT NULL)
          / sum(w) FILTER (WHERE ${x} IS NOT NULL)) AS std FROM base, pop${i} AS p),
      out${i} AS (
        SELECT n.segment, ${bind(i)}::INTEGER AS feature_order, ${bind(f.name)}::VARCHAR AS feature,
          NULL::VARCHAR AS level, n.mean, n.median, NULL::DOUBLE AS share, p.mean AS population,
          n.mean / nullif(p.mean, 0) * 100 AS "index", (n.mean - p.mean) / nullif(s.std, 0) AS z_score
        FROM num${i} AS n, pop${i} AS p, std${i} AS s)`);
    } else {
      parts.push(`cat${i} AS (SELECT segment, ${x} AS level, sum(w) AS weight FROM base GROUP BY segment, ${x}),
      pop${i} AS (SELECT ${x} AS level, sum(w) / (SELECT sum(w) FROM base) AS share FROM base GROUP BY ${x}),
      out${i} AS (
        SELECT c.segment, ${bind(i)}::INTEGER AS feature_order, ${bind(f.name)}::VARCHAR AS feature,
          c.level, NULL::DOUBLE AS mean, NULL::DOUBLE AS median, c.weight / g.weight AS share,
          p.share AS population, c.weight / g.weight / nullif(p.share, 0) * 100 AS "index",
          NULL::DOUBLE AS z_score
        FROM cat${i} AS c
        JOIN segments AS g ON c.segment IS NOT DISTINCT FROM g.segment
        JOIN pop${i} AS p ON c.level IS NOT DISTINCT FROM p.level)`);
    }
  });
  const revenueShare = options.amount ? `g.revenue / nullif(t.revenue, 0) AS revenue_share,` : "";
  const sql = `WITH base AS (${base}),
    segments AS (SELECT segment, count(*) AS size, sum(w) AS weight, sum(r) AS revenue FROM base GROUP BY segment),
    totals AS (SELECT sum(w) AS weight, sum(r) AS revenue FROM base),
    ${parts.join(",\n    ")},
    features AS (${features.map((_, i) => `SELECT * FROM out${i}`).join(" UNION ALL ")})
    SELECT g.segment, g.size, g.weight / t.weight AS customer_share, ${revenueShare}
      f.feature, f.level, f.mean, f.median, f.share, f.population, f."index", f.z_score
    FROM features AS f
    JOIN segments AS g ON f.segment IS NOT DISTINCT FROM g.segment, totals AS t
    ORDER BY g.segment NULLS LAST, f.feature_order, f.level NULLS LAST`;
  return { sql, params };
}

/**
 * Profiles segments against the population: per segment its size, share of customers (and of
 * revenue), and per feature the mean, median, index (segment mean / population mean x 100) and
 * z-score for numeric features, or the share per level and its index for categorical ones. Runs as
 * one DuckDB query over all rows; the result is the long table (see the module comment), with
 * `p.info` saying how it was made. Under the notebook's `privacy.minSegmentSize`, rows of smaller
 * segments keep `segment`, `feature` and `level` but every number is NULL and `suppressed` is true
 * (`p.info.suppression` counts them).
 * @example
 * const p = await seg.profile(customers, {segment: "region", features: ["age", "gender", "channel"]});
 * p.info.features; // [{name: "age", kind: "numeric"}, {name: "gender", kind: "categorical"}, …]
 * // p: one row per region x feature (x level): size, customer_share, mean, median, index, z_score, …
 */
export async function profile(ctx: SegContext, input: TableInput, options: ProfileOptions): Promise<ProfileResult> {
  const table = await resolveTable(ctx, input, "profile");
  rejectRenamed(options, { revenue: "amount" }, "profile");
  const features = checkOptions(table, options);
  if (options.weights) await checkWeights(ctx, table, options.weights);
  const { sql, params } = profileSql(table, features, options);
  const result = await ctx.db.query(sql, params);
  const info: ProfileInfo = {
    segment: options.segment,
    features,
    weights: options.weights ?? null,
    amount: options.amount ?? null,
    suppression: null,
  };
  // The notebook's privacy.minSegmentSize: small segments keep their row but show no numbers.
  const { table: guarded, suppression } = await suppressSmallSegments(ctx, result, {
    segment: "segment",
    size: "size",
    keep: ["feature", "level"],
  });
  return segTable(guarded, { ...info, suppression });
}
