/**
 * A classic worker script that becomes duckdb-wasm's worker, but starts downloading the wasm first:
 * the download (tens of MB) then runs while duckdb-wasm's own worker script (close to 1 MB) is
 * fetched and evaluated, instead of after it. browser-boot.ts starts it as
 * `duckdb-boot-worker.js?worker=<duckdb worker URL>&wasm=<wasm URL>`.
 *
 * duckdb-wasm fetches its wasm with `fetch(new Request(url))` when told to instantiate; that one
 * fetch is answered with the response already under way, which WebAssembly.instantiateStreaming
 * compiles as usual. It has no imports, so the bundled script also runs as a classic script (which
 * importScripts needs).
 */
const params = new URLSearchParams(self.location.search);
const workerUrl = new URL(params.get("worker") ?? "", self.location.href).href;
const wasmUrl = new URL(params.get("wasm") ?? "", self.location.href).href;
const originalFetch = self.fetch.bind(self);
// The same options duckdb-wasm's fetch uses, so the response is the one it would have got.
let early: Promise<Response> | undefined = originalFetch(wasmUrl, { credentials: "same-origin" });
// Until duckdb-wasm takes it, a failed download must not be an unhandled rejection; it takes the
// same promise, so it still sees the failure.
early.catch(() => {});

self.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = input instanceof Request ? input.url : new URL(String(input), self.location.href).href;
  if (early && url === wasmUrl) {
    const response = early;
    early = undefined;
    return response;
  }
  return originalFetch(input, init);
};

importScripts(workerUrl);
