/**
 * `seg` as a per-cell library for the runtime. The runtime does not import `seg`: the host (the page,
 * `segbook run`, a test) passes `{seg: segLibrary(environment)}` to the Session, which calls it on
 * every run of every cell with that run's scope. The scope's shape is written here, not imported, so
 * neither folder depends on the other; the runtime's CellScope satisfies it.
 */
import type { SegDb, SegEnvironment, SegProvenance } from "./context.ts";
import type { ExportCaller } from "./export.ts";
import type { PrivacySettings } from "../notebook/model.ts";
import { createSeg, type Seg } from "./namespace.ts";

/** What one cell run gives `seg` (the runtime's CellScope). */
export interface SegScope {
  db: SegDb;
  seed: number;
  privacy?: PrivacySettings;
  /** What this run exports belongs to it: the sink drops it when the cell re-runs or goes. */
  caller?: ExportCaller;
  /** Where the run's inputs came from, for export manifests (the runtime's provenance of the run). */
  provenance?: () => Promise<SegProvenance>;
}

/**
 * The factory of a cell's `seg`, with what the host supplies: where kernels run (in-process when
 * absent), where exports go, the document charts draw into.
 * @example new Session({engine, cellLibraries: {seg: segLibrary({kernels: createWorkerKernels()})}})
 */
export function segLibrary(environment: SegEnvironment = {}): (scope: SegScope) => Seg {
  return (scope) => createSeg({ ...environment, ...scope });
}
