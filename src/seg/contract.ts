/**
 * The one contract of the `seg` library, as types. Every function is `seg.fn(table, options)`; what
 * comes back is one of a few kinds, named here so the library, the editor's declarations and the
 * reference all say the same thing:
 *
 * - a {@link SegTable}: a table handle (pass it to SQL, plots and other `seg` calls as it is) that
 *   also carries `info` — what was fitted or decided, as plain JSON-able data — and `warnings`;
 * - a {@link ClusterResult} from a clustering method: the SegTable of labels (the id column or
 *   `row`, and `cluster`) plus its fitted `model`, a {@link ClusterModel};
 * - a number (a metric), a feature matrix, a chart, or an export — each documented where it is made.
 *
 * One vocabulary for column options, one meaning per word (see README "The seg contract"):
 * `id` (the customer or entity id column), `date` (the event date column), `amount` (the money
 * column), `segment` (the column holding segment labels; `{before, after}` when there are two),
 * `features` (numeric feature columns), `as` (the name of a column the function adds), `asOf` (the
 * reference date, never the wall clock), `method` (a clustering method), `k`, `seed`.
 */
import type { TableHandle } from "../engine/table-handle-types.ts";
import type { TableInput } from "./context.ts";
import { markSegmentColumn } from "./seg-result.ts";
import type { ToSqlOptions } from "./to-sql-dialect.ts";

export type { ToSqlOptions };

/** The clustering methods; every one returns a {@link ClusterResult}. */
export type ClusterMethod = "kmeans" | "gmm" | "kprototypes";

/**
 * A table handle that is a `seg` result: the table plus `info` and `warnings`. Read-only; `info`
 * holds no per-row data (that is in the table) and is JSON-able, so it can be shown, saved and
 * compared.
 * @example
 * const scored = await seg.rfm(orders, {id: "customer_id", date: "order_date", amount: "amount"});
 * scored.info.asOf;   // "2011-12-09"
 * scored.warnings;    // [] or sentences about the data
 */
export type SegTable<I extends object = Record<string, unknown>> = TableHandle & {
  readonly info: Readonly<I>;
  readonly warnings: readonly string[];
};

/**
 * Makes `handle` a {@link SegTable}: `info` and `warnings` become read-only properties, and the
 * segment column (when the table has one) is marked so `seg.export`'s privacy guard knows it.
 * @example return segTable(handle, {asOf: "2011-12-09", edges}, warnings, "segment");
 */
export function segTable<I extends object>(
  handle: TableHandle,
  info: I,
  warnings: readonly string[] = [],
  segmentColumn?: string,
): SegTable<I> {
  for (const [key, value] of [
    ["info", Object.freeze(info)],
    ["warnings", Object.freeze([...warnings])],
  ] as const) {
    if (key in handle)
      throw new Error(`segTable: the handle already has "${key}"; make the result from a fresh handle`);
    Object.defineProperty(handle, key, { value, enumerable: true, writable: false, configurable: false });
  }
  if (segmentColumn !== undefined) markSegmentColumn(handle, segmentColumn);
  return handle as SegTable<I>;
}

/** Options every model's `assign` takes. */
export interface AssignOptions {
  /** The id column of the new table (default: the id column the model was fitted with). */
  id?: string;
}

/** What `assign` reports in `info`. */
export interface AssignInfo {
  readonly method: ClusterMethod;
  readonly k: number;
  /** Rows scored. */
  readonly n: number;
}

/**
 * One interface for every fitted clustering model. `assign` works from any cell (the model carries
 * the context it was fitted in); `toJSON()` gives plain parameters that `seg.assign(table, {model})`
 * and `seg.restoreModel(json)` accept back.
 * @example
 * const km = await seg.kmeans(customers, {features: ["recency", "monetary"], id: "customer_id", k: 4});
 * const next = await km.model.assign(customersNextQuarter); // same columns: id, cluster
 * const saved = JSON.stringify(km.model);                  // parameters only
 * const scoring = km.model.toSQL({dialect: "clickhouse", table: "customers"}); // runs in the warehouse
 */
export interface ClusterModel<P extends object = Record<string, unknown>> {
  readonly method: ClusterMethod;
  readonly k: number;
  /** The feature columns the model reads (numeric; k-prototypes adds `categorical`). */
  readonly features: readonly string[];
  /** The id column it was fitted with, or null (rows were numbered). */
  readonly id: string | null;
  /** The fitted parameters (scaler, centres, weights, …): JSON-able. */
  readonly parameters: Readonly<P>;
  /** Scores the rows of `table`: a table like the fit's labels (id or `row`, `cluster`). */
  assign(table: TableInput, options?: AssignOptions): Promise<SegTable<AssignInfo>>;
  /** The model as plain data: `{method, k, features, id, parameters, …}`. */
  toJSON(): ClusterModelJson<P>;
  /**
   * One SELECT, in the given SQL dialect, that assigns every row of `options.table` as `assign`
   * does (the scaler folded in): the id column(s) and `cluster` (GMM adds `probability`). Run on
   * local DuckDB it gives exactly `assign`'s labels; run on ClickHouse it scores every customer
   * where the data lives.
   * @example
   * const sql = km.model.toSQL({dialect: "clickhouse", table: "customers"});
   * // SELECT `CustomerID`, multiIf(…) AS `cluster` FROM (…)
   */
  toSQL(options: ToSqlOptions): string;
}

/**
 * A rule set that scores rows in SQL: `seg.segments`, `seg.explain` and `seg.rfm` results carry
 * `toSQL`, with the same options as {@link ClusterModel.toSQL}.
 * @example
 * const segs = await seg.segments(customers, {definitions, id: "customer_id"});
 * segs.toSQL({dialect: "duckdb", table: "customers"}); // SELECT "customer_id", CASE … END AS "segment" FROM …
 */
export interface SqlScoring {
  /** One SELECT that assigns every row of `options.table` (see {@link ToSqlOptions}). */
  toSQL(options: ToSqlOptions): string;
}

/**
 * Gives a rule-set result its `toSQL` (not enumerable: the result's data stay `info` and the table).
 * @example return withToSql(segTable(handle, info), (options) => segmentsSql(spec, options));
 */
export function withToSql<T extends SegTable>(table: T, toSQL: (options: ToSqlOptions) => string): T & SqlScoring {
  Object.defineProperty(table, "toSQL", { value: toSQL, enumerable: false, writable: false, configurable: false });
  return table as T & SqlScoring;
}

/** A model as saved: what `toJSON()` returns and `seg.restoreModel` takes. */
export interface ClusterModelJson<P extends object = Record<string, unknown>> {
  method: ClusterMethod;
  k: number;
  features: string[];
  id: string | null;
  parameters: P;
  [more: string]: unknown;
}

/** What every clustering method reports in `info` (methods add their own, e.g. `inertia`, `bic`). */
export interface ClusterInfo {
  readonly method: ClusterMethod;
  readonly k: number;
  /** Rows in each cluster, by cluster number. */
  readonly sizes: readonly number[];
  /** Rows clustered, and rows dropped for missing values. */
  readonly n: number;
  readonly dropped: number;
  readonly seed: number;
}

/**
 * What a clustering method returns: the labels table (id or `row`, `cluster`) with `info`,
 * `warnings` and the fitted `model`.
 * @example
 * const km = await seg.kmeans(customers, {features, id: "customer_id", k: 4});
 * await sql`SELECT cluster, count(*) FROM ${km} GROUP BY cluster`;
 */
export type ClusterResult<I extends ClusterInfo = ClusterInfo, M extends ClusterModel = ClusterModel> = SegTable<I> & {
  readonly model: M;
};
