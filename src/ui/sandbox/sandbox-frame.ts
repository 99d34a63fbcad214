/**
 * The cell sandbox (docs/sandbox.md): one `<iframe sandbox="allow-scripts">` without
 * `allow-same-origin`, so its origin is opaque (no IndexedDB, OPFS, storage, no access to the app's
 * window) and Chromium runs it in a process of its own; its policy allows no network at all
 * (frame-document.ts). The app passes the frame's bundle in, then talks to it over two
 * MessagePorts: control (requests with ids, protocol.ts) and engine (engine-port.ts).
 *
 * `reset()` is Stop: it removes the frame, which ends its process with everything running in it
 * (a `while (true) {}` included), rejects what was pending, and builds a fresh frame. All sandboxed
 * frames of a site share one process in a tab, so there is only ever one frame, and the old one is
 * gone before the new one is made.
 */
import type { Engine } from "../../engine/engine.ts";
import type { DataResolution } from "../../runtime/data-resolution.ts";
import type { DataSource } from "../../notebook/model.ts";
import { parse } from "../../notebook/parse.ts";
import { serveEngine, type SandboxRemote } from "./engine-port.ts";
import { INIT_MESSAGE, READY_MESSAGE, frameSrcdoc } from "./frame-document.ts";
import type {
  ControlNotice,
  ControlReply,
  ControlRequest,
  FrameCellStatus,
  FrameEvent,
  FrameOffer,
  FrameTheme,
  SessionCommand,
  SessionEvent,
} from "./protocol.ts";
import { HEARTBEAT_TIMING, watchHeartbeat, type HeartbeatTiming } from "./sandbox-heartbeat.ts";
import { SandboxStopped } from "./sandbox-stopped.ts";

export { SandboxStopped };

/**
 * Why a frame was lost: it tried to navigate (the page's `frame-src 'none'` left it on an error
 * page), or its process died (a cell exhausted the heap, the renderer crashed).
 */
export type SandboxLoss = "navigated" | "crashed";

/** Where and with what a {@link SandboxFrame} runs. */
export interface SandboxFrameOptions {
  /** The element the frame is put in. */
  container: HTMLElement;
  /**
   * The frame's classic bundle, as a Blob (asked at each frame's build, before the frame is up, so
   * that its fetch overlaps the frame's process start; the caller keeps the Blob for the next frame).
   */
  bundle: () => Promise<Blob>;
  /**
   * The engine cell code may query: asked once per frame (each reset builds a new frame), at its
   * first engine request, then locked by engine-port.ts.
   */
  engine: () => Promise<Engine>;
  /**
   * The file the app loads for an opened notebook's front matter data source (default: its `path`
   * as a URL relative to the page, as the runtime's own default). Runs in the app, on the app's
   * network and files; the frame only names the table.
   */
  resolveData?: (name: string, source: DataSource) => DataResolution | Promise<DataResolution>;
  /**
   * The front matter data sources the frame may ask for, asked at each request (the app's notebook,
   * which edits change); without it, those of the text last given to {@link SandboxFrame.open}.
   */
  dataSources?: () => Readonly<Record<string, DataSource>>;
  /**
   * The app's remote connections the frame's remote cells query through the engine port (the app's
   * front matter and credentials; the frame sends a connection's name). Without it they are refused.
   */
  remote?: SandboxRemote;
  /** Told the session's graph and node states while the app's notebook runs in the frame (stage 3b/3d). */
  onSessionEvent?: (event: SessionEvent) => void;
  /** Told when a fresh frame replaced a torn-down one (nothing of what ran in the old one is there). */
  onFresh?: () => void;
  /**
   * Told what cells offer for download (`seg.export`) and withdraw; the frame cannot download itself.
   * Everything offered by a frame is withdrawn when it is torn down (a `withdraw` per key).
   */
  onFrameEvent?: (event: FrameEvent) => void;
  /**
   * Told what the user asked an output in the frame to save or copy (the grid's buttons), for the
   * app to do on a click of its own; `null` when the frame that offered them was torn down.
   */
  onOffer?: (offer: FrameOffer | null) => void;
  /**
   * Told when the frame was lost: it left its document (it tried to navigate: the page's
   * `frame-src 'none'` refuses the load and leaves an error page), or its process died (its
   * heartbeat worker fell silent). The frame is rebuilt, empty (nothing is re-run), before this is
   * called; what was pending rejects with {@link SandboxStopped}.
   */
  onLost?: (reason: SandboxLoss) => void;
  /** How the frame's process is watched (default {@link HEARTBEAT_TIMING}). */
  heartbeat?: HeartbeatTiming;
}

/** A request in flight: its reply, and its "started" acknowledgement. */
interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  started: () => void;
}

/** One built frame and its ports; replaced whole by `reset()`. */
interface Generation {
  iframe: HTMLIFrameElement;
  control: MessagePort;
  stopEngine: () => void;
  booted: Promise<void>;
  pending: Map<number, Pending>;
  stopped: boolean;
  /** Rejects `booted` (a frame torn down before it booted). */
  abort: () => void;
  /** Keys of the downloads this frame offers. */
  offers: Set<number>;
  /** Stops the watch on the frame's process (once it sent its heartbeat port). */
  stopHeartbeat: () => void;
}

/** What {@link SandboxFrame.run} gives: when the code began, and its result. */
export interface SandboxRun {
  started: Promise<void>;
  result: Promise<unknown>;
}

/**
 * The app's handle on the sandbox frame.
 *
 * @example
 * const sandbox = new SandboxFrame({ container, bundle: loadBundle, engine: () => engineReady });
 * await sandbox.evaluate("return (await engine.query('SELECT 1 AS x')).numRows"); // 1
 * await sandbox.reset(); // Stop: the old frame's process is gone, a fresh frame is booting
 */
export class SandboxFrame {
  readonly #options: SandboxFrameOptions;
  #generation: Generation;
  #next = 0;
  /** The open notebook's front matter data sources: the only files the frame can have loaded. */
  #data: Readonly<Record<string, DataSource>> = {};
  /** The page's theme, sent to each frame once booted and on every change. */
  #theme: FrameTheme | undefined;

  constructor(options: SandboxFrameOptions) {
    this.#options = options;
    this.#generation = this.#build();
  }

  /** The current frame element (a new one after each reset). */
  get element(): HTMLIFrameElement {
    return this.#generation.iframe;
  }

  /** Resolves when the current frame has run its bundle and listens. */
  ready(): Promise<void> {
    return this.#generation.booted;
  }

  /**
   * Runs `source` as the body of an async function in the frame (with `engine` in scope); `started`
   * resolves when the frame began it, `result` with its (cloned) return value.
   */
  run(source: string): SandboxRun {
    let started!: () => void;
    const startedPromise = new Promise<void>((resolve) => (started = resolve));
    const result = this.#request({ type: "evaluate", source }, started);
    return { started: startedPromise, result };
  }

  /** {@link run}'s result alone. */
  evaluate(source: string): Promise<unknown> {
    return this.run(source).result;
  }

  /**
   * Runs the notebook text `source` in a fresh frame (outputs render there; nothing of the notebook
   * before survives, see {@link reset}) and resolves with each cell's status once all settled. The
   * front matter's data sources are read here in the app, when the frame's runtime asks for them by name.
   */
  async open(source: string): Promise<FrameCellStatus[]> {
    // Parsed in the app: which files may be loaded is decided from the text the app holds.
    this.#data = parse(source).notebook.frontMatter.data;
    await this.reset();
    return (await this.#request({ type: "open", source }, () => {})) as FrameCellStatus[];
  }

  /**
   * Sends a `Session` call to the frame's session (the app's notebook driving it, stage 3b), once the
   * current frame has booted; calls keep their order.
   */
  send(command: SessionCommand): void {
    const generation = this.#generation;
    void generation.booted.then(
      () => {
        if (!generation.stopped) generation.control.postMessage(command);
      },
      () => {},
    );
  }

  /** Resolves once the frame's session has nothing scheduled or running. */
  async settled(): Promise<void> {
    await this.#request({ type: "settled" }, () => {});
  }

  /** Resolves when the frame's thread answers. */
  async ping(): Promise<void> {
    await this.#request({ type: "ping" }, () => {});
  }

  /**
   * Shows the frame's outputs in `theme` (the page's, light or dark): now, and in every frame built
   * after (each reset).
   */
  setTheme(theme: FrameTheme): void {
    this.#theme = theme;
    this.#notify(this.#generation, { type: "theme", theme });
  }

  /** Stop: tears the frame down (ending its process and all it runs) and builds a fresh one. */
  reset(): Promise<void> {
    this.#teardown();
    this.#generation = this.#build();
    this.#options.onFresh?.();
    return this.#generation.booted;
  }

  /** Tears the frame down for good. */
  dispose(): void {
    this.#teardown();
  }

  #request(
    request: ControlRequest extends infer R ? (R extends unknown ? Omit<R, "id"> : never) : never,
    started: () => void,
  ): Promise<unknown> {
    const generation = this.#generation;
    const id = ++this.#next;
    return generation.booted.then(
      () =>
        new Promise<unknown>((resolve, reject) => {
          if (generation.stopped) return reject(new SandboxStopped());
          generation.pending.set(id, { resolve, reject, started });
          generation.control.postMessage({ ...request, id } as ControlRequest);
        }),
    );
  }

  /** Sends `notice` to `generation`'s frame once it booted (dropped if it is torn down first). */
  #notify(generation: Generation, notice: ControlNotice): void {
    void generation.booted.then(
      () => generation.stopped || generation.control.postMessage(notice),
      () => {},
    );
  }

  /** Tears down a lost frame and builds an empty one, then tells the app why. */
  #lost(generation: Generation, reason: SandboxLoss): void {
    if (generation.stopped || generation !== this.#generation) return;
    void this.reset();
    this.#options.onLost?.(reason);
  }

  #dataSource(name: string): DataResolution | Promise<DataResolution> | undefined {
    const data = this.#options.dataSources?.() ?? this.#data;
    const source = Object.hasOwn(data, name) ? data[name] : undefined;
    if (!source) return undefined;
    return this.#options.resolveData
      ? this.#options.resolveData(name, source)
      : { kind: "url", url: new URL(source.path, document.baseURI).href };
  }

  #frameEvent(generation: Generation, event: FrameEvent): void {
    if (generation.stopped) return;
    if (event.type === "download") generation.offers.add(event.key);
    else generation.offers.delete(event.key);
    this.#options.onFrameEvent?.(event);
  }

  /** Watches the frame's process through its heartbeat worker's `port`. */
  #watch(generation: Generation, port: MessagePort | undefined): void {
    if (!port || generation.stopped) return;
    generation.stopHeartbeat();
    generation.stopHeartbeat = watchHeartbeat(port, this.#options.heartbeat ?? HEARTBEAT_TIMING, () =>
      this.#lost(generation, "crashed"),
    );
  }

  #teardown(): void {
    const generation = this.#generation;
    if (generation.stopped) return;
    generation.stopped = true;
    // Removing the element first: that is what ends the frame's process.
    generation.iframe.remove();
    generation.control.onmessage = null;
    generation.control.close();
    generation.stopEngine();
    generation.stopHeartbeat();
    generation.abort();
    for (const waiting of generation.pending.values()) waiting.reject(new SandboxStopped());
    generation.pending.clear();
    // What the old frame offered belongs to a notebook run that is gone.
    for (const key of generation.offers) this.#options.onFrameEvent?.({ type: "withdraw", key });
    generation.offers.clear();
    this.#options.onOffer?.(null);
  }

  #build(): Generation {
    const iframe = document.createElement("iframe");
    // Scripts only: no allow-same-origin (opaque origin), no popups, top navigation, forms, downloads.
    iframe.setAttribute("sandbox", "allow-scripts");
    iframe.title = "Notebook output (sandboxed)";
    iframe.className = "segbook-sandbox";
    iframe.style.cssText = "display: block; width: 100%; height: 70vh; border: 0";
    const control = new MessageChannel();
    const engine = new MessageChannel();
    const pending = new Map<number, Pending>();
    const generation: Generation = {
      iframe,
      control: control.port1,
      stopEngine: serveEngine(
        engine.port1,
        this.#options.engine,
        (name) => this.#dataSource(name),
        this.#options.remote,
      ),
      booted: Promise.resolve(),
      pending,
      stopped: false,
      abort: () => {},
      offers: new Set(),
      stopHeartbeat: () => {},
    };
    const bundle = this.#options.bundle();
    // Until the frame is ready for it, a failure must not surface as an unhandled rejection.
    bundle.catch(() => {});
    generation.booted = new Promise<void>((resolve, reject) => {
      generation.abort = () => reject(new SandboxStopped());
      control.port1.onmessage = (event: MessageEvent<ControlReply>) => {
        const reply = event.data;
        if (reply.type === "booted") return resolve();
        if (reply.type === "download" || reply.type === "withdraw") return this.#frameEvent(generation, reply);
        if (reply.type === "graph" || reply.type === "cell") {
          if (!generation.stopped) this.#options.onSessionEvent?.(reply);
          return;
        }
        if (reply.type === "save" || reply.type === "copy") return this.#options.onOffer?.(reply);
        if (reply.type === "heartbeat") return this.#watch(generation, event.ports[0]);
        const waiting = pending.get(reply.id);
        if (!waiting) return;
        if (reply.type === "started") return waiting.started();
        pending.delete(reply.id);
        if (reply.type === "error") waiting.reject(Object.assign(new Error(reply.message), { name: reply.name }));
        else waiting.resolve(reply.type === "result" ? reply.value : undefined);
      };
      // The frame's origin is opaque ("null"), so its messages are told apart by their source window.
      const onReady = (event: MessageEvent) => {
        if (event.source !== iframe.contentWindow || (event.data as { type?: unknown })?.type !== READY_MESSAGE) return;
        window.removeEventListener("message", onReady);
        bundle.then((script) => {
          if (generation.stopped) return;
          // "*": an opaque origin cannot be named; the bundle is the site's own code, nothing secret.
          // A Blob crosses as a handle: the frame neither copies nor decodes its 2 MB.
          iframe.contentWindow?.postMessage({ type: INIT_MESSAGE, bundle: script }, "*", [control.port2, engine.port2]);
        }, reject);
      };
      window.addEventListener("message", onReady);
      void frameSrcdoc().then((srcdoc) => {
        if (generation.stopped) return window.removeEventListener("message", onReady);
        iframe.srcdoc = srcdoc;
        // The first load is the srcdoc; any later one means the frame navigated away from it.
        let loads = 0;
        iframe.addEventListener("load", () => {
          if (++loads > 1) this.#lost(generation, "navigated");
        });
        this.#options.container.append(iframe);
      }, reject);
    });
    // A frame stopped before it booted must not leave an unhandled rejection behind.
    generation.booted.catch(() => {});
    if (this.#theme) this.#notify(generation, { type: "theme", theme: this.#theme });
    return generation;
  }
}
