/**
 * The app's notebook running in the sandbox frame (docs/sandbox.md stage 3b): a `NotebookSession`
 * whose calls go to the `Session` inside the frame (protocol.ts `SessionCommand`) and whose states
 * are the frame's reports (`SessionEvent`: status, error text, timings, the graph — never a value or
 * DOM). The frame's engine port serves the notebook's own engine (locked by engine-port.ts), and the
 * front matter's data sources resolve through the app's resolver (kept files, file handles, Excel).
 *
 * The page runs no cell in this mode: NotebookState makes this instead of a `Session`.
 */
import type { CellState } from "../../runtime/cell-state.ts";
import type { StateListener } from "../../runtime/session.ts";
import type { TableLabel } from "../../runtime/table-labels.ts";
import type { Cell, Notebook } from "../../notebook/model.ts";
import type { SandboxedSession, SandboxSessionHost } from "../notebook-session.ts";
import { SandboxFrame, SandboxStopped, type SandboxFrameOptions } from "./sandbox-frame.ts";
import type { FrameCellState, FrameLinks, SessionCommand, SessionEvent } from "./protocol.ts";

/** What a cell shows when the frame it ran in was torn down before it finished. */
export const STOPPED_BY_RESET = "The sandbox was stopped before this cell finished. Run it again to retry.";

/** What a cell shows when the user's Stop tore the frame down while it was running or waiting. */
export const STOPPED_BY_YOU =
  "Stopped by you: the sandbox was torn down and nothing was re-run. Run the cell again when you want its result.";

/** The note a finished cell's state gets on Stop: its output was in the frame that went. */
export const OUTPUT_WENT_WITH_STOP = "Its output went with the sandbox you stopped; run it to see it again.";

/** How a frame session is shown and builds its frame (the engine and data come from the host). */
export type FrameSessionOptions = Pick<
  SandboxFrameOptions,
  "container" | "bundle" | "onFrameEvent" | "onOffer" | "onLost"
> & {
  /** Called once the session is disposed: whoever made the container takes it (and what it added) away. */
  onDispose?: () => void;
};

/**
 * The session of the app's notebook, in the sandbox frame.
 *
 * @example
 * const session = new FrameSession(host, { container, bundle });
 * session.subscribe((id, state) => console.log(id, state?.status));
 * session.setNotebook(notebook); // runs in the frame
 * await session.settled();
 */
export class FrameSession implements SandboxedSession {
  readonly frame: SandboxFrame;
  readonly #host: SandboxSessionHost;
  readonly #listeners = new Set<StateListener>();
  readonly #states = new Map<string, CellState>();
  #links = new Map<string, FrameLinks>();
  #labels = new Map<string, TableLabel>();
  #builtins: ReadonlySet<string> = new Set();
  #notebook: Notebook | undefined;
  /** The frame was torn down from outside (Stop, a lost frame): the next run starts afresh. */
  #stale = false;
  /**
   * After {@link stop}: the fresh frame has no session yet. The next call loads the notebook there
   * without running it, then does what it says (only what it names runs, with what that reads).
   */
  #held = false;
  /** True while {@link restart} or {@link stop} resets the frame itself. */
  #restarting = false;
  #disposed = false;
  readonly #onDispose: (() => void) | undefined;

  constructor(host: SandboxSessionHost, { onDispose, ...options }: FrameSessionOptions) {
    this.#host = host;
    this.#onDispose = onDispose;
    this.frame = new SandboxFrame({
      ...options,
      engine: () => host.engine(),
      dataSources: () => host.dataSources(),
      resolveData: (name, source) => host.resolveData(name, source),
      remote: { connections: () => host.connections(), connect: host.connect },
      onSessionEvent: (event) => this.#receive(event),
      onFresh: () => this.#fresh(),
    });
  }

  setNotebook(notebook: Notebook): void {
    const before = this.#notebook;
    this.#notebook = notebook;
    if (this.#stale) this.restart();
    // After Stop (a data source added meanwhile): only what changed runs, as in the page.
    this.#resume(before);
    this.#send({ type: "session", call: "setNotebook", notebook, location: this.#host.location() });
  }

  setCells(cells: readonly Cell[]): void {
    if (!this.#notebook) return;
    const before = this.#notebook;
    this.#notebook = { ...before, cells: [...cells] };
    if (this.#rerunWhenStale()) return;
    // The notebook as it was, held: the edit then runs only the changed cells (and what they read).
    this.#resume(before);
    this.#send({ type: "session", call: "setCells", cells: [...cells] });
  }

  runCell(id: string): void {
    this.runCells([id]);
  }

  runCells(ids: readonly string[]): void {
    if (this.#rerunWhenStale()) return;
    this.#resume();
    this.#send({ type: "session", call: "runCells", ids: [...ids] });
  }

  runAll(): void {
    if (this.#rerunWhenStale()) return;
    this.#resume();
    this.#send({ type: "session", call: "runAll" });
  }

  stopWaiting(): string[] {
    this.#send({ type: "session", call: "stopWaiting" });
    return [...this.#states].filter(([, s]) => s.status === "running" || s.status === "stale").map(([id]) => id);
  }

  /**
   * Stop (the toolbar, `?sandbox=1`): tears the frame down at once — its process ends, with the
   * running cell, its timers and whatever a library was doing — and starts a fresh frame and engine
   * without running anything. The cells that were running or waiting say the user stopped them;
   * the others keep their status (how their last run ended) with a note that their output went
   * with the frame. The next run loads
   * the notebook in the new frame and runs only what it names, with the cells those read.
   * Returns the ids of the cells it stopped.
   */
  stop(): string[] {
    if (this.#disposed) return [];
    const stopped = [...this.#states]
      .filter(([, s]) => s.status === "running" || s.status === "stale")
      .map(([id]) => id);
    // The links stay (the text did not change); the labels named tables of the old engine.
    this.#teardown({ held: true });
    for (const [id, state] of [...this.#states]) {
      if (!stopped.includes(id)) {
        const notes = (state.notes ?? []).filter((note) => note !== OUTPUT_WENT_WITH_STOP);
        this.#emit(id, { ...state, notes: [...notes, OUTPUT_WENT_WITH_STOP] });
        continue;
      }
      this.#emit(id, {
        ...state,
        status: "error",
        error: { phase: "runtime", message: STOPPED_BY_YOU },
        blockedBy: undefined,
      });
    }
    return stopped;
  }

  async settled(): Promise<void> {
    if (!this.#notebook || this.#disposed) return;
    // A frame torn down meanwhile has nothing left to wait for.
    await this.frame.settled().catch((error: unknown) => {
      if (!(error instanceof SandboxStopped)) throw error;
    });
  }

  links(id: string): FrameLinks | undefined {
    return this.#links.get(id);
  }

  tableLabels(): Map<string, TableLabel> {
    return new Map(this.#labels);
  }

  builtinNames(): ReadonlySet<string> {
    return this.#builtins;
  }

  subscribe(listener: StateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Tears the frame down (its process and every run in it) and starts a fresh frame on a fresh
   * engine: nothing the old notebook made — tables, view files, timers — is left for the next one.
   */
  restart(): void {
    this.#teardown({ held: false });
    this.#links = new Map();
    for (const id of [...this.#states.keys()]) this.#emit(id, undefined);
  }

  /**
   * Removes the frame (not taken for a loss: see #fresh) and restarts the engine, whose tables were
   * named by a counter that starts again in the next frame; `held`: the next run loads the notebook
   * without running it first (after Stop).
   */
  #teardown({ held }: { held: boolean }): void {
    this.#restarting = true;
    try {
      this.frame.reset().catch(() => {});
    } finally {
      this.#restarting = false;
    }
    this.#host.restartEngine();
    this.#stale = false;
    this.#held = held;
    this.#labels = new Map();
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#listeners.clear();
    this.frame.dispose();
    this.#onDispose?.();
  }

  #send(command: SessionCommand): void {
    if (!this.#disposed) this.frame.send(command);
  }

  /** After {@link stop}: loads `notebook` in the fresh frame without running it (once). */
  #resume(notebook = this.#notebook): void {
    if (!this.#held) return;
    this.#held = false;
    if (notebook)
      this.#send({ type: "session", call: "setNotebook", notebook, location: this.#host.location(), run: false });
  }

  /** After an outside teardown the frame has no session: the whole notebook runs again, afresh. */
  #rerunWhenStale(): boolean {
    if (!this.#stale || !this.#notebook) return false;
    this.setNotebook(this.#notebook);
    return true;
  }

  #fresh(): void {
    if (this.#restarting || this.#disposed) return;
    // A frame lost after Stop and before the next run (e.g. its heartbeat missed while the engine
    // restarts on a loaded machine) had nothing in it: the next run still loads the notebook without
    // running it, instead of running the whole notebook again (the cell Stop ended included).
    if (this.#held) return;
    // Stop (or a frame that navigated away): what ran there is gone with it.
    this.#stale = true;
    for (const [id, state] of this.#states) {
      if (state.status !== "running" && state.status !== "stale") continue;
      this.#emit(id, {
        ...state,
        status: "error",
        error: { phase: "runtime", message: STOPPED_BY_RESET },
        blockedBy: undefined,
      });
    }
  }

  #receive(event: SessionEvent): void {
    if (this.#disposed) return;
    if (event.type === "graph") {
      this.#links = new Map(Object.entries(event.links));
      this.#labels = new Map(event.tableLabels);
      this.#builtins = new Set(event.builtins);
      return;
    }
    this.#emit(event.cellId, event.state ? appState(event.state) : undefined);
  }

  #emit(id: string, state: CellState | undefined): void {
    if (state) this.#states.set(id, state);
    else this.#states.delete(id);
    for (const listener of this.#listeners) listener(id, state);
  }
}

/** A frame's report as the app's `CellState`: nothing to show in the page (outputs are in the frame). */
function appState(state: FrameCellState): CellState {
  return { ...state, value: state.value, hasValue: false, displays: [] };
}
