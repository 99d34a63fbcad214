/**
 * A live notebook: compiled cells and data sources in a dependency graph, run in dependency order.
 * Editing a cell re-runs it and everything downstream; each node carries a version counter so a
 * result from a superseded run is dropped, never shown.
 */
import type { Engine } from "../engine/engine.ts";
import type { Cell, ConnectionSource, DataSource, Notebook, PrivacySettings } from "../notebook/model.ts";
import { DEFAULT_SEED } from "../notebook/model.ts";
import { notebookTitle } from "../notebook/title.ts";
import type { Compiled } from "./compiled.ts";
import { compileCell } from "./compile-cell.ts";
import { buildGraph, type Graph, type GraphNode } from "./graph.ts";
import { createInProcessHost, type CellHost } from "./host.ts";
import type { RunawayPolicy } from "./loop-guard.ts";
import { initialState, type CellError, type CellState } from "./cell-state.ts";
import { builtinNames, type CellLibrary } from "./builtins.ts";
import type { DataResolver } from "./data-resolution.ts";
import { dropRelation, executeNode, ownedRelation, type Outcome, type RunNode } from "./execute.ts";
import { dataNodeId } from "./node-id.ts";
import { tableLabelsOf, type TableLabel } from "./table-labels.ts";
import type { RemoteConnector } from "./remote-cell.ts";
import { collectProvenance, settledValues, upstreamIds, type CellRef, type UpstreamNode } from "./provenance.ts";

/** Options for a {@link Session}. */
export interface SessionOptions {
  engine: Engine;
  /** Where cell bodies run; in-process by default. */
  host?: CellHost;
  /** Libraries in every cell's scope, by name (e.g. `{aq, Plot}`). */
  libraries?: Record<string, unknown>;
  /**
   * Libraries made for each run of each cell, by name (see CellLibrary): `{seg: segLibrary({kernels,
   * sink})}` gives cells `seg` bound to their `db`, the seed and the privacy rules. The runtime knows
   * no library itself; a name given nowhere is not defined in cells.
   */
  cellLibraries?: Record<string, CellLibrary>;
  /** Turns a data source of the front matter into something the engine can load. */
  resolveData?: DataResolver;
  /**
   * When a cell holds the thread (a loop that does not end), how long to wait before asking, and who
   * answers: the browser asks the user, `segbook run --cell-timeout` stops it. Never asked when absent.
   */
  runaway?: RunawayPolicy;
  /**
   * Where the notebook was opened from, for export manifests: a path (`segbook run`), the address of
   * a notebook on the site, or a share link's origin — never a share link's text. Asked at each export.
   */
  location?: () => string | null;
  /** The app's version (package.json), for export manifests. */
  appVersion?: string;
  /**
   * Opens the remote engine of a front matter connection for SQL cells with `engine=NAME`, the way the
   * host gets credentials (the page asks the user and keeps them in memory; `segbook run` reads the
   * environment). Like the local engine it is injected: the runtime never dials anything itself.
   */
  connect?: RemoteConnector;
}

/** Called with a node id and its new state; `undefined` when the node was removed. */
export type StateListener = (id: string, state: CellState | undefined) => void;

interface NodeRecord extends RunNode {
  /** Identity of what the node is (kind, name, source): a change means it must re-run. */
  key: string;
  /** `key` plus how its inputs resolve: a change means it must re-run. */
  signature: string;
}

/** A running notebook. */
export class Session {
  readonly #engine: Engine;
  readonly #host: CellHost;
  readonly #libraries: Record<string, unknown>;
  readonly #cellLibraries: Record<string, CellLibrary>;
  readonly #runaway: RunawayPolicy | undefined;
  readonly #builtins: Set<string>;
  readonly #resolveData: DataResolver;
  readonly #location: () => string | null;
  readonly #appVersion: string | null;
  readonly #connect: RemoteConnector | undefined;
  #connections: Record<string, ConnectionSource> = {};
  readonly #nodes = new Map<string, NodeRecord>();
  readonly #listeners = new Set<StateListener>();
  #cells: readonly Cell[] = [];
  #data: Record<string, DataSource> = {};
  #seed = DEFAULT_SEED;
  #title: string | undefined;
  /** The notebook's privacy rules, as JSON (a change re-runs everything, like a new seed). */
  #privacy = "{}";
  #graph: Graph | undefined;
  #pending = 0;
  #idle: (() => void)[] = [];
  #disposed = false;
  #removing: Promise<void> = Promise.resolve();
  /** Per node: the engine tables its latest successful run's outputs hold (see tableLabels). */
  readonly #labels = new Map<string, Map<string, TableLabel>>();
  /**
   * Nodes loaded by `setNotebook(…, {run: false})` whose current definition has not been scheduled
   * yet: a later run pulls those it reads in first (and only those), see #scheduleDownstream.
   */
  readonly #held = new Set<string>();

  constructor(options: SessionOptions) {
    this.#engine = options.engine;
    this.#host = options.host ?? createInProcessHost();
    this.#libraries = options.libraries ?? {};
    this.#cellLibraries = options.cellLibraries ?? {};
    this.#runaway = options.runaway;
    this.#builtins = builtinNames(this.#libraries, this.#cellLibraries);
    this.#resolveData = options.resolveData ?? ((_name, source) => ({ kind: "url", url: source.path }));
    this.#location = options.location ?? (() => null);
    this.#appVersion = options.appVersion ?? null;
    this.#connect = options.connect;
  }

  /**
   * Loads a whole notebook: its seed, data sources and cells. New and changed nodes run, unless
   * `run` is false: then nothing runs now, and a later runCells / setCells runs what it names (and
   * everything downstream) plus the held nodes those read — not the rest. The sandbox uses this to
   * rebuild a stopped notebook without running the cell the user stopped.
   *
   * @example
   * session.setNotebook(notebook, { run: false }); // nothing runs
   * session.runCells(["c3"]); // c3, what it reads and what reads it run; the other cells wait
   */
  setNotebook(notebook: Notebook, options: { run?: boolean } = {}): void {
    const seed = notebook.frontMatter.seed ?? DEFAULT_SEED;
    const privacy = JSON.stringify(notebook.frontMatter.privacy ?? {});
    const force = seed !== this.#seed || privacy !== this.#privacy;
    this.#seed = seed;
    this.#title = notebook.frontMatter.title;
    this.#privacy = privacy;
    this.#data = notebook.frontMatter.data;
    this.#connections = notebook.frontMatter.connections ?? {};
    this.#cells = notebook.cells;
    // A new seed changes every random step: everything runs again.
    this.#sync(force ? new Set(this.#nodes.keys()) : new Set(), options.run === false);
  }

  /** Replaces the cells (in file order); changed cells and their dependants re-run. */
  setCells(cells: readonly Cell[]): void {
    this.#cells = cells;
    this.#sync(new Set());
  }

  /** Re-runs one cell (even if unchanged) and everything downstream of it. */
  runCell(id: string): void {
    if (this.#nodes.has(id)) this.#sync(new Set([id]));
  }

  /** Re-runs every cell and data source. */
  runAll(): void {
    this.#sync(new Set(this.#nodes.keys()));
  }

  /** Re-runs the given cells (even if unchanged) and everything downstream of them ("run from here"). */
  runCells(ids: readonly string[]): void {
    const force = new Set(ids.filter((id) => this.#nodes.has(id)));
    if (force.size) this.#sync(force);
  }

  /**
   * Gives output `name` of cell `id` a new value without re-running the cell (a bound input moved, see
   * view.ts) and re-runs the cells that read that name, and theirs. Returns false, doing nothing, when
   * the cell is unknown, does not define `name`, or has not finished a successful run.
   */
  setInputValue(id: string, name: string, value: unknown): boolean {
    const node = this.#nodes.get(id);
    const graph = this.#graph;
    if (this.#disposed || !node || !graph || node.state.status !== "ok" || !node.outputs.includes(name)) return false;
    node.outcome = node.outcome.then((outcome) =>
      outcome.ok ? { ok: true, values: new Map(outcome.values).set(name, value) } : outcome,
    );
    // Only the readers of this name, not every dependant of the cell.
    const readsName = (reader: string) => {
      const r = graph.resolved.get(reader)?.get(name);
      return r?.kind === "node" && r.id === id;
    };
    this.#scheduleDownstream(new Set((graph.dependants.get(id) ?? []).filter(readsName)), graph);
    return true;
  }

  /**
   * Stops waiting for every scheduled or running node: each is marked failed with a message saying so
   * and whatever its run produces later is dropped. Code that is already running is not interrupted
   * (JavaScript cannot be stopped from outside); it just no longer matters. Returns the ids it stopped.
   */
  stopWaiting(): string[] {
    const stopped: string[] = [];
    for (const node of this.#nodes.values()) {
      if (node.state.status !== "stale" && node.state.status !== "running") continue;
      node.version++;
      node.invalidate();
      node.setState({
        status: "error",
        error: { phase: "runtime", message: "Stopped waiting for this cell. Run it again to retry." },
        value: undefined,
        hasValue: false,
        blockedBy: undefined,
      });
      stopped.push(node.id);
    }
    return stopped;
  }

  /**
   * Which nodes a node reads (with the names it reads from each) and which nodes read it, from the
   * current graph; undefined for an unknown id.
   */
  links(
    id: string,
  ): { reads: { id: string; names: string[] }[]; readBy: { id: string; names: string[] }[] } | undefined {
    const graph = this.#graph;
    const node = this.#nodes.get(id);
    if (!graph || !node) return undefined;
    // `resolved` holds SQL table references too once some node defines them.
    const names = (reader: string, from: string) =>
      [...(graph.resolved.get(reader) ?? [])].filter(([, r]) => r.kind === "node" && r.id === from).map(([n]) => n);
    return {
      reads: (graph.dependencies.get(id) ?? []).map((d) => ({ id: d, names: names(id, d) })),
      readBy: (graph.dependants.get(id) ?? []).map((d) => ({ id: d, names: names(d, id) })),
    };
  }

  /**
   * The user's names for engine tables: engine table name -> the variable a cell bound its handle
   * to (`const top = sql\`…\``, `const r = await seg.rfm(…)`, `parts.before`), named SQL results
   * and data tables included, from every node's latest successful run, nodes in file order.
   * Tables with internal names (`__segbook_tN`) are shown under these names; a table no output
   * holds has no label.
   * @example session.tableLabels().get("__segbook_t7") // {name: "r", cellId: "c4"}
   */
  tableLabels(): Map<string, TableLabel> {
    const all = new Map<string, TableLabel>();
    for (const id of this.#nodes.keys()) {
      for (const [table, label] of this.#labels.get(id) ?? []) if (!all.has(table)) all.set(table, label);
    }
    return all;
  }

  /** Names every cell gets without defining them (db, sql, seg, md, the libraries): no cell may take them. */
  builtinNames(): ReadonlySet<string> {
    return this.#builtins;
  }

  /** The live state of a cell or data source. */
  state(id: string): CellState | undefined {
    return this.#nodes.get(id)?.state;
  }

  /** Ids of every node, data sources first, then cells in file order. */
  ids(): string[] {
    return [...this.#nodes.keys()];
  }

  /** Ids of every node in the order they run (dependencies first). */
  runOrder(): string[] {
    return this.#graph?.order.slice() ?? [];
  }

  /** Listens to state changes. Returns the function that stops listening. */
  subscribe(listener: StateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once nothing is scheduled or running. */
  settled(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops every run (their results are dropped) and drops what the cells made in the engine. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const node of this.#nodes.values()) {
      node.version++;
      node.invalidate();
    }
    await Promise.allSettled([...this.#nodes.values()].map((n) => n.remove()));
    this.#nodes.clear();
  }

  /** How messages name a node: `cell 3` (1-based, file order) or `data "orders"`. */
  #label(id: string): string {
    const index = this.#cells.findIndex((c) => c.id === id);
    if (index >= 0) return `cell ${index + 1}`;
    const data = Object.keys(this.#data).find((name) => dataNodeId(name) === id);
    return data === undefined ? id : `data "${data}"`;
  }

  /** How provenance names a cell: id, 1-based position in the notebook, SQL result name. */
  #cellRef(id: string): CellRef | null {
    const index = this.#cells.findIndex((c) => c.id === id);
    if (index < 0) return null;
    return { id, position: index + 1, name: this.#cells[index]!.name ?? null };
  }

  #emit(id: string, state: CellState | undefined): void {
    for (const listener of this.#listeners) listener(id, state);
  }

  #wanted(): { id: string; key: string; create: () => NodeRecord }[] {
    const wanted: { id: string; key: string; create: () => NodeRecord }[] = [];
    for (const [name, source] of Object.entries(this.#data)) {
      const id = dataNodeId(name);
      const key = JSON.stringify(["data", name, source]);
      wanted.push({ id, key, create: () => this.#createNode(id, key, { type: "data", name, source }) });
    }
    for (const cell of this.#cells) {
      // Fence attributes (engine=, maxRows=) and the connection they name change what a cell does.
      const extra = cell.attrs ? [cell.attrs, this.#connections] : [];
      const key = JSON.stringify([cell.kind, cell.name ?? null, cell.source, ...extra]);
      wanted.push({ id: cell.id, key, create: () => this.#createNode(cell.id, key, { type: "cell", cell }) });
    }
    return wanted;
  }

  #createNode(id: string, key: string, what: RunNode["what"]): NodeRecord {
    const compiled: Compiled | undefined = what.type === "cell" ? compileCell(what.cell) : undefined;
    const previous = this.#nodes.get(id);
    let outputs: string[];
    if (what.type === "data") outputs = [what.name];
    else if (compiled?.error && previous) outputs = [...previous.outputs];
    else outputs = compiled?.outputs ?? [];
    const inputs = compiled?.inputs ?? [];
    const softInputs = compiled?.kind === "sql" ? compiled.tableRefs : [];
    const node: NodeRecord = {
      id,
      key,
      signature: "",
      what,
      compiled,
      inputs,
      softInputs,
      outputs,
      version: 0,
      outcome: Promise.resolve<Outcome>({ ok: false }),
      state: initialState(inputs, outputs),
      cleanup: undefined,
      invalidate: () => {},
      remove: async () => {
        const cleanup = node.cleanup;
        node.cleanup = undefined;
        await cleanup?.();
        const owned = ownedRelation(node);
        if (owned) await dropRelation(this.#engine, owned);
      },
      setState: (patch: Partial<CellState>) => {
        node.state = { ...node.state, ...patch };
        // A replaced or removed node's late updates must not reach listeners.
        if (this.#nodes.get(id) === node) this.#emit(id, node.state);
      },
    };
    return node;
  }

  /** Reconciles nodes with the wanted cells and data, then schedules what changed. */
  #sync(force: Set<string>, hold = false): void {
    if (this.#disposed) return;
    const wanted = this.#wanted();
    const wantedIds = new Set(wanted.map((w) => w.id));
    const removals: Promise<void>[] = [];
    for (const [id, node] of this.#nodes) {
      if (wantedIds.has(id)) continue;
      this.#nodes.delete(id);
      this.#labels.delete(id);
      this.#held.delete(id);
      node.version++;
      node.invalidate();
      removals.push(node.remove().catch(() => {}));
      this.#emit(id, undefined);
    }
    // Runs scheduled now wait for these drops, so a removed cell's table can never be dropped after a
    // new cell of the same name has made it.
    if (removals.length) this.#removing = Promise.all([this.#removing, ...removals]).then(() => {});
    const next = new Map<string, NodeRecord>();
    for (const w of wanted) {
      const existing = this.#nodes.get(w.id);
      if (existing && existing.key === w.key) {
        next.set(w.id, existing);
        continue;
      }
      const node = w.create();
      if (existing) {
        // The old definition is gone: stop its run and release what it made.
        existing.version++;
        existing.invalidate();
        // Chained into the new run's start, so the old table is gone before the new one is made.
        node.cleanup = () => existing.remove();
        node.state = { ...initialState(node.inputs, node.outputs), runs: existing.state.runs };
      }
      next.set(w.id, node);
      force.add(w.id);
    }
    this.#nodes.clear();
    for (const [id, node] of next) this.#nodes.set(id, node);

    const graphNodes: GraphNode[] = [...this.#nodes.values()].map((n) => ({
      id: n.id,
      inputs: n.compiled?.error ? [] : n.inputs,
      softInputs: n.compiled?.error ? [] : n.softInputs,
      outputs: n.outputs,
    }));
    const graph = buildGraph(
      graphNodes,
      (name) => this.#builtins.has(name),
      (name) => this.#host.isGlobal(name),
      (id) => this.#label(id),
    );
    this.#graph = graph;

    const dirty = new Set<string>();
    for (const node of this.#nodes.values()) {
      const resolved = [...(graph.resolved.get(node.id) ?? new Map())].map(([name, r]) => [name, r]).sort();
      const signature = JSON.stringify([node.key, resolved, graph.problems.get(node.id) ?? null]);
      if (signature !== node.signature || force.has(node.id)) dirty.add(node.id);
      node.signature = signature;
    }
    if (hold) for (const id of dirty) this.#held.add(id);
    else this.#scheduleDownstream(dirty, graph);
  }

  /**
   * Schedules the `dirty` nodes and everything downstream of them, in graph order, and the held
   * nodes (never run since `setNotebook(…, {run: false})`) they read, which would have no outcome.
   */
  #scheduleDownstream(dirty: Set<string>, graph: Graph): void {
    const queue = [...dirty];
    while (queue.length) {
      for (const dependant of graph.dependants.get(queue.pop()!) ?? []) {
        if (!dirty.has(dependant)) {
          dirty.add(dependant);
          queue.push(dependant);
        }
      }
    }
    // Upstream only: a held node pulled in here does not bring its other readers along.
    const upstream = [...dirty];
    while (upstream.length) {
      for (const dependency of graph.dependencies.get(upstream.pop()!) ?? []) {
        if (this.#held.has(dependency) && !dirty.has(dependency)) {
          dirty.add(dependency);
          upstream.push(dependency);
        }
      }
    }
    for (const id of graph.order) if (dirty.has(id)) this.#schedule(this.#nodes.get(id)!, graph);
  }

  #schedule(node: NodeRecord, graph: Graph): void {
    this.#held.delete(node.id);
    const version = ++node.version;
    node.invalidate();
    let invalidated!: () => void;
    const invalidation = new Promise<void>((resolve) => (invalidated = resolve));
    node.invalidate = invalidated;
    const problem = graph.problems.get(node.id);
    const compileError = node.compiled?.error;
    let error: CellError | undefined;
    if (compileError) error = { phase: "compile", ...compileError };
    else if (problem?.status === "error")
      error = { phase: "graph", message: problem.message, ...(problem.related && { related: problem.related }) };
    const dependencies = (graph.dependencies.get(node.id) ?? []).map((id) => this.#nodes.get(id)!);
    // Upstream nodes are scheduled before this one (graph order): these are the outcomes this run reads.
    const upstream: UpstreamNode[] = upstreamIds(graph, node.id).map((id) => ({
      id,
      cell: this.#cellRef(id),
      outcome: this.#nodes.get(id)!.outcome,
    }));
    const provenance = () =>
      collectProvenance({
        notebook: {
          // The title as the workbench and the report show it: front matter, else the first heading.
          title: notebookTitle({ frontMatter: { data: this.#data, title: this.#title }, cells: [...this.#cells] }),
          location: this.#location(),
        },
        cell: this.#cellRef(node.id) ?? { id: node.id, position: 0, name: null },
        upstream,
        appVersion: this.#appVersion,
      });
    node.setState({ status: "stale", inputs: node.inputs, outputs: node.outputs });
    ++this.#pending;
    this.#labels.delete(node.id);
    node.outcome = executeNode(node, version, {
      engine: this.#engine,
      host: this.#host,
      libraries: this.#libraries,
      cellLibraries: this.#cellLibraries,
      seed: this.#seed,
      privacy: JSON.parse(this.#privacy) as PrivacySettings,
      // Where this run's inputs came from, for export manifests (provenance.ts).
      provenance,
      resolveData: this.#resolveData,
      dependencies,
      resolved: graph.resolved.get(node.id) ?? new Map(),
      error,
      blockedMessage: problem?.status === "blocked" ? problem.message : undefined,
      ...(problem?.status === "blocked" && problem.related && { blockedRelated: problem.related }),
      invalidation,
      removing: this.#removing,
      isCurrent: () => node.version === version && !this.#disposed,
      ...(this.#runaway && { runaway: this.#runaway }),
      publishInput: (name, value) => this.setInputValue(node.id, name, value),
      connections: this.#connections,
      ...(this.#connect && { connect: this.#connect }),
    })
      .then(async (outcome) => {
        if (outcome.ok) {
          // `const top = sql\`…\`` binds a promise of a handle: label what it resolves to.
          const values = await settledValues(outcome.values);
          if (node.version === version && this.#nodes.get(node.id) === node) {
            this.#labels.set(node.id, tableLabelsOf(node.id, values));
          }
        }
        return outcome;
      })
      .finally(() => {
        if (--this.#pending === 0) for (const resolve of this.#idle.splice(0)) resolve();
      });
  }
}
