/**
 * The `stability` option of seg.scorecard: a stability result of any clustering method (read from
 * its table's `cluster` and `mean_jaccard` columns, not from properties, so every method's result
 * works), an ARI between periods (a number), or stability options `{method, k, features, bootstrap}`
 * to run seg.stability here. Per segment (as text) the mean Jaccard, or one number for all.
 */
import { isTableHandle } from "../engine/is-table-handle.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import { requireColumns, type SegContext, type TableInput } from "./context.ts";
import type { ClusterMethod } from "./contract.ts";
import { stability } from "./stability.ts";

/** Options that make seg.scorecard run seg.stability itself (as SEG-CONTRACT.md defines them). */
export interface ScorecardStabilityOptions {
  /** The clustering method bootstrapped (default "kmeans"). */
  method?: ClusterMethod;
  k: number;
  features: readonly string[];
  /** Bootstrap replicates (default 100). */
  bootstrap?: number;
  seed?: number;
  [methodOption: string]: unknown;
}

/** What the `stability` option takes. */
export type ScorecardStability = TableHandle | number | ScorecardStabilityOptions;

/** The stability of each segment ("0" → 0.83), or one number for every segment. */
export type StabilityBySegment = number | Map<string, number>;

/** Mean Jaccard by cluster (as text) from a stability table's `cluster` and `mean_jaccard` columns. */
async function readStabilityTable(table: TableHandle): Promise<Map<string, number>> {
  requireColumns(table, ["cluster", "mean_jaccard"], "scorecard");
  const rows = await table.rows();
  return new Map(rows.map((row) => [String(row.cluster), Number(row.mean_jaccard)]));
}

/**
 * Runs seg.stability with the contract's options, `stability(table, {method, k, features, bootstrap,
 * seed, ...method options})` (SEG-CONTRACT.md), so every clustering method works.
 */
async function runStability(ctx: SegContext, table: TableInput, options: ScorecardStabilityOptions) {
  const { method = "kmeans", ...rest } = options;
  return stability(ctx, table, { method, ...rest, features: [...options.features] });
}

/**
 * The stability per segment from what the `stability` option holds; undefined when it is absent.
 * @example await stabilityBySegment(ctx, table, {method: "kmeans", k: 4, features, bootstrap: 50});
 */
export async function stabilityBySegment(
  ctx: SegContext,
  table: TableInput,
  option: ScorecardStability | undefined,
): Promise<StabilityBySegment | undefined> {
  if (option === undefined || option === null) return undefined;
  if (typeof option === "number") {
    if (!Number.isFinite(option))
      throw new Error(`seg.scorecard: stability must be a finite number (an ARI), got ${option}`);
    return option;
  }
  if (isTableHandle(option)) return readStabilityTable(option);
  if (typeof option === "object" && typeof option.k === "number" && Array.isArray(option.features))
    return readStabilityTable(await runStability(ctx, table, option));
  throw new Error(
    `seg.scorecard: stability must be seg.stability's result, a number (an ARI between periods) or {method, k, features, bootstrap} to run it`,
  );
}
