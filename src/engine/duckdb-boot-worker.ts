/**
 * A classic worker script that becomes duckdb-wasm's worker, with the wasm compiled by the page:
 * browser-boot.ts starts the wasm's download and streaming compile from the entry chunk (before this
 * script has even loaded, and with the response the browser's HTTP cache knows, which is what lets
 * Chromium keep the compiled code for the next visit) and posts the module here. browser-boot.ts
 * posts a {@link BootStart} naming both files as the first message (not in the script's URL: the
 * dev server gives the script a query string of its own), then duckdb-wasm's INSTANTIATE, then the
 * module ({@link BootModule}) once compiled.
 *
 * duckdb-wasm fetches its wasm with `fetch(new Request(url))` when told to instantiate and hands the
 * response to WebAssembly.instantiateStreaming; here that fetch gets an empty response and that
 * instantiateStreaming the page's module. A file that fails to load is reported to the page as a
 * {@link BootFailure} naming it, since neither importScripts nor duckdb-wasm says which file it was.
 *
 * It imports nothing, not even types with an `import` statement: the dev server serves it unbundled as
 * a classic script (which importScripts needs), where any `import` or `export` (TypeScript keeps an
 * `export {}` for a type-only import) is a syntax error. Hence the `import("…")` types below.
 */
type BootStart = import("./duckdb-boot-protocol.ts").BootStart;
type BootFailure = import("./duckdb-boot-protocol.ts").BootFailure;
type BootModule = import("./duckdb-boot-protocol.ts").BootModule;

/** What this script uses of its global scope (the project compiles against the DOM library, not WebWorker's). */
interface BootScope {
  location: Location;
  fetch: typeof fetch;
  postMessage(message: BootFailure): void;
  addEventListener(type: "message", listener: (event: MessageEvent<BootStart>) => void): void;
  addEventListener(type: "message", listener: (event: MessageEvent<BootModule>) => void): void;
  addEventListener(type: "unhandledrejection", listener: (event: PromiseRejectionEvent) => void): void;
  removeEventListener(type: "message", listener: (event: MessageEvent<BootStart>) => void): void;
  removeEventListener(type: "message", listener: (event: MessageEvent<BootModule>) => void): void;
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

/** What duckdb-wasm's fetch of the wasm gets instead of the file (it checks nothing else). */
const WASM_HEADERS = { "Content-Type": "application/wasm" };

/**
 * Has duckdb-wasm instantiate the module the page compiled (a {@link BootModule} message) instead of
 * downloading and compiling the wasm itself: its fetch of the wasm gets an empty response (which it
 * pipes through its progress stream), its instantiateStreaming the page's module. A failure the page
 * saw (an HTTP status, a network error, bytes that are not wasm) is reported as the wasm's.
 */
function takeModuleFromPage(wasmUrl: string): void {
  let resolveModule: (module: WebAssembly.Module) => void = () => {};
  let fromPage: Promise<WebAssembly.Module> | undefined = new Promise<WebAssembly.Module>((resolve, reject) => {
    resolveModule = resolve;
    const onModule = (event: MessageEvent<BootModule>) => {
      if (event.data?.type !== "segbook-boot-module") return;
      // The page's own message: duckdb-wasm's handler (added later) must not see it.
      event.stopImmediatePropagation();
      bootScope.removeEventListener("message", onModule);
      if ("module" in event.data) return resolveModule(event.data.module);
      reportBootFailure("wasm", wasmUrl, event.data.failure);
      reject(new Error(event.data.failure));
    };
    bootScope.addEventListener("message", onModule);
  });
  // Until duckdb-wasm asks for it, a failure must not be an unhandled rejection (it is reported above).
  fromPage.catch(() => {});
  const originalFetch = bootScope.fetch.bind(bootScope);
  bootScope.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : new URL(String(input), bootScope.location.href).href;
    if (fromPage && url === wasmUrl) return Promise.resolve(new Response(new Uint8Array(0), { headers: WASM_HEADERS }));
    return originalFetch(input, init);
  };
  const instantiateStreaming = WebAssembly.instantiateStreaming.bind(WebAssembly);
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const compiled = fromPage;
    if (!compiled) return instantiateStreaming(source, imports);
    fromPage = undefined;
    // The empty response: read to its end so duckdb-wasm's progress stream closes.
    void Promise.resolve(source)
      .then((response) => response.arrayBuffer())
      .catch(() => {});
    const module = await compiled;
    try {
      return { module, instance: await WebAssembly.instantiate(module, imports) };
    } catch (error) {
      reportBootFailure("wasm", wasmUrl, error instanceof Error ? error.message : String(error));
      throw error;
    }
  };
}

function onBootStart(event: MessageEvent<BootStart>): void {
  if (event.data?.type !== "segbook-boot") return;
  // Every later message is duckdb-wasm's, for the handler its worker script installs.
  bootScope.removeEventListener("message", onBootStart);
  takeModuleFromPage(event.data.wasm);
  try {
    // Synchronous: the script installs its `onmessage` before the page's next message is dispatched.
    importScripts(event.data.worker);
  } catch (error) {
    reportBootFailure("worker", event.data.worker, error instanceof Error ? error.message : String(error));
  }
}

bootScope.addEventListener("message", onBootStart);
