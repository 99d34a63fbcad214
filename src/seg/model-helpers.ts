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
  assign(ctx: SegContext, table: TableInput, options?: { id?: string }): Promise<TableHandle>;
};

/**
 * Attaches `assign` to `model` without making it part of the model's JSON (non-enumerable), so the
 * model can be saved and later passed back to the entry point's assign function.
 */
export function withAssign<M extends object>(
  model: M,
  assign: (ctx: SegContext, table: TableInput, options: { model: M; id?: string }) => Promise<TableHandle>,
): WithAssign<M> {
  return Object.defineProperty(model, "assign", {
    value: (ctx: SegContext, table: TableInput, options: { id?: string } = {}) =>
      assign(ctx, table, { model, ...options }),
    enumerable: false,
  }) as WithAssign<M>;
}
