/**
 * What this browser keeps between visits, in IndexedDB (idb-keyval, one database of its own):
 * the last autosave of every notebook, the recent-notebooks list, the file handles notebooks were
 * saved to, and the content hashes of notebooks the user trusted.
 */
import { createStore, del, get, set, update, type UseStore } from "idb-keyval";

/** The last autosaved text of one notebook. */
export interface AutosaveEntry {
  /** The notebook's identity (see identityKey). */
  key: string;
  text: string;
  /** When it was written (ms since the epoch). */
  time: number;
  /** True once this exact text was saved to a file (nothing left to recover). */
  saved: boolean;
}

/** One line of the recent-notebooks list. */
export interface RecentEntry {
  key: string;
  /** Title (or file name) to show. */
  name: string;
  /** How it was opened: "url" entries re-open from their address, the others from their autosave. */
  kind: "url" | "share" | "file" | "new";
  /** The address (url) or file name; shown as a hint. */
  source: string;
  /** Where its data paths resolve (the notebook's address, or where a file was taken to sit). */
  url: string;
  time: number;
}

const RECENT_KEY = "recent";
const TRUSTED_KEY = "trusted";
/** Enough for a working set; the oldest drop off. */
const RECENT_LIMIT = 12;
const TRUSTED_LIMIT = 2000;

let defaultStore: UseStore | undefined;
/** Opened on first use, so a page that never saves never creates the database. */
function store(): UseStore {
  return (defaultStore ??= createStore("segbook", "persistence"));
}

/** The notebook's last autosave, if any. */
export function readAutosave(key: string): Promise<AutosaveEntry | undefined> {
  return get<AutosaveEntry>(`autosave:${key}`, store());
}

/** Writes the notebook's autosave (rejects with the browser's error, e.g. QuotaExceededError). */
export function writeAutosave(entry: AutosaveEntry): Promise<void> {
  return set(`autosave:${entry.key}`, entry, store());
}

/** Forgets the notebook's autosave (the user discarded it). */
export function deleteAutosave(key: string): Promise<void> {
  return del(`autosave:${key}`, store());
}

/** The recent notebooks, newest first. */
export async function readRecent(): Promise<RecentEntry[]> {
  return (await get<RecentEntry[]>(RECENT_KEY, store())) ?? [];
}

/** Puts `entry` at the top of the recent list (replacing its older line); returns the new list. */
export async function touchRecent(entry: RecentEntry): Promise<RecentEntry[]> {
  let list: RecentEntry[] = [];
  await update<RecentEntry[]>(
    RECENT_KEY,
    (old) => (list = [entry, ...(old ?? []).filter((e) => e.key !== entry.key)].slice(0, RECENT_LIMIT)),
    store(),
  );
  return list;
}

/** Whether a notebook with this content hash was trusted here before. */
export async function isTrustedHash(hash: string): Promise<boolean> {
  return ((await get<string[]>(TRUSTED_KEY, store())) ?? []).includes(hash);
}

/** Remembers that the notebook text with this hash may run without asking. */
export function rememberTrustedHash(hash: string): Promise<void> {
  return update<string[]>(
    TRUSTED_KEY,
    (old) => [hash, ...(old ?? []).filter((h) => h !== hash)].slice(0, TRUSTED_LIMIT),
    store(),
  );
}

/** The file handle a notebook was last saved to or opened from (File System Access only). */
export function readFileHandle(key: string): Promise<FileSystemFileHandle | undefined> {
  return get<FileSystemFileHandle>(`handle:${key}`, store());
}

/** Remembers the file a notebook lives in, so Save after a reload still writes back to it. */
export function writeFileHandle(key: string, handle: FileSystemFileHandle): Promise<void> {
  return set(`handle:${key}`, handle, store());
}

/** A storage error as a sentence that says what still works. */
export function storageErrorMessage(error: unknown): string {
  const name = error instanceof DOMException ? error.name : "";
  const reason =
    name === "QuotaExceededError"
      ? "the browser's storage for this site is full"
      : error instanceof Error
        ? error.message
        : String(error);
  return `Autosave failed: ${reason}. Your notebook is still open here; use Save or Download to keep it.`;
}
