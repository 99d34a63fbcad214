/**
 * The app's side of `seg.export` in the sandbox: the frame cannot download (no `allow-downloads`,
 * and a download is the user's decision), so it offers the prepared files (protocol.ts `FrameEvent`)
 * and the app lists them as buttons; a click saves the bytes from the app, with the user's gesture.
 */
import { downloadBlob } from "../grid/download-blob.ts";
import type { FrameEvent } from "./protocol.ts";

/**
 * A list of download buttons appended to `container`, and the handler that keeps it in step with
 * the frame's offers (pass it as `SandboxFrameOptions.onFrameEvent`).
 *
 * @example
 * const onFrameEvent = sandboxDownloads(container);
 * onFrameEvent({ type: "download", key: 1, files: [{ name: "a.csv", mimeType: "text/csv", bytes }] });
 * // container now holds a "Download a.csv" button
 */
export function sandboxDownloads(container: HTMLElement): (event: FrameEvent) => void {
  const doc = container.ownerDocument;
  const list = doc.createElement("ul");
  list.className = "segbook-sandbox-downloads";
  list.setAttribute("aria-label", "Exports from the sandbox");
  container.append(list);
  const items = new Map<number, HTMLLIElement>();
  return (event) => {
    if (event.type === "withdraw") {
      items.get(event.key)?.remove();
      items.delete(event.key);
      return;
    }
    const item = doc.createElement("li");
    for (const file of event.files) {
      const button = doc.createElement("button");
      button.type = "button";
      button.textContent = `Download ${file.name}`;
      button.addEventListener("click", () =>
        downloadBlob(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mimeType }), file.name, doc),
      );
      item.append(button);
    }
    items.get(event.key)?.remove();
    items.set(event.key, item);
    list.append(item);
  };
}
