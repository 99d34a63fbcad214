/**
 * The names every TS cell can use without defining them. Some are shared (libraries, `seed`), some
 * are made for each run of each cell (`db`, `display`, `random`, `invalidation`), so that what one
 * cell does through them is owned by that cell and cleaned up when it re-runs.
 */
import type { CellDb, SqlTag } from "./cell-db.ts";
import { md } from "./markdown.ts";
import { createSeg } from "../seg/namespace.ts";
import type { SegEnvironment } from "../seg/context.ts";
import type { ViewInput } from "./view.ts";

/** What a cell's run provides to the per-run builtins. */
export interface RunContext {
  db: CellDb;
  sql: SqlTag;
  display: (value: unknown) => unknown;
  random: () => number;
  invalidation: Promise<void>;
  seed: number;
  /** What the host gives `seg`: kernel runner, export sink, document. */
  segEnvironment: SegEnvironment;
  /** Shows an input and returns its value; bound to a declaration it re-runs readers on change (view.ts). */
  view: (input: ViewInput) => unknown;
}

/** Names provided per run. */
const PER_RUN = ["db", "sql", "display", "random", "invalidation", "seed", "seg", "view"] as const;

/** Names of every builtin, given the shared libraries. */
export function builtinNames(libraries: Record<string, unknown>): Set<string> {
  return new Set<string>([...PER_RUN, "md", ...Object.keys(libraries)]);
}

/** The value of builtin `name` for one run. */
export function builtinValue(name: string, context: RunContext, libraries: Record<string, unknown>): unknown {
  switch (name) {
    case "db":
      return context.db;
    case "sql":
      return context.sql;
    case "display":
      return context.display;
    case "view":
      return context.view;
    case "random":
      return context.random;
    case "invalidation":
      return context.invalidation;
    case "seed":
      return context.seed;
    case "md":
      return md;
    case "seg":
      return createSeg({ ...context.segEnvironment, db: context.db, seed: context.seed });
    default:
      return libraries[name];
  }
}
