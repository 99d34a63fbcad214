/**
 * The messages between the app and its sandbox frame (docs/sandbox.md, "Message protocol"). Plain,
 * structured-clone data only: no functions, no DOM. Every request carries an `id` its reply repeats.
 */
import type { RemoteColumn, RemoteFailure, RemoteProgress } from "../../engine/remote/remote-engine.ts";
import type { TableHandle } from "../../engine/table-handle-types.ts";
import type { Cell, Notebook } from "../../notebook/model.ts";
import type { CellError, CellState } from "../../runtime/cell-state.ts";
import type { ResolvedData } from "../../runtime/data-resolution.ts";
import type { Session } from "../../runtime/session.ts";
import type { TableLabel } from "../../runtime/table-labels.ts";

/** App → frame, on the control port. */
export type ControlRequest =
  /** Runs `source` as the body of an async function in the frame (for tests and the console). */
  | { id: number; type: "evaluate"; source: string }
  /** Answers at once: the frame's thread is free. */
  | { id: number; type: "ping" }
  /**
   * Runs a notebook's text in the frame (stage 3, no data sources yet) and renders its outputs there;
   * the result is each cell's id, kind and status once all settled.
   */
  | { id: number; type: "open"; source: string }
  /** Resolves (`result`) once the driven notebook's session has nothing scheduled or running. */
  | { id: number; type: "settled" };

/**
 * App → frame, unasked: the app's notebook (NotebookState) drives the frame's `Session` (stage 3b).
 * Each is the `Session` call of the same name; the notebook and cells are the app's own copy.
 */
export type SessionCommand =
  /**
   * `location`: where the notebook came from, for `seg.export` manifests (never a share link's text).
   * `run: false` (after Stop): load without running; the next call says what runs.
   */
  | { type: "session"; call: "setNotebook"; notebook: Notebook; location: string | null; run?: boolean }
  | { type: "session"; call: "setCells"; cells: readonly Cell[] }
  | { type: "session"; call: "runCells"; ids: readonly string[] }
  | { type: "session"; call: "runAll" }
  | { type: "session"; call: "stopWaiting" };

/**
 * A node's run state as the app is told it (stage 3d): everything of `CellState` but what the run
 * made. `value` is only kept for a data source's table handle (name, rows, columns: the data panel
 * shows them), and an error keeps its message and place but not the thrown value.
 */
export type FrameCellState = Omit<CellState, "value" | "displays" | "error" | "hasValue"> & {
  value?: Pick<TableHandle, "kind" | "name" | "numRows" | "columns">;
  error?: Omit<CellError, "cause">;
};

/** Which nodes a node reads and which read it (`Session.links`). */
export type FrameLinks = NonNullable<ReturnType<Session["links"]>>;

/**
 * Frame → app, unasked, while the app's notebook runs in the frame: the session's graph (sent before
 * the states of the same change, so the app's dependency view and rename checks read the new one),
 * then each node's new state (`null`: the node is gone). Never DOM, never a value of a cell.
 */
export type SessionEvent =
  | {
      type: "graph";
      links: Record<string, FrameLinks>;
      tableLabels: [string, TableLabel][];
      builtins: string[];
    }
  | { type: "cell"; cellId: string; state: FrameCellState | null };

/** Light or dark: the page's theme on screen, which the frame shows too. */
export type FrameTheme = "light" | "dark";

/**
 * App → frame, on the control port, without an id or a reply (stage 4 of docs/sandbox.md): the
 * page's theme, sent once the frame booted and again whenever it changes.
 */
export type ControlNotice = { type: "theme"; theme: FrameTheme };

/** One cell's outcome in the frame, as the app is told it (never DOM). */
export interface FrameCellStatus {
  id: string;
  kind: string;
  status: string;
  error?: string;
}

/** A file a cell prepared with `seg.export`, offered to the app (the frame itself cannot download). */
export interface FrameFile {
  name: string;
  mimeType: string;
  bytes: Uint8Array;
}

/**
 * Frame → app, unasked: `seg.export` prepared files (`key` is unique in the frame), or withdrew them
 * because the cell that made them re-ran or went. The app saves them only on the user's click.
 */
export type FrameEvent =
  { type: "download"; key: number; cellId?: string; files: FrameFile[] } | { type: "withdraw"; key: number };

/**
 * Frame → app, unasked: the user clicked an output's save or copy in the frame (the grid's CSV,
 * Parquet, Copy). The frame can do neither (no `allow-downloads`; the clipboard refuses an opaque
 * frame), so the app offers it and saves or copies only on the user's click in the app.
 */
export type FrameOffer = { type: "save"; file: FrameFile } | { type: "copy"; text: string; what: string };

/** Frame → app, on the control port. */
export type ControlReply =
  | FrameEvent
  | SessionEvent
  | FrameOffer
  /**
   * Sent once after "booted", with a port to a worker of the frame that echoes what the app sends:
   * it answers while the frame's own thread is busy (a spin), and stops answering only when the
   * frame's process is gone (a crash, a cell exhausting the heap). See sandbox-heartbeat.ts.
   */
  | { type: "heartbeat" }
  /** Sent once when the bundle has taken over the ports. */
  | { type: "booted" }
  /** The request began to run (sent in a task of its own, so a spin after it cannot hold it back). */
  | { id: number; type: "started" }
  | { id: number; type: "pong" }
  | { id: number; type: "result"; value: unknown }
  | { id: number; type: "error"; name: string; message: string };

/**
 * The engine methods the frame may call through the engine port. `loadData` (table name, load options)
 * loads the front matter's data source of that name: the app picks the file, never the frame.
 * `remoteQuery` (connection name, SQL, parameters by name, row cap) runs a remote cell's query on the
 * app's connection of that name (its front matter's spec, its credentials); `cancelRemote` (the id of
 * a `remoteQuery`) cancels one.
 */
export type EngineMethod =
  | "query"
  | "exec"
  | "describe"
  | "version"
  | "insertArrow"
  | "loadData"
  | "resolveData"
  | "remoteQuery"
  | "cancelRemote";

/**
 * What the app's resolver said about a data source (`resolveData`, before its `loadData`): its load
 * options, the original file's sha256 for a converted file, what a changed file does, notes. The
 * file itself stays in the app.
 */
export type FrameResolution = Omit<ResolvedData, "source">;

/** Frame → app, on the engine port. */
export interface EngineRequest {
  id: number;
  method: EngineMethod;
  args: unknown[];
}

/**
 * What a `remoteQuery` answers: the rows as Arrow IPC (stream format) bytes, typed as
 * `remoteResultToArrow` types them, with the remote column types and the server's query id. No
 * credential, URL or header of the connection.
 */
export interface RemoteQueryValue {
  bytes: Uint8Array;
  columns: RemoteColumn[];
  queryId: string;
}

/**
 * App → frame, on the engine port: a query's result is Arrow IPC (stream format) bytes. A failed
 * remote query keeps its `failure` (the RemoteError's kind), so the frame's runtime words it as the
 * page's does; `progress` is sent while a `remoteQuery` runs, before its reply.
 */
export type EngineReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; name: string; message: string; failure?: RemoteFailure }
  | { id: number; progress: RemoteProgress };
