/**
 * What this browser keeps between visits, in IndexedDB (idb-keyval, one database of its own):
 * the last autosave of every notebook, the recent-notebooks list, the file handles notebooks were
 * saved to, and the content hashes of notebooks the user trusted (signed, see isTrustedHash).
 */
import { createStore, del, get, set, update, type UseStore } from "idb-keyval";

/** A cell's text in its editor that was never run (committed): kept so recovery shows it as edited. */
export interface DraftEntry {
  /** The cell's position in the committed notebook. */
  index: number;
  /** The cell's kind, checked on restore so a draft never lands in another cell. */
  kind: string;
  source: string;
}

/**
 * One autosaved version of a notebook: what one tab showed. Every tab writes its own version (its
 * slot), so two tabs on one notebook, or an edit made before answering "Restore?", never overwrite
 * another version.
 */
export interface AutosaveEntry {
  /** The notebook's identity (see identityKey). */
  key: string;
  /** The slot: one per tab session (see Persistence); a restored version keeps its slot. */
  id: string;
  /** The notebook as on screen: committed cells with every editor's text (what Save writes). */
  text: string;
  /** The committed notebook (what ran) when it differs from `text`; with {@link drafts} it restores the screen. */
  committed?: string;
  /** Editor texts that differ from the committed cells (never run). */
  drafts?: DraftEntry[];
  /** How many cells the committed notebook has: drafts are restored only onto the same cells. */
  cellCount?: number;
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
/**
 * The signed trusted list. The unsigned list earlier versions kept under "trusted" is not read: a
 * bare hash anyone could append there proves nothing (texts trusted before ask once more).
 */
const SIGNED_TRUSTED_KEY = "trusted-signed";
const TRUST_KEY_KEY = "trust-key";
/** Enough for a working set; the oldest drop off. */
const RECENT_LIMIT = 12;
const TRUSTED_LIMIT = 2000;

let defaultStore: UseStore | undefined;
/** Opened on first use, so a page that never saves never creates the database. */
function store(): UseStore {
  return (defaultStore ??= createStore("segbook", "persistence"));
}

/** Versions kept per notebook; beyond it the oldest are dropped (a working set, not an archive). */
const VERSION_LIMIT = 12;

/** Reads a stored record: a list of versions, or one entry as written before versions existed. */
function versionsOf(key: string, value: unknown): AutosaveEntry[] {
  if (Array.isArray(value)) return value as AutosaveEntry[];
  if (value && typeof value === "object" && "text" in value)
    return [{ ...(value as AutosaveEntry), key, id: "earlier" }];
  return [];
}

/**
 * Every autosaved version of the notebook, newest first.
 *
 * @example
 * const versions = await readAutosaves("url:https://example.com/notebooks/welcome.md");
 * const unsaved = versions.filter((v) => !v.saved);
 */
export async function readAutosaves(key: string): Promise<AutosaveEntry[]> {
  const versions = versionsOf(key, await get(`autosave:${key}`, store()));
  return versions.sort((a, b) => b.time - a.time);
}

/** The notebook's newest autosave, if any. */
export async function readAutosave(key: string): Promise<AutosaveEntry | undefined> {
  return (await readAutosaves(key))[0];
}

/**
 * Writes one version (replacing the older write of the same slot, never another slot's) in one
 * transaction, so tabs writing at once cannot lose each other's versions. Rejects with the
 * browser's error, e.g. QuotaExceededError.
 *
 * @example
 * await writeAutosave({ key, id: slot, text, time: Date.now(), saved: false });
 */
export function writeAutosave(entry: AutosaveEntry): Promise<void> {
  return update(
    `autosave:${entry.key}`,
    (old) =>
      [entry, ...versionsOf(entry.key, old).filter((v) => v.id !== entry.id)]
        .sort((a, b) => b.time - a.time)
        .slice(0, VERSION_LIMIT),
    store(),
  );
}

/**
 * Forgets versions of the notebook: those with the given slot ids, or every one without `ids`.
 *
 * @example
 * await deleteAutosaves(key, ["3f2a…"]); // the user discarded that version
 */
export function deleteAutosaves(key: string, ids?: readonly string[]): Promise<void> {
  if (!ids) return del(`autosave:${key}`, store());
  return update(`autosave:${key}`, (old) => versionsOf(key, old).filter((v) => !ids.includes(v.id)), store());
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

/**
 * The key that signs the trusted list: an HMAC key made in this browser, kept in IndexedDB as a
 * non-extractable CryptoKey (its bytes can never be read out, only used). A trusted-list entry that
 * was written without it (a bare hash put into storage) does not verify and grants nothing.
 *
 * What this does not stop, said plainly: code running in this page — a notebook's cells, until they
 * run in a sandboxed iframe — can read the CryptoKey object from IndexedDB and sign with it, so it can
 * still forge an entry. The signature stops writes by anything that cannot run code with the key
 * here (a copied or synced profile store, a storage editor, the old unsigned list), and it makes a
 * forgery a deliberate act of the running notebook instead of a one-line write.
 */
async function trustKey(): Promise<CryptoKey> {
  const existing = await get<unknown>(TRUST_KEY_KEY, store());
  if (existing instanceof CryptoKey) return existing;
  const made = await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  // Two tabs may make one at once: the first written wins, and both use that one.
  let kept: CryptoKey = made;
  await update<unknown>(TRUST_KEY_KEY, (old) => (old instanceof CryptoKey ? (kept = old) : made), store());
  return kept;
}

/** What is signed for a trusted text: a label (a signature for nothing else can be reused) and its hash. */
function trustMessage(hash: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`segbook trusted notebook text sha256:${hash}`);
}

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function unhex(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^(?:[0-9a-f]{2})+$/.test(text)) return undefined;
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** One line of the trusted list: a text's content hash and this browser's signature of it. */
interface TrustedEntry {
  hash: string;
  mac: string;
}

/**
 * Whether the notebook text with this content hash was trusted here before, by the user: its entry
 * must carry a valid signature (see {@link trustKey}); an entry without one counts as not trusted.
 *
 * @example
 * if (await isTrustedHash(await contentHash(text))) nb.trust();
 */
export async function isTrustedHash(hash: string): Promise<boolean> {
  const list = (await get<unknown>(SIGNED_TRUSTED_KEY, store())) ?? [];
  if (!Array.isArray(list)) return false;
  const entry = (list as Partial<TrustedEntry>[]).find((e) => e && e.hash === hash);
  const mac = typeof entry?.mac === "string" ? unhex(entry.mac) : undefined;
  if (!mac) return false;
  return crypto.subtle.verify("HMAC", await trustKey(), mac, trustMessage(hash));
}

/**
 * Remembers that the notebook text with this hash may run without asking: call it only from the
 * user's own action (Run on the trust banner, their edits of a notebook they run, a notebook they made).
 *
 * @example
 * await rememberTrustedHash(await contentHash(text)); // the user clicked Run
 */
export async function rememberTrustedHash(hash: string): Promise<void> {
  const mac = hex(await crypto.subtle.sign("HMAC", await trustKey(), trustMessage(hash)));
  await update<unknown>(
    SIGNED_TRUSTED_KEY,
    (old) =>
      [{ hash, mac }, ...(Array.isArray(old) ? (old as TrustedEntry[]) : []).filter((e) => e?.hash !== hash)].slice(
        0,
        TRUSTED_LIMIT,
      ),
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
