/**
 * The sandbox frame's document (docs/sandbox.md): a `srcdoc` holding only a Content-Security-Policy
 * that allows no network at all and a small inline boot script. The frame's real code (a classic
 * bundle, see src/ui/build/sandbox-frame-plugin.ts) arrives by postMessage from the app and runs as a
 * `blob:` script of the frame's own (opaque) origin, so the frame never makes a request.
 *
 * A srcdoc document also inherits the page's policy (index.html), and policies only add up: the boot
 * script must pass both, so its hash is in index.html's `script-src` as well (a unit test keeps the
 * two in step).
 */

/** What the frame says when its boot script is listening; the app then sends the bundle. */
export const READY_MESSAGE = "segbook-sandbox-ready";
/** The app's one window message to the frame: the bundle (a Blob), with the control and engine ports. */
export const INIT_MESSAGE = "segbook-sandbox-init";

/**
 * The inline boot script. It accepts exactly one init message, from the parent only, with two ports
 * and the bundle as a Blob; makes a `blob:` URL of it (of the frame's own origin) and runs it as a
 * classic script with the ports at hand (`segbookSandboxPorts`, which
 * the bundle takes and deletes at once). Before any of it, it removes WebRTC from the frame's realm:
 * Chromium does not apply CSP to WebRTC, and STUN packets would leave the machine.
 * Keep it byte-for-byte stable: its hash is in both policies.
 */
export const BOOT_SCRIPT =
  '"use strict";' +
  "for(const n of Object.getOwnPropertyNames(self))if(/^(webkit)?RTC|^RTCPeer/.test(n))try{delete self[n]}catch{}" +
  'addEventListener("message",function boot(e){' +
  `if(e.source!==parent||!e.data||e.data.type!=="${INIT_MESSAGE}"||e.ports.length!==2||!(e.data.bundle instanceof Blob))return;` +
  'removeEventListener("message",boot);' +
  "self.segbookSandboxPorts=e.ports;" +
  'const s=document.createElement("script");' +
  "s.src=URL.createObjectURL(e.data.bundle);" +
  "document.head.append(s)});" +
  `parent.postMessage({type:"${READY_MESSAGE}"},"*");`;

/**
 * The frame's own policy: nothing may be fetched or connected to; scripts only the boot script (by
 * hash), `blob:` scripts the frame makes itself, and `eval` (cells are compiled to functions at run
 * time); workers only from `blob:` (the seg kernel pool); images and media only `data:`/`blob:` (Plot
 * and Inputs make them); inline styles (Plot, Inputs and the grid set them); no forms, no base, no
 * nested frames that load anything.
 *
 * @example
 * frameCsp("sha256-abc=") // "default-src 'none'; script-src 'sha256-abc=' blob: 'unsafe-eval'; …"
 */
export function frameCsp(bootHash: string): string {
  return [
    "default-src 'none'",
    `script-src '${bootHash}' blob: 'unsafe-eval'`,
    "worker-src blob:",
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "media-src data: blob:",
    "font-src data:",
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/** The CSP source of `text`'s SHA-256 (`sha256-<base64>`), as the browser computes it for inline scripts. */
export async function scriptHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  let binary = "";
  for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
  return `sha256-${btoa(binary)}`;
}

/**
 * The frame's whole `srcdoc`: the policy, a blank body the bundle fills, and the boot script.
 *
 * @example
 * iframe.srcdoc = await frameSrcdoc();
 */
export async function frameSrcdoc(): Promise<string> {
  const csp = frameCsp(await scriptHash(BOOT_SCRIPT));
  return (
    `<!doctype html><html><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    `<script>${BOOT_SCRIPT}</script></head><body></body></html>`
  );
}
