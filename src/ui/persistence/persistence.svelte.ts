/**
 * Keeping the open notebook safe and movable: autosave to IndexedDB of the notebook as on screen
 * (typed text too, run or not), recovery of unsaved changes after a crash or a closed tab, a question
 * before a tab with changes in no file closes, open and save of `.md` files, share links, the
 * recent-notebooks list, and the trust decision for notebooks from elsewhere.
 *
 * It watches the notebook state (cells, front matter and editor text) rather than being called by
 * every edit, so typing, cell operations and data added through the front matter all autosave the
 * same way.
 *
 * Every tab writes its own version of a notebook (its slot, held with a Web Lock while the tab shows
 * it; see tab-presence.ts). So two tabs on one notebook never overwrite each other's autosave, and
 * typing before answering "Restore unsaved changes?" never overwrites the version offered. A version
 * is offered for recovery once no open tab holds it and it differs from the file just opened.
 */
import { parse } from "../../notebook/index.ts";
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
import {
  identityKey,
  isTrustedOrigin,
  originLabel,
  provenanceLocation,
  resolveUrl,
  type NotebookOrigin,
} from "./origin.ts";
import { notebookOrigins } from "../connect-origins.ts";
import { narrowConnectSrc } from "../page-policy.ts";
import { isFramed } from "./framing.ts";
import { clearRunning, markRunning, unfinishedRuns } from "./run-mark.ts";
import { screenCells, screenVersion, draftsFor, type ScreenVersion } from "./screen-text.ts";
import { loadSiteConfig, type SiteConfig } from "./site-config.ts";
import { readShareFragment, shareUrl } from "./share-link.ts";
import * as store from "./store.ts";
import { viewMode } from "../view-mode.svelte.ts";
import { urlWithView } from "../view-url.ts";
import { holdSlot, liveSlots, presenceChannel, whenReleased, type PresenceChannel } from "./tab-presence.ts";

/** How long typing pauses before it is written (a burst of typing is one write). */
const AUTOSAVE_DELAY_MS = 500;

/**
 * An autosaved version as it was on screen: its committed text (what ran) and the editor text that
 * never ran, when the drafts still fit the committed cells; else its on-screen text as it is.
 */
function committedAndDrafts(entry: store.AutosaveEntry): { text: string; drafts: store.DraftEntry[] } {
  if (entry.committed !== undefined && entry.drafts?.length) {
    const cells = parse(entry.committed).notebook.cells;
    if (draftsFor(cells, entry.drafts, entry.cellCount ?? cells.length)) {
      return { text: entry.committed, drafts: entry.drafts };
    }
  }
  return { text: entry.text, drafts: [] };
}

/** A new slot id for this tab's autosave (random; Web Crypto's randomUUID needs a secure context). */
function newSlotId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Where the autosave of the current notebook is. */
export type AutosavePhase = "idle" | "pending" | "saved" | "failed";

/** What the page should open at start, read from its address. */
export interface StartingNotebook {
  origin: NotebookOrigin;
  /** The notebook text when the address carries it (a share link); else it is fetched from origin.url. */
  text?: string;
  /** Why the address could not be read (a damaged share link): the default notebook opens instead. */
  problem?: string;
  /** Editor text that was never run, put back onto `text`'s cells once loaded (a new notebook's autosave). */
  drafts?: store.DraftEntry[];
  /**
   * `text` is an autosave read from this browser's storage, not the user's action in this page: it
   * runs only if its own content was trusted (anything in the page could have written it).
   */
  fromAutosave?: boolean;
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
  /** The notebook as on screen (committed cells and every editor's text), undefined until loaded. */
  screen = $derived.by<ScreenVersion | undefined>(() => {
    const notebook = this.nb.notebook;
    if (this.nb.phase !== "ready" || !notebook) return undefined;
    return screenVersion(notebook, (cell) => this.nb.editors.text(cell));
  });
  /** The notebook text as on screen: what Save, Download, share links and the autosave write. */
  current = $derived(this.screen?.text);
  /** The text last written to (or read from) a file or address: what "unsaved changes" compare with. */
  savedText = $state<string | undefined>(undefined);
  /** True when there are changes not saved to a file. */
  dirty = $derived(this.current !== undefined && this.current !== this.savedText);
  autosave = $state<AutosavePhase>("idle");
  /** When the last autosave was written. */
  autosavedAt = $state<number | undefined>(undefined);
  /** Versions of this notebook left by closed tabs that differ from what is open, offered for restoring (newest first). */
  recovery = $state.raw<store.AutosaveEntry[]>([]);
  /** The slot of the version this tab showed before a Restore replaced it (offered back, never dropped). */
  setAside = $state<string | undefined>(undefined);
  /** How many other tabs of this browser show this notebook now (each autosaves its own version). */
  others = $state(0);
  /** This tab's autosave slot for the open notebook. */
  slot = newSlotId();
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
  /** Lets go of this tab's slot lock. */
  #release: (() => void) | undefined;
  #channel: PresenceChannel | undefined;
  /** Stops watching the other tabs' slots of the previous notebook. */
  #watching = new AbortController();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, not state
  #watched = new Set<string>();

  /** The notebook's identity for autosave and the recent list. */
  key = $state("");
  /**
   * The open notebook was running when a tab that showed it crashed or closed: it waits for the
   * user instead of running the same cells again (see run-mark.ts).
   */
  crashed = $state(false);
  /** The slots whose unfinished runs {@link crashed} stands for (cleared when the user runs it). */
  #crashedSlots: string[] = [];
  /**
   * The open notebook is the site's own (an address under its notebook base, or one made here): it
   * runs under the page's static policy. Any other notebook narrows the page's `connect-src` to the
   * origins it names before its first cell runs (see {@link #narrowFor}).
   */
  #siteNotebook = false;
  /** The site's settings (its notebook base), read once per page. */
  readonly #config: Promise<SiteConfig>;

  /**
   * `config` is the site's settings (default: read from the settings file beside the page).
   *
   * @example
   * const persistence = new Persistence(nb, document.baseURI);
   * await persistence.open(startingNotebook(location, document.baseURI, () => notebookUrl(location.search, document.baseURI)));
   */
  constructor(nb: NotebookState, baseURI: string, config: Promise<SiteConfig> = loadSiteConfig(baseURI)) {
    this.nb = nb;
    this.baseURI = baseURI;
    this.#config = config.then((c) => {
      if (c.problem)
        console.warn(`Segbook site settings: ${c.problem}. Using notebook base ${c.notebookBases.join(", ")}.`);
      return c;
    });
  }

  /** Whether a notebook read from `url` (its final address, after redirects) may run as soon as it opens. */
  async #trustedAddress(url: string): Promise<boolean> {
    const { notebookBases } = await this.#config;
    return isTrustedOrigin({ kind: "url", url }, this.baseURI, notebookBases);
  }

  /**
   * Before a notebook that is not the site's own runs: the page may connect only to the site and the
   * origins `text` (or the open notebook) names. Once per page (a policy cannot be loosened again).
   */
  #narrowFor(text?: string, url = this.nb.url): void {
    if (this.#siteNotebook) return;
    const notebook = text === undefined ? this.nb.notebook : parse(text).notebook;
    if (notebook) narrowConnectSrc(notebookOrigins(notebook.frontMatter, url));
  }

  /** Whether notebook `key` has runs that a crashed or closed tab never finished; remembers them. */
  async #checkUnfinished(key: string): Promise<boolean> {
    let slots: string[] = [];
    try {
      // Without Web Locks no other tab can be told apart from a closed one: every other mark counts.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off lookup, not state
      slots = unfinishedRuns(localStorage, key, (await liveSlots(key)) ?? new Set([this.slot]));
    } catch {
      // No localStorage (disabled): nothing was marked either.
    }
    this.#crashedSlots = slots;
    this.crashed = slots.length > 0;
    return this.crashed;
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
    this.nb.location = provenanceLocation(start.origin, this.baseURI);
    const hash = start.text === undefined ? undefined : await contentHash(start.text);
    this.key = identityKey(start.origin, hash ?? "");
    const crashed = await this.#checkUnfinished(this.key);
    // Decided before load so not a single cell runs early. An address is judged again where it was
    // finally read from (after redirects); a remembered hash of the text itself may lift it below.
    this.nb.trusted = !crashed && (start.origin.kind === "url" || (start.origin.kind === "new" && !start.fromAutosave));
    // Until the address is judged (after its fetch): not the site's own unless it passes.
    this.#siteNotebook = start.origin.kind === "new" && !start.fromAutosave;
    const loading = this.nb.load(
      start.text,
      start.origin.kind === "url"
        ? async (finalUrl) => (this.#siteNotebook = await this.#trustedAddress(finalUrl))
        : undefined,
    );
    if (!this.nb.trusted && !crashed && hash !== undefined && (await store.isTrustedHash(hash).catch(() => false))) {
      // A new notebook's own autosave, trusted by its text, is the user's: the site's own like a blank one.
      this.#siteNotebook = start.origin.kind === "new";
      this.#narrowFor(start.text);
      this.nb.trust();
    }
    await this.#whenReady();
    if (start.origin.kind === "url" && this.nb.url !== start.origin.url) {
      // Redirected: say where the notebook really came from (its identity stays the address asked for).
      this.origin = { kind: "url", url: this.nb.url };
      this.nb.location = provenanceLocation(this.origin, this.baseURI);
    }
    if (this.nb.phase === "ready") {
      this.#applyDrafts(start.drafts ?? []);
      await this.#afterOpen();
    }
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
    if (!saved) return { origin: { ...origin, id }, text: blank };
    // As on screen: what ran is loaded and run, typed text that never ran comes back as drafts.
    const { text, drafts } = committedAndDrafts(saved);
    return { origin: { ...origin, id }, text, drafts, fromAutosave: true };
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
        // The user asked for this notebook (a starter from their own file): it is theirs, so it runs
        // when the new page opens it from the autosave, which alone proves nothing.
        await store.rememberTrustedHash(await contentHash(text));
        await store.writeAutosave({
          key: identityKey({ kind: "new", id, url: "" }),
          id,
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

  /**
   * After a notebook is put in the page: it is the baseline (not an edit), this tab takes slot
   * `slot` (a new one unless a restored version's), and the versions other tabs left are offered.
   */
  async #afterOpen(slot = newSlotId()): Promise<void> {
    const text = this.current!;
    this.#baseline = text;
    this.savedText = text;
    this.recovery = [];
    this.setAside = undefined;
    this.autosave = "idle";
    this.autosavedAt = undefined;
    await this.#takeSlot(slot);
    try {
      this.#handle = await store.readFileHandle(this.key);
      await this.#offerVersions(text);
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
    void this.#countOthers();
  }

  /** Holds `slot` of the open notebook (another new one if an open tab holds it) and tells the other tabs. */
  async #takeSlot(slot: string): Promise<void> {
    this.#release?.();
    this.#release = undefined;
    this.#watching.abort();
    this.#watching = new AbortController();
    this.#watched.clear();
    const key = this.key;
    let release = await holdSlot(key, slot);
    if (!release) release = await holdSlot(key, (slot = newSlotId()));
    this.slot = slot;
    this.#release = release;
    this.#channel ??= presenceChannel((opened) => {
      if (opened === this.key) void this.#countOthers();
    });
    this.#channel.announce(key);
  }

  /**
   * Offers the versions no open tab holds that hold something other than `opened`; forgets those
   * with nothing to recover (saved to a file, or the same as what was opened).
   */
  async #offerVersions(opened: string): Promise<void> {
    const versions = await store.readAutosaves(this.key);
    const live = await liveSlots(this.key);
    const left = versions.filter((v) => v.id !== this.slot && !live?.has(v.id));
    const spent = left.filter((v) => v.saved || v.text === opened).map((v) => v.id);
    if (spent.length) await store.deleteAutosaves(this.key, spent);
    this.recovery = left.filter((v) => !v.saved && v.text !== opened);
  }

  /** Counts the other tabs on this notebook, and watches each so its closing is counted too. */
  async #countOthers(): Promise<void> {
    const key = this.key;
    const live = await liveSlots(key);
    if (key !== this.key) return;
    const others = [...(live ?? [])].filter((slot) => slot !== this.slot);
    this.others = others.length;
    const signal = this.#watching.signal;
    for (const slot of others) {
      if (this.#watched.has(slot)) continue;
      this.#watched.add(slot);
      whenReleased(key, slot, signal, () => {
        this.#watched.delete(slot);
        void this.#countOthers();
      });
    }
  }

  /**
   * Autosaves every change of the notebook as on screen (after a pause in typing, and at once when
   * the focus leaves, the tab is hidden or the page goes), and asks before the tab closes while what
   * is on screen is in no file.
   */
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
      // While cells run, a mark says so (cleared when they settle, kept if the tab dies meanwhile).
      $effect(() => {
        if (!this.nb.progress.busy || !this.nb.trusted) return;
        const { key, slot } = this;
        try {
          markRunning(localStorage, key, slot);
        } catch {
          return;
        }
        return () => clearRunning(localStorage, key, [slot]);
      });
    });
    const flushPending = () => {
      if (this.autosave === "pending") void this.flush();
    };
    const beforeUnload = (event: BeforeUnloadEvent) => {
      flushPending();
      // The autosave keeps the text, but a closed tab is easy to forget: changes in no file ask first.
      if (this.dirty || this.autosave === "failed") {
        event.preventDefault();
        event.returnValue = "";
      }
    };
    const visibility = () => {
      if (document.visibilityState === "hidden") flushPending();
    };
    const pageHide = () => {
      flushPending();
      // Let go of the slot now rather than when the page is torn down, so a reload sees it free.
      this.#release?.();
      this.#release = undefined;
    };
    const pageShow = (event: PageTransitionEvent) => {
      // Back from the back/forward cache: take the slot again (or a new one, if a tab took it over).
      if (event.persisted) void this.#takeSlot(this.slot).then(() => this.#schedule());
    };
    addEventListener("beforeunload", beforeUnload);
    addEventListener("pagehide", pageHide);
    addEventListener("pageshow", pageShow);
    addEventListener("blur", flushPending);
    document.addEventListener("focusout", flushPending);
    document.addEventListener("visibilitychange", visibility);
    this.#stop = () => {
      stopEffects();
      removeEventListener("beforeunload", beforeUnload);
      removeEventListener("pagehide", pageHide);
      removeEventListener("pageshow", pageShow);
      removeEventListener("blur", flushPending);
      document.removeEventListener("focusout", flushPending);
      document.removeEventListener("visibilitychange", visibility);
    };
  }

  #schedule(): void {
    this.autosave = "pending";
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), AUTOSAVE_DELAY_MS);
  }

  /** Writes this tab's version now (also what the debounce calls); nothing when nothing was edited. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    const screen = this.screen;
    if (screen === undefined || screen.text === this.#baseline) return;
    const { key, slot } = this;
    const { text, committed, drafts, cellCount } = screen;
    const saved = text === this.savedText;
    const entry: store.AutosaveEntry = { key, id: slot, text, time: Date.now(), saved };
    if (drafts.length) Object.assign(entry, { committed, drafts, cellCount });
    const trusted = this.nb.trusted;
    this.#writing = this.#writing.then(async () => {
      try {
        await store.writeAutosave(entry);
        // Edits the user made to a notebook they trust are theirs: trusted when restored or saved too.
        if (trusted) {
          await store.rememberTrustedHash(await contentHash(text));
          if (committed !== text) await store.rememberTrustedHash(await contentHash(committed));
        }
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

  /**
   * Puts an offered version in the page (the newest without `entry`): its cells, and the text typed
   * but never run back in the editors, shown as edited. What this tab showed before, if edited, is
   * written first and offered back in turn: restoring never drops anything.
   */
  async restore(entry: store.AutosaveEntry | undefined = this.recovery[0]): Promise<void> {
    if (!entry) return;
    await this.flush();
    const before = this.slot;
    const edited = this.#baseline === undefined;
    await this.#replace(entry, this.origin, { saved: "keep", key: this.key, slot: entry.id });
    // Said in the recovery banner, beside the button that brings them back.
    if (edited && this.recovery.some((v) => v.id === before)) this.setAside = before;
  }

  /** Drops the offered versions (what is on screen stays, and keeps autosaving). */
  async discard(): Promise<void> {
    const ids = this.recovery.map((v) => v.id);
    this.recovery = [];
    this.setAside = undefined;
    try {
      await store.deleteAutosaves(this.key, ids);
    } catch (error) {
      this.message = { kind: "error", text: store.storageErrorMessage(error) };
    }
  }

  /**
   * Runs the untrusted notebook and remembers its text as trusted. Refused while another page frames
   * this one: that page could have steered the click (the banner says so and disables Run).
   */
  async trust(): Promise<void> {
    if (isFramed()) return;
    if (this.#crashedSlots.length) {
      // The user saw that it was running when its tab closed, and runs it again.
      try {
        clearRunning(localStorage, this.key, this.#crashedSlots);
      } catch {
        // No localStorage: nothing was marked.
      }
      this.#crashedSlots = [];
    }
    this.crashed = false;
    this.#narrowFor();
    this.nb.trust();
    const screen = this.screen;
    if (screen === undefined) return;
    try {
      // What runs (committed) and what Save would write (with the typed text) are both the user's now.
      await store.rememberTrustedHash(await contentHash(screen.committed));
      if (screen.text !== screen.committed) await store.rememberTrustedHash(await contentHash(screen.text));
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
    history.replaceState(null, "", urlWithView(resolveUrl(".", location.href), viewMode.current));
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
    // Carry on in that version's slot, unless another tab shows it now.
    const live = await liveSlots(entry.key);
    const slot = live?.has(saved.id) ? undefined : saved.id;
    await this.#replace(saved, origin, { saved: saved.saved ? "text" : "none", key: entry.key, slot });
  }

  /**
   * Puts a notebook in the page: a text (a file just read), or an autosaved version (its committed
   * cells, with its never-run editor text put back as drafts). `saved` says what "unsaved changes"
   * now compare with: the text itself, the saved text so far (a restored version of this notebook)
   * or nothing (a version never saved to a file). `slot` is the version's slot, carried on.
   */
  async #replace(
    source: string | store.AutosaveEntry,
    origin: NotebookOrigin,
    options: { saved: "text" | "keep" | "none"; key?: string; slot?: string },
  ): Promise<void> {
    // What this tab showed is written before it goes.
    await this.flush();
    const { text, drafts } = typeof source === "string" ? { text: source, drafts: [] } : committedAndDrafts(source);
    // Trust is judged on what runs: the committed cells (drafts run only when the user runs them). An
    // autosaved version earns trust by its own text only: anything in the page can write autosaves,
    // so the address it belongs to vouches for nothing.
    const hash = await contentHash(text);
    const key = options.key ?? identityKey(origin, hash);
    const fromAutosave = typeof source !== "string";
    const crashed = await this.#checkUnfinished(key);
    const byOrigin = !fromAutosave && isTrustedOrigin(origin, this.baseURI, (await this.#config).notebookBases);
    const trusted = !crashed && (byOrigin || (await store.isTrustedHash(hash).catch(() => false)));
    // A restored version of a notebook of the site, trusted by its own text, stays the site's.
    this.#siteNotebook = trusted && isTrustedOrigin(origin, this.baseURI, (await this.#config).notebookBases);
    if (trusted) this.#narrowFor(text, origin.url);
    const savedBefore = this.savedText;
    this.origin = origin;
    this.key = key;
    this.nb.location = provenanceLocation(origin, this.baseURI);
    this.nb.replace(text, origin.url, trusted);
    this.#applyDrafts(drafts);
    await this.#afterOpen(options.slot);
    if (options.saved === "keep") this.savedText = savedBefore;
    else if (options.saved === "none") this.savedText = undefined;
  }

  /** Puts never-run editor text back onto the loaded cells (see {@link committedAndDrafts}). */
  #applyDrafts(drafts: readonly store.DraftEntry[]): void {
    const cells = this.nb.cells;
    for (const draft of drafts) {
      const cell = cells[draft.index];
      if (!cell) continue;
      this.nb.editors.setDraft(cell, draft.source);
      // A Markdown cell shows its source only while edited.
      if (cell.kind === "md") this.nb.ui.editingMarkdown[cell.id] = true;
    }
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
      // The version keeps what never ran as drafts, so a reload shows the screen as it was.
      const entry: store.AutosaveEntry = { key: this.key, id: this.slot, text, time: Date.now(), saved: true };
      const screen = this.screen;
      if (screen?.text === text && screen.drafts.length) {
        Object.assign(entry, { committed: screen.committed, drafts: screen.drafts, cellCount: screen.cellCount });
      }
      await store.writeAutosave(entry);
      if (this.autosave === "pending" && this.current === text) this.autosave = "saved";
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
    // Shared from the report view, the link opens in the report view.
    const link = urlWithView(shareUrl(location.href, { text, from }), viewMode.current);
    this.shareLink = link;
    const size = `${Math.round(link.length / 1024)} KB`;
    try {
      await navigator.clipboard.writeText(link);
      this.message = { kind: "info", text: `Share link copied (${size}). It holds the notebook, not its data.` };
    } catch {
      this.message = { kind: "info", text: `Copy the share link below (${size}); the clipboard was not available.` };
    }
  }

  /** Downloads the report view (Markdown and outputs, no code) as one standalone HTML file. */
  async exportReport(): Promise<void> {
    let html: string;
    try {
      // Loaded on demand: the report's renderer is not needed to show or run a notebook.
      const { reportHtml } = await import("./report-html.ts");
      const cells = screenCells(this.nb.cells, (cell) => this.nb.editors.text(cell));
      html = await reportHtml(this.nb.title, cells, (id) => this.nb.state(id), this.nb.notebook?.frontMatter.privacy);
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
    this.#release?.();
    this.#watching.abort();
    this.#channel?.close();
  }
}
