/**
 * The CLI's export sinks: `segbook run --out <dir>` writes each `seg.export` file and its manifest
 * into that folder; without --out the exports are prepared, listed per cell and not written.
 */
import path from "node:path";
import { writeInside } from "./out-dir.ts";
import type { ExportCaller, ExportResult, ExportSink, ManifestSource, PreparedFile } from "../seg/export.ts";

/** One export as the run reports it: which cell made it and where its file went (null: not written). */
export interface ExportRecord {
  cellId: string | undefined;
  file: string;
  rows: number;
  bytes: number;
  /** The data file's path, or null when the run had no --out. */
  location: string | null;
  /** The data sources it was made from, with their sha256, as its manifest records them. */
  sources: ManifestSource[];
}

/** A sink that also lists every export it received, for the run's report. */
export interface RecordingSink extends ExportSink {
  readonly exports: ExportRecord[];
}

function record(result: ExportResult, caller: ExportCaller | undefined): ExportRecord {
  return {
    cellId: caller?.cellId,
    file: result.file.name,
    rows: result.manifest.rows,
    bytes: result.file.bytes.byteLength,
    location: result.file.location,
    sources: result.manifest.sources ?? [],
  };
}

/**
 * A sink writing each export's file and manifest into `dir` (created when missing), replacing files of
 * the same name. Names with path separators or `..`, and links in `dir`, are refused, so it never writes
 * outside `dir`.
 * @example
 * const sink = nodeDirectorySink("out"); await seg.export(t, {file: "a.csv"}) // writes out/a.csv and out/a.csv.manifest.json
 */
export function nodeDirectorySink(dir: string): RecordingSink {
  const root = path.resolve(dir);
  const exports: ExportRecord[] = [];
  const write = async (file: PreparedFile): Promise<PreparedFile> => {
    const target = path.resolve(root, file.name);
    if (path.dirname(target) !== root || file.name.includes("..")) {
      throw new Error(`export: refusing to write "${file.name}" outside ${root}; pass a plain file name`);
    }
    // Never through a symlink or hard link planted in the folder (out-dir.ts).
    return { ...file, location: await writeInside(root, file.name, file.bytes) };
  };
  return {
    exports,
    async accept(prepared, caller) {
      const written = {
        ...prepared,
        file: await write(prepared.file),
        manifestFile: await write(prepared.manifestFile),
      };
      exports.push(record(written, caller));
      return written;
    },
  };
}

/**
 * The sink of a run without --out: the export is prepared (the cell gets its manifest and bytes) and
 * listed in the report as not written; the run does not fail for it.
 * @example
 * const sink = unwrittenSink(); await seg.export(t, {file: "a.csv"}); sink.exports // [{file: "a.csv", location: null, ...}]
 */
export function unwrittenSink(): RecordingSink {
  const exports: ExportRecord[] = [];
  return {
    exports,
    async accept(prepared, caller) {
      exports.push(record(prepared, caller));
      return prepared;
    },
  };
}
