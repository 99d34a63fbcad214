/**
 * Rows of a grid result, fetched a page at a time and kept in a small LRU cache. The grid says which
 * rows it wants (the visible ones plus overscan); the cache fetches the missing pages of that range,
 * one query at a time, always for the range wanted NOW: pages the user scrolled past before their
 * turn came are never requested, so a fast scroll through a million rows costs a handful of queries.
 */
import type { GridRow } from "./grid-source.ts";

/** Reads `limit` rows from `offset`. */
export type FetchRows = (offset: number, limit: number) => Promise<GridRow[]>;

/** Options of {@link PageCache}. */
export interface PageCacheOptions {
  /** Rows per page (default 200). */
  pageSize?: number;
  /** Pages kept (default 20); pages of the wanted range are never evicted. */
  capacity?: number;
  /** Called after a page arrives or a fetch fails, so the view can re-read rows. */
  onChange?: () => void;
}

/** Pages of one result. */
export class PageCache {
  readonly pageSize: number;
  readonly capacity: number;
  /** Queries made so far (for tests and diagnostics). */
  fetches = 0;
  /** The last fetch error, if any. */
  error: string | undefined;
  // A Map iterates in insertion order: re-inserting on use makes the first key the least recently used.
  readonly #pages = new Map<number, GridRow[]>();
  #wanted: [number, number] = [0, -1];
  #inFlight: number | undefined;
  #disposed = false;

  constructor(
    private readonly numRows: number,
    private readonly fetch: FetchRows,
    private readonly options: PageCacheOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 200;
    this.capacity = options.capacity ?? 20;
  }

  /** Row `index`, or undefined while its page is not loaded. */
  row(index: number): GridRow | undefined {
    const page = Math.floor(index / this.pageSize);
    const rows = this.#pages.get(page);
    if (!rows) return undefined;
    this.#pages.delete(page);
    this.#pages.set(page, rows);
    return rows[index - page * this.pageSize];
  }

  /** Whether page `page` is cached (without touching its LRU position). */
  has(page: number): boolean {
    return this.#pages.has(page);
  }

  /** Rows `first` .. `last` (inclusive) are wanted now; fetches what is missing, nearest first. */
  want(first: number, last: number): void {
    const lastRow = Math.min(last, this.numRows - 1);
    this.#wanted = [Math.floor(Math.max(0, first) / this.pageSize), Math.floor(lastRow / this.pageSize)];
    this.#pump();
  }

  /** Stops fetching; results still in flight are ignored. */
  dispose(): void {
    this.#disposed = true;
    this.#pages.clear();
  }

  #nextPage(): number | undefined {
    const [first, last] = this.#wanted;
    for (let page = first; page <= last; page++) if (!this.#pages.has(page)) return page;
    return undefined;
  }

  #pump(): void {
    if (this.#disposed || this.#inFlight !== undefined) return;
    const page = this.#nextPage();
    if (page === undefined) return;
    this.#inFlight = page;
    this.fetches++;
    this.fetch(page * this.pageSize, this.pageSize).then(
      (rows) => {
        this.#inFlight = undefined;
        if (this.#disposed) return;
        this.error = undefined;
        this.#pages.set(page, rows);
        this.#evict();
        this.options.onChange?.();
        this.#pump();
      },
      (error: unknown) => {
        this.#inFlight = undefined;
        if (this.#disposed) return;
        // No retry loop: the next want() (a scroll) tries again.
        this.error = error instanceof Error ? error.message : String(error);
        this.options.onChange?.();
      },
    );
  }

  #evict(): void {
    const [first, last] = this.#wanted;
    for (const page of this.#pages.keys()) {
      if (this.#pages.size <= this.capacity) break;
      if (page < first || page > last) this.#pages.delete(page);
    }
  }
}
