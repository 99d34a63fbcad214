/**
 * `seg.export(table, {file: "name.csv" | "name.parquet"})`: writes a table for use outside Segbook, always
 * with a sidecar manifest `<name>.manifest.json` that says what was written and how it was made
 * (row/column counts, sha256 of the bytes, segment counts, definitions, parameters, seed, inputs,
 * engine version), so an exported segment file can be traced back to its notebook run.
 *
 * Preparing the bytes and putting them somewhere are separate: `exportSegments` prepares the file and
 * its manifest in memory, then hands them to a seam, {@link ExportSink}: a directory in `segbook run
 * --out` (src/cli/export-sink.ts), a list of prepared exports that `segbook run` without --out reports
 * as not written, the workbench's prepared exports that download only on a click
 * (src/ui/exports/prepared-exports.svelte.ts), anything in tests. Nothing here writes or downloads.
 */
import { quoteIdentifier } from "../engine/sql-text.ts";
import { sha256Bytes } from "../engine/sha256.ts";
import type { ColumnInfo } from "../engine/engine.ts";
import { resolveTable } from "./context.ts";
import type { SegContext, TableInput } from "./context.ts";
import { encodeCsv, encodeParquet, type CsvFormulas } from "./export-encode.ts";
import { guardExport, type Suppression } from "./privacy.ts";
import { exportProvenance, NOT_HASHED, type ExportProvenance } from "./export-provenance.ts";

export { isExportResult } from "./export-result.ts";
export type { ExportProvenance, ManifestModel, ManifestSource } from "./export-provenance.ts";

/**
 * Where a prepared export goes. Receives the export with both files' `location` null and returns it
 * as the cell gets it: with the locations filled in when it wrote the files, unchanged when it only
 * keeps them (the browser keeps them for a Download click).
 */
export interface ExportSink {
  accept(prepared: ExportResult, caller?: ExportCaller): Promise<ExportResult>;
}

/**
 * The cell run that called `seg.export`: its id, and a promise that resolves when that run's results
 * are replaced (the cell re-runs or is removed), so a sink can drop what the run prepared.
 */
export interface ExportCaller {
  cellId: string;
  invalidation: Promise<void>;
}

/** One prepared file of an export: its name, type and bytes, and where a sink wrote it. */
export interface PreparedFile {
  name: string;
  mimeType: string;
  bytes: Uint8Array;
  /** Where the sink wrote the file (a path in `segbook run --out`); null when it was only prepared. */
  location: string | null;
}

/** The export formats, by file extension. */
export type ExportFormat = "csv" | "parquet";

/** Options for {@link exportSegments}. */
export interface ExportOptions {
  /**
   * The file to write: a plain name ending in `.csv` or `.parquet` (the format), e.g.
   * `"segments.csv"`. The manifest is written next to it as `<file>.manifest.json`.
   */
  file: string;
  /** How the segments were defined (rules, SQL text, ...): recorded in the manifest as given. */
  definitions?: unknown;
  /** Parameters of the run (k, thresholds, ...): recorded in the manifest as given. */
  parameters?: Record<string, unknown>;
  /**
   * Input files by name with their sha256, merged over the data sources the runtime found upstream
   * of the exported table (those are recorded without passing anything; an entry here wins).
   */
  inputs?: Record<string, string | null>;
  /** Export the notebook's `privacy.personal` columns unmasked; the manifest records that you did. */
  includePersonal?: boolean;
  /**
   * The column holding each row's segment, e.g. `"cluster"` or `"tier"`: what `privacy.minSegmentSize`
   * suppresses by and `segmentCounts` counts. Default: the segment column a `seg` result is marked
   * with (`cluster` for clustering labels, `segment` for rfm, ...). A table made in SQL (say, data
   * joined with k-means labels) carries no mark: under a `minSegmentSize` its export is refused
   * until you name the column here; without one a column named `segment` or `cluster` is counted.
   */
  segment?: string;
  /**
   * CSV only: text that starts with `=`, `+`, `-`, `@`, a tab or a CR is written with a leading `'`
   * so a spreadsheet shows it instead of running it as a formula ("neutralize", the default); "keep"
   * writes it as it is (for a pipeline that reads the CSV with a CSV parser, not a spreadsheet).
   * Numbers are never touched. The manifest records the choice as `formulas`.
   */
  formulas?: CsvFormulas;
}

/** What the notebook's privacy rules did to an export (see privacy.ts). */
export interface ExportPrivacy {
  /** Members of segments below `minSegmentSize` left out, and why; null without a minimum. */
  suppressed: Suppression | null;
  /**
   * The column `suppressed` went by (see {@link ExportOptions.segment}); null without a minimum.
   * Always written by seg.export; optional in the type so manifests written before it still read.
   */
  segment?: string | null;
  /** Personal columns in the table and whether they were masked. */
  personal: { columns: string[]; masked: boolean };
}

/**
 * The sidecar manifest written next to every export. Besides what was written, it records where it
 * came from without the user passing anything ({@link ExportProvenance}): `notebook`, `cell`,
 * `sources` (every data source upstream, with its sha256), `models` (fitted clustering models
 * upstream, with their parameters) and `appVersion`.
 */
export interface ExportManifest extends Partial<ExportProvenance> {
  file: string;
  format: ExportFormat;
  rows: number;
  columns: ColumnInfo[];
  /** Hex sha256 of the exported file's bytes. */
  sha256: string;
  /**
   * Rows per segment, by the segment column (see {@link ExportOptions.segment}; null segment as key
   * "null"), when the table has one; null otherwise.
   */
  segmentCounts: Record<string, number> | null;
  definitions: unknown;
  parameters: Record<string, unknown>;
  seed: number;
  /**
   * Data sources by name -> sha256: those upstream of the exported table (a source read by HTTP
   * range requests as "read by ranges; not hashed"), merged with the `inputs` option.
   */
  inputs: Record<string, string | null>;
  /** DuckDB's version string, e.g. `v1.4.3`. */
  engineVersion: string;
  /** ISO 8601 time of the export (UTC). */
  createdAt: string;
  /** Present when the notebook has privacy rules. */
  privacy?: ExportPrivacy;
  /** CSV only: whether formula-like text was neutralized (see {@link ExportOptions.formulas}). */
  formulas?: CsvFormulas;
}

/**
 * What {@link exportSegments} returns: the manifest and both prepared files. In the workbench a cell
 * showing it gets an export card with Download buttons (src/ui/render/export-card.ts).
 */
export interface ExportResult {
  manifest: ExportManifest;
  /** The data file (`segments.csv`), its bytes and where it was written, if anywhere. */
  file: PreparedFile;
  /** The manifest as a file (`segments.csv.manifest.json`). */
  manifestFile: PreparedFile;
}

const MIME_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv;charset=utf-8",
  parquet: "application/vnd.apache.parquet",
};

/**
 * The format for `fileName`, or a clear error: only a plain file name (no folders, no `..`, no
 * control or reserved characters) ending in `.csv` or `.parquet` is accepted, because the sink
 * decides the folder.
 */
export function exportFormat(fileName: unknown): ExportFormat {
  if (typeof fileName !== "string" || fileName.trim() === "") {
    throw new Error('seg.export: pass the file to write, e.g. {file: "segments.csv"} (or "segments.parquet")');
  }
  // eslint-disable-next-line no-control-regex
  if (/[/\\:*?"<>|\u0000-\u001f\u007f]/.test(fileName) || fileName.includes("..") || fileName.startsWith(".")) {
    throw new Error(
      `seg.export: unsafe file name ${JSON.stringify(fileName)}; use a plain name without folders, "..", a leading "." or any of / \\ : * ? " < > |, e.g. "segments.csv"`,
    );
  }
  const match = /\.([A-Za-z0-9]+)$/.exec(fileName);
  const extension = match?.[1]?.toLowerCase();
  if (extension !== "csv" && extension !== "parquet") {
    throw new Error(
      `seg.export: unknown format ${match ? `".${match[1]}"` : "(no extension)"} for "${fileName}"; name the file *.csv or *.parquet`,
    );
  }
  return extension;
}

async function segmentCounts(ctx: SegContext, tableName: string, column: string | null) {
  if (column === null) return null;
  const result = await ctx.db.engine.query(
    `SELECT CAST(${quoteIdentifier(column)} AS VARCHAR) AS segment, count(*) AS n FROM ${quoteIdentifier(tableName)}
     GROUP BY ALL ORDER BY segment NULLS LAST`,
  );
  const counts: Record<string, number> = {};
  for (const row of result) {
    const { segment, n } = row.toJSON() as { segment: string | null; n: bigint };
    counts[segment ?? "null"] = Number(n);
  }
  return counts;
}

/**
 * Prepares a table as CSV or Parquet (by the file name's extension) plus `<name>.manifest.json`
 * describing it (rows, columns, sha256 of the bytes, segment counts when the table has a segment
 * column, definitions, parameters, seed, the notebook and cell, every data source upstream with its
 * sha256, the fitted models upstream, app and engine versions, time), and hands both to the
 * context's sink, which writes them (`segbook run --out`) or keeps them for a Download click.
 * @example
 * const exported = await seg.export(customers, {file: "customers.csv", segment: "region"});
 * exported.manifest.sources; // [{name: "customers", path: "data/customers.csv", sha256: "…", read: "whole"}]
 * // also: manifest.notebook, .cell, .seed, .models (fitted upstream), .appVersion, .engineVersion
 */
export async function exportSegments(
  ctx: SegContext,
  input: TableInput,
  options: ExportOptions,
): Promise<ExportResult> {
  if (typeof options === "string") {
    // seg 1.0: one options object; the file name was the second argument before.
    throw new Error(
      `seg.export: the file name is an option: seg.export(table, {file: ${JSON.stringify(options)}}) (other options go in the same object)`,
    );
  }
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new Error('seg.export: pass one options object with the file to write, e.g. {file: "segments.csv"}');
  }
  const fileName = options.file;
  const format = exportFormat(fileName);
  const formulas = options.formulas ?? "neutralize";
  if (formulas !== "neutralize" && formulas !== "keep") {
    throw new Error(
      `seg.export: formulas must be "neutralize" (the default) or "keep", got ${JSON.stringify(options.formulas)}`,
    );
  }
  const sink = ctx.sink;
  if (!sink) {
    throw new Error(
      "seg.export: this context has no export sink; run the notebook in the workbench or with `segbook run`, or pass a context with {sink}",
    );
  }
  const guard = await guardExport(
    ctx,
    await resolveTable(ctx, input, "export"),
    options.includePersonal === true,
    options.segment,
    fileName,
  );
  const table = guard.table;
  const engine = ctx.db.engine;
  const engineVersion = await engine.version();
  const provenance = await exportProvenance(ctx, input);
  const found = Object.fromEntries(provenance.sources.map((s) => [s.name, s.sha256 ?? NOT_HASHED]));
  const bytes =
    format === "csv"
      ? await encodeCsv(engine, table.name, table.columns, formulas)
      : await encodeParquet(engine, table.name, table.columns, `segbook (DuckDB ${engineVersion})`);
  const manifest: ExportManifest = {
    file: fileName,
    format,
    rows: table.numRows,
    columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
    sha256: await sha256Bytes(bytes),
    segmentCounts: await segmentCounts(ctx, table.name, guard.segment),
    definitions: options.definitions ?? null,
    parameters: options.parameters ?? {},
    seed: ctx.seed,
    inputs: { ...found, ...options.inputs },
    notebook: provenance.notebook,
    cell: provenance.cell,
    sources: provenance.sources,
    models: provenance.models,
    appVersion: provenance.appVersion,
    ...(provenance.connections && { connections: provenance.connections, remoteQueries: provenance.remoteQueries }),
    engineVersion,
    createdAt: new Date().toISOString(),
    ...(format === "csv" && { formulas }),
    ...(ctx.privacy &&
      (ctx.privacy.minSegmentSize !== undefined || ctx.privacy.personal?.length) && {
        privacy: {
          suppressed: guard.suppression,
          segment: guard.suppression ? guard.segment : null,
          personal: { columns: guard.personal, masked: guard.masked.length > 0 },
        },
      }),
  };
  const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n");
  const prepared: ExportResult = {
    manifest,
    file: { name: fileName, mimeType: MIME_TYPES[format], bytes, location: null },
    manifestFile: {
      name: `${fileName}.manifest.json`,
      mimeType: "application/json",
      bytes: manifestBytes,
      location: null,
    },
  };
  return sink.accept(prepared, ctx.caller);
}
