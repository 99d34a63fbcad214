/**
 * Run state of a cell: everything that is live and never saved (status, value, displays, error).
 * Kept apart from the saved {@link Cell} on purpose: saving a notebook can never leak an output.
 */

/** Where a cell is in its life: `stale` = scheduled, waiting for its inputs. */
export type CellStatus = "ok" | "error" | "running" | "stale" | "blocked";

/** Every status, for exhaustive checks and documentation. */
export const CELL_STATUSES: readonly CellStatus[] = ["ok", "error", "running", "stale", "blocked"];

/** Why a cell failed. Location is 1-based in the cell's own source when known. */
export interface CellError {
  /** `compile`: the code cannot run; `graph`: undefined/duplicate/circular; `runtime`: it threw. */
  phase: "compile" | "graph" | "runtime";
  message: string;
  line?: number;
  column?: number;
  /** Other nodes the message names (e.g. the other cell defining the same name), to link to. */
  related?: readonly string[];
  /** The original thrown value (runtime errors), for inspection. */
  cause?: unknown;
}

/** The live state of one cell (or data source). Replaced, never mutated, on every change. */
export interface CellState {
  status: CellStatus;
  /** Names the cell reads (resolved or not). */
  inputs: readonly string[];
  /** Names the cell defines. */
  outputs: readonly string[];
  /** The value of the last expression (TS), the result (SQL) or the rendered template (Markdown). */
  value: unknown;
  /** Whether `value` is meant to be shown (a TS cell ending in a declaration shows nothing). */
  hasValue: boolean;
  /** What the cell passed to `display()` in its latest run. */
  displays: readonly unknown[];
  /**
   * The user's names for the engine tables among the cell's inputs and outputs (engine name -> name,
   * e.g. `{"__segbook_t11": "rfm"}`), so a shown table is captioned `rfm`, not its internal name.
   */
  tableLabels?: Readonly<Record<string, string>>;
  error?: CellError;
  /** When blocked: the inputs whose cells failed or are blocked themselves. */
  blockedBy?: readonly string[];
  /**
   * What the latest run assumed, one sentence each: a data source's load notes (see
   * LoadResult.notes) and warnings such as a changed file. Absent when there is nothing to say.
   */
  notes?: readonly string[];
  /**
   * A running remote SQL cell's progress: rows the server has read and rows received so far. Shown
   * only while the cell is `running`.
   */
  progress?: { rowsRead: number; rowsReceived: number };
  /** Wall time of the latest completed run, in milliseconds. */
  durationMs?: number;
  /** How many runs have started, for tests and the UI. */
  runs: number;
}

/** The state of a cell that has never run. */
export function initialState(inputs: readonly string[], outputs: readonly string[]): CellState {
  return { status: "stale", inputs, outputs, value: undefined, hasValue: false, displays: [], runs: 0 };
}
