/**
 * Where a `seg.export` result in a cell output gets its Download clicks handled. The page sets the
 * trigger once (the notebook's prepared exports, which refuse withdrawn files); until then, and in
 * any page that never sets one, a click downloads the file's bytes as they are.
 */
import type { ExportResult } from "../../seg/export.ts";
import { downloadBlob } from "../grid/download-blob.ts";
import { exportCard, type DownloadTrigger } from "./export-card.ts";

/**
 * A trigger that downloads in this page: a Blob behind a clicked `<a download>`.
 * @example
 * pageDownloads().download(result.file)
 */
export function pageDownloads(doc: Document = document): DownloadTrigger {
  return {
    download: (file) =>
      downloadBlob(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mimeType }), file.name, doc),
  };
}

let trigger: DownloadTrigger | undefined;

/**
 * Sends every export card's clicks to `next` from now on.
 * @example
 * useDownloadTrigger(notebookState.exports)
 */
export function useDownloadTrigger(next: DownloadTrigger): void {
  trigger = next;
}

/** Renders the export card for `result` at the end of `target`; returns what removes it. */
export function renderExport(target: HTMLElement, result: ExportResult): () => void {
  const { card, release } = exportCard(result, (trigger ??= pageDownloads()), target.ownerDocument);
  target.append(card);
  return () => {
    release();
    card.remove();
  };
}
