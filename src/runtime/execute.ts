/**
 * One run of one node: wait for the inputs, evaluate, publish the result unless a newer run has
 * superseded this one. Cells of every kind and data sources go through here.
 */
import type { Engine, LoadOptions } from "../engine/engine.ts";
import { createTableHandle } from "../engine/table-handle.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import type { Cell, ConnectionSource, DataSource, PrivacySettings } from "../notebook/model.ts";
import type { Compiled } from "./compiled.ts";
import type { CellError, CellState } from "./cell-state.ts";
import type { Resolution } from "./graph.ts";
import type { CellHost } from "./host.ts";
import { builtinValue, type CellLibrary, type RunContext } from "./builtins.ts";
import { createTick, TICK_NAME, type RunawayPolicy } from "./loop-guard.ts";
import { withMemoryAdvice } from "./resource-errors.ts";
import { tableLabelRecord, withoutInternalNames } from "./table-labels.ts";
import { createView, VIEW_AS_NAME } from "./view.ts";
import { createCellDb, queryIntoTable, SqlError, userSqlError, type CellDb } from "./cell-db.ts";
import { bindSql } from "./sql-bind.ts";
import { cellRandom } from "./random.ts";
import { asResolvedData, type DataResolver } from "./data-resolution.ts";
import { pinnedRangesError, type CellProvenance, type LoadedSource } from "./provenance.ts";
import { runRemoteCell, type RemoteConnector, type RemoteQueryRecord } from "./remote-cell.ts";

/**
 * How a run ended, as seen by the nodes that read this one; a data source's also says what was
 * loaded (its sha256), for the provenance of exports downstream (provenance.ts).
 */
export type Outcome =
  { ok: true; values: Map<string, unknown>; source?: LoadedSource; remote?: RemoteQueryRecord } | { ok: false };

/** What the executor needs of a node; the session's records implement it. */
export interface RunNode {
  id: string;
  what: { type: "cell"; cell: Cell } | { type: "data"; name: string; source: DataSource };
  compiled: Compiled | undefined;
  inputs: string[];
  softInputs: string[];
  outputs: string[];
  version: number;
  outcome: Promise<Outcome>;
  state: CellState;
  /** Releases what the latest run made (temp tables, a named table of a removed cell). */
  cleanup: (() => Promise<void>) | undefined;
  /** Resolves the current run's `invalidation` promise. */
  invalidate: () => void;
  /** Final cleanup when the node leaves the notebook or is replaced: its run's tables and its named relation. */
  remove: () => Promise<void>;
  setState(patch: Partial<CellState>): void;
}

/** Everything a run needs from the session. */
export interface RunEnvironment {
  engine: Engine;
  host: CellHost;
  libraries: Record<string, unknown>;
  /** Libraries made for each run (see CellLibrary). */
  cellLibraries: Record<string, CellLibrary>;
  seed: number;
  privacy: PrivacySettings;
  /** This run's provenance (collected on demand: only an export asks for it). */
  provenance: () => Promise<CellProvenance>;
  resolveData: DataResolver;
  dependencies: RunNode[];
  resolved: Map<string, Resolution>;
  /** A compile or graph error known before running. */
  error: CellError | undefined;
  /** Set when the graph already says the node is blocked (an input defined more than once). */
  blockedMessage: string | undefined;
  /** The nodes that message names (the cells defining the same name), to link to. */
  blockedRelated?: readonly string[];
  invalidation: Promise<void>;
  /** Drops of removed nodes' tables that must finish before this run touches the engine. */
  removing: Promise<void>;
  isCurrent: () => boolean;
  /** When to ask about a cell that holds the thread (see loop-guard.ts); never when absent. */
  runaway?: RunawayPolicy;
  /** Publishes a new value of one of the node's outputs from a bound input (see view.ts). */
  publishInput?: (name: string, value: unknown) => void;
  /** The notebook's front matter `connections:`, for remote SQL cells. */
  connections: Readonly<Record<string, ConnectionSource>>;
  /** Opens a connection's remote engine (injected by the host); remote cells fail saying so without it. */
  connect?: RemoteConnector;
}

function messageOf(error: unknown): string {
  // An error of any realm (a `segbook run` cell's own errors come from its sandbox's).
  if (error instanceof Error || Object.prototype.toString.call(error) === "[object Error]") {
    return String((error as Error).message);
  }
  if (error === undefined) return "the cell threw undefined (e.g. a promise rejected without a reason)";
  // A thrown plain object says nothing as "[object Object]": show what it holds.
  if (typeof error === "object" && error !== null) {
    try {
      const json = JSON.stringify(error);
      if (json !== undefined && json !== "{}")
        return `the cell threw a value that is not an Error: ${json.slice(0, 500)}`;
    } catch {
      // Cyclic or otherwise unprintable: fall back to String().
    }
  }
  return String(error);
}

/** Runs a node once and returns its outcome; never rejects. */
export async function executeNode(node: RunNode, version: number, env: RunEnvironment): Promise<Outcome> {
  const previousCleanup = node.cleanup;
  node.cleanup = undefined;
  const outcomes = await Promise.all(env.dependencies.map((d) => d.outcome));
  // Release the previous run's tables only once this run is really about to start.
  await previousCleanup?.().catch(() => {});
  await env.removing;
  if (!env.isCurrent()) return { ok: false };
  if (env.error) {
    // No drop here: with a duplicate definition the name belongs to another node too.
    node.setState({
      status: "error",
      error: env.error,
      value: undefined,
      hasValue: false,
      displays: [],
      blockedBy: undefined,
    });
    return { ok: false };
  }
  const failed = env.dependencies.filter((_, i) => !outcomes[i]!.ok);
  if (failed.length || env.blockedMessage) {
    const blockedBy = [...env.resolved]
      .filter(([, r]) => r.kind === "node" && failed.some((f) => f.id === r.id))
      .map(([name]) => name);
    for (const f of failed)
      for (const name of f.outputs)
        if (node.softInputs.includes(name) && !blockedBy.includes(name)) blockedBy.push(name);
    node.setState({
      status: "blocked",
      error: env.blockedMessage
        ? { phase: "graph", message: env.blockedMessage, ...(env.blockedRelated && { related: env.blockedRelated }) }
        : undefined,
      blockedBy,
      value: undefined,
      hasValue: false,
      displays: [],
    });
    if (!env.blockedMessage) await dropNamedResult(node, env.engine);
    return { ok: false };
  }

  const values = new Map<string, unknown>();
  env.dependencies.forEach((d, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) for (const [name, value] of outcome.values) values.set(name, value);
  });

  const { db, sql, dispose } = createCellDb(env.engine);
  node.cleanup = dispose;
  let displays: unknown[] | undefined;
  const source = node.what.type === "cell" ? node.what.cell.source : node.id;
  const views = createView({
    display: (value) => context.display(value),
    invalidation: env.invalidation,
    isCurrent: env.isCurrent,
    publish: (name, value) => env.publishInput?.(name, value),
  });
  const context: RunContext = {
    db,
    sql,
    random: cellRandom(env.seed, source),
    invalidation: env.invalidation,
    seed: env.seed,
    cellId: node.id,
    privacy: env.privacy,
    provenance: env.provenance,
    view: views.view,
    display: (value: unknown) => {
      if (!env.isCurrent()) return value;
      displays = displays ? [...displays, value] : [value];
      node.setState({ displays });
      return value;
    },
  };
  const argument = (name: string): unknown => {
    const r = env.resolved.get(name);
    return r?.kind === "builtin" ? builtinValue(name, context, env.libraries, env.cellLibraries) : values.get(name);
  };
  const params = node.inputs.filter((name) => env.resolved.get(name)?.kind !== "global");
  const args = params.map(argument);

  node.setState({
    status: "running",
    runs: node.state.runs + 1,
    error: undefined,
    blockedBy: undefined,
    notes: undefined,
    progress: undefined,
  });
  const started = performance.now();
  try {
    const result = await run(node, env, params, args, db, views.viewAs);
    if (!env.isCurrent()) return { ok: false };
    // The cell's own names first: `const rfm = …` labels its table `rfm` even if an input shows it too.
    const tableLabels = tableLabelRecord(values, tableLabelRecord(result.values));
    node.setState({
      status: "ok",
      tableLabels,
      value: result.value,
      hasValue: result.hasValue,
      notes: result.notes?.length ? result.notes : undefined,
      displays: displays ?? [],
      durationMs: performance.now() - started,
    });
    return {
      ok: true,
      values: result.values,
      ...(result.source && { source: result.source }),
      ...(result.remote && { remote: result.remote }),
    };
  } catch (error) {
    if (!env.isCurrent()) return { ok: false };
    const where =
      node.compiled?.kind === "code"
        ? env.host.errorLocation(error)
        : error instanceof SqlError && error.line !== undefined
          ? { line: error.line }
          : undefined;
    node.setState({
      status: "error",
      error: {
        phase: "runtime",
        // Internal table names become the names the cell's inputs go by, or a neutral phrase.
        message: withoutInternalNames(withMemoryAdvice(messageOf(error)), tableLabelRecord(values)),
        cause: error,
        ...where,
      },
      value: undefined,
      hasValue: false,
      displays: displays ?? [],
      durationMs: performance.now() - started,
    });
    await dropNamedResult(node, env.engine);
    return { ok: false };
  }
}

/** A failed or blocked SQL cell must not leave its previous result readable under its name. */
async function dropNamedResult(node: RunNode, engine: Engine): Promise<void> {
  const compiled = node.compiled;
  if (compiled?.kind === "sql" && compiled.name && !compiled.error) await dropRelation(engine, compiled.name);
}

/**
 * The relation a node puts in the engine under a notebook-visible name: a named SQL cell's result or
 * a data source's table. It lives until the node leaves the notebook or changes.
 */
export function ownedRelation(node: Pick<RunNode, "what" | "compiled">): string | undefined {
  if (node.what.type === "data") return node.what.name;
  const compiled = node.compiled;
  return compiled?.kind === "sql" && !compiled.error ? compiled.name : undefined;
}

/** Drops a table or view by name, whichever it is; DuckDB refuses DROP TABLE on a view. */
export async function dropRelation(engine: Engine, name: string): Promise<void> {
  await engine.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(name)}`).catch(() => {});
  await engine.exec(`DROP VIEW IF EXISTS ${quoteIdentifier(name)}`).catch(() => {});
}

interface RunResult {
  values: Map<string, unknown>;
  value: unknown;
  hasValue: boolean;
  notes?: readonly string[];
  /** What a data source loaded. */
  source?: LoadedSource;
  /** What a remote SQL cell asked its connection. */
  remote?: RemoteQueryRecord;
}

async function run(
  node: RunNode,
  env: RunEnvironment,
  params: string[],
  args: unknown[],
  db: CellDb,
  viewAs: unknown,
): Promise<RunResult> {
  if (node.what.type === "data") return loadData(node, node.what.name, node.what.source, env);
  const compiled = node.compiled!;
  switch (compiled.kind) {
    case "code": {
      // Every code body may call the run's loop tick (see loop-guard.ts).
      const tick = createTick({
        cellId: node.id,
        isCurrent: env.isCurrent,
        ...(env.runaway && { policy: env.runaway }),
      });
      const hidden = [TICK_NAME, VIEW_AS_NAME];
      const result = (await env.host.evaluate(compiled.body, [...params, ...hidden], [...args, tick, viewAs])) as {
        values: Record<string, unknown>;
        value: unknown;
      };
      // Like Observable, a cell whose value is a promise shows what it resolves to (e.g. a chart
      // helper's async result as the last expression).
      return { values: new Map(Object.entries(result.values)), value: await result.value, hasValue: compiled.hasValue };
    }
    case "md": {
      const interpolated = await Promise.all((await env.host.evaluate(compiled.valuesBody, params, args)) as unknown[]);
      return {
        values: new Map(),
        value: { kind: "markdown", parts: compiled.parts, values: interpolated },
        hasValue: true,
      };
    }
    case "sql": {
      const interpolated = await Promise.all((await env.host.evaluate(compiled.paramsBody, params, args)) as unknown[]);
      if (compiled.remote) return runRemote(node, env, compiled.remote, compiled.parts, interpolated, compiled.name);
      const { text, params: bound } = bindSql(compiled.parts, interpolated);
      if (compiled.name) {
        const handle = await queryIntoTable(env.engine, compiled.name, text, bound, false);
        return { values: new Map([[compiled.name, handle]]), value: handle, hasValue: true };
      }
      if (compiled.isQuery) {
        // An unnamed query's result lives in a temp table owned by this run (dropped on re-run).
        const handle = await db.query(text, bound);
        return { values: new Map(), value: handle, hasValue: true };
      }
      const result = await env.engine.query(text, bound).catch((error: unknown) => {
        throw userSqlError(error, 0);
      });
      return { values: new Map(), value: result.numRows > 0 ? result : undefined, hasValue: result.numRows > 0 };
    }
  }
}

/** A remote SQL cell's run: progress into the cell's state, cancelled when the run is invalidated (Stop, re-run). */
async function runRemote(
  node: RunNode,
  env: RunEnvironment,
  remote: { connection: string; maxRows: number; generated?: boolean },
  parts: readonly string[],
  values: readonly unknown[],
  name: string | undefined,
): Promise<RunResult> {
  const controller = new AbortController();
  void env.invalidation.then(() => controller.abort());
  const result = await runRemoteCell({
    engine: env.engine,
    connect: env.connect,
    connections: env.connections,
    connection: remote.connection,
    maxRows: remote.maxRows,
    generated: remote.generated === true,
    name,
    parts,
    values,
    signal: controller.signal,
    onProgress: (progress) => {
      if (env.isCurrent()) node.setState({ progress: { ...progress } });
    },
  });
  return {
    values: name ? new Map([[name, result.value]]) : new Map(),
    value: result.value,
    hasValue: true,
    notes: [result.note],
    remote: result.record,
  };
}

async function loadData(node: RunNode, name: string, source: DataSource, env: RunEnvironment): Promise<RunResult> {
  const resolved = asResolvedData(await env.resolveData(name, source));
  // The front matter's delimiter/header/columns apply wherever the notebook runs; a host's own options win.
  const csv = {
    ...(source.delimiter !== undefined && { delimiter: source.delimiter }),
    ...(source.header !== undefined && { header: source.header }),
    ...resolved.options?.csv,
  };
  const options: LoadOptions = {
    ...(source.format ? { format: source.format } : {}),
    ...(source.columns ? { columns: [...source.columns] } : {}),
    ...resolved.options,
    ...(Object.keys(csv).length ? { csv } : {}),
  };
  const loaded = await env.engine.loadFile(name, resolved.source, options);
  const sha256 = resolved.sha256 ?? loaded.sha256;
  // Only a Parquet file read by HTTP range requests comes back without a hash: it was never read whole.
  const byRanges = sha256 === "";
  if (byRanges && source.sha256) throw pinnedRangesError(name, source.path);
  const notes = [...(resolved.notes ?? []), ...(loaded.notes ?? [])];
  if (source.sha256 && sha256 !== source.sha256.toLowerCase()) {
    if (resolved.onMismatch !== "warn") {
      throw new Error(
        `data "${name}": the file's sha256 is ${sha256} but the notebook expects ${source.sha256}; if the data changed on purpose, update sha256 in the front matter`,
      );
    }
    // A file the user picked by hand: load it, but say plainly that it is not the notebook's data.
    notes.unshift(
      `data changed since this notebook was written: the file's sha256 is ${sha256.slice(0, 12)}…, the notebook expects ${source.sha256.slice(0, 12)}…`,
    );
  }
  const handle = await createTableHandle(env.engine, name);
  const loadedSource: LoadedSource = byRanges
    ? { name, path: source.path, sha256: null, read: "ranges" }
    : { name, path: source.path, sha256, read: "whole" };
  return { values: new Map([[name, handle]]), value: handle, hasValue: true, notes, source: loadedSource };
}
