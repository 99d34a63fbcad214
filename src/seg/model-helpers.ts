/**
 * Small pieces every clustering entry point (kmeans, gmm, kprototypes) shares: option checks, turning
 * flat kernel output into rows, and attaching `assign` to a serializable model.
 */
import type { TableHandle } from "../engine/table-handle-types.ts";
import type { SegContext, TableInput } from "./context.ts";

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

/** A model with an `assign` method that scores new data with it. */
export type WithAssign<M> = M & {
  /**
   * Scores the rows of `table` with this model; the result is a table like the fit's labels.
   * @example const labels2024 = await fitted.model.assign(customers2024);
   */
  assign(table: TableInput, options?: { id?: string }): Promise<TableHandle>;
};

/**
 * Attaches `assign(table, options?)` to `model` without making it part of the model's JSON
 * (non-enumerable), so `JSON.stringify(model)` saves only the parameters and the JSON can later be
 * passed back to the entry point's assign function (`seg.assignClusters(t, {model: json})`).
 *
 * `assign` runs in `ctx`, the context the model was fitted in: a cell calls `fitted.model.assign(t)`
 * with no context of its own to hand over (the method is reached through a value, not through the
 * cell's `seg`). The tables it makes are therefore owned by the fitting cell's run and dropped when
 * that cell re-runs — which also re-runs every cell that used the model.
 * @example
 * const model = withAssign({kind: "kmeans", ...}, assignClusters, ctx);
 * await model.assign("customers2024"); // == assignClusters(ctx, "customers2024", {model})
 */
export function withAssign<M extends object>(
  model: M,
  assign: (ctx: SegContext, table: TableInput, options: { model: M; id?: string }) => Promise<TableHandle>,
  ctx: SegContext,
): WithAssign<M> {
  return Object.defineProperty(model, "assign", {
    value: (table: TableInput, options: { id?: string } = {}) => assign(ctx, table, { ...options, model }),
    enumerable: false,
  }) as WithAssign<M>;
}
