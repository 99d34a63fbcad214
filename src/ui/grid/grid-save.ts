/**
 * Where the data grid's Copy and CSV/Parquet buttons put what they made. In the page: a download and
 * the clipboard, at once. In the cell sandbox frame neither works (no `allow-downloads`; the
 * clipboard refuses an opaque origin), so the frame's bundle sets a saver that hands both to the app,
 * which saves or copies on the user's click there (src/ui/sandbox/frame-offers.ts). One saver per
 * realm, as export-output.ts's trigger: the page and the frame are separate realms with separate
 * copies of this module.
 */
import { downloadBlob } from "./download-blob.ts";

/** Saves or copies what a grid made; each resolves with the line the grid's bar shows. */
export interface GridSaver {
  /** Saves `blob` as the file `name`. */
  download(blob: Blob, name: string): Promise<string>;
  /** Puts `text` on the clipboard; `what` says what it is ("5 rows"). */
  copy(text: string, what: string): Promise<string>;
}

/**
 * The page's saver: a download and the clipboard, right away (the user's click is in this page).
 *
 * @example
 * await pageGridSaver(document).download(blob, "rfm.csv"); // "Downloaded rfm.csv"
 */
export function pageGridSaver(doc: Document = document): GridSaver {
  return {
    download: async (blob, name) => {
      downloadBlob(blob, name, doc);
      return `Downloaded ${name}`;
    },
    copy: async (text, what) => {
      await navigator.clipboard.writeText(text);
      return `Copied ${what}`;
    },
  };
}

let current: GridSaver | undefined;

/**
 * Sends every grid's saves and copies to `saver` from now on.
 *
 * @example
 * useGridSaver(frameGridSaver(send)); // in the sandbox frame
 */
export function useGridSaver(saver: GridSaver): void {
  current = saver;
}

/**
 * The saver grids use: the one set by {@link useGridSaver}, or the page's.
 *
 * @example
 * status = await gridSaver().download(blob, name);
 */
export function gridSaver(): GridSaver {
  return (current ??= pageGridSaver());
}
