/**
 * What a host's `resolveData` may return for a front matter data source: just a file source, or a
 * file source with load options and, when the host converted the file first (e.g. an Excel sheet
 * to JSON), the sha256 of the original file for the notebook's sha256 check.
 */
import type { FileSource, LoadOptions } from "../engine/engine.ts";
import type { DataSource } from "../notebook/model.ts";

/** A data source resolved with options (see {@link DataResolution}). */
export interface ResolvedData {
  source: FileSource;
  /** Options for Engine.loadFile, e.g. CSV overrides; the front matter's `format` is added if absent. */
  options?: LoadOptions;
  /** sha256 of the file the notebook names, when `source` is a conversion of it. */
  sha256?: string;
  /**
   * What a sha256 differing from the front matter's does: fail the load (the default, and always in
   * `segbook run`), or load with the note "data changed since this notebook was written" (a file the
   * user picked by hand in the browser for a missing one).
   */
  onMismatch?: "error" | "warn";
  /** What the host wants said under the data source (e.g. why a file outside the notebook's folder was read). */
  notes?: string[];
}

/** A file source, or one with load options (see {@link ResolvedData}). */
export type DataResolution = FileSource | ResolvedData;

/** Turns a data source into something the engine can load; may be async (e.g. reading OPFS). */
export type DataResolver = (name: string, source: DataSource) => DataResolution | Promise<DataResolution>;

/** The resolution as a {@link ResolvedData}. */
export function asResolvedData(resolution: DataResolution): ResolvedData {
  return "source" in resolution ? resolution : { source: resolution };
}
