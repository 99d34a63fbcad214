/**
 * Marks on `seg` results that cells never see (registered symbols, non-enumerable): which kind of
 * result a value is and which column holds its segments. What a result shows (`info`, `warnings`)
 * is made by segTable in contract.ts. Also {@link toFloat64}, for reading a number column.
 */
import type { TableHandle } from "../engine/table-handle-types.ts";

/** Plain numbers from a column as a Float64Array (null -> NaN, BigInt -> number). */
export function toFloat64(values: ArrayLike<unknown>): Float64Array {
  if (values instanceof Float64Array) return values;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    out[i] = value === null || value === undefined ? NaN : Number(value);
  }
  return out;
}

/**
 * Marks what kind of result a value is, so a renderer can pick its view (the scorecard's table of
 * marks) from a typed marker rather than guessing from column names. The key is a registered symbol:
 * invisible to cells, and the same across copies of this module.
 */
export const RESULT_KIND = Symbol.for("segbook.resultKind");

/** The result kinds a renderer may show specially. */
export type ResultKind = "scorecard";

/**
 * Marks `value` as a result of `kind` (non-enumerable) and returns it.
 * @example return markResultKind(segTable(handle, {flags, checks}), "scorecard");
 */
export function markResultKind<T extends object>(value: T, kind: ResultKind): T {
  Object.defineProperty(value, RESULT_KIND, { value: kind, enumerable: false });
  return value;
}

/**
 * The result kind `value` was marked with, or undefined.
 * @example if (resultKindOf(value) === "scorecard") renderScorecard(value);
 */
export function resultKindOf(value: unknown): ResultKind | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  return (value as { [RESULT_KIND]?: ResultKind })[RESULT_KIND];
}

/**
 * Marks which column of a table holds its segments (`cluster` in clustering labels, `segment` in
 * rfm, tiers and rule segments), so the privacy guard of `seg.export` knows what to suppress by
 * without guessing from column names. A registered symbol, like {@link RESULT_KIND}: invisible to
 * cells and never part of a result's keys or JSON.
 */
export const SEGMENT_COLUMN = Symbol.for("segbook.segmentColumn");

/**
 * Marks `handle`'s segment column (non-enumerable) and returns the handle.
 * @example return markSegmentColumn(await joinRowValues(ctx, source, {cluster}), "cluster");
 */
export function markSegmentColumn<T extends TableHandle>(handle: T, column: string): T {
  Object.defineProperty(handle, SEGMENT_COLUMN, { value: column, enumerable: false, configurable: true });
  return handle;
}

/**
 * The segment column `value` was marked with, or undefined.
 * @example segmentColumnOf(km); // "cluster" (km = await seg.kmeans(...))
 */
export function segmentColumnOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  return (value as { [SEGMENT_COLUMN]?: string })[SEGMENT_COLUMN];
}
