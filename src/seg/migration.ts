/**
 * seg.migration: where did each segment's customers go between two snapshots? A from x to transition
 * table computed in DuckDB with a FULL OUTER JOIN on the customer id, with a `new` row (customers only
 * in the later snapshot) and a `gone` column (only in the earlier one). Also seg.compareLabels: the
 * adjusted Rand index between two labelings of the same customers, joined on the id.
 *
 * Comparing periods only means something when both snapshots are labelled by the SAME model: fit once
 * (seg.kmeans), then label the new period with `km.model.assign(newTable)` (the fitted scaler and
 * centroids), never by refitting, which renumbers and reshapes the clusters.
 */
import type { SqlParam } from "../engine/engine.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import { requireColumns, resolveTable, type SegContext, type TableInput } from "./context.ts";
import { adjustedRandKernel } from "./metrics-kernel.ts";
import { valuesTable } from "./values-table.ts";
import { segTable, type SegTable } from "./contract.ts";

/** Options of {@link migration}. */
export interface MigrationOptions {
  /** The later snapshot (the call's table is the earlier one). */
  after: TableInput;
  /** The customer id column (in both tables; unique in each). */
  id: string;
  /** The segment column (in both tables; or `{before, after}` when the names differ). */
  segment: string | { before: string; after: string };
  /** Label of the row of customers only in `after` (default "new"). */
  newLabel?: string;
  /** Label of the column of customers only in `before` (default "gone"). */
  goneLabel?: string;
}

/** The transition matrix as plain numbers, in `info`. */
export interface MigrationInfo {
  /** Row labels (`from`): the earlier snapshot's segments, then `new` when there are new customers. */
  from: string[];
  /** Column labels (`to`): the later snapshot's segments, then `gone` when customers left. */
  to: string[];
  /** `counts[i][j]`: customers going from `from[i]` to `to[j]`. */
  counts: number[][];
  /** Customers in both snapshots, those among them in the same segment, and its share. */
  both: number;
  stayed: number;
  stayedShare: number | null;
  new: number;
  gone: number;
}

/**
 * What {@link migration} returns: a long table (`from`, `to`, `count`, `row_share` = count / the
 * `from` row's total; every from x to cell, zeros included, segment labels as text) with
 * {@link MigrationInfo}.
 */
export type MigrationResult = SegTable<MigrationInfo>;

interface Snapshot {
  table: TableHandle;
  segment: string;
}

/** Fails on null or duplicate ids, and on null segments, naming the table and an example. */
async function checkSnapshot(ctx: SegContext, s: Snapshot, id: string, which: string, fn: string): Promise<void> {
  const t = quoteIdentifier(s.table.name);
  const i = quoteIdentifier(id);
  const result = await ctx.db.engine.query(
    `SELECT (SELECT count(*) FROM ${t} WHERE ${i} IS NULL) AS null_ids,
       (SELECT count(*) FROM ${t} WHERE ${quoteIdentifier(s.segment)} IS NULL) AS null_segments,
       (SELECT CAST(${i} AS VARCHAR) FROM ${t} WHERE ${i} IS NOT NULL GROUP BY ${i} HAVING count(*) > 1 ORDER BY count(*) DESC, 1 LIMIT 1) AS duplicate,
       (SELECT count(*) FROM (SELECT ${i} FROM ${t} WHERE ${i} IS NOT NULL GROUP BY ${i} HAVING count(*) > 1)) AS duplicates`,
  );
  const row = result.get(0)!.toJSON() as Record<string, unknown>;
  const where = `the ${which} table "${s.table.name}"`;
  if (Number(row.null_ids)) throw new Error(`seg.${fn}: ${where} has ${Number(row.null_ids)} null ids in "${id}"`);
  if (Number(row.duplicates)) {
    throw new Error(
      `seg.${fn}: ${where} has ${Number(row.duplicates)} duplicate ids in "${id}" (e.g. ${String(row.duplicate)}); each customer must appear once per snapshot`,
    );
  }
  if (Number(row.null_segments)) {
    throw new Error(
      `seg.${fn}: ${where} has ${Number(row.null_segments)} null values in segment "${s.segment}"; coalesce them to a label in SQL`,
    );
  }
}

async function snapshots(
  ctx: SegContext,
  before: TableInput,
  after: TableInput,
  options: { id: string; segment: string | { before: string; after: string } },
  fn: string,
): Promise<[Snapshot, Snapshot]> {
  const segment = options?.segment;
  const names = typeof segment === "string" ? { before: segment, after: segment } : segment;
  if (typeof options?.id !== "string" || typeof names?.before !== "string" || typeof names?.after !== "string") {
    throw new Error(`seg.${fn}: pass {id: "customer_id", segment: "segment"} (or segment: {before, after})`);
  }
  const out: Snapshot[] = [];
  for (const [input, name, which] of [
    [before, names.before, "before"],
    [after, names.after, "after"],
  ] as const) {
    const table = await resolveTable(ctx, input, fn);
    requireColumns(table, [options.id, name], fn);
    const s = { table, segment: name };
    await checkSnapshot(ctx, s, options.id, which, fn);
    out.push(s);
  }
  return out as [Snapshot, Snapshot];
}

/** Segment labels of a snapshot as text, in the order of the segment's own values. */
async function labels(ctx: SegContext, s: Snapshot): Promise<string[]> {
  const q = quoteIdentifier(s.segment);
  const result = await ctx.db.engine.query(
    `SELECT CAST(${q} AS VARCHAR) AS label FROM ${quoteIdentifier(s.table.name)} GROUP BY ${q} ORDER BY ${q}`,
  );
  return result.toArray().map((row) => String((row.toJSON() as { label: unknown }).label));
}

/**
 * Segment-to-segment migration between two snapshots (e.g. last quarter's and this quarter's labels):
 * how many customers of each earlier segment are in each later segment, `new` customers (only in
 * `after`) by the segment they joined, and customers `gone` (only in `before`) by the segment they
 * left; `row_share` is each count over its row's total. Computed in DuckDB (FULL OUTER JOIN on `id`).
 * Ids must be unique in each snapshot. Label both periods with the same fitted model
 * (`km.model.assign(table)`), not by refitting, or the segments are not the same segments.
 *
 * @example
 * const before = await sql`SELECT customer_id, CASE WHEN sum(amount) > 300 THEN 'high' ELSE 'low' END AS segment
 *   FROM ${orders} WHERE order_date < DATE '2024-01-01' GROUP BY ALL`;
 * const after = await sql`SELECT customer_id, CASE WHEN sum(amount) > 300 THEN 'high' ELSE 'low' END AS segment
 *   FROM ${orders} GROUP BY ALL`;
 * const moves = await seg.migration(before, {after, id: "customer_id", segment: "segment"});
 * moves.info.stayedShare; // share of returning customers in the same segment
 */
export async function migration(
  ctx: SegContext,
  before: TableInput,
  options: MigrationOptions,
): Promise<MigrationResult> {
  const fn = "migration";
  const [b, a] = await snapshots(ctx, before, options?.after, options, fn);
  const newLabel = options.newLabel ?? "new";
  const goneLabel = options.goneLabel ?? "gone";
  const [fromSegments, toSegments] = [await labels(ctx, b), await labels(ctx, a)];
  for (const [label, list, which] of [
    [newLabel, fromSegments, "before"],
    [goneLabel, toSegments, "after"],
    [newLabel, toSegments, "after"],
    [goneLabel, fromSegments, "before"],
  ] as const) {
    if (list.includes(label)) {
      throw new Error(
        `seg.${fn}: "${label}" is a segment in the ${which} table; pass {newLabel, goneLabel} that are not segments`,
      );
    }
  }
  const id = quoteIdentifier(options.id);
  const pairs = `SELECT coalesce(CAST(b.s AS VARCHAR), ?) AS "from", coalesce(CAST(a.s AS VARCHAR), ?) AS "to"
    FROM (SELECT ${id} AS id, ${quoteIdentifier(b.segment)} AS s FROM ${quoteIdentifier(b.table.name)}) AS b
    FULL OUTER JOIN (SELECT ${id} AS id, ${quoteIdentifier(a.segment)} AS s FROM ${quoteIdentifier(a.table.name)}) AS a
    ON b.id = a.id`;
  const totals = (await ctx.db.engine.query(
    `SELECT count(*) FILTER (WHERE "from" = ?) AS new, count(*) FILTER (WHERE "to" = ?) AS gone FROM (${pairs})`,
    [newLabel, goneLabel, newLabel, goneLabel],
  ))!
    .get(0)!
    .toJSON() as { new: unknown; gone: unknown };
  const from = [...fromSegments, ...(Number(totals.new) ? [newLabel] : [])];
  const to = [...toSegments, ...(Number(totals.gone) ? [goneLabel] : [])];
  const params: SqlParam[] = [newLabel, goneLabel];
  const values = (list: string[]) =>
    list
      .map((label, i) => {
        params.push(label);
        return `(?, ${i})`;
      })
      .join(", ");
  const rows = values(from);
  const cols = values(to);
  const result = await ctx.db.query(
    `WITH pairs AS (${pairs}),
      counts AS (SELECT "from", "to", count(*) AS n FROM pairs GROUP BY ALL),
      grid AS (SELECT r.label AS "from", r.i AS ri, c.label AS "to", c.i AS ci
        FROM (VALUES ${rows}) AS r(label, i), (VALUES ${cols}) AS c(label, i))
    SELECT g."from", g."to", coalesce(k.n, 0) AS count,
      coalesce(k.n, 0) / nullif(sum(coalesce(k.n, 0)) OVER (PARTITION BY g."from"), 0) AS row_share
    FROM grid AS g LEFT JOIN counts AS k ON g."from" = k."from" AND g."to" = k."to"
    WHERE NOT (g."from" = ? AND g."to" = ?)
    ORDER BY g.ri, g.ci`,
    [...params, newLabel, goneLabel],
  );
  const cells = await result.rows();
  const counts = from.map(() => to.map(() => 0));
  for (const cell of cells) counts[from.indexOf(String(cell.from))]![to.indexOf(String(cell.to))] = Number(cell.count);
  let both = 0;
  let stayed = 0;
  fromSegments.forEach((label, i) => {
    toSegments.forEach((target, j) => {
      both += counts[i]![j]!;
      if (label === target) stayed += counts[i]![j]!;
    });
  });
  return segTable(result, {
    from,
    to,
    counts,
    both,
    stayed,
    stayedShare: both ? stayed / both : null,
    new: Number(totals.new),
    gone: Number(totals.gone),
  });
}

/** Options of {@link compareLabels}. */
export interface CompareLabelsOptions {
  /** The second labeling (the call's table is the first). */
  after: TableInput;
  /** The id column joining the two tables. */
  id: string;
  /** The label column (in both; or `{before, after}`). */
  segment: string | { before: string; after: string };
}

/** How two labelings agree, in `info` of {@link compareLabels}' result. */
export interface LabelAgreement {
  /** Adjusted Rand index over the ids in both tables (null when fewer than 2 are). */
  ari: number | null;
  /** Ids in both tables, only in the first, only in the second. */
  both: number;
  onlyBefore: number;
  onlyAfter: number;
}

/**
 * How much two labelings of the same customers agree (e.g. clusters from two runs, or a period's
 * labels by two models): the adjusted Rand index over the ids present in both tables (1 = the same
 * partition whatever the label names, about 0 = chance). Ids must be unique in each table. The table
 * is the cross-tabulation of the ids in both: `before`, `after` (labels as text) and `count`.
 *
 * @example
 * const byAge = await sql`SELECT customer_id, CASE WHEN age < 40 THEN 'young' ELSE 'older' END AS segment FROM ${customers}`;
 * const byChannel = await sql`SELECT customer_id, channel AS segment FROM ${customers}`;
 * const agreement = await seg.compareLabels(byAge, {after: byChannel, id: "customer_id", segment: "segment"});
 * agreement.info.ari; // near 0: age bands and channels are unrelated
 */
export async function compareLabels(
  ctx: SegContext,
  before: TableInput,
  options: CompareLabelsOptions,
): Promise<CompareLabelsResult> {
  const fn = "compareLabels";
  const [b, a] = await snapshots(ctx, before, options?.after, options, fn);
  const id = quoteIdentifier(options.id);
  const result = await ctx.db.engine.query(
    `SELECT CAST(b.${quoteIdentifier(b.segment)} AS VARCHAR) AS x, CAST(a.${quoteIdentifier(a.segment)} AS VARCHAR) AS y,
       b.${id} IS NOT NULL AS in_b, a.${id} IS NOT NULL AS in_a
     FROM ${quoteIdentifier(b.table.name)} AS b FULL OUTER JOIN ${quoteIdentifier(a.table.name)} AS a ON b.${id} = a.${id}`,
  );
  const x: string[] = [];
  const y: string[] = [];
  let onlyBefore = 0;
  let onlyAfter = 0;
  for (const row of result.toArray()) {
    const r = row.toJSON() as { x: string; y: string; in_b: boolean; in_a: boolean };
    if (r.in_b && r.in_a) {
      x.push(r.x);
      y.push(r.y);
    } else if (r.in_b) onlyBefore++;
    else onlyAfter++;
  }
  const crosstab = new Map<string, { before: string; after: string; count: number }>();
  x.forEach((label, i) => {
    const key = JSON.stringify([label, y[i]]);
    const cell = crosstab.get(key) ?? { before: label, after: y[i]!, count: 0 };
    cell.count++;
    crosstab.set(key, cell);
  });
  const cells = [...crosstab.values()].sort(
    (p, q) => p.before.localeCompare(q.before, "en") || p.after.localeCompare(q.after, "en"),
  );
  const table = await valuesTable(
    ctx,
    [
      { name: "before", type: "VARCHAR" },
      { name: "after", type: "VARCHAR" },
      { name: "count", type: "BIGINT" },
    ],
    cells,
  );
  const info: LabelAgreement = {
    ari: x.length >= 2 ? adjustedRandKernel(x, y) : null,
    both: x.length,
    onlyBefore,
    onlyAfter,
  };
  return segTable(table, info);
}

/** What {@link compareLabels} returns: the cross-tabulation (`before`, `after`, `count`) with {@link LabelAgreement}. */
export type CompareLabelsResult = SegTable<LabelAgreement>;
