/**
 * The names every TS cell can use without defining them. Some are shared (libraries, `seed`), some
 * are made for each run of each cell (`db`, `display`, `random`, `invalidation`), so that what one
 * cell does through them is owned by that cell and cleaned up when it re-runs.
 */
import type { CellDb, SqlTag } from "./cell-db.ts";
import { md } from "./markdown.ts";
import type { PrivacySettings } from "../notebook/model.ts";
import type { ViewInput } from "./view.ts";
import type { CellProvenance as RunProvenance } from "./provenance.ts";

/** What a {@link CellLibrary} is made from: one run of one cell. */
export interface CellScope {
  /** The cell's database access: tables made through it are the cell's, dropped when it re-runs. */
  db: CellDb;
  /** The notebook's seed. */
  seed: number;
  /** The notebook's privacy rules (front matter `privacy:`). */
  privacy: PrivacySettings;
  /** The run calling: what it leaves behind (exports) is replaced when the cell re-runs. */
  caller: { cellId: string; invalidation: Promise<void> };
  /** Where this run's inputs came from (its notebook, cell, data sources, models upstream), for manifests. */
  provenance: () => Promise<RunProvenance>;
}

/**
 * A library made afresh for each run of each cell, from that run's {@link CellScope}. The host (the
 * page, `segbook run`) passes these to the Session, so the runtime knows no library by name: `seg`
 * arrives this way, bound to the cell's `db` and the notebook's seed.
 * @example new Session({engine, cellLibraries: {seg: segLibrary({kernels})}})
 */
export type CellLibrary = (scope: CellScope) => unknown;

/** What a cell's run provides to the per-run builtins. */
export interface RunContext {
  db: CellDb;
  sql: SqlTag;
  display: (value: unknown) => unknown;
  random: () => number;
  invalidation: Promise<void>;
  seed: number;
  /** The node running, for {@link CellScope}'s caller. */
  cellId: string;
  /** The notebook's privacy rules, for {@link CellScope}. */
  privacy: PrivacySettings;
  /** This run's provenance, for {@link CellScope}. */
  provenance: () => Promise<RunProvenance>;
  /** Shows an input and returns its value; bound to a declaration it re-runs readers on change (view.ts). */
  view: (input: ViewInput) => unknown;
}

/** Names provided per run. */
const PER_RUN = ["db", "sql", "display", "random", "invalidation", "seed", "view"] as const;

/**
 * Names of every builtin, given the shared libraries and the per-cell ones. A library may not take a
 * name the runtime provides, nor appear in both lists.
 * @example builtinNames({aq}, {seg: segLibrary()}) // Set {"db", "sql", …, "md", "aq", "seg"}
 */
export function builtinNames(
  libraries: Record<string, unknown>,
  cellLibraries: Record<string, CellLibrary> = {},
): Set<string> {
  const names = new Set<string>([...PER_RUN, "md"]);
  for (const name of [...Object.keys(libraries), ...Object.keys(cellLibraries)]) {
    if (names.has(name)) {
      const why = name in libraries && name in cellLibraries ? "is given twice" : "takes a name the runtime provides";
      throw new Error(`Session: the library "${name}" ${why} (libraries and cellLibraries must not share names)`);
    }
    names.add(name);
  }
  return names;
}

/** The value of builtin `name` for one run. */
export function builtinValue(
  name: string,
  context: RunContext,
  libraries: Record<string, unknown>,
  cellLibraries: Record<string, CellLibrary> = {},
): unknown {
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
    default: {
      const make = Object.hasOwn(cellLibraries, name) ? cellLibraries[name] : undefined;
      if (!make) return libraries[name];
      const { db, seed, privacy, cellId, invalidation, provenance } = context;
      return make({ db, seed, privacy, caller: { cellId, invalidation }, provenance });
    }
  }
}
