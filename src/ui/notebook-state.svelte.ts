/**
 * The open notebook: its saved cells (what an edit changes) and the live run state of every cell and
 * data source (what the session reports). Components read from here and call {@link commit}; they
 * never talk to the session or the engine.
 */
import * as aq from "arquero";
import * as Plot from "@observablehq/plot";
import type { Engine, FileSource } from "../engine/engine.ts";
import { createBrowserEngine } from "../engine/browser.ts";
import {
  notebookTitle,
  parse,
  type Cell,
  type DataSource,
  type FormatIssue,
  type Notebook,
} from "../notebook/index.ts";
import { Session, dataNodeId, type CellState } from "../runtime/index.ts";
import { CellEditors } from "./editor/cell-editors.svelte.ts";
import { createWorkerKernels } from "./worker-kernels.ts";
import { browserDownloadSink } from "./export-sink.ts";

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

/** A notebook opened from a URL and run in the page. */
export class NotebookState {
  /** Absolute URL of the notebook file; data paths resolve against it. */
  readonly url: string;
  phase = $state<LoadPhase>("loading");
  enginePhase = $state<EnginePhase>("starting");
  /** Why loading failed (phase or enginePhase "failed"). */
  failure = $state<string | undefined>(undefined);
  notebook = $state.raw<Notebook | undefined>(undefined);
  /** What parse could not understand in the file. */
  issues = $state.raw<readonly FormatIssue[]>([]);
  /** The cells as edited (committed edits only). */
  cells = $state.raw<readonly Cell[]>([]);
  /** The text being edited in each cell. */
  readonly editors = new CellEditors();

  title = $derived(this.notebook ? notebookTitle({ ...this.notebook, cells: [...this.cells] }) : "");
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
  #session: Session | undefined;
  #kernels: ReturnType<typeof createWorkerKernels> | undefined;
  #unsubscribe: (() => void) | undefined;
  #disposed = false;

  constructor(url: string) {
    this.url = url;
  }

  /** Fetches and parses the notebook while DuckDB starts, then runs every cell. */
  async load(): Promise<void> {
    // DuckDB's worker and wasm load in parallel with the notebook: neither waits for the other.
    const starting = createBrowserEngine();
    // Until #start awaits it, a failure must not surface as an unhandled rejection.
    starting.catch(() => {});
    try {
      const response = await fetch(this.url);
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
      const { notebook, issues } = parse(await response.text());
      this.notebook = notebook;
      this.cells = notebook.cells;
      this.issues = issues;
      this.#createViews();
      this.phase = "ready";
    } catch (error) {
      this.failure = `Could not open notebook ${this.url}: ${messageOf(error)}. Check the ?notebook= address.`;
      this.phase = "failed";
      void starting.then(
        (engine) => engine.close(),
        () => {},
      );
      return;
    }
    // Monaco is not needed to read a notebook: fetch it once the cells are on screen.
    requestAnimationFrame(() => setTimeout(() => void this.editors.load(), 0));
    await this.#start(starting);
  }

  async #start(starting: Promise<Engine>): Promise<void> {
    let engine: Engine;
    try {
      engine = await starting;
    } catch (error) {
      this.failure = `Could not start DuckDB: ${messageOf(error)}`;
      this.enginePhase = "failed";
      return;
    }
    if (this.#disposed) return void engine.close();
    this.#engine = engine;
    const kernels = createWorkerKernels();
    this.#kernels = kernels;
    const session = new Session({
      engine,
      seg: { kernels, sink: browserDownloadSink() },
      libraries: { aq, Plot },
      resolveData: (_name, source) => this.#resolveData(source),
    });
    this.#unsubscribe = session.subscribe((id, state) => (this.#view(id).state = state));
    this.#session = session;
    // A handle for the browser console (`await segbook.engine.query("…")`) and for the browser run
    // of the engine conformance suite.
    (globalThis as { segbook?: unknown }).segbook = { engine, session, kernels };
    this.enginePhase = "ready";
    // Edits made while the engine was starting are in `cells` already.
    session.setNotebook({ ...this.notebook!, cells: [...this.cells] });
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
    this.cells = this.cells.map((c) => (c.id === id ? { ...c, source: text } : c));
    if (this.notebook) this.notebook = { ...this.notebook, cells: [...this.cells] };
    this.#session?.setCells(this.cells);
  }

  /** Stops every run and releases the engine and the editor models. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#unsubscribe?.();
    this.editors.dispose();
    await this.#session?.dispose();
    this.#kernels?.terminate();
    await this.#engine?.close();
  }
}
