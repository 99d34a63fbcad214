/**
 * Saving a Blob as a browser download (a clicked `<a download>`): grid downloads, seg.export files and
 * notebooks saved without the File System Access API all go through here.
 */

/** Offers `blob` as a download called `fileName`. */
export function downloadBlob(blob: Blob, fileName: string, doc: Document = document): void {
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
}

/** A file name from a table name: characters that file systems dislike become `_`. */
export function downloadName(tableName: string | undefined, extension: string): string {
  const base = (tableName ?? "result").replace(/[^\p{L}\p{N}._-]+/gu, "_").replace(/^[._]+/, "") || "result";
  return `${base}.${extension}`;
}
