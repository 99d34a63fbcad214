/**
 * The names every TS cell can use without defining them, besides `seg` and the notebook's tables
 * (each a {@link TableHandle}). Declarations only: the runtime provides the values
 * (src/runtime/builtins.ts), made for each run of each cell where they hold per-run state.
 * @module
 */
import type { CellDb, SqlTag } from "../runtime/cell-db.ts";
import type { ViewInput } from "../runtime/view.ts";
import type { MarkdownValue } from "../runtime/markdown.ts";

export type { CellDb, SqlTag, ViewInput, MarkdownValue };

/**
 * The database: `await db.query("SELECT …", [param])` returns a table handle, `await db.exec("CREATE …")`
 * runs statements for their effect and `await db.table(name)` is a handle on a table it created. A
 * notebook table is written as its handle's quoted `name` (the `sql` tag does that for you).
 * @example
 * const big = await db.query(`SELECT * FROM "${orders.name}" WHERE amount > ?`, [100]);
 */
export declare const db: CellDb;

/**
 * SQL as a tagged template: `${…}` values are bound parameters and a table handle is written as its
 * quoted name. The result is a table handle.
 * @example
 * const perCategory = await sql`SELECT category, sum(amount) AS revenue FROM ${orders} GROUP BY ALL`;
 */
export declare const sql: SqlTag;

/**
 * Shows a value in the cell's output (several calls show several values), besides the value of the
 * cell's last expression.
 * @example
 * display(await sql`SELECT category, count(*) AS orders FROM ${orders} GROUP BY ALL`);
 */
export declare function display(value: unknown): unknown;

/**
 * Shows an input (Observable Inputs or any object with a `value` that sends "input" events) and
 * returns its current value; bound to a declaration, moving it re-runs the cells that read it.
 * @example
 * const k = view(Inputs.range([2, 12], {step: 1, value: 5, label: "k"}));
 */
export declare function view(input: ViewInput): unknown;

/**
 * Markdown as a tagged template; `${…}` values are formatted as in Markdown cells.
 * @example
 * md`**${(await orders.rows()).length}** orders`;
 */
export declare function md(strings: TemplateStringsArray, ...values: unknown[]): MarkdownValue;

/** The notebook's seed (front matter `seed`); every random step derives from it. */
export declare const seed: number;

/** A random number in [0, 1), seeded per cell from the notebook seed and the cell's code. */
export declare function random(): number;

/** Resolves when the cell re-runs or is deleted: stop timers and listeners the cell started. */
export declare const invalidation: Promise<void>;

/** Arquero, the data-frame library (https://idl.uw.edu/arquero/). */
export declare const aq: typeof import("arquero");

/** Observable Plot (https://observablehq.com/plot/). */
export declare const Plot: typeof import("@observablehq/plot");

/** Observable Inputs (https://github.com/observablehq/inputs): range, select, table, …; use with `view`. */
export declare const Inputs: typeof import("@observablehq/inputs");
