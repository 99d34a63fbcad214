/**
 * The notebook's data files, fetched while DuckDB starts: without this, each file's download waited
 * for the engine and then for the load before it (the engine runs one load at a time). The session
 * still resolves every source as before (DataPanel.resolve); a resolution that is the plain URL of a
 * file fetched here becomes its bytes. A failed early fetch is forgotten, so the engine fetches the
 * URL itself and reports the failure in its own words.
 */
import { fetchBytes } from "../../engine/fetch-bytes.ts";
import type { FileSource } from "../../engine/engine.ts";
import { resolveFormat, sourceFileName } from "../../engine/load.ts";
import type { DataSource } from "../../notebook/index.ts";
import type { DataResolution } from "../../runtime/index.ts";

/**
 * Formats the engine reads whole from a URL. Parquet over HTTP is read by range requests instead
 * (only what a query needs), and Excel workbooks are fetched and converted by the data panel.
 */
const WHOLE_FILE_FORMATS = new Set(["csv", "tsv", "json"]);

/** Early downloads of data files, by absolute URL, each used at most once. */
export class EarlyFetch {
  // Not state: read once by the session's resolver.
  readonly #pending = new Map<string, Promise<Uint8Array | undefined>>();

  /**
   * Starts fetching the file of every source that is read whole from the server, with paths relative
   * to `notebookUrl`. `heldLocally` says a source will come from the browser's own storage (a file
   * added in the data panel and kept in OPFS): that one is not fetched, as the server may not have it.
   */
  start(
    sources: readonly [string, DataSource][],
    notebookUrl: string,
    heldLocally: (source: DataSource) => Promise<boolean>,
  ): void {
    for (const [, source] of sources) {
      let url: URL;
      try {
        if (!WHOLE_FILE_FORMATS.has(resolveFormat(source.path, source.format))) continue;
        url = new URL(source.path, notebookUrl);
      } catch {
        // An unknown format or a bad path: the load reports it.
        continue;
      }
      if (this.#pending.has(url.href)) continue;
      const bytes = (async () => ((await heldLocally(source)) ? undefined : fetchBytes(url, source.path)))();
      this.#pending.set(
        url.href,
        bytes.catch(() => undefined),
      );
    }
  }

  /** `resolution`, with the URL of a file fetched early swapped for its bytes (once per URL). */
  async use(resolution: DataResolution): Promise<DataResolution> {
    if ("source" in resolution || resolution.kind !== "url") return resolution;
    const pending = this.#pending.get(resolution.url);
    if (!pending) return resolution;
    this.#pending.delete(resolution.url);
    const bytes = await pending;
    if (!bytes) return resolution;
    const source: FileSource = { kind: "bytes", bytes, fileName: sourceFileName(resolution) };
    return source;
  }

  /** Forgets every early download (another notebook was put in the page). */
  clear(): void {
    this.#pending.clear();
  }
}
