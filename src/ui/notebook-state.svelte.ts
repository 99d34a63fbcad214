/**
 * The open notebook: its saved cells (what an edit changes) and the live run state of every cell and
 * data source (what the session reports). Components read from here and call {@link commit}; they
 * never talk to the session or the engine.
 */
import type { Engine, FileSource } from "../engine/engine.ts";
import {
  notebookTitle,
  parse,
  setDataSource,
  type Cell,
  type DataSource,
  type FormatIssue,
  type Notebook,
} from "../notebook/index.ts";
import type { CellState, Session } from "../runtime/index.ts";
import { dataNodeId } from "../runtime/node-id.ts";
import { CellEditors } from "./editor/cell-editors.svelte.ts";
import type { createWorkerKernels } from "./worker-kernels.ts";
import { loadRuntime, startBrowserEngine, type RuntimeModules } from "./runtime-loader.ts";
import { browserBundle } from "../engine/browser-boot.ts";
import { CodeCacheWarmUp, pageStorage } from "./code-cache-warm-up.ts";
import { CellUi } from "./cell-ui.svelte.ts";
import { RunProgress } from "./run-progress.svelte.ts";
import * as ops from "./notebook-ops.ts";
import { DataPanel } from "./data/data-panel.svelte.ts";
import { EarlyFetch } from "./data/early-fetch.ts";
import { readStored } from "./data/opfs-store.ts";
import { loadInputs } from "./inputs-library.ts";
import { PreparedExports } from "./exports/prepared-exports.svelte.ts";
import { version as APP_VERSION } from "../../package.json";
import { useDownloadTrigger } from "./render/export-output.ts";
import { checkCellName, type CellNameProblem, type TakenName } from "../notebook/cell-name.ts";
import { RemoteConnections } from "./connections/remote-connections.svelte.ts";
import type {
  NotebookSession,
  SandboxedSession,
  SandboxSessionFactory,
  SandboxSessionHost,
} from "./notebook-session.ts";

/** The builtins before the session is up (it knows them exactly once started). */
const BUILTINS = [
  "db",
  "sql",
  "display",
  "random",
  "invalidation",
  "seed",
  "seg",
  "view",
  "md",
  "aq",
  "Plot",
  "Inputs",
];

/** What renaming a SQL cell did: refused (why), or done, with the cells that read the old name. */
export type RenameResult =
  | { problem: CellNameProblem }
  | { problem?: undefined; readers: { id: string; label: string }[]; old: string | undefined };

/**
 * Monaco (megabytes of script and a TypeScript worker) competes for the CPU with DuckDB's start and
 * the first run, so it is fetched when that run is over (or when a cell's textarea gets the focus);
 * this long after load() at the latest, so a notebook that keeps running still gets its editors.
 */
const EDITORS_DEADLINE_MS = 15_000;

/** Where loading the page's notebook is. */
export type LoadPhase = "loading" | "ready" | "failed";

/** Where the DuckDB engine is. */
export type EnginePhase = "starting" | "ready" | "failed";

/** One node's state, reactive on its own so an update re-renders only that cell. */
class NodeView {
  state = $state.raw<CellState | undefined>(undefined);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** How a {@link NotebookState} runs its cells. */
export interface NotebookStateOptions {
  /**
   * `?sandbox=1` (docs/sandbox.md stage 3b): the cells run in the sandbox frame this makes, on this
   * notebook's engine, and never in the page.
   */
  sandbox?: SandboxSessionFactory;
}

/** A notebook opened from a URL and run in the page (or, with `sandbox`, in the sandbox frame). */
export class NotebookState {
  /** Absolute URL of the notebook file; data paths resolve against it. */
  url = $state("");
  /**
   * False while the notebook waits for the user's OK before running (see persistence/origin.ts):
   * cells show but nothing runs until {@link trust}.
   */
  trusted = $state(true);
  phase = $state<LoadPhase>("loading");
  enginePhase = $state<EnginePhase>("starting");
  /** Why loading failed (phase or enginePhase "failed"). */
  failure = $state<string | undefined>(undefined);
  /** The notebook as edited (committed edits only): its front matter and cells, the one copy of both. */
  notebook = $state.raw<Notebook | undefined>(undefined);
  /** What parse could not understand in the file. */
  issues = $state.raw<readonly FormatIssue[]>([]);
  /** The notebook's cells (read-only: edits go through the methods below, which replace `notebook`). */
  readonly cells = $derived<readonly Cell[]>(this.notebook?.cells ?? []);
  /** The text being edited in each cell. */
  readonly editors = new CellEditors();
  /** Selection, mode, collapsed parts and dialogs of the cell list (never saved). */
  readonly ui = new CellUi();
  /** How far the current batch of runs is. */
  readonly progress = new RunProgress();
  /** Files added in the data panel and the schema browser's state. */
  readonly data: DataPanel = new DataPanel(this);
  /** What `seg.export` prepared in the current cell runs, downloaded only on a click. */
  readonly exports = new PreparedExports();
  /**
   * The remote engines of front matter `connections:`, with credentials asked for when a remote cell
   * first needs them and kept in memory for this tab only. The adapters load only when one is used.
   */
  readonly remote = new RemoteConnections(async (name, spec, credentials) =>
    (await import("../engine/remote/open-remote-engine.ts")).openRemoteEngine(name, spec, credentials),
  );
  /** Deleted cells, newest last, for undo. */
  #deleted: ops.DeletedCell[] = [];

  title = $derived(this.notebook ? notebookTitle(this.notebook) : "");
  dataSources = $derived<[string, DataSource][]>(Object.entries(this.notebook?.frontMatter.data ?? {}));
  /** Names that hold a table handle in TS: data sources and named SQL cells. */
  tableNames = $derived([
    ...this.dataSources.map(([name]) => name),
    ...this.cells.flatMap((c) => (c.kind === "sql" && c.name ? [c.name] : [])),
  ]);

  // Not reactive itself: each NodeView is, so a state change re-renders only the cell it belongs to.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #views = new Map<string, NodeView>();
  #engine: Engine | undefined;
  /** The engine starting or started (the sandbox's engine port serves this one). */
  #engineReady: Promise<Engine> | undefined;
  #session: NotebookSession | undefined;
  /** The session while the notebook is not trusted: made, but given no cells. */
  #heldSession: NotebookSession | undefined;
  /** The sandboxed session, when cells run in the frame (restarted on replace). */
  #sandboxed: SandboxedSession | undefined;
  readonly #makeSandbox: SandboxSessionFactory | undefined;
  /** The engine and session starting (load's last step; it settles, also on failure). */
  #starting: Promise<void> | undefined;
  #kernels: ReturnType<typeof createWorkerKernels> | undefined;
  #unsubscribe: (() => void) | undefined;
  #disposed = false;
  /** Data files fetched while DuckDB starts. */
  readonly #early = new EarlyFetch();
  /** Background DuckDB work once the notebook is idle, so the browser caches DuckDB's compiled wasm. */
  readonly #warmUp = new CodeCacheWarmUp(browserBundle().mainModule, pageStorage());

  /**
   * Where the notebook came from as export manifests record it (see provenanceLocation in
   * persistence/origin.ts; set by Persistence); the address when nothing set it.
   */
  location: string | null = null;

  /**
   * Whether the cells run in the sandbox frame (`?sandbox=1`), where {@link stop} really stops them;
   * in the page it can only stop waiting.
   */
  get sandboxed(): boolean {
    return this.#makeSandbox !== undefined;
  }

  constructor(url: string, options: NotebookStateOptions = {}) {
    this.url = url;
    this.#makeSandbox = options.sandbox;
  }

  /**
   * Fetches and parses the notebook while DuckDB starts, then runs every cell. `text`, when given,
   * is the notebook itself (a share link, a file, an autosave) and `url` only where its data is.
   * `judgeAddress`, given for a fetched notebook, is asked about the address it was finally read from
   * (after redirects; it becomes `url`): when it says no, the notebook waits for trust() even if it
   * was trusted by the address asked for. It can only take trust away.
   */
  async load(text?: string, judgeAddress?: (finalUrl: string) => boolean | Promise<boolean>): Promise<void> {
    // DuckDB's worker and wasm load in parallel with the notebook: neither waits for the other. So
    // does the runtime (compiler, Arquero, Plot, seg): the cells show as text before it is in.
    const starting = (this.#engineReady = startBrowserEngine());
    // In the sandbox the runtime runs in the frame: the page does not need it.
    const runtime = this.#makeSandbox ? Promise.resolve(undefined) : loadRuntime();
    // The sandbox frame (a process of its own and a 2 MB bundle) boots while DuckDB starts and the
    // notebook is fetched, not after: made after the parse, its boot was on the way to the first run.
    const sandboxed = this.#makeSandbox?.(this.#sandboxHost());
    // Until #start awaits them, a failure must not surface as an unhandled rejection.
    starting.catch(() => {});
    runtime.catch(() => {});
    sandboxed?.catch(() => {});
    try {
      const source = text ?? (await this.#fetchText());
      if (judgeAddress && !(await judgeAddress(this.url))) this.trusted = false;
      const { notebook, issues } = parse(source);
      this.notebook = notebook;
      this.issues = issues;
      this.#createViews();
      this.phase = "ready";
      if (this.trusted) {
        this.#early.start(Object.entries(notebook.frontMatter.data ?? {}), this.url, async (source) =>
          source.sha256 ? (await readStored(source.sha256)) !== undefined : false,
        );
      }
    } catch (error) {
      this.failure = `Could not open notebook ${this.url}: ${messageOf(error)}. Check the ?notebook= address.`;
      this.phase = "failed";
      void starting.then(
        (engine) => engine.close(),
        () => {},
      );
      void sandboxed?.then(
        (session) => session.dispose(),
        () => {},
      );
      return;
    }
    setTimeout(() => this.#loadEditors(), EDITORS_DEADLINE_MS);
    this.#starting = sandboxed ? this.#startSandboxed(starting, sandboxed) : this.#start(starting, runtime);
    await this.#starting;
  }

  /** The engine or the runtime could not start: say so, and let the editors come anyway. */
  #failStart(message: string): void {
    this.failure = message;
    this.enginePhase = "failed";
    this.#loadEditors();
  }

  /** The started engine, or undefined once it is said that DuckDB could not start. */
  async #engineOrFail(starting: Promise<Engine>): Promise<Engine | undefined> {
    try {
      return await starting;
    } catch (error) {
      this.#failStart(`Could not start DuckDB: ${messageOf(error)}`);
      return undefined;
    }
  }

  /** Fetches Monaco (once): see {@link EDITORS_DEADLINE_MS}. */
  #loadEditors(): void {
    if (!this.#disposed) void this.editors.load();
  }

  async #start(starting: Promise<Engine>, loading: Promise<RuntimeModules | undefined>): Promise<void> {
    let runtime: RuntimeModules;
    // Fetched alongside the engine; without it cells just find no `Inputs`.
    const inputs = loadInputs().catch(() => undefined);
    const engine = await this.#engineOrFail(starting);
    if (!engine) return;
    try {
      runtime = (await loading)!;
    } catch (error) {
      this.#failStart(`Could not load the notebook runtime: ${messageOf(error)}. Reload the page.`);
      void engine.close();
      return;
    }
    const Inputs = await inputs;
    if (this.#disposed) return void engine.close();
    this.#engine = engine;
    const kernels = runtime.createWorkerKernels();
    this.#kernels = kernels;
    // Export cards' Download buttons ask this notebook's exports, which refuse withdrawn files.
    useDownloadTrigger(this.exports);
    const session = new runtime.Session({
      engine,
      cellLibraries: { seg: runtime.segLibrary({ kernels, sink: this.exports.sink() }) },
      libraries: { aq: runtime.aq, Plot: runtime.Plot, ...(Inputs && { Inputs }) },
      // Export manifests record where the notebook came from and the app's version.
      location: () => this.location ?? this.url,
      appVersion: APP_VERSION,
      resolveData: async (name, source) =>
        this.#early.use(await this.data.resolve(name, source, () => this.#resolveData(source))),
      connect: this.remote.connect,
      runaway: runtime.browserRunawayPolicy((id) => {
        const index = this.cells.findIndex((c) => c.id === id);
        return index < 0 ? "A cell" : `Cell ${index + 1}`;
      }),
    });
    this.#adopt(session);
    // A handle for the browser console (`await segbook.engine.query("…")`) and for the browser run
    // of the engine conformance suite.
    (globalThis as { segbook?: unknown }).segbook = { engine, session, kernels, notebook: this };
    this.enginePhase = "ready";
    this.#begin();
  }

  /** Makes `session` the notebook's: its states become the cells' views; it runs once trusted. */
  #adopt(session: NotebookSession): void {
    this.#unsubscribe = session.subscribe((id, state) => {
      this.#view(id).state = state;
      this.progress.note(id, state);
      if (this.progress.busy) this.#warmUp.busy();
      else this.#whenIdle();
    });
    if (this.trusted) this.#session = session;
    else this.#heldSession = session;
  }

  /** Gives the session the notebook (edits made while the engine was starting are in `cells` already). */
  #begin(): void {
    this.#session?.setNotebook(this.notebook!);
    // In the sandbox the cells' states arrive later, by message: not busy yet is not idle. Monaco
    // waits for the frame's first run as it does for the page's (it slowed the run by a second).
    if (this.#session && this.#session === this.#sandboxed) {
      const load = () => this.#loadEditors();
      return void this.#session.settled().then(load, load);
    }
    // Nothing to run (an empty or untrusted notebook): no reason to wait for the editors.
    if (!this.progress.busy) this.#whenIdle();
  }

  /** The notebook's runs are done: the editors load, and the code-cache warm-up may start. */
  #whenIdle(): void {
    this.#loadEditors();
    if (this.#engine && !this.#disposed) this.#warmUp.idle(this.#engine);
  }

  /** What the sandboxed session gets of this notebook: its engine (asked at the frame's first request) and data. */
  #sandboxHost(): SandboxSessionHost {
    return {
      engine: () => this.#engineReady ?? Promise.reject(new Error("The notebook's engine is closed")),
      restartEngine: () => this.#restartEngine(),
      location: () => this.location ?? this.url,
      dataSources: () => this.notebook?.frontMatter.data ?? {},
      connections: () => this.notebook?.frontMatter.connections ?? {},
      connect: this.remote.connect,
      resolveData: async (name, source) =>
        this.#early.use(await this.data.resolve(name, source, () => this.#resolveData(source))),
    };
  }

  /**
   * `?sandbox=1`: the cells run in the sandbox frame on this notebook's engine (locked there before
   * the frame's first request, after the engine's own settings), and nothing runs in the page. The
   * frame gets the notebook as soon as it is made, not once DuckDB is up: its session compiles the
   * cells and runs those that need no engine meanwhile, and its first engine requests wait in the
   * engine port, so the data loads start the moment the engine is ready.
   */
  async #startSandboxed(starting: Promise<Engine>, sandboxed: Promise<SandboxedSession>): Promise<void> {
    let session: SandboxedSession;
    try {
      session = await sandboxed;
    } catch (error) {
      this.#failStart(`Could not start the cell sandbox: ${messageOf(error)}. Reload the page.`);
      void starting.then(
        (engine) => engine.close(),
        () => {},
      );
      return;
    }
    if (this.#disposed) {
      void starting.then(
        (engine) => engine.close(),
        () => {},
      );
      return void session.dispose();
    }
    this.#sandboxed = session;
    this.#adopt(session);
    this.#begin();
    // A failed start is said (the frame's engine requests fail with the same error meanwhile).
    const engine = await this.#engineOrFail(starting);
    // Stop meanwhile restarted the engine (and closes this one): #restartEngine says when it is up.
    if (!engine || this.#engineReady !== starting) return;
    if (this.#disposed) return void engine.close();
    this.#engine = engine;
    (globalThis as { segbook?: unknown }).segbook = { engine, session, notebook: this };
    this.enginePhase = "ready";
  }

  /** A fresh engine for the sandbox (see SandboxSessionHost.restartEngine); the old one is closed. */
  #restartEngine(): void {
    const old = this.#engineReady;
    const starting = (this.#engineReady = startBrowserEngine());
    this.#engine = undefined;
    this.enginePhase = "starting";
    void old?.then((engine) => engine.close()).catch(() => {});
    starting.then(
      (engine) => {
        if (this.#engineReady !== starting || this.#disposed) return void engine.close();
        this.#engine = engine;
        this.enginePhase = "ready";
        const handle = (globalThis as { segbook?: { engine?: Engine } }).segbook;
        if (handle) handle.engine = engine;
      },
      (error: unknown) => {
        if (this.#engineReady !== starting) return;
        this.failure = `Could not start DuckDB: ${messageOf(error)}`;
        this.enginePhase = "failed";
      },
    );
  }

  /** Fetches the notebook; `url` becomes the address it was read from after redirects. */
  async #fetchText(): Promise<string> {
    const response = await fetch(this.url);
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
    // Trust and relative data paths go by where the text really came from, not the address asked for.
    if (response.url) this.url = response.url;
    return response.text();
  }

  /** The user said this notebook may run: run it (now, or as soon as the engine is up). */
  trust(): void {
    if (this.trusted) return;
    this.trusted = true;
    this.#session = this.#heldSession;
    this.#heldSession = undefined;
    this.#session?.setNotebook(this.notebook!);
  }

  /**
   * Puts another notebook text in the page (a file opened from disk, a restored autosave), keeping
   * the engine: the old cells' results are dropped, and the new ones run only when `trusted`.
   */
  replace(text: string, url: string, trusted: boolean): void {
    const { notebook, issues } = parse(text);
    const session = this.#session ?? this.#heldSession;
    this.editors.dispose();
    this.#early.clear();
    this.#deleted = [];
    this.url = url;
    this.notebook = notebook;
    this.issues = issues;
    this.failure = undefined;
    this.#createViews();
    this.phase = "ready";
    this.trusted = trusted;
    // In the sandbox: the old notebook's frame and engine go, with all it made and started.
    this.#sandboxed?.restart();
    if (!trusted) {
      // Drop what the old notebook made; the new one waits for trust().
      session?.setNotebook({ frontMatter: { data: {} }, cells: [] });
      this.#session = undefined;
      this.#heldSession = session;
      return;
    }
    this.#session = session;
    this.#heldSession = undefined;
    session?.setNotebook(notebook);
  }

  /**
   * Resolves once no cell is scheduled or running (see Session.settled). While the engine (or the
   * sandbox) starts, the cells are as good as scheduled: it waits for the session to take them.
   */
  async settled(): Promise<void> {
    // A failed start has left no session to wait for (its failure is shown).
    await this.#starting?.catch(() => {});
    await this.#session?.settled();
  }

  /** Engine table -> the name a cell bound it to (see Session.tableLabels). */
  tableLabels(): Map<string, { name: string; cellId: string }> {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- an empty answer, not state
    return this.#session?.tableLabels() ?? new Map();
  }

  /** The DuckDB engine once started (the data panel lists and profiles its tables). */
  get engine(): Engine | undefined {
    return this.#engine;
  }

  /**
   * Adds or replaces data source `name` in the front matter (an edit like any other: autosave sees
   * it); the session loads it, or removes it when `source` is null.
   */
  setDataSource(name: string, source: DataSource | null): void {
    if (!this.notebook) return;
    this.notebook = setDataSource(this.notebook, name, source);
    this.#view(dataNodeId(name));
    this.#session?.setNotebook(this.notebook);
  }

  /** Loads data source `name` again (e.g. with other CSV options) and re-runs what reads it. */
  reloadData(name: string): void {
    this.#session?.runCell(dataNodeId(name));
  }

  /** Data paths are relative to the notebook file, wherever the site is served from. */
  #resolveData(source: DataSource): FileSource {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off computation, not state
    return { kind: "url", url: new URL(source.path, this.url).href };
  }

  /**
   * Makes every node's view before anything renders: a `$state` created while a component's
   * `$derived` runs is not tracked by that derived, so a lazily made view would never update it.
   */
  #createViews(): void {
    for (const name of Object.keys(this.notebook?.frontMatter.data ?? {})) this.#view(dataNodeId(name));
    for (const cell of this.cells) this.#view(cell.id);
  }

  #view(id: string): NodeView {
    let view = this.#views.get(id);
    if (!view) this.#views.set(id, (view = new NodeView()));
    return view;
  }

  /** Live state of a cell or data source node (see dataNodeId); undefined before its first run. */
  state(id: string): CellState | undefined {
    return this.#view(id).state;
  }

  /** Makes `text` the cell's source and re-runs it and its dependants (re-runs it if unchanged). */
  commit(id: string, text: string): void {
    const cell = this.cells.find((c) => c.id === id);
    if (!cell) return;
    delete this.editors.drafts[id];
    if (cell.source === text) {
      this.#session?.runCell(id);
      return;
    }
    this.#writeCells(this.cells.map((c) => (c.id === id ? { ...c, source: text } : c)));
    this.#session?.setCells(this.cells);
  }

  /** The one place cells change: a new notebook with them (there are no cells before one is loaded). */
  #writeCells(cells: readonly Cell[]): void {
    if (this.notebook) this.notebook = { ...this.notebook, cells: [...cells] };
  }

  /**
   * Replaces the cells after a structural edit (see notebook-ops.ts): the saved model, the session
   * (changed cells and their dependants re-run) and the editors (models of removed cells released).
   */
  #setCells(cells: readonly Cell[]): void {
    for (const cell of cells) this.#view(cell.id);
    this.#writeCells(cells);
    this.#session?.setCells(cells);
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off lookup, not state
    const ids = new Set(cells.map((c) => c.id));
    this.editors.retain((id) => ids.has(id) || this.#deleted.some((d) => d.cell.id === id));
  }

  /** Adds an empty cell of `kind` at `index` and selects it. Returns its id. */
  insertCell(index: number, kind: Cell["kind"]): string {
    const cell = ops.emptyCell(kind);
    this.#setCells(ops.insertCell(this.cells, index, cell));
    this.ui.select(cell.id);
    return cell.id;
  }

  /** Deletes a cell (its unsaved edits too) and keeps it for {@link undoDelete}. */
  deleteCell(id: string): void {
    const next =
      ops.neighbourId(this.cells, id, 1) === id
        ? ops.neighbourId(this.cells, id, -1)
        : ops.neighbourId(this.cells, id, 1);
    const cell = this.cells.find((c) => c.id === id);
    // The text in the editor is what the author sees: that is what undo must bring back.
    const { cells, deleted } = ops.deleteCell(this.cells, id);
    if (!deleted || !cell) return;
    deleted.cell = { ...deleted.cell, source: this.editors.text(cell) };
    this.#deleted.push(deleted);
    this.#setCells(cells);
    if (this.ui.selected === id) this.ui.select(next === id ? undefined : next);
  }

  /** Whether there is a deleted cell to bring back. */
  get canUndoDelete(): boolean {
    return this.#deleted.length > 0;
  }

  /** Puts the last deleted cell back where it was and selects it. */
  undoDelete(): void {
    const deleted = this.#deleted.pop();
    if (!deleted) return;
    this.#setCells(ops.restoreCell(this.cells, deleted));
    this.ui.select(deleted.cell.id);
  }

  /** Moves a cell up (-1) or down (+1). */
  moveCell(id: string, delta: number): void {
    this.#setCells(ops.moveCell(this.cells, id, delta));
  }

  /** Copies a cell (with the text in its editor) below itself and selects the copy. */
  duplicateCell(id: string): void {
    const cell = this.cells.find((c) => c.id === id);
    if (!cell) return;
    const { cells, copy } = ops.duplicateCell(this.cells, id, this.editors.text(cell));
    this.#setCells(cells);
    if (copy) this.ui.select(copy.id);
  }

  /** Turns a cell into another kind, keeping the text in its editor. */
  changeKind(id: string, kind: Cell["kind"]): void {
    const cell = this.cells.find((c) => c.id === id);
    if (!cell || cell.kind === kind) return;
    const text = this.editors.text(cell);
    // The editor model's language follows the kind: drop it so a new one is made.
    this.editors.retain((other) => other !== id);
    this.#setCells(ops.changeKind(this.cells, id, kind, text));
  }

  /** `cell 3 (SQL)`: how messages name a cell (1-based position, kind). */
  cellLabel(id: string): string {
    const index = this.cells.findIndex((c) => c.id === id);
    const kind = { ts: "TypeScript", js: "JavaScript", sql: "SQL", md: "Markdown" }[this.cells[index]?.kind ?? "md"];
    return index < 0 ? "a cell" : `cell ${index + 1} (${kind})`;
  }

  /** Names already in use: data tables, SQL cell names, and what TS cells define (as of their last run). */
  #takenNames(): TakenName[] {
    const taken: TakenName[] = this.dataSources.map(([name]) => ({
      name,
      id: dataNodeId(name),
      label: `the data table \`${name}\` (front matter)`,
    }));
    for (const cell of this.cells) {
      const names = cell.kind === "sql" ? (cell.name ? [cell.name] : []) : (this.state(cell.id)?.outputs ?? []);
      for (const name of names) taken.push({ name, id: cell.id, label: this.cellLabel(cell.id) });
    }
    return taken;
  }

  /** Whether `name` can name SQL cell `id` (undefined: it can). */
  checkName(id: string, name: string): CellNameProblem | undefined {
    const session = this.#session ?? this.#heldSession;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off lookup, not state
    const builtins = session?.builtinNames() ?? new Set(BUILTINS);
    return checkCellName(name, id, builtins, this.#takenNames());
  }

  /**
   * Names (or renames, or with "" unnames) SQL cell `id` and re-runs it: a named result becomes a
   * table. Refused with the reason when the name is not an identifier, a builtin, or taken (naming
   * the other cell). Returns the cells that read the old name: they are blocked until changed.
   */
  renameCell(id: string, name: string): RenameResult {
    const cell = this.cells.find((c) => c.id === id);
    const trimmed = name.trim();
    if (!cell || cell.kind !== "sql") return { problem: { message: "only SQL cells have a name" } };
    const old = cell.name;
    if ((old ?? "") === trimmed) return { readers: [], old };
    const problem = this.checkName(id, trimmed);
    if (problem) return { problem };
    const readers = old
      ? (this.links(id)?.readBy ?? [])
          .filter((r) => r.names.includes(old))
          .map((r) => ({ id: r.id, label: this.cellLabel(r.id) }))
      : [];
    // The editor's text is what the author sees: keep it, as other structural edits do.
    const text = this.editors.text(cell);
    this.#setCells(ops.renameCell(this.cells, id, trimmed).map((c) => (c.id === id ? { ...c, source: text } : c)));
    delete this.editors.drafts[id];
    return { readers, old };
  }

  /** Commits the text in a cell's editor and runs it (and its dependants). */
  runCell(id: string): void {
    const cell = this.cells.find((c) => c.id === id);
    if (cell) this.commit(id, this.editors.text(cell));
  }

  /** Re-runs every cell and data source. */
  runAll(): void {
    this.#session?.runAll();
  }

  /** Re-runs a cell and every cell below it (and whatever depends on them). */
  runFrom(id: string): void {
    const index = ops.indexOfCell(this.cells, id);
    if (index >= 0) this.#session?.runCells(this.cells.slice(index).map((c) => c.id));
  }

  /** Stops waiting for scheduled and running cells (see Session.stopWaiting). */
  stopWaiting(): void {
    this.#session?.stopWaiting();
  }

  /**
   * The toolbar's Stop. In the sandbox the frame is torn down at once, ending whatever runs there
   * (a loop, a library call, timers), and a fresh one waits for the next run (FrameSession.stop);
   * in the page JavaScript cannot be interrupted, so it stops waiting ({@link stopWaiting}).
   */
  stop(): void {
    if (this.#sandboxed) this.#sandboxed.stop();
    else this.stopWaiting();
  }

  /** What a cell reads and who reads it, from the session's graph (undefined before the engine is up). */
  links(id: string): ReturnType<Session["links"]> {
    return this.#session?.links(id);
  }

  /** Stops every run and releases the engine and the editor models. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#warmUp.busy();
    this.#unsubscribe?.();
    this.remote.forgetAll();
    this.editors.dispose();
    await (this.#session ?? this.#heldSession)?.dispose();
    await this.#kernels?.close();
    await this.#engine?.close();
  }
}
