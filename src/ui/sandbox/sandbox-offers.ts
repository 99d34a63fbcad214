/**
 * The app's side of saving and copying what the user asked an output in the sandbox frame for (the
 * grid's CSV, Parquet and Copy buttons; frame-offers.ts): the frame cannot download or reach the
 * clipboard, so its offers show here as buttons, and a click in the app (the user's gesture, in the
 * page that may save and copy) does it. Each button works once; a newer offer of the same file
 * replaces the older one.
 */
import { downloadBlob } from "../grid/download-blob.ts";
import type { FrameOffer } from "./protocol.ts";

/**
 * A list of Save/Copy buttons appended to `container`, and the handler that keeps it in step with
 * the frame's offers (pass it as `SandboxFrameOptions.onOffer`; `null` clears the list).
 *
 * @example
 * const onOffer = sandboxOffers(container);
 * onOffer({ type: "copy", text: "a\tb\n1\t2", what: "1 row" }); // a "Copy 1 row" button
 */
export function sandboxOffers(container: HTMLElement): (offer: FrameOffer | null) => void {
  const doc = container.ownerDocument;
  const list = doc.createElement("div");
  list.className = "segbook-sandbox-offers";
  list.setAttribute("role", "group");
  list.setAttribute("aria-label", "Saves and copies asked for in the sandbox");
  // The toolbar's button look (app.css .tool), in a row below the frame.
  list.style.cssText = "display: flex; flex-wrap: wrap; gap: 0.4rem; padding: 0.4rem 1.25rem";
  const status = doc.createElement("span");
  status.setAttribute("role", "status");
  status.style.cssText = "padding: 0 1.25rem; font-size: 0.75rem; color: var(--muted)";
  container.append(list, status);
  const buttons = new Map<string, HTMLButtonElement>();
  const add = (key: string, label: string, act: () => Promise<string>) => {
    buttons.get(key)?.remove();
    const button = doc.createElement("button");
    button.type = "button";
    button.className = "tool";
    button.textContent = label;
    button.addEventListener("click", () => {
      button.remove();
      buttons.delete(key);
      act().then(
        (done) => (status.textContent = done),
        (error: unknown) =>
          (status.textContent = `Could not copy: ${error instanceof Error ? error.message : String(error)}`),
      );
    });
    buttons.set(key, button);
    list.append(button);
  };
  return (offer) => {
    if (!offer) {
      for (const button of buttons.values()) button.remove();
      buttons.clear();
      return;
    }
    if (offer.type === "save") {
      const { name, mimeType, bytes } = offer.file;
      add(`save:${name}`, `Save ${name}`, async () => {
        downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType }), name, doc);
        return `Saved ${name}`;
      });
    } else {
      add("copy", `Copy ${offer.what}`, async () => {
        await doc.defaultView!.navigator.clipboard.writeText(offer.text);
        return `Copied ${offer.what}`;
      });
    }
  };
}
