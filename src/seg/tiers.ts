/**
 * Value tiers by share of the total ("the customers making the top 20% of revenue"), computed with
 * window sums in DuckDB.
 */
import type { SqlParam } from "../engine/engine.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import { requireColumns, resolveTable } from "./context.ts";
import type { SegContext, TableInput } from "./context.ts";
import { segTable, type SegTable } from "./contract.ts";

/** Options of {@link tiers}. */
export interface TierOptions {
  /** Numeric column holding each customer's value (e.g. monetary); no nulls, no negative values. */
  value: string;
  /** Customer id column: orders tied values (smaller id first). Without it, tied customers share a tier. */
  id?: string;
  /** Ascending cumulative shares in (0, 1) where a tier ends; default [0.2, 0.5]. */
  cuts?: readonly number[];
  /** One label per tier (cuts.length + 1); default "top 20%", "20-50%", "50-100%". */
  labels?: readonly string[];
  /** Name of the tier column, default "tier". */
  as?: string;
}

/** One tier of the summary. */
export interface TierSummary {
  tier: string;
  customers: number;
  value: number;
  share: number;
}

/** What {@link tiers} decided, in `info`. */
export interface TierInfo {
  /** Customers, value and share per tier, in tier order. */
  summary: TierSummary[];
  /** The cumulative shares where tiers end, and the tier labels. */
  cuts: number[];
  labels: string[];
  /** The total of the value column. */
  total: number;
}

/** What {@link tiers} returns: the table marked on its tier column, with {@link TierInfo}. */
export type TierResult = SegTable<TierInfo>;

const percent = (share: number) => `${Number((share * 100).toFixed(6))}%`;

/** Default labels for cuts [0.2, 0.5]: "top 20%", "20-50%", "50-100%". */
export function defaultTierLabels(cuts: readonly number[]): string[] {
  const bounds = [0, ...cuts, 1];
  return bounds
    .slice(1)
    .map((upper, i) => (i === 0 ? `top ${percent(upper)}` : `${percent(bounds[i]!).slice(0, -1)}-${percent(upper)}`));
}

/**
 * Splits customers into value tiers by cumulative share of the total value.
 *
 * Customers are sorted by value, largest first (ties: by `id`). A customer's "share before" is the
 * share of the total held by everyone ranked above them; the customer is in the first tier whose cut
 * is above that share. So tier 1 is the smallest set of top customers that together reach `cuts[0]`
 * of the total (the customer who crosses a cut belongs to the upper tier), tier 2 goes on to
 * `cuts[1]`, and the last tier holds the rest. Without `id`, tied customers count as one block and
 * always share a tier.
 *
 * Adds columns `value_rank` (1 = largest), `value_share` (value / total), `cum_share` (share of the
 * total up to and including this customer) and the tier column (the result's segment column); rows
 * come ordered by rank. `info.summary` has customers, value and share per tier.
 *
 * @example
 * const spend = await sql`SELECT customer_id, sum(amount) AS spend FROM ${orders} GROUP BY ALL`;
 * const tiered = await seg.tiers(spend, {value: "spend", id: "customer_id", cuts: [0.2, 0.5]});
 * tiered.info.summary; // [{tier: "top 20%", customers: …, value: …, share: 0.2…}, …]
 */
export async function tiers(ctx: SegContext, input: TableInput, options: TierOptions): Promise<TierResult> {
  const table = await resolveTable(ctx, input, "tiers");
  const { value, id, cuts = [0.2, 0.5], as = "tier" } = options ?? ({} as TierOptions);
  if (typeof value !== "string") throw new Error(`seg.tiers: pass {value: "<numeric column>"}`);
  requireColumns(table, id === undefined ? [value] : [value, id], "tiers");
  if (
    !Array.isArray(cuts) ||
    cuts.length === 0 ||
    cuts.some((c, i) => !(c > 0 && c < 1) || (i > 0 && c <= cuts[i - 1]!))
  ) {
    throw new Error(
      `seg.tiers: cuts must be ascending shares between 0 and 1, e.g. [0.2, 0.5]; got ${JSON.stringify(cuts)}`,
    );
  }
  const labels = options.labels ?? defaultTierLabels(cuts);
  if (labels.length !== cuts.length + 1 || new Set(labels).size !== labels.length) {
    throw new Error(`seg.tiers: pass ${cuts.length + 1} distinct labels for ${cuts.length} cuts, got ${labels.length}`);
  }
  const taken = ["value_rank", "value_share", "cum_share", as].filter((name) =>
    table.columns.some((c) => c.name === name),
  );
  if (taken.length) {
    throw new Error(
      `seg.tiers: the table already has column(s) ${taken.join(", ")}; rename them or pass {as: "<tier column>"}`,
    );
  }

  const src = quoteIdentifier(table.name);
  const v = quoteIdentifier(value);
  const check = await ctx.db.engine.query(
    `SELECT count(*) FILTER (WHERE ${v} IS NULL) AS nulls, count(*) FILTER (WHERE ${v} < 0) AS negative,
      sum(CAST(${v} AS DOUBLE)) AS total FROM ${src}`,
  );
  const [nulls, negative, total] = ["nulls", "negative", "total"].map((k) => Number(check.getChild(k)?.get(0) ?? 0));
  if (nulls)
    throw new Error(`seg.tiers: value "${value}" has ${nulls} null values — filter them or coalesce them to 0`);
  if (negative) {
    throw new Error(
      `seg.tiers: value "${value}" has ${negative} negative values; shares of a total need values >= 0 — filter them or clip with GREATEST(${value}, 0)`,
    );
  }
  if (!(total! > 0)) throw new Error(`seg.tiers: value "${value}" sums to ${total}; there is no total to share`);

  const order = id === undefined ? `__v DESC` : `__v DESC, ${quoteIdentifier(id)}`;
  // With an id every row is its own step; without one, peers (equal values) form one step.
  const through =
    id === undefined
      ? `sum(__v) OVER (ORDER BY __v DESC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`
      : `sum(__v) OVER (ORDER BY ${order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
  const before =
    id === undefined
      ? `${through} - sum(__v) OVER (PARTITION BY __v)`
      : `coalesce(sum(__v) OVER (ORDER BY ${order} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)`;
  const params: SqlParam[] = [];
  const whens = cuts.map((cut, i) => {
    params.push(cut, labels[i]!);
    return `WHEN __before / __total < ? THEN ?`;
  });
  params.push(labels[cuts.length]!);
  const result = await ctx.db.query(
    `WITH t AS (
  SELECT *, CAST(${v} AS DOUBLE) AS __v, sum(CAST(${v} AS DOUBLE)) OVER () AS __total FROM ${src}
), ranked AS (
  SELECT *, ${id === undefined ? "rank()" : "row_number()"} OVER (ORDER BY ${order}) AS value_rank,
    ${before} AS __before, ${through} AS __through
  FROM t
)
SELECT * EXCLUDE (__v, __total, __before, __through), __v / __total AS value_share, __through / __total AS cum_share,
  CASE ${whens.join(" ")} ELSE ? END AS ${quoteIdentifier(as)}
FROM ranked ORDER BY value_rank`,
    params,
  );
  const grouped = await ctx.db.engine.query(
    `SELECT ${quoteIdentifier(as)} AS tier, count(*) AS customers, sum(CAST(${v} AS DOUBLE)) AS value
     FROM ${quoteIdentifier(result.name)} GROUP BY 1`,
  );
  const byLabel = new Map<string, { customers: number; value: number }>();
  for (let i = 0; i < grouped.numRows; i++) {
    byLabel.set(String(grouped.getChild("tier")!.get(i)), {
      customers: Number(grouped.getChild("customers")!.get(i)),
      value: Number(grouped.getChild("value")!.get(i)),
    });
  }
  const summary = labels.map((tier) => {
    const found = byLabel.get(tier) ?? { customers: 0, value: 0 };
    return { tier, ...found, share: found.value / total! };
  });
  return segTable(result, { summary, cuts: [...cuts], labels: [...labels], total: total! }, [], as);
}
