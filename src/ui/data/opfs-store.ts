/**
 * Added data files kept in the Origin Private File System, so a page reload does not mean adding
 * them again. Files are stored by their sha256 (which the notebook's front matter records), so a
 * stored file is found from the notebook alone and can never be the wrong content. Every call
 * fails soft: without OPFS (old browsers, some private modes) data simply is not kept.
 */

const DIRECTORY = "segbook-data";

/**
 * What is kept beside the file: its name. How it is read (delimiter, header, sheet) is the
 * notebook's front matter, not the browser's; older entries may still hold `csv`/`sheet`, ignored.
 */
export interface StoredOptions {
  fileName: string;
}

async function directory(): Promise<FileSystemDirectoryHandle | undefined> {
  try {
    const root = await navigator.storage?.getDirectory?.();
    return root ? await root.getDirectoryHandle(DIRECTORY, { create: true }) : undefined;
  } catch {
    return undefined;
  }
}

async function writeBlob(dir: FileSystemDirectoryHandle, name: string, blob: Blob): Promise<void> {
  const handle = await dir.getFileHandle(name, { create: true });
  const writable = await handle.createWritable();
  // Writing a Blob streams it: the file is not read into memory whole.
  await writable.write(blob);
  await writable.close();
}

/** Stores `blob` under its sha256 (skipped when already there). Returns whether it is stored. */
export async function storeFile(sha256: string, blob: Blob, options: StoredOptions): Promise<boolean> {
  const dir = await directory();
  if (!dir) return false;
  try {
    const existing = await dir
      .getFileHandle(sha256)
      .then((h) => h.getFile())
      .catch(() => undefined);
    if (existing?.size !== blob.size) await writeBlob(dir, sha256, blob);
    await writeBlob(dir, `${sha256}.json`, new Blob([JSON.stringify(options)], { type: "application/json" }));
    return true;
  } catch {
    return false;
  }
}

/** The stored file with this sha256 and its options, or undefined. */
export async function readStored(sha256: string): Promise<{ file: File; options: StoredOptions } | undefined> {
  const dir = await directory();
  if (!dir) return undefined;
  try {
    const file = await (await dir.getFileHandle(sha256.toLowerCase())).getFile();
    let options: StoredOptions = { fileName: file.name };
    try {
      const text = await (await (await dir.getFileHandle(`${sha256.toLowerCase()}.json`)).getFile()).text();
      options = JSON.parse(text) as StoredOptions;
    } catch {
      // No options file: defaults.
    }
    return { file, options };
  } catch {
    return undefined;
  }
}
