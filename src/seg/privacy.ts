/**
 * The notebook's privacy guard (front matter `privacy: {minSegmentSize, personal}`), in one place so
 * every summary, export and report applies the same rules:
 *
 * - segments with fewer than `minSegmentSize` members are suppressed: their size and statistics show
 *   as NULL with `suppressed = true`, and exports leave their members out;
 * - `personal` columns (names compared case-insensitively) are masked: an e-mail keeps its first
 *   character and its domain (`j***@example.com`), anything else becomes `***`.
 */
import type { PrivacySettings } from "../notebook/model.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import { requireColumns, type SegContext } from "./context.ts";
import { segmentColumnOf } from "./seg-result.ts";

/** What suppression removed, for manifests and notes. */
export interface Suppression {
  minSegmentSize: number;
  /** Segments below the minimum. */
  segments: number;
  /** Rows (members) in those segments. */
  members: number;
  reason: string;
}

/** The personal columns among `columns` (their names as the table spells them). */
export function personalColumns(privacy: PrivacySettings | undefined, columns: readonly string[]): string[] {
  const personal = new Set((privacy?.personal ?? []).map((c) => c.toLowerCase()));
  return columns.filter((c) => personal.has(c.toLowerCase()));
}

/**
 * A personal value as shown when masked: `j***@example.com` for e-mails, `***` otherwise; null and
 * undefined stay as they are (a missing value reveals nothing).
 * @example
 * maskValue("jane@example.com"); // "j***@example.com"
 */
export function maskValue(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const text = String(value);
  const at = text.indexOf("@");
  return at > 0 ? `${text[0]}***${text.slice(at)}` : "***";
}

/** {@link maskValue} in DuckDB SQL for the column expression `column` (the result is VARCHAR). */
export function maskSql(column: string): string {
  const text = `CAST(${column} AS VARCHAR)`;
  return `CASE WHEN ${column} IS NULL THEN NULL WHEN strpos(${text}, '@') > 1 THEN left(${text}, 1) || '***' || substr(${text}, strpos(${text}, '@')) ELSE '***' END`;
}

/** The note shown for suppressed segments. */
export function suppressionReason(min: number): string {
  return `segments with fewer than ${min} members are suppressed by the notebook's privacy.minSegmentSize`;
}

/**
 * Nulls the statistics of segments below the notebook's `minSegmentSize` in a per-segment summary
 * table and adds a `suppressed` column; without a minimum it returns the table unchanged (no column
 * added). `size` names the column of `summary` holding each segment's member count; the segment
 * column and the `keep` columns (labels such as a feature name) stay, so readers see that a segment
 * exists but not how big it is.
 */
export async function suppressSmallSegments(
  ctx: SegContext,
  summary: TableHandle,
  options: { segment: string; size: string; keep?: readonly string[] },
): Promise<{ table: TableHandle; suppression: Suppression | null }> {
  const min = ctx.privacy?.minSegmentSize;
  if (min === undefined) return { table: summary, suppression: null };
  const src = quoteIdentifier(summary.name);
  const seg = quoteIdentifier(options.segment);
  const size = quoteIdentifier(options.size);
  const counts = await ctx.db.engine.query(
    `SELECT count(*) AS segments, coalesce(sum(n), 0) AS members FROM
      (SELECT ${seg}, any_value(${size}) AS n FROM ${src} GROUP BY ${seg}) WHERE n < ?`,
    [min],
  );
  const segments = Number(counts.getChild("segments")?.get(0) ?? 0);
  const members = Number(counts.getChild("members")?.get(0) ?? 0);
  const keep = new Set([options.segment, ...(options.keep ?? [])]);
  const hidden = summary.columns.filter((c) => !keep.has(c.name)).map((c) => quoteIdentifier(c.name));
  const replace = hidden.map((c) => `CASE WHEN ${size} < ? THEN NULL ELSE ${c} END AS ${c}`);
  const table = await ctx.db.query(`SELECT * REPLACE (${replace.join(", ")}), ${size} < ? AS suppressed FROM ${src}`, [
    ...hidden.map(() => min),
    min,
  ]);
  return { table, suppression: { minSegmentSize: min, segments, members, reason: suppressionReason(min) } };
}

/** Column names taken as the segment column for `segmentCounts` when no minimum applies. */
const SEGMENT_NAMES = ["segment", "cluster"] as const;

/**
 * The column of `table` holding each row's segment, for exports: `explicit` (the `segment` option of
 * `seg.export`) when given; else the column a `seg` result marked (`cluster` in clustering labels,
 * `segment` in rfm, the `as` column of tiers and rule segments). With `required` (a `minSegmentSize`
 * is set) nothing else counts: a table made in SQL carries no mark, and guessing from a column's name
 * could let a small segment through, so such an export is refused with the fix. Without a minimum a
 * column named `segment` or `cluster` is taken for the manifest's `segmentCounts`.
 * @example exportSegmentColumn(km, undefined, true); // "cluster": clustering labels are marked
 * @example exportSegmentColumn(joined, "cluster", true); // "cluster", as the option says
 */
export function exportSegmentColumn(
  table: TableHandle,
  explicit: unknown,
  required: boolean,
  fileName = "segments.csv",
): string | null {
  const names = table.columns.map((c) => c.name);
  if (explicit !== undefined) {
    if (typeof explicit !== "string" || explicit === "") {
      throw new Error(
        `seg.export: segment must be the name of the column holding each row's segment, e.g. {segment: "cluster"}, got ${JSON.stringify(explicit)}`,
      );
    }
    requireColumns(table, [explicit], "export");
    return explicit;
  }
  const marked = segmentColumnOf(table);
  if (marked !== undefined && names.includes(marked)) return marked;
  const found = SEGMENT_NAMES.filter((name) => names.includes(name));
  if (!required) return found[0] ?? null;
  // Name the likeliest column in the fix, so the sentence can be copied as it is.
  const example = found.length === 1 ? found[0]! : "cluster";
  throw new Error(
    `seg.export: the notebook's privacy.minSegmentSize must know which column holds each row's segment to leave out small segments, and this table does not say (no seg result marked its segment column, and no segment option was passed; its columns are ${names.join(", ")}). Name the column: seg.export(table, {file: ${JSON.stringify(fileName)}, segment: ${JSON.stringify(example)}}). The export was refused so that no small segment slips out.`,
  );
}

/**
 * For exports: the rows of `table` outside small segments (by its segment column, see
 * {@link exportSegmentColumn}) with personal columns masked unless `includePersonal`. Returns the
 * table unchanged when no rule applies; throws when a minimum is set and no segment column is known
 * (`fileName` is the export's, for the example in that error).
 */
export async function guardExport(
  ctx: SegContext,
  table: TableHandle,
  includePersonal: boolean,
  segmentOption?: unknown,
  fileName?: string,
): Promise<{
  table: TableHandle;
  suppression: Suppression | null;
  masked: string[];
  personal: string[];
  segment: string | null;
}> {
  const names = table.columns.map((c) => c.name);
  const personal = personalColumns(ctx.privacy, names);
  const masked = includePersonal ? [] : personal;
  const min = ctx.privacy?.minSegmentSize;
  const segment = exportSegmentColumn(table, segmentOption, min !== undefined, fileName);
  if (!masked.length && (min === undefined || segment === null)) {
    return { table, suppression: null, masked, personal, segment };
  }
  const src = quoteIdentifier(table.name);
  let suppression: Suppression | null = null;
  let inner = `SELECT *, row_number() OVER () AS __privacy_row FROM ${src}`;
  let where = "";
  const params: number[] = [];
  if (min !== undefined && segment !== null) {
    const seg = quoteIdentifier(segment);
    const counts = await ctx.db.engine.query(
      `SELECT count(*) AS segments, coalesce(sum(n), 0) AS members FROM
        (SELECT ${seg}, count(*) AS n FROM ${src} GROUP BY ${seg}) WHERE n < ?`,
      [min],
    );
    suppression = {
      minSegmentSize: min,
      segments: Number(counts.getChild("segments")?.get(0) ?? 0),
      members: Number(counts.getChild("members")?.get(0) ?? 0),
      reason: suppressionReason(min),
    };
    // PARTITION BY groups NULL segments together, as the counts above do.
    inner = `SELECT *, row_number() OVER () AS __privacy_row, count(*) OVER (PARTITION BY ${seg}) AS __privacy_n FROM ${src}`;
    where = ` WHERE __privacy_n >= ?`;
    params.push(min);
  }
  const exclude = where ? "__privacy_row, __privacy_n" : "__privacy_row";
  const replace = masked.map((c) => `${maskSql(`t.${quoteIdentifier(c)}`)} AS ${quoteIdentifier(c)}`);
  const select = `t.* EXCLUDE (${exclude})${replace.length ? ` REPLACE (${replace.join(", ")})` : ""}`;
  const guarded = await ctx.db.query(`SELECT ${select} FROM (${inner}) AS t${where} ORDER BY __privacy_row`, params);
  return { table: guarded, suppression, masked, personal, segment };
}
