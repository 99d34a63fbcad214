/**
 * `?sandbox=1`: the app's notebook runs its cells in the sandbox frame (docs/sandbox.md, stage 3b),
 * not in the page. The frame shows the outputs in notebook order below the app's cells (the editors
 * stay in the app's cells until stage 5 lays them over the frame's slots); what cells export is
 * offered below it. The frame is reachable from the console and the browser tests as
 * `segbookSandbox`, whose `open(text)` puts a notebook text in the app (as File → Open does).
 */
import type { SandboxSessionHost } from "../notebook-session.ts";
import type { FrameCellStatus } from "./protocol.ts";
import { FrameSession } from "./frame-session.ts";
import { sandboxDownloads } from "./sandbox-downloads.ts";
import { sandboxLostNotice } from "./sandbox-lost.ts";
import { sandboxOffers } from "./sandbox-offers.ts";
import { followTheme } from "./sandbox-theme.svelte.ts";
import type { SandboxFrame, SandboxRun } from "./sandbox-frame.ts";

/** What the opt-in needs of the app's notebook (NotebookState). */
export interface SandboxedNotebook {
  readonly cells: readonly { id: string; kind: string }[];
  state(id: string): { status: string; error?: { message: string } } | undefined;
  replace(text: string, url: string, trusted: boolean): void;
  settled(): Promise<void>;
}

/** The console's and the tests' handle on the sandbox (`window.segbookSandbox`). */
export interface SandboxHandle {
  readonly element: HTMLIFrameElement;
  ready(): Promise<void>;
  run(source: string): SandboxRun;
  evaluate(source: string): Promise<unknown>;
  ping(): Promise<void>;
  /** Stop: the frame (and every run in it) is torn down; the next run starts the notebook afresh. */
  reset(): Promise<void>;
  /**
   * Puts `text` in the app as a trusted notebook (data paths relative to the page), runs it in the
   * frame and resolves with the app's cell statuses once it settled (a lost frame's unfinished cells
   * show they were stopped; it does not reject).
   */
  open(text: string): Promise<FrameCellStatus[]>;
}

/**
 * The sandboxed session of `nb`, in a frame added at the end of `doc`'s body; also sets
 * `window.segbookSandbox`.
 *
 * @example
 * const nb = new NotebookState(url, { sandbox: (host) => Promise.resolve(startSandbox(document, host, nb)) });
 */
export function startSandbox(doc: Document, host: SandboxSessionHost, nb: SandboxedNotebook): FrameSession {
  const container = doc.createElement("section");
  container.className = "segbook-sandbox-host";
  container.setAttribute("aria-label", "Notebook output (sandbox)");
  container.style.cssText = "border-top: 2px dashed currentColor";
  doc.body.append(container);
  // Below the frame: what its cells exported, saved on a click in the app.
  const downloads = doc.createElement("div");
  // Saves and copies the user asked the frame's outputs for, done on a click here.
  const offers = doc.createElement("div");
  container.after(downloads, offers);
  const session = new FrameSession(host, {
    container,
    onFrameEvent: sandboxDownloads(downloads),
    onOffer: sandboxOffers(offers),
    onLost: sandboxLostNotice(container),
    bundle: frameBundle,
    // A notebook that could not be fetched disposes the session: no empty output area is left behind.
    onDispose: () => {
      container.remove();
      downloads.remove();
      offers.remove();
    },
  });
  followTheme(session.frame);
  (doc.defaultView as unknown as { segbookSandbox?: SandboxHandle }).segbookSandbox = sandboxHandle(
    session.frame,
    nb,
    doc.baseURI,
  );
  return session;
}

let bundle: Promise<Blob> | undefined;

/** The frame's bundle, fetched once for every frame of the page (Stop builds a new frame). */
function frameBundle(): Promise<Blob> {
  bundle ??= import("virtual:segbook-sandbox-frame").then((m) => m.default());
  // A failed fetch may succeed when asked again (the next frame).
  bundle.catch(() => (bundle = undefined));
  return bundle;
}

function sandboxHandle(frame: SandboxFrame, nb: SandboxedNotebook, baseURI: string): SandboxHandle {
  return {
    get element() {
      return frame.element;
    },
    ready: () => frame.ready(),
    run: (source) => frame.run(source),
    evaluate: (source) => frame.evaluate(source),
    ping: () => frame.ping(),
    reset: () => frame.reset(),
    open: async (text) => {
      nb.replace(text, baseURI, true);
      await nb.settled();
      return nb.cells.map((cell) => {
        const state = nb.state(cell.id);
        return {
          id: cell.id,
          kind: cell.kind,
          status: state?.status ?? "unknown",
          ...(state?.error && { error: state.error.message }),
        };
      });
    },
  };
}
