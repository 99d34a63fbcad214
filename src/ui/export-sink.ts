/**
 * The workbench's export sink: every `seg.export` file becomes a browser download.
 */
import type { ExportSink } from "../seg/export.ts";

/**
 * A sink that offers each file as a download (a Blob behind a clicked `<a download>`). Returns
 * `"download:<name>"`, since the browser, not the page, decides where the file ends up.
 * @example
 * const sink = browserDownloadSink(); await sink.write("segments.csv", bytes, "text/csv")
 */
export function browserDownloadSink(doc: Document = document): ExportSink {
  return {
    async write(fileName, bytes, mimeType) {
      const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType });
      const url = URL.createObjectURL(blob);
      const link = doc.createElement("a");
      link.href = url;
      link.download = fileName;
      link.style.display = "none";
      doc.body.append(link);
      link.click();
      link.remove();
      // Revoking at once can cancel the download in some browsers; give it a moment.
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
      return `download:${fileName}`;
    },
  };
}
