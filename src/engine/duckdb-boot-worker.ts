/**
 * A classic worker script that becomes duckdb-wasm's worker, but starts downloading the wasm first:
 * the download (tens of MB) then runs while duckdb-wasm's own worker script (close to 1 MB) is
 * fetched and evaluated, instead of after it. browser-boot.ts starts it and posts a
 * {@link BootStart} naming both files as its first message (not in the script's URL: the dev server
 * gives the script a query string of its own).
 *
 * duckdb-wasm fetches its wasm with `fetch(new Request(url))` when told to instantiate; that one
 * fetch is answered with the response already under way, which WebAssembly.instantiateStreaming
 * compiles as usual. A file that fails to load is reported to the page as a {@link BootFailure}
 * naming it, since neither importScripts nor duckdb-wasm says which file it was.
 *
 * It imports nothing, not even types with an `import` statement: the dev server serves it unbundled as
 * a classic script (which importScripts needs), where any `import` or `export` (TypeScript keeps an
 * `export {}` for a type-only import) is a syntax error. Hence the `import("…")` types below.
 */
type BootStart = import("./duckdb-boot-protocol.ts").BootStart;
type BootFailure = import("./duckdb-boot-protocol.ts").BootFailure;

/** What this script uses of its global scope (the project compiles against the DOM library, not WebWorker's). */
interface BootScope {
  location: Location;
  fetch: typeof fetch;
  postMessage(message: BootFailure): void;
  addEventListener(type: "message", listener: (event: MessageEvent<BootStart>) => void): void;
  addEventListener(type: "unhandledrejection", listener: (event: PromiseRejectionEvent) => void): void;
  removeEventListener(type: "message", listener: (event: MessageEvent<BootStart>) => void): void;
}
const bootScope = self as unknown as BootScope;

/** Set once a failure is reported: the page has the reason and stops this worker. */
let bootFailed = false;

function reportBootFailure(what: BootFailure["what"], url: string, reason: string): void {
  bootFailed = true;
  const failure: BootFailure = { type: "segbook-boot-failure", what, url, reason };
  bootScope.postMessage(failure);
}

// duckdb-wasm does not catch a failed instantiation; once the cause is reported, that rejection is
// its consequence, not a second error for the page's console.
bootScope.addEventListener("unhandledrejection", (event) => {
  if (bootFailed) event.preventDefault();
});

/** Starts the wasm download and has every later fetch of the same URL take it. */
function prefetchWasm(wasmUrl: string): void {
  const originalFetch = bootScope.fetch.bind(bootScope);
  // The same options duckdb-wasm's fetch uses, so the response is the one it would have got.
  let early: Promise<Response> | undefined = originalFetch(wasmUrl, { credentials: "same-origin" }).then(
    (response) => {
      // duckdb-wasm would only say the bytes are not wasm; the status names the real problem.
      if (!response.ok)
        reportBootFailure("wasm", wasmUrl, `the server answered HTTP ${response.status} ${response.statusText}`.trim());
      return response;
    },
    (error: unknown) => {
      reportBootFailure("wasm", wasmUrl, error instanceof Error ? error.message : String(error));
      throw error;
    },
  );
  // Until duckdb-wasm takes it, a failed download must not be an unhandled rejection; it takes the
  // same promise, so it still sees the failure.
  early.catch(() => {});
  bootScope.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : new URL(String(input), bootScope.location.href).href;
    if (early && url === wasmUrl) {
      const response = early;
      early = undefined;
      return response;
    }
    return originalFetch(input, init);
  };
}

function onBootStart(event: MessageEvent<BootStart>): void {
  if (event.data?.type !== "segbook-boot") return;
  // Every later message is duckdb-wasm's, for the handler its worker script installs.
  bootScope.removeEventListener("message", onBootStart);
  prefetchWasm(event.data.wasm);
  try {
    // Synchronous: the script installs its `onmessage` before the page's next message is dispatched.
    importScripts(event.data.worker);
  } catch (error) {
    reportBootFailure("worker", event.data.worker, error instanceof Error ? error.message : String(error));
  }
}

bootScope.addEventListener("message", onBootStart);
