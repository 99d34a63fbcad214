/**
 * The two messages between the page (browser-boot.ts) and DuckDB's boot script
 * (duckdb-boot-worker.ts), besides duckdb-wasm's own protocol. Types only: the boot script is a
 * classic worker, which the dev server serves unbundled, so it can import nothing at run time.
 *
 * @example
 * const start: BootStart = { type: "segbook-boot", worker: "https://x/duckdb-browser-eh.worker.js", wasm: "https://x/duckdb-eh.wasm" };
 * worker.postMessage(start);
 */

/**
 * The page's first message: what the boot script loads. Sent as a message rather than in the
 * script's URL because a dev server's worker URL already carries a query string of its own.
 */
export interface BootStart {
  type: "segbook-boot";
  /** Absolute URL of duckdb-wasm's worker script, loaded with importScripts. */
  worker: string;
  /** Absolute URL of the wasm, whose download starts at once. */
  wasm: string;
}

/** The boot script's report that a file it loads failed (the page turns it into the engine's error). */
export interface BootFailure {
  type: "segbook-boot-failure";
  /** Which file failed: DuckDB's worker script or its wasm. */
  what: "worker" | "wasm";
  /** The file's URL as the boot script requested it. */
  url: string;
  /** The browser's reason, or the HTTP status the server answered. */
  reason: string;
}

/**
 * The page's second message: the wasm compiled (or why it could not be). The page fetches and
 * compiles it itself from its entry chunk, before this worker's script has even loaded; the boot
 * script hands the module to duckdb-wasm instead of letting it download and compile its own.
 */
export type BootModule =
  { type: "segbook-boot-module"; module: WebAssembly.Module } | { type: "segbook-boot-module"; failure: string };
