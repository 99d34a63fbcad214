/**
 * The workbench's export sink: every `seg.export` file becomes a browser download.
 */
import type { ExportSink } from "../seg/export.ts";
import { downloadBlob } from "./grid/download-blob.ts";

/**
 * A sink that offers each file as a download (a Blob behind a clicked `<a download>`). Returns
 * `"download:<name>"`, since the browser, not the page, decides where the file ends up.
 * @example
 * const sink = browserDownloadSink(); await sink.write("segments.csv", bytes, "text/csv")
 */
export function browserDownloadSink(doc: Document = document): ExportSink {
  return {
    async write(fileName, bytes, mimeType) {
      downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType }), fileName, doc);
      return `download:${fileName}`;
    },
  };
}
