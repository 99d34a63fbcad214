/**
 * The frame's side of saving and copying (stage 4 of docs/sandbox.md): the frame has no
 * `allow-downloads` and its opaque origin gets no clipboard, so what the user asks an output to save
 * or copy (the grid's CSV, Parquet and Copy; an export card's Download) goes to the app as a
 * {@link FrameOffer}, and the app saves or copies it on the user's click there (sandbox-offers.ts).
 */
import { useGridSaver, type GridSaver } from "../grid/grid-save.ts";
import { useDownloadTrigger } from "../render/export-output.ts";
import type { FrameOffer } from "./protocol.ts";

/**
 * A grid saver that offers to the app instead of saving. The bytes are transferred (the grid made
 * them for this click only).
 *
 * @example
 * useGridSaver(frameGridSaver((offer, transfer) => control.postMessage(offer, transfer)));
 */
export function frameGridSaver(send: (offer: FrameOffer, transfer: Transferable[]) => void): GridSaver {
  return {
    download: async (blob, name) => {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      send({ type: "save", file: { name, mimeType: blob.type, bytes } }, [bytes.buffer]);
      return `${name} is ready: save it with the Save button below the notebook`;
    },
    copy: async (text, what) => {
      send({ type: "copy", text, what }, []);
      return `${what} ready: copy them with the Copy button below the notebook`;
    },
  };
}

/**
 * Sends every grid's saves and copies, and every export card's downloads, in this frame to the app
 * through `send`.
 *
 * @example
 * offerThroughApp((offer, transfer) => control.postMessage(offer, transfer));
 */
export function offerThroughApp(send: (offer: FrameOffer, transfer: Transferable[]) => void): void {
  useGridSaver(frameGridSaver(send));
  useDownloadTrigger({
    // A copy: the card keeps its own bytes for the next click.
    download: ({ name, mimeType, bytes }) => send({ type: "save", file: { name, mimeType, bytes: bytes.slice() } }, []),
  });
}
