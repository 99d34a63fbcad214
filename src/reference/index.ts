/**
 * Generated from the TypeScript source by TypeDoc on every build. A TS cell has:
 *
 * - {@link seg}, the segmentation library: `await seg.fn(table, options)` for every function;
 * - the notebook's tables, each a {@link TableHandle} (a data source, a named SQL cell, or a `seg`
 *   result, which is a {@link SegTable});
 * - the cell builtins: `db`, `sql`, `display`, `view`, `md`, `seed`, `random`, `invalidation`, `aq`,
 *   `Plot` and `Inputs` ({@link builtins}).
 *
 * The example of every `seg` function and cell builtin runs (in a test) as it is written in a TS
 * cell of a notebook with `orders` (order_id, customer_id, order_date, category, amount) and
 * `customers` (customer_id, gender, age,
 * region, channel, signup_date) loaded from the shipped `notebooks/data/`.
 * @module
 */
export * as seg from "./seg.ts";
export * as builtins from "./builtins.ts";
export type { TableHandle, ColumnValues } from "../engine/table-handle-types.ts";
export type { ColumnInfo } from "../engine/engine.ts";
export type { TableInput } from "../seg/context.ts";
export type {
  SegTable,
  ClusterResult,
  ClusterModel,
  ClusterModelJson,
  ClusterInfo,
  ClusterMethod,
  AssignOptions,
  AssignInfo,
  ToSqlOptions,
  SqlScoring,
} from "../seg/contract.ts";
