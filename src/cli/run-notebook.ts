/**
 * Runs a notebook file headless: the same parser, runtime and engine as the browser, with data
 * paths resolved against the notebook's folder (or overridden with --data).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Engine, FileSource } from "../engine/engine.ts";
import { parse, type DataSource, type FormatIssue, type Notebook } from "../notebook/index.ts";
import { Session, asResolvedData, type CellState, type DataResolution } from "../runtime/index.ts";
import { isWorkbook } from "../engine/workbook.ts";
import { resolveWorkbook } from "./read-workbook.ts";
import { createNodeDocument, nodeLibraries } from "./node-libraries.ts";
import { nodeDirectorySink, unwrittenSink, type ExportRecord } from "./export-sink.ts";
import { createThreadKernels } from "./thread-kernels.ts";
import { notebookUsesKernels } from "./kernel-cells.ts";
import { appVersion } from "./app-version.ts";
import { segLibrary } from "../seg/library.ts";
import { DEFAULT_RUN_TIMEOUT_SECONDS, settleOrStop } from "./settle-or-stop.ts";
import { cliConnector, type ConnectionOverride } from "./cli-connections.ts";
import { lockedEngine } from "./host-lock.ts";
import { createSandboxHost, sandboxLibraries } from "./cell-sandbox.ts";
import { checkDataPath } from "./data-paths.ts";
import { openEngine, takeEarlyEngine, type EngineKind } from "./engine-start.ts";

/** Options of {@link runNotebookFile}. */
export interface RunOptions {
  /** Table name -> path that replaces the front matter's source (relative to the working directory). */
  data?: Record<string, string>;
  /**
   * Where `seg.export` writes each file and its manifest; without it exports are prepared, listed in
   * the report as not written, and the run does not fail for them.
   */
  outDir?: string;
  /** Called as each node settles, in run order. */
  onSettled?: (entry: CellReport) => void;
  /** Stops a cell whose loop holds the thread this long (`--cell-timeout`); never when absent. */
  cellTimeoutSeconds?: number;
  /**
   * Fails the run when cells are still running this long after it started (`--timeout`), naming
   * them; default {@link DEFAULT_RUN_TIMEOUT_SECONDS}.
   */
  timeoutSeconds?: number;
  /**
   * Which DuckDB runs it (`--engine`): `wasm` (default) is duckdb-wasm as in the browser; `native` is
   * native DuckDB (@duckdb/node-api, all cores), for data bigger than a browser tab holds.
   */
  engine?: EngineKind;
  /**
   * Worker threads for numeric kernels (`--threads`): k-means restarts and silhouette parts spread
   * over them with the same results as in-process. 1 or absent: in-process.
   */
  threads?: number;
  /**
   * `--connection NAME=URL`: the URL (and credentials from its userinfo) that replace front matter
   * connection NAME's; each must name a connection of the notebook.
   */
  connections?: Record<string, ConnectionOverride>;
  /** Where connection credentials are read (`SEGBOOK_<NAME>_USER`/`_PASSWORD`); default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * `--allow-host-access`: leave DuckDB able to read and write files, reach the network and load
   * extensions from SQL cells. Off by default: once the data sources load, DuckDB is locked down
   * (see host-lock.ts).
   */
  allowHostAccess?: boolean;
  /**
   * `--allow-read DIR`: folders (besides the notebook's own) that front matter data paths may name.
   * Without --allow-host-access, a data path outside the notebook's folder and these is refused.
   */
  allowRead?: readonly string[];
}

export type { EngineKind } from "./engine-start.ts";

/** One cell's (or data source's) result. */
export interface CellReport {
  id: string;
  /** How people refer to it: `cell 3 (sql "segments")`, `data "customers"`. */
  label: string;
  kind: "data" | "md" | "ts" | "js" | "sql";
  status: CellState["status"];
  durationMs: number | undefined;
  /** `line`/`column` within the cell; `fileLine` within the notebook file. */
  error?: { message: string; line?: number; column?: number; fileLine?: number };
  blockedBy?: string[];
  outputs: string[];
  /** What a data source's load assumed (see LoadResult.notes). */
  notes?: string[];
  /** What the cell exported with `seg.export` (`location` null: not written, the run had no --out). */
  exports?: Omit<ExportRecord, "cellId">[];
}

/** The whole run. */
export interface RunReport {
  notebook: string;
  title: string | undefined;
  seed: number | undefined;
  ok: boolean;
  issues: FormatIssue[];
  cells: CellReport[];
  /** The first cell that failed (error), if any. */
  firstFailure?: CellReport;
  /**
   * Cells that never settled, when the run ended without them: `timeout` (the whole-run
   * `--timeout` ran out) or `never-settles` (they await something that can never happen).
   */
  unsettled?: { reason: "timeout" | "never-settles"; cells: string[] };
  durationMs: number;
}

/** Where things are in the file, so failures can be reported as file:line. */
interface Lines {
  sourceLines: Record<string, number>;
}

function label(
  notebook: Notebook,
  id: string,
  lines: Lines,
): { label: string; kind: CellReport["kind"]; line?: number } {
  if (id.startsWith("data:")) return { label: `data "${id.slice(5)}"`, kind: "data" };
  const index = notebook.cells.findIndex((c) => c.id === id);
  const cell = notebook.cells[index]!;
  const name = cell.name ? ` "${cell.name}"` : "";
  const line = lines.sourceLines[id];
  return { label: `cell ${index + 1} (${cell.kind}${name}${line ? `, line ${line}` : ""})`, kind: cell.kind, line };
}

/**
 * The notebook's path as export manifests record it: relative to the working directory when the
 * file is below it, else as given.
 * @example notebookPath("/home/ana/work/notebooks/rfm.md") // "notebooks/rfm.md" when run in /home/ana/work
 */
export function notebookPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative)
    ? relative.split(path.sep).join("/")
    : file;
}

/** Runs the notebook at `file` to completion and reports every cell. Closes the engine after. */
export async function runNotebookFile(
  file: string,
  options: RunOptions = {},
): Promise<{ report: RunReport; notebook: Notebook; session: Session; close: () => Promise<void> }> {
  const started = performance.now();
  const text = await readFile(file, "utf8");
  const { notebook, issues, sourceLines } = parse(text);
  const lines: Lines = { sourceLines };
  for (const name of Object.keys(options.data ?? {})) {
    if (!(name in notebook.frontMatter.data)) notebook.frontMatter.data[name] = { path: options.data![name]! };
  }
  const known = Object.keys(notebook.frontMatter.connections ?? {});
  for (const name of Object.keys(options.connections ?? {})) {
    if (!known.includes(name)) {
      throw new Error(
        `--connection ${name}: the notebook has no connection "${name}"${known.length ? ` (it has ${known.join(", ")})` : ' (its front matter has no "connections:")'}`,
      );
    }
  }
  const folder = path.dirname(path.resolve(file));
  const locate = async (name: string, source: DataSource): Promise<{ file: FileSource; notes: string[] }> => {
    const override = options.data?.[name];
    if (override) return { file: { kind: "path", path: path.resolve(override) }, notes: [] };
    if (/^https?:\/\//.test(source.path)) return { file: { kind: "url", url: source.path }, notes: [] };
    const resolved = path.resolve(folder, source.path);
    // A notebook may not name /etc/passwd or ../../secrets.csv as data by itself (see data-paths.ts).
    const notes = options.allowHostAccess
      ? []
      : await checkDataPath(name, source.path, resolved, folder, options.allowRead ?? [], source.sha256);
    return { file: { kind: "path", path: resolved }, notes };
  };
  // An Excel workbook is converted as the browser's data panel converts it (one sheet as JSON).
  const resolveFile = async (name: string, source: DataSource): Promise<DataResolution> => {
    const { file, notes } = await locate(name, source);
    const named = options.data?.[name] ?? source.path;
    const resolution = asResolvedData(isWorkbook(named) ? await resolveWorkbook(name, file, source.sheet) : file);
    return notes.length ? { ...resolution, notes: [...(resolution.notes ?? []), ...notes] } : resolution;
  };
  // The engine main.ts started while this module loaded, when there is one (engine-start.ts).
  const opened = await (takeEarlyEngine(options.engine) ?? openEngine(options.engine));
  // The sources this run resolved: the only ones the locked engine loads (cells hold it as db.engine).
  const ownSources = new WeakSet<FileSource>();
  // Least privilege by default: DuckDB is locked once every data source has loaded (or failed).
  const locked = options.allowHostAccess
    ? undefined
    : lockedEngine(opened, Object.keys(notebook.frontMatter.data), (source) => ownSources.has(source));
  const engine: Engine = locked ?? opened;
  const resolveData = async (name: string, source: DataSource): Promise<DataResolution> => {
    try {
      const resolution = await resolveFile(name, source);
      // Frozen, so no cell that gets hold of it can point it at another file.
      ownSources.add(Object.freeze(asResolvedData(resolution).source));
      return resolution;
    } catch (error) {
      // This source will never reach loadFile: count it as settled so the lock is not kept waiting.
      locked?.settled(name);
      throw error;
    }
  };
  const document = createNodeDocument();
  // Without --out an export is prepared and reported, never a failure: a notebook that ends in
  // seg.export runs the same in CI as in the workbench.
  const sink = options.outDir ? nodeDirectorySink(options.outDir) : unwrittenSink();
  const exportsOf = (id: string) => sink.exports.filter((e) => e.cellId === id).map(({ cellId: _, ...rest }) => rest);
  // Threads for a notebook that clusters start now, so they are ready when the data has loaded.
  const kernels =
    (options.threads ?? 1) > 1
      ? createThreadKernels(options.threads!, { prestart: notebookUsesKernels(notebook) })
      : undefined;
  const version = appVersion();
  // Cell code runs sandboxed unless the user trusts the notebook (see cell-sandbox.ts).
  const host = options.allowHostAccess ? undefined : createSandboxHost();
  const session = new Session({
    engine,
    ...(host && { host }),
    libraries: host ? sandboxLibraries(nodeLibraries(document)) : nodeLibraries(document),
    resolveData,
    cellLibraries: { seg: segLibrary({ sink, document, ...(kernels && { kernels }) }) },
    // Export manifests name the notebook by its path from where segbook ran (no home folder spelt
    // out when the notebook is below it).
    location: () => notebookPath(file),
    connect: cliConnector(options.connections ?? {}, options.env ?? process.env),
    ...(version !== null && { appVersion: version }),
    // Nobody to ask in a headless run: the timeout is the answer.
    ...(options.cellTimeoutSeconds !== undefined && {
      runaway: { afterMs: options.cellTimeoutSeconds * 1000, ask: () => true },
    }),
  });
  const done = new Set<string>();
  // Why a cell that never settled failed, in place of the session's generic "stopped waiting".
  const unsettledWhy = new Map<string, string>();
  const reportOf = (id: string, state: CellState) =>
    toReport(notebook, id, state, lines, exportsOf(id), unsettledWhy.get(id));
  session.subscribe((id, state) => {
    if (!state || done.has(id) || !["ok", "error", "blocked"].includes(state.status)) return;
    done.add(id);
    // A data source the session settled without loading (e.g. blocked) no longer holds the lock back.
    if (id.startsWith("data:")) locked?.settled(id.slice(5));
    options.onSettled?.(reportOf(id, state));
  });
  session.setNotebook(notebook);
  // A data source that is no node of the run (e.g. a name the notebook rejects) is never loaded.
  const nodes = new Set(session.runOrder());
  for (const name of Object.keys(notebook.frontMatter.data)) if (!nodes.has(`data:${name}`)) locked?.settled(name);
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_RUN_TIMEOUT_SECONDS;
  const outcome = await settleOrStop(session.settled(), timeoutSeconds * 1000 - (performance.now() - started));
  let unsettled: RunReport["unsettled"];
  if (outcome !== "settled") {
    const order = session.runOrder();
    const running = order.filter((id) => session.state(id)?.status === "running");
    const waiting = order.filter((id) => session.state(id)?.status === "stale");
    const names = (ids: string[]) => ids.map((id) => label(notebook, id, lines).label).join(", ");
    const why =
      outcome === "timeout"
        ? `still running when the run's --timeout of ${timeoutSeconds} s ran out; raise --timeout if it needs longer`
        : "never settled: it awaits a promise that nothing is left to resolve (no timer, file, network or worker pending)";
    for (const id of running) unsettledWhy.set(id, why);
    for (const id of waiting)
      unsettledWhy.set(id, `did not run: it waits on ${names(running) || "cells that never settled"}`);
    unsettled = {
      reason: outcome === "timeout" ? "timeout" : "never-settles",
      cells: [...running, ...waiting].map((id) => label(notebook, id, lines).label),
    };
    // Marks them failed (what they produce later is dropped); the subscription reports each.
    session.stopWaiting();
  }
  const order = session.runOrder();
  const cells = order.map((id) => reportOf(id, session.state(id)!));
  const firstFailure = cells.find((c) => c.status === "error");
  const report: RunReport = {
    notebook: file,
    title: notebook.frontMatter.title,
    seed: notebook.frontMatter.seed,
    ok: !unsettled && cells.every((c) => c.status === "ok") && !issues.some((i) => i.severity === "error"),
    issues,
    cells,
    ...(firstFailure ? { firstFailure } : {}),
    ...(unsettled ? { unsettled } : {}),
    durationMs: performance.now() - started,
  };
  const close = async () => {
    // No timer a cell started outlives the run.
    host?.dispose();
    await session.dispose();
    await kernels?.close();
    await engine.close();
  };
  return { report, notebook, session, close };
}

function toReport(
  notebook: Notebook,
  id: string,
  state: CellState,
  lines: Lines,
  exports: CellReport["exports"] = [],
  unsettledWhy?: string,
): CellReport {
  const { label: name, kind, line } = label(notebook, id, lines);
  // An error's line within the cell becomes a line of the file.
  const fileLine = line !== undefined && state.error?.line !== undefined ? line + state.error.line - 1 : undefined;
  return {
    id,
    label: name,
    kind,
    status: state.status,
    durationMs: state.durationMs,
    ...(unsettledWhy !== undefined
      ? { error: { message: unsettledWhy } }
      : state.error
        ? { error: { message: state.error.message, line: state.error.line, column: state.error.column, fileLine } }
        : {}),
    ...(state.blockedBy?.length ? { blockedBy: [...state.blockedBy] } : {}),
    outputs: [...state.outputs],
    ...(state.notes?.length ? { notes: [...state.notes] } : {}),
    ...(exports.length ? { exports } : {}),
  };
}
