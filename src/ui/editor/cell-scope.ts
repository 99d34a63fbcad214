/**
 * What a TS cell sees without defining it, as one type: the builtins the runtime gives every run
 * (src/runtime/builtins.ts) and the libraries the workbench passes it (notebook-state.svelte.ts).
 * The editor's declarations are generated from this file at build time (src/ui/build/cell-types.ts):
 * each member of {@link CellScope} becomes a global of that name, each other export a global type.
 * A unit test checks the member names against the runtime's builtin names.
 */
import type * as Arquero from "arquero";
import type * as ObservablePlot from "@observablehq/plot";
import type * as ObservableInputs from "@observablehq/inputs";
import type { Seg } from "../../seg/namespace.ts";
import type { CellDb, SqlTag } from "../../runtime/cell-db.ts";
import type { md as markdownTag } from "../../runtime/markdown.ts";
import type { ViewInput } from "../../runtime/view.ts";

export type { TableHandle, ColumnValues } from "../../engine/table-handle-types.ts";
export type { ColumnInfo } from "../../engine/engine.ts";
export type { TableInput } from "../../seg/context.ts";
export type {
  AssignInfo,
  AssignOptions,
  ClusterInfo,
  ClusterMethod,
  ClusterModel,
  ClusterModelJson,
  ClusterResult,
  SegTable,
  SqlScoring,
  ToSqlOptions,
} from "../../seg/contract.ts";

/**
 * The names every TS cell can use.
 * @example
 * // In a cell:
 * const km = await seg.kmeans(customers, { features: ["age"], id: "customer_id", k: 3 });
 * display(km.model.k);
 */
export interface CellScope {
  /** The segmentation library, with the cell's database and the notebook's seed bound. */
  seg: Seg;
  /** The database as a cell sees it; query results become tables owned by the cell. */
  db: CellDb;
  /** `` sql`SELECT … ${x}` ``: runs a query (interpolations are bound parameters) into a table handle. */
  sql: SqlTag;
  /** Shows a value in the cell's output (a cell may display several) and returns it. */
  display: <T>(value: T) => T;
  /** Shows an input in the cell and returns its value; `const k = view(input)` re-runs k's readers on change. */
  view: <T>(input: ViewInput & { value: T }) => T;
  /** Markdown from a template; interpolated values are rendered in place. */
  md: typeof markdownTag;
  /** A seeded random number in [0, 1), the same on every run of the same cell. */
  random: () => number;
  /** Resolves when the cell re-runs or is removed: release what the run started. */
  invalidation: Promise<void>;
  /** The notebook's seed (front matter `seed`). */
  seed: number;
  /** Arquero: data frames in JavaScript. */
  aq: typeof Arquero;
  /** Observable Plot: charts from data. */
  Plot: typeof ObservablePlot;
  /** Observable Inputs: controls to use with `view`. */
  Inputs: typeof ObservableInputs;
}
