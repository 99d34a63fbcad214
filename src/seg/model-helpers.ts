/**
 * Small pieces every clustering entry point (kmeans, gmm, kprototypes) shares: option checks, turning
 * flat kernel output into rows, the {@link ClusterModel} every method returns (its `assign` bound to
 * the fitting context, its `toJSON`), and the result shapes of a fit and of an assignment.
 */
import type { TableHandle } from "../engine/table-handle-types.ts";
import type { SegContext, TableInput } from "./context.ts";
import {
  segTable,
  type AssignInfo,
  type AssignOptions,
  type ClusterInfo,
  type ClusterMethod,
  type ClusterModel,
  type ClusterModelJson,
  type ClusterResult,
  type SegTable,
} from "./contract.ts";
import { labelsTable, type LabelsSource } from "./labels-table.ts";
import type { ToSqlOptions } from "./to-sql-dialect.ts";

/** `value` as an integer >= `min`, or an error naming the function and the option. */
export function checkInteger(value: unknown, name: string, min: number, fn: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new Error(`seg.${fn}: ${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A row-major flat array as `rows` arrays of `width` numbers. */
export function rowsOf(flat: ArrayLike<number>, rows: number, width: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: width }, (_, f) => flat[r * width + f]!));
}

/** Rows in each cluster 0..k-1. */
export function sizesOf(labels: ArrayLike<number>, k: number): number[] {
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; ++i) sizes[labels[i]!]! += 1;
  return sizes;
}

/** The per-row values a method computes for the rows of a table, and where they join back. */
export interface ScoredRows {
  source: LabelsSource;
  /** `cluster` first, then any other per-row column (GMM's `probability`). */
  columns: { cluster: Int32Array } & Record<string, Int32Array | Float64Array>;
  warnings?: string[];
}

/** How one clustering method checks a saved model and scores new rows with it. */
export interface ModelScorer<P extends object> {
  readonly method: ClusterMethod;
  /** Throws a message naming `fn` unless `json.parameters` (and the method's extras) fit the method. */
  check(json: ClusterModelJson<P>, fn: string): void;
  /** The model's cluster (and any other per-row value) for each row of `table`. */
  score(
    ctx: SegContext,
    table: TableInput,
    json: ClusterModelJson<P>,
    id: string | null,
    fn: string,
  ): Promise<ScoredRows>;
  /** The SELECT that scores a table as `score` does, in a target dialect (see to-sql-models.ts). */
  toSQL(json: ClusterModelJson<P>, options: ToSqlOptions): string;
}

/** Scores `table` with a checked model JSON: a labels table like the fit's, marked on `cluster`. */
export async function assignWith<P extends object>(
  ctx: SegContext,
  table: TableInput,
  json: ClusterModelJson<P>,
  scorer: ModelScorer<P>,
  options: AssignOptions,
  fn: string,
): Promise<SegTable<AssignInfo>> {
  if (options.id !== undefined && typeof options.id !== "string") {
    throw new Error(`seg.${fn}: id must be a column name, got ${JSON.stringify(options.id)}`);
  }
  const scored = await scorer.score(ctx, table, json, options.id ?? json.id, fn);
  const handle = await labelsTable(ctx, scored.source, scored.columns);
  const info: AssignInfo = { method: json.method, k: json.k, n: scored.columns.cluster.length };
  return segTable(handle, info, scored.warnings ?? [], "cluster");
}

/**
 * A live {@link ClusterModel}: the JSON's fields as read-only properties, plus `assign`, `toJSON`
 * and `toSQL` (not enumerable, so `JSON.stringify(model)` saves only the parameters).
 *
 * `assign` runs in `ctx`, the context the model was fitted (or restored) in: a cell calls
 * `fitted.model.assign(t)` with no context of its own to hand over (the method is reached through a
 * value, not through the cell's `seg`). The tables it makes are therefore owned by the fitting
 * cell's run and dropped when that cell re-runs — which also re-runs every cell that used the model.
 * @example
 * const model = clusterModel({method: "kmeans", k, features, id, parameters}, kmeansScorer, ctx);
 * await model.assign("customers2024"); // == seg.assign("customers2024", {model})
 */
export function clusterModel<P extends object>(
  json: ClusterModelJson<P>,
  scorer: ModelScorer<P>,
  ctx: SegContext,
): ClusterModel<P> {
  const saved = Object.freeze({ ...json });
  const model = { ...saved } as unknown as ClusterModel<P>;
  Object.defineProperties(model, {
    assign: {
      value: (table: TableInput, options: AssignOptions = {}) =>
        assignWith(ctx, table, saved, scorer, options ?? {}, "assign"),
      enumerable: false,
    },
    toJSON: { value: () => JSON.parse(JSON.stringify(saved)) as ClusterModelJson<P>, enumerable: false },
    toSQL: { value: (options: ToSqlOptions) => scorer.toSQL(saved, options), enumerable: false },
  });
  return Object.freeze(model);
}

/**
 * A clustering result: the labels table as a SegTable marked on `cluster`, plus its `model`.
 * @example return clusterResult(await labelsTable(ctx, fm.source, {cluster}), info, warnings, model);
 */
export function clusterResult<I extends ClusterInfo, M extends ClusterModel>(
  labels: TableHandle,
  info: I,
  warnings: readonly string[],
  model: M,
): ClusterResult<I, M> {
  const table = segTable(labels, info, warnings, "cluster");
  Object.defineProperty(table, "model", { value: model, enumerable: true, writable: false, configurable: false });
  return table as ClusterResult<I, M>;
}

/** The warning every method gives when `missing: "drop"` dropped rows (none when nothing was dropped). */
export function droppedWarning(dropped: number, n: number): string[] {
  if (dropped === 0) return [];
  return [
    `${dropped} row${dropped > 1 ? "s" : ""} with a missing feature value ${dropped > 1 ? "were" : "was"} dropped (missing: "drop"); ${n} rows clustered, and they have no label`,
  ];
}
