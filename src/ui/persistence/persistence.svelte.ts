/**
 * Keeping the open notebook safe and movable: autosave to IndexedDB on every committed change,
 * recovery of unsaved changes after a crash or a closed tab, open and save of `.md` files, share
 * links, the recent-notebooks list, and the trust decision for notebooks from elsewhere.
 *
 * It watches the notebook state (cells and front matter) rather than being called by every edit, so
 * edits, cell operations and data added through the front matter all autosave the same way.
 */
import { serialize } from "../../notebook/index.ts";
import { blankNotebook } from "../../notebook/starter.ts";
import { DEFAULT_NOTEBOOK_URL, newNotebookHref, newNotebookId } from "../notebook-url.ts";
import type { NotebookState } from "../notebook-state.svelte.ts";
import { contentHash } from "./content-hash.ts";
import {
  downloadFile,
  hasFileSystemAccess,
  notebookFileName,
  pickNotebookFile,
  readNotebookFile,
  saveNotebookFile,
  type OpenedFile,
} from "./file-access.ts";
import { identityKey, isTrustedOrigin, originLabel, resolveUrl, type NotebookOrigin } from "./origin.ts";
import { readShareFragment, shareUrl } from "./share-link.ts";
import * as store from "./store.ts";

/** How long edits settle before they are written (a burst of typing is one write). */
const AUTOSAVE_DELAY_MS = 300;

/** Where the autosave of the current notebook is. */
export type AutosavePhase = "idle" | "pending" | "saved" | "failed";

/** What the page should open at start, read from its address. */
export interface StartingNotebook {
  origin: NotebookOrigin;
  /** The notebook text when the address carries it (a share link); else it is fetched from origin.url. */
  text?: string;
  /** Why the address could not be read (a damaged share link): the default notebook opens instead. */
  problem?: string;
}

/**
 * Reads the page address: a share link's fragment (`#nb=`), else `?notebook=` (resolved by `urlOf`).
 */
export function startingNotebook(location: Location, baseURI: string, urlOf: () => string): StartingNotebook {
  const shared = readShareFragment(location.hash);
  if (shared instanceof Error) return { origin: { kind: "url", url: urlOf() }, problem: shared.message };
  if (shared) {
    const url = resolveUrl(shared.from ?? "shared.md", baseURI);
    return { origin: { kind: "share", url }, text: shared.text };
  }
  const id = newNotebookId(location.search);
  if (id !== undefined) return { origin: { kind: "new", id, url: newNotebookUrl(baseURI) }, text: blankNotebook() };
  return { origin: { kind: "url", url: urlOf() } };
}

/** Where a new notebook's relative data paths resolve: beside the shipped notebooks. */
function newNotebookUrl(baseURI: string): string {
  return resolveUrl(DEFAULT_NOTEBOOK_URL.replace(/[^/]*$/, "untitled.md"), baseURI);
}

/** A new notebook's id: unique in this browser, short enough for an address. */
function newId(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Persistence of one page's notebook. */
export class Persistence {
  readonly nb: NotebookState;
  readonly baseURI: string;
  origin = $state.raw<NotebookOrigin>({ kind: "url", url: "" });
  /** The notebook text as it is now (committed edits), undefined until loaded. */
  current = $derived.by(() => {
    const notebook = this.nb.notebook;
    return this.nb.phase === "ready" && notebook ? serialize({ ...notebook, cells: [...this.nb.cells] }) : undefined;
  });
  /** The text last written to (or read from) a file or address: what "unsaved changes" compare with. */
  savedText = $state<string | undefined>(undefined);
  /** True when there are changes not saved to a file. */
  dirty = $derived(this.current !== undefined && this.current !== this.savedText);
  autosave = $state<AutosavePhase>("idle");
  /** When the last autosave was written. */
  autosavedAt = $state<number | undefined>(undefined);
  /** An autosave newer than what was opened, offered for restoring. */
  recovery = $state.raw<store.AutosaveEntry | undefined>(undefined);
  recent = $state.raw<store.RecentEntry[]>([]);
  /** A message for the user: what was saved, or what failed and what to do. */
  message = $state<{ kind: "info" | "error"; text: string } | undefined>(undefined);
  /** The last share link made (shown so it can be copied by hand if the clipboard refuses). */
  shareLink = $state<string | undefined>(undefined);
  #handle: FileSystemFileHandle | undefined;
  /** Text the page was opened or restored with: not an edit, so not autosaved. */
  #baseline: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> = Promise.resolve();
  #stop: (() => void) | undefined;

  /** The notebook's identity for autosave and the recent list. */
  key = $state("");

  constructor(nb: NotebookState, baseURI: string) {
    this.nb = nb;
    this.baseURI = baseURI;
  }

  /** A short label of where the notebook came from. */
  get label(): string {
    return originLabel(this.origin, this.baseURI);
  }

  /**
   * Opens the starting notebook: decides trust before anything runs, loads, then offers recovery
   * and starts autosaving.
   */
  async open(start: StartingNotebook): Promise<void> {
    if (start.problem) this.message = { kind: "error", text: start.problem };
    if (start.origin.kind === "new") start = await this.#startNew(start.origin, start.text!);
    this.origin = start.origin;
    this.nb.url = start.origin.url;
    this.key = identityKey(start.origin, start.text === undefined ? "" : await contentHash(start.text));
    // Decided before load so not a single cell runs early; a remembered hash may lift it below.
    this.nb.trusted = isTrustedOrigin(start.origin, this.baseURI);
    const loading = this.nb.load(start.text);
    if (!this.nb.trusted && start.text !== undefined && (await store.isTrustedHash(await contentHash(start.text)))) {
      this.nb.trust();
    }
    await this.#whenReady();
    if (this.nb.phase === "ready") await this.#afterOpen();
    this.#watch();
    await loading;
  }

  /**
   * A new notebook (`?new=<id>`) is its autosave, or the blank page when there is none yet (File →
   * New). `?new` without an id gets one, so a reload comes back to the same notebook.
   */
  async #startNew(origin: NotebookOrigin & { kind: "new" }, blank: string): Promise<StartingNotebook> {
    let id = origin.id;
    if (!id) {
      id = newId();
      history.replaceState(null, "", newNotebookHref(id));
    }
    const saved = await store.readAutosave(identityKey({ ...origin, id })).catch(() => undefined);
    return { origin: { ...origin, id }, text: saved?.text ?? blank };
  }

  /**
   * File → New, and "New notebook from this file": opens `?new=<id>` with `text` (default: a blank
   * notebook) as its first autosave, so the new page opens it, runs it (the user made it) and keeps
   * every edit under its own key. The notebook open now stays in its autosave and the recent list.
   */
  async newNotebook(text?: string): Promise<void> {
    const id = newId();
    await this.flush();
    if (text !== undefined) {
      try {
        await store.writeAutosave({
          key: identityKey({ kind: "new", id, url: "" }),
          text,
          time: Date.now(),
          saved: false,
        });
      } catch (error) {
        this.message = { kind: "error", text: store.storageErrorMessage(error) };
        return;
      }
    }
    location.assign(newNotebookHref(id));
  }

  /** "New notebook from this file": a starter for data source `name` (see DataPanel.starterFor), opened as new. */
  async newFromData(name: string): Promise<void> {
    let text: string;
    try {
      text = await this.nb.data.starterFor(name, newNotebookUrl(this.baseURI));
    } catch (error) {
      this.message = { kind: "error", text: `Could not write a notebook for ${name}: ${messageOf(error)}` };
      return;
    }
    await this.newNotebook(text);
  }

  async #whenReady(): Promise<void> {
    while (this.nb.phase === "loading") await new Promise((resolve) => setTimeout(resolve, 10));
  }

  async #afterOpen(): Promise<void> {
    const text = this.current!;
    this.#baseline = text;
    this.savedText = text;
    this.recovery = undefined;
    try {
      this.#handle = await store.readFileHandle(this.key);
      const entry = await store.readAutosave(this.key);
      if (entry && !entry.saved && entry.text !== text) this.recovery = entry;
      this.recent = await store.touchRecent({
        key: this.key,
        name: this.nb.title,
        kind: this.origin.kind,
        source: this.label,
        url: this.origin.url,
        time: Date.now(),
      });
    } catch (error) {
      this.message = { kind: "error", text: store.storageErrorMessage(error) };
    }
  }

  /** Autosaves every change of the notebook text; warns before leaving while a write is not done. */
  #watch(): void {
    if (this.#stop) return;
    const stopEffects = $effect.root(() => {
      $effect(() => {
        const text = this.current;
        if (text === undefined) return;
        if (text === this.#baseline) {
          // Opening or restoring is not an edit; the first real change clears the baseline so that
          // changing a cell back to what it was is still written.
          return;
        }
        this.#baseline = undefined;
        this.#schedule();
      });
    });
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (this.autosave === "pending" || this.autosave === "failed") event.preventDefault();
    };
    addEventListener("beforeunload", beforeUnload);
    this.#stop = () => {
      stopEffects();
      removeEventListener("beforeunload", beforeUnload);
    };
  }

  #schedule(): void {
    this.autosave = "pending";
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), AUTOSAVE_DELAY_MS);
  }

  /** Writes the pending autosave now (also what the debounce calls). */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    const text = this.current;
    if (text === undefined) return;
    const key = this.key;
    const saved = text === this.savedText;
    this.#writing = this.#writing.then(async () => {
      try {
        await store.writeAutosave({ key, text, time: Date.now(), saved });
        // Edits the user made to a notebook they trust are theirs: trusted when restored too.
        if (this.nb.trusted) await store.rememberTrustedHash(await contentHash(text));
        if (this.current === text) {
          this.autosave = "saved";
          this.autosavedAt = Date.now();
        }
      } catch (error) {
        this.autosave = "failed";
        this.message = { kind: "error", text: store.storageErrorMessage(error) };
      }
    });
    await this.#writing;
  }

  /** Puts the offered autosave in the page. */
  restore(): void {
    const entry = this.recovery;
    if (!entry) return;
    this.recovery = undefined;
    void this.#replace(entry.text, this.origin, { saved: "keep", key: this.key });
  }

  /** Drops the offered autosave (the opened version stays). */
  async discard(): Promise<void> {
    this.recovery = undefined;
    try {
      await store.deleteAutosave(this.key);
    } catch (error) {
      this.message = { kind: "error", text: store.storageErrorMessage(error) };
    }
  }

  /** Runs the untrusted notebook and remembers its text as trusted. */
  async trust(): Promise<void> {
    this.nb.trust();
    const text = this.current;
    if (text === undefined) return;
    try {
      await store.rememberTrustedHash(await contentHash(text));
    } catch (error) {
      this.message = { kind: "error", text: store.storageErrorMessage(error) };
    }
  }

  /** Open…: the File System Access picker where available; else `file` from an `<input type=file>`. */
  async openFile(file?: File): Promise<void> {
    let opened: OpenedFile | undefined;
    try {
      opened = file ? await readNotebookFile(file) : await pickNotebookFile();
    } catch (error) {
      this.message = { kind: "error", text: `Could not open the file: ${messageOf(error)}` };
      return;
    }
    if (!opened) return;
    // Data paths resolve as if the file sat next to the notebook open now (a copy of a shipped
    // notebook keeps working); files elsewhere add their data through the data panel.
    const origin: NotebookOrigin = { kind: "file", name: opened.name, url: resolveUrl(opened.name, this.nb.url) };
    this.#handle = opened.handle;
    // The address no longer names what is on screen.
    history.replaceState(null, "", resolveUrl(".", location.href));
    await this.#replace(opened.text, origin, { saved: "text" });
    if (opened.handle) await store.writeFileHandle(this.key, opened.handle).catch(() => {});
  }

  /** Re-opens a recent notebook: by address, or from this browser's last autosave of it. */
  async openRecent(entry: store.RecentEntry): Promise<void> {
    if (entry.kind === "url") {
      location.assign(`?notebook=${encodeURIComponent(entry.source)}`);
      return;
    }
    if (entry.kind === "new") {
      location.assign(newNotebookHref(entry.key.replace(/^new:/, "")));
      return;
    }
    const saved = await store.readAutosave(entry.key).catch(() => undefined);
    if (!saved) {
      this.message = {
        kind: "error",
        text: `Nothing of "${entry.name}" is kept in this browser; open the file again.`,
      };
      return;
    }
    const origin: NotebookOrigin =
      entry.kind === "file" ? { kind: "file", name: entry.source, url: entry.url } : { kind: "share", url: entry.url };

    this.#handle = await store.readFileHandle(entry.key).catch(() => undefined);
    await this.#replace(saved.text, origin, { saved: saved.saved ? "text" : "none", key: entry.key });
  }

  /**
   * Puts `text` in the page as the notebook from `origin`. `saved` says what "unsaved changes" now
   * compare with: the text itself (a file just read), the saved text so far (a restored autosave of
   * this notebook) or nothing (an autosave never saved to a file).
   */
  async #replace(
    text: string,
    origin: NotebookOrigin,
    options: { saved: "text" | "keep" | "none"; key?: string },
  ): Promise<void> {
    const hash = await contentHash(text);
    const trusted = isTrustedOrigin(origin, this.baseURI) || (await store.isTrustedHash(hash).catch(() => false));
    const savedBefore = this.savedText;
    this.origin = origin;
    this.key = options.key ?? identityKey(origin, hash);
    this.nb.replace(text, origin.url, trusted);
    await this.#afterOpen();
    if (options.saved === "keep") this.savedText = savedBefore;
    else if (options.saved === "none") this.savedText = undefined;
  }

  /** Save: back to the file it came from (File System Access) or a new one; download without it. */
  async save(options: { as?: boolean } = {}): Promise<void> {
    // Serialize first: what is written is complete before the file is touched.
    const text = this.current;
    if (text === undefined) return;
    const name = this.origin.kind === "file" ? this.origin.name : notebookFileName(this.nb.title);
    let result;
    try {
      result = await saveNotebookFile(text, name, options.as ? undefined : this.#handle);
    } catch (error) {
      this.message = {
        kind: "error",
        text: `Could not save ${name}: ${messageOf(error)}. Nothing was written; the notebook is still open here. Try Save as… or Download.`,
      };
      return;
    }
    if (!result) return;
    this.savedText = text;
    if (result.handle) {
      this.#handle = result.handle;
      await store.writeFileHandle(this.key, result.handle).catch(() => {});
    }
    this.message = {
      kind: "info",
      text: result.downloaded ? `Downloaded ${result.name}.` : `Saved to ${result.name}.`,
    };
    try {
      await store.writeAutosave({ key: this.key, text, time: Date.now(), saved: true });
      if (this.nb.trusted) await store.rememberTrustedHash(await contentHash(text));
    } catch (error) {
      this.message = { kind: "error", text: store.storageErrorMessage(error) };
    }
  }

  /** Download: always a download of the current text (works whatever the autosave or file state). */
  download(): void {
    const text = this.current;
    if (text !== undefined) downloadFile(notebookFileName(this.nb.title), text, "text/markdown;charset=utf-8");
  }

  /** Whether Save can write back to a file in place (File System Access). */
  get canWriteFiles(): boolean {
    return hasFileSystemAccess();
  }

  /** Copies a link that carries the whole notebook text (never its data) to the clipboard. */
  async copyShareLink(): Promise<void> {
    const text = this.current;
    if (text === undefined) return;
    const from = originLabel({ kind: "url", url: this.origin.url }, this.baseURI);
    const link = shareUrl(location.href, { text, from });
    this.shareLink = link;
    const size = `${Math.round(link.length / 1024)} KB`;
    try {
      await navigator.clipboard.writeText(link);
      this.message = { kind: "info", text: `Share link copied (${size}). It holds the notebook, not its data.` };
    } catch {
      this.message = { kind: "info", text: `Copy the share link below (${size}); the clipboard was not available.` };
    }
  }

  /** Downloads the notebook as rendered (code and outputs) as one standalone HTML file. */
  async exportReport(): Promise<void> {
    let html: string;
    try {
      // Loaded on demand: the report's renderer is not needed to show or run a notebook.
      const { reportHtml } = await import("./report-html.ts");
      html = await reportHtml(this.nb.title, this.nb.cells, (id) => this.nb.state(id), document);
    } catch (error) {
      this.message = { kind: "error", text: `Could not export the report: ${messageOf(error)}` };
      return;
    }
    downloadFile(notebookFileName(this.nb.title).replace(/\.md$/, ".html"), html, "text/html;charset=utf-8");
  }

  /** Stops autosaving (the page is going away). */
  dispose(): void {
    this.#stop?.();
    this.#stop = undefined;
    clearTimeout(this.#timer);
  }
}
