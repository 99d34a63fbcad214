/**
 * Notebook files on this computer: the File System Access API where the browser has it (Chromium:
 * pick a file once, then Save writes back to the same file), a file input and a download elsewhere.
 */
import { downloadBlob } from "../grid/download-blob.ts";

/** A notebook file read from disk. */
export interface OpenedFile {
  name: string;
  text: string;
  /** The file itself, for saving back (File System Access only). */
  handle?: FileSystemFileHandle;
}

/** Where a save went. */
export interface SavedFile {
  name: string;
  handle?: FileSystemFileHandle;
  /** True when the file was offered as a download (the browser decides where it ends up). */
  downloaded: boolean;
}

interface PickerType {
  description: string;
  accept: Record<string, string[]>;
}
/** The pickers are not in TypeScript's DOM library yet (Chromium-only). */
interface FilePickers {
  showOpenFilePicker?(options: { types: PickerType[]; multiple?: boolean }): Promise<FileSystemFileHandle[]>;
  showSaveFilePicker?(options: { types: PickerType[]; suggestedName?: string }): Promise<FileSystemFileHandle>;
}
interface PermissionedHandle {
  queryPermission?(options: { mode: "readwrite" }): Promise<PermissionState>;
  requestPermission?(options: { mode: "readwrite" }): Promise<PermissionState>;
}

const MARKDOWN_TYPES: PickerType[] = [
  { description: "Segbook notebook (Markdown)", accept: { "text/markdown": [".md", ".markdown"] } },
];

function pickers(): FilePickers {
  return globalThis as unknown as FilePickers;
}

/** Whether Open and Save can use the File System Access pickers here. */
export function hasFileSystemAccess(): boolean {
  return typeof pickers().showOpenFilePicker === "function" && typeof pickers().showSaveFilePicker === "function";
}

/** True for the error a picker throws when the user closes it: not a failure worth a message. */
export function isPickerCancel(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/** Lets the user pick a `.md` file with the File System Access picker; undefined when cancelled. */
export async function pickNotebookFile(): Promise<OpenedFile | undefined> {
  let handle: FileSystemFileHandle | undefined;
  try {
    [handle] = await pickers().showOpenFilePicker!({ types: MARKDOWN_TYPES });
  } catch (error) {
    if (isPickerCancel(error)) return undefined;
    throw error;
  }
  if (!handle) return undefined;
  const file = await handle.getFile();
  return { name: file.name, text: await file.text(), handle };
}

/** Reads a File chosen with an `<input type=file>` (the fallback) or dropped on the page. */
export async function readNotebookFile(file: File): Promise<OpenedFile> {
  return { name: file.name, text: await file.text() };
}

/**
 * Writes `text` to the file. The text must be complete before this is called (serialize first): the
 * File System Access stream writes to a temporary file that replaces the real one only on close(),
 * so a failure part-way leaves the old file as it was. Without a handle the browser asks where to
 * save (picker) or, without File System Access, downloads the file.
 */
export async function saveNotebookFile(
  text: string,
  name: string,
  handle: FileSystemFileHandle | undefined,
): Promise<SavedFile | undefined> {
  if (!handle && hasFileSystemAccess()) {
    try {
      handle = await pickers().showSaveFilePicker!({ types: MARKDOWN_TYPES, suggestedName: name });
    } catch (error) {
      if (isPickerCancel(error)) return undefined;
      throw error;
    }
  }
  if (!handle) {
    downloadFile(name, text, "text/markdown;charset=utf-8");
    return { name, downloaded: true };
  }
  await ensureWritable(handle);
  const stream = await handle.createWritable();
  try {
    await stream.write(text);
    await stream.close();
  } catch (error) {
    // Drop the temporary file: the real one keeps its old content.
    await stream.abort().catch(() => {});
    throw error;
  }
  return { name: handle.name, handle, downloaded: false };
}

/** A handle remembered from an earlier visit needs the user's permission again before writing. */
async function ensureWritable(handle: FileSystemFileHandle): Promise<void> {
  const h = handle as FileSystemFileHandle & PermissionedHandle;
  if (!h.queryPermission || (await h.queryPermission({ mode: "readwrite" })) === "granted") return;
  if ((await h.requestPermission?.({ mode: "readwrite" })) !== "granted") {
    throw new Error(`permission to write ${handle.name} was not given; use Save as… to pick the file again`);
  }
}

/** Offers `text` as a download named `name` (a Blob behind a clicked `<a download>`). */
export function downloadFile(name: string, text: string, type: string, doc: Document = document): void {
  downloadBlob(new Blob([text], { type }), name, doc);
}

/** A file name for a notebook: its title made safe for file systems, ending in `.md`. */
export function notebookFileName(title: string): string {
  const base = title
    .normalize("NFKD")
    .replace(/[^\w\s.-]/g, "")
    .trim()
    .replace(/\s+/g, "-")
    .toLowerCase()
    .slice(0, 80);
  return `${base || "notebook"}.md`;
}
