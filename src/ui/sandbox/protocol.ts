/**
 * The messages between the app and its sandbox frame (docs/sandbox.md, "Message protocol"). Plain,
 * structured-clone data only: no functions, no DOM. Every request carries an `id` its reply repeats.
 */

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
  | { id: number; type: "open"; source: string };

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
 */
export type EngineMethod = "query" | "exec" | "describe" | "version" | "insertArrow" | "loadData";

/** Frame → app, on the engine port. */
export interface EngineRequest {
  id: number;
  method: EngineMethod;
  args: unknown[];
}

/** App → frame, on the engine port: a query's result is Arrow IPC (stream format) bytes. */
export type EngineReply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; name: string; message: string };
