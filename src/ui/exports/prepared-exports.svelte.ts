/**
 * The notebook's prepared exports: every `seg.export` of the current cell runs, with its bytes, held
 * in the tab until the user downloads it. Nothing here starts a download except {@link download} and
 * {@link downloadAll}, which only a click calls (the export card, File → Download exports).
 *
 * An export belongs to the cell run that made it: when that cell re-runs or is removed, the export is
 * withdrawn (the new run prepares it again), so a click can never download stale bytes.
 */
import { zipSync } from "fflate";
import type { ExportCaller, ExportResult, ExportSink, PreparedFile } from "../../seg/export.ts";
import type { DownloadTrigger } from "../render/export-card.ts";
import { downloadBlob } from "../grid/download-blob.ts";

/** One prepared export and the cell that made it. */
export interface PreparedExport {
  /** Unique for the tab's life, for keyed lists. */
  key: number;
  cellId: string | undefined;
  result: ExportResult;
}

/** The tab's prepared exports, reactive; also the export sink of the session and the cards' trigger. */
export class PreparedExports implements DownloadTrigger {
  /** Current exports, in the order they were made. */
  list = $state.raw<readonly PreparedExport[]>([]);
  #nextKey = 1;
  // Not reactive: watchers are callbacks of export cards, not state anything renders.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #watchers = new Map<PreparedFile, Set<() => void>>();
  readonly #doc: Document | undefined;

  /** `doc`: where downloads are started (the page's document unless given). */
  constructor(doc?: Document) {
    this.#doc = doc;
  }

  /**
   * The session's export sink: keeps each export (never writes or downloads it) until its cell run
   * is invalidated.
   * @example
   * new Session({engine, cellLibraries: {seg: segLibrary({sink: exports.sink()})}, ...})
   */
  sink(): ExportSink {
    return {
      accept: async (prepared: ExportResult, caller?: ExportCaller) => {
        this.#add(prepared, caller);
        return prepared;
      },
    };
  }

  #add(result: ExportResult, caller: ExportCaller | undefined): void {
    const entry: PreparedExport = { key: this.#nextKey++, cellId: caller?.cellId, result };
    this.list = [...this.list, entry];
    void caller?.invalidation.then(() => this.#withdraw(entry));
  }

  #withdraw(entry: PreparedExport): void {
    this.list = this.list.filter((e) => e !== entry);
    for (const file of [entry.result.file, entry.result.manifestFile]) {
      for (const withdrawn of this.#watchers.get(file) ?? []) withdrawn();
      this.#watchers.delete(file);
    }
  }

  /** Whether `file` belongs to a current export. */
  isCurrent(file: PreparedFile): boolean {
    return this.list.some((e) => e.result.file === file || e.result.manifestFile === file);
  }

  /** Downloads `file` if it is current; otherwise says why not (the cell re-ran or is gone). */
  download(file: PreparedFile): void {
    if (!this.isCurrent(file)) {
      throw new Error(`${file.name} was replaced: its cell ran again or was removed; use the newer export`);
    }
    downloadBlob(
      new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mimeType }),
      file.name,
      this.#doc ?? document,
    );
  }

  watch(file: PreparedFile, withdrawn: () => void): () => void {
    if (!this.isCurrent(file)) {
      withdrawn();
      return () => {};
    }
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const set = this.#watchers.get(file) ?? new Set<() => void>();
    set.add(withdrawn);
    this.#watchers.set(file, set);
    return () => set.delete(withdrawn);
  }

  /**
   * Downloads the chosen exports (files and manifests) as one .zip, so one click is one download
   * (several separate downloads make Chrome ask about "multiple downloads").
   * @example
   * exports.downloadAll(exports.list, "online-retail-exports.zip")
   */
  downloadAll(entries: readonly PreparedExport[], zipName: string): void {
    const files: Record<string, Uint8Array> = {};
    for (const { result } of entries.filter((e) => this.list.includes(e))) {
      for (const file of [result.file, result.manifestFile]) files[file.name] = file.bytes;
    }
    if (!Object.keys(files).length) throw new Error("No current exports to download: run the cells that export");
    const zip = zipSync(files, { level: 6 });
    downloadBlob(
      new Blob([zip as Uint8Array<ArrayBuffer>], { type: "application/zip" }),
      zipName,
      this.#doc ?? document,
    );
  }
}
