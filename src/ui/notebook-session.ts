/**
 * What NotebookState asks of the session that runs its cells: the runtime's `Session` in the page,
 * or, with `?sandbox=1`, the app's handle on the session inside the sandbox frame
 * (src/ui/sandbox/frame-session.ts, docs/sandbox.md stage 3b). Values of cells never cross to the
 * app in the second case; states, the graph and table labels do.
 */
import type { Engine } from "../engine/engine.ts";
import type { ConnectionSource, DataSource } from "../notebook/index.ts";
import type { DataResolution, RemoteConnector, Session } from "../runtime/index.ts";

/**
 * The calls NotebookState makes on a session.
 *
 * @example
 * const session: NotebookSession = new Session({ engine });
 * session.setNotebook(notebook);
 * await session.settled();
 */
export type NotebookSession = Pick<
  Session,
  | "setNotebook"
  | "setCells"
  | "runCell"
  | "runAll"
  | "runCells"
  | "stopWaiting"
  | "settled"
  | "tableLabels"
  | "links"
  | "builtinNames"
  | "subscribe"
  | "dispose"
>;

/** What the app gives a sandboxed session: its engine and its way of resolving data sources. */
export interface SandboxSessionHost {
  /** The notebook's engine now (a new one after {@link restartEngine}). */
  engine(): Promise<Engine>;
  /**
   * Replaces the engine with a fresh one (and closes the old): what a torn-down frame's session made
   * in it (tables, views, registered files) goes with it, and the new one is locked afresh.
   */
  restartEngine(): void;
  /** Where the notebook came from, for `seg.export` manifests. */
  location(): string | null;
  /** The file the app loads for front matter data source `name` (kept files, handles, Excel, URLs). */
  resolveData(name: string, source: DataSource): Promise<DataResolution>;
  /** The notebook's front matter data sources now: the only tables the frame may ask the app to load. */
  dataSources(): Readonly<Record<string, DataSource>>;
  /** The notebook's front matter connections now: the only ones the frame's remote cells may query. */
  connections(): Readonly<Record<string, ConnectionSource>>;
  /** Opens a connection in the app (credentials asked for in its dialog and kept in its memory). */
  connect: RemoteConnector;
}

/**
 * A session whose cells run elsewhere (the sandbox frame): it can be restarted, dropping every run
 * and everything the runs left behind, before another notebook is put in it.
 *
 * @example
 * session.restart(); // the frame (its process) and the engine are gone; fresh ones start
 * session.setNotebook(next);
 */
export interface SandboxedSession extends NotebookSession {
  restart(): void;
  /** Stop: ends every run at once (the frame goes) and runs nothing until the next run; returns the stopped ids. */
  stop(): string[];
}

/** Makes the sandboxed session of a notebook (the frame and its container are the factory's business). */
export type SandboxSessionFactory = (host: SandboxSessionHost) => Promise<SandboxedSession>;
