/**
 * When to run the engine's code-cache warm-up (src/engine/code-cache-warm-up.ts): once per browser
 * and DuckDB build, in the background, after the notebook's own runs are done, and never in the way
 * of the user. It starts a moment after the notebook goes idle, stops between its queries as soon as
 * a cell runs again (and starts over at the next idle), and once it has run to the end this browser
 * remembers it in localStorage under the wasm's URL (which names the build), so returning visitors
 * (who have the compiled wasm cached) and later tabs skip it.
 */
import type { Engine } from "../engine/engine.ts";

/** The localStorage key; its value is the wasm URL the warm-up last ran to the end for. */
export const WARM_UP_STORAGE_KEY = "segbook.duckdb-warm-up";

/** How long the notebook stays idle before the warm-up starts: a cell run right after a batch goes first. */
export const WARM_UP_DELAY_MS = 300;

/** The part of localStorage this uses (absent where storage is blocked). */
export type WarmUpStorage = Pick<Storage, "getItem" | "setItem">;

/**
 * Schedules the warm-up for one notebook's engine: call {@link CodeCacheWarmUp.idle} whenever the
 * notebook's runs are done and {@link CodeCacheWarmUp.busy} when one starts.
 *
 * @example
 * const warmUp = new CodeCacheWarmUp(wasmUrl, pageStorage());
 * warmUp.idle(engine); // the first batch is done
 * warmUp.busy(); // a cell runs: the warm-up stops before its next query
 */
export class CodeCacheWarmUp {
  readonly #build: string;
  readonly #storage: WarmUpStorage | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: AbortController | undefined;
  #done: boolean;
  /** A query failed: not tried again on this page (it would fail again). */
  #failed = false;

  /** `build` names the DuckDB build (its wasm URL); `storage` is where "done" is remembered. */
  constructor(build: string, storage: WarmUpStorage | undefined) {
    this.#build = build;
    this.#storage = storage;
    this.#done = readDone(storage, build);
  }

  /** Whether this browser has run the warm-up to the end for this build. */
  get done(): boolean {
    return this.#done;
  }

  /** The notebook is idle: start the warm-up after {@link WARM_UP_DELAY_MS} unless done or started. */
  idle(engine: Pick<Engine, "query">): void {
    if (this.#done || this.#failed || this.#timer !== undefined || this.#running) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#run(engine);
    }, WARM_UP_DELAY_MS);
  }

  /** The notebook runs something: the warm-up waits (or stops before its next query). */
  busy(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#running?.abort();
    this.#running = undefined;
  }

  async #run(engine: Pick<Engine, "query">): Promise<void> {
    const running = (this.#running = new AbortController());
    try {
      const { warmUpEngine } = await import("../engine/code-cache-warm-up.ts");
      if (await warmUpEngine(engine, running.signal)) {
        this.#done = true;
        try {
          this.#storage?.setItem(WARM_UP_STORAGE_KEY, this.#build);
        } catch {
          // Storage full or blocked: the next visit warms up again, which only costs time.
        }
      }
    } catch {
      // A closed engine or a failed query: the warm-up only helps the next visit; nothing to tell.
      this.#failed = true;
    } finally {
      if (this.#running === running) this.#running = undefined;
    }
  }
}

/**
 * The page's localStorage, or undefined where it is missing or blocked (reading it can throw).
 *
 * @example
 * new CodeCacheWarmUp(wasmUrl, pageStorage());
 */
export function pageStorage(): WarmUpStorage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

function readDone(storage: WarmUpStorage | undefined, build: string): boolean {
  try {
    return storage?.getItem(WARM_UP_STORAGE_KEY) === build;
  } catch {
    return false;
  }
}
