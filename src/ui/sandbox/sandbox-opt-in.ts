/**
 * `?sandbox=1`: the experimental cell sandbox beside the normal app (docs/sandbox.md, stage 2). The
 * app itself is unchanged; this adds the sandbox frame at the end of the page, with its own locked
 * DuckDB behind the engine port, and makes it reachable from the console and the browser tests as
 * `segbookSandbox`. Stage 3 replaces this with the notebook's own runtime running in the frame.
 */
import { startBrowserEngine } from "../runtime-loader.ts";
import { SandboxFrame } from "./sandbox-frame.ts";
import { sandboxDownloads } from "./sandbox-downloads.ts";
import { sandboxLostNotice } from "./sandbox-lost.ts";
import { sandboxOffers } from "./sandbox-offers.ts";
import { followTheme } from "./sandbox-theme.svelte.ts";

/**
 * Adds the sandbox frame to `doc`'s body and returns it (also as `window.segbookSandbox`).
 *
 * @example
 * if (new URLSearchParams(location.search).get("sandbox") === "1") startSandbox(document);
 */
export function startSandbox(doc: Document = document): SandboxFrame {
  const container = doc.createElement("section");
  container.className = "segbook-sandbox-host";
  container.setAttribute("aria-label", "Sandbox (experimental)");
  // Big enough to see a notebook's outputs in it; the frame is sized to the notebook in stage 4.
  container.style.cssText = "border-top: 2px dashed currentColor";
  doc.body.append(container);
  let engine: ReturnType<typeof startBrowserEngine> | undefined;
  // Below the frame: what its cells exported, saved on a click in the app.
  const downloads = doc.createElement("div");
  // Saves and copies the user asked the frame's outputs for, done on a click here.
  const offers = doc.createElement("div");
  const sandbox = new SandboxFrame({
    container,
    onFrameEvent: sandboxDownloads(downloads),
    onOffer: sandboxOffers(offers),
    onLost: sandboxLostNotice(container),
    bundle: () => import("virtual:segbook-sandbox-frame").then((m) => m.default),
    // Its own DuckDB, a fresh one per frame (each open and Stop), so no table or registered file of
    // the notebook before is there, and each is locked once; serving the notebook's is stage 3b.
    engine: () => {
      void engine?.then((previous) => previous.close()).catch(() => {});
      return (engine = startBrowserEngine());
    },
  });
  container.after(downloads, offers);
  followTheme(sandbox);
  (doc.defaultView as unknown as { segbookSandbox?: SandboxFrame }).segbookSandbox = sandbox;
  return sandbox;
}
