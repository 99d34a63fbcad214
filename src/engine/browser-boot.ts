/**
 * Starting duckdb-wasm's worker, and the download and compile of its 30+ MB wasm, before DuckDB's client
 * library (and Apache Arrow, which it imports) has even been fetched: the page calls {@link bootDuckdb}
 * first thing in its entry chunk, at almost no cost, and the download and compile of the wasm (the
 * longest step of a page's start) overlap with loading the rest of the app. The page compiles the wasm
 * itself (streaming, from the fetched response, so Chromium can keep the compiled code for the next
 * visit) and posts the module to the worker. {@link createBrowserEngine} then attaches to the booted
 * worker. Browser only, like browser.ts; index.ts does not re-export it.
 *
 * It speaks one message of duckdb-wasm's worker protocol (INSTANTIATE) itself; the message and its
 * answer are typed against duckdb-wasm's own declarations below so an upgrade that changes them fails
 * to compile.
 */
import type { WorkerRequestType, WorkerResponseType } from "@duckdb/duckdb-wasm";
import mvpModule from "@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url";
import mvpWorker from "@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url";
import ehModule from "@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url";
import ehWorker from "@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url";
import type { BootFailure, BootModule, BootStart } from "./duckdb-boot-protocol.ts";
import { describeLoadFailure } from "./load-failure.ts";

/** A duckdb-wasm worker told to instantiate its wasm (see {@link bootDuckdb}). */
export interface DuckdbBoot {
  worker: Worker;
  /** The bundle's wasm URL (for messages). */
  mainModule: string;
  /** DuckDB's worker script the boot script loads (for messages). */
  mainWorker: string;
  /** The boot script's own URL (for messages): a built asset, or the dev server's URL for the source. */
  bootScript: string;
  /** Settles when the worker has instantiated the wasm; rejects with the worker's reason. */
  instantiated: Promise<void>;
}

/**
 * The id of the boot's INSTANTIATE message. AsyncDuckDB numbers its own messages from 0 upwards, so a
 * negative id can never be taken for the answer to one of them.
 */
const BOOT_MESSAGE_ID = -1;

/**
 * A module using one exception-handling instruction: what duckdb-wasm's `selectBundle` validates
 * (through wasm-feature-detect) to choose the "eh" bundle over "mvp". The site is served without
 * COOP/COEP headers, so the threaded "coi" bundle is never offered.
 */
const EXCEPTIONS_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 6, 64, 25, 11, 11,
]);

/** The bundle this browser runs: eh with WebAssembly exceptions, else mvp. */
export function browserBundle(): { mainModule: string; mainWorker: string } {
  let exceptions = false;
  try {
    exceptions = WebAssembly.validate(EXCEPTIONS_PROBE);
  } catch {
    // No usable WebAssembly at all: mvp, whose instantiation then fails with the browser's reason.
  }
  return exceptions ? { mainModule: ehModule, mainWorker: ehWorker } : { mainModule: mvpModule, mainWorker: mvpWorker };
}

/**
 * Downloads and compiles the wasm on the page, streaming (the compile runs on the browser's
 * background threads as the bytes arrive). Streaming the fetched response itself, not a copy, is
 * what lets Chromium cache the compiled code alongside the file for the next visit.
 */
async function compileWasm(url: string): Promise<BootModule> {
  let response: Response;
  try {
    // The same options duckdb-wasm's own fetch uses.
    response = await fetch(url, { credentials: "same-origin" });
  } catch (error) {
    return { type: "segbook-boot-module", failure: messageOf(error) };
  }
  // The status names the real problem; the compile would only say the bytes are not wasm.
  if (!response.ok) {
    void response.body?.cancel().catch(() => {});
    return {
      type: "segbook-boot-module",
      failure: `the server answered HTTP ${response.status} ${response.statusText}`.trim(),
    };
  }
  try {
    return { type: "segbook-boot-module", module: await WebAssembly.compileStreaming(response) };
  } catch (error) {
    return { type: "segbook-boot-module", failure: messageOf(error) };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The INSTANTIATE request, as duckdb-wasm's AsyncDuckDB would post it. */
interface InstantiateRequest {
  messageId: number;
  type: `${WorkerRequestType.INSTANTIATE}`;
  data: [mainModuleURL: string, pthreadWorkerURL: string | null];
}

/** The worker's final answer to a request (progress messages are ignored). */
interface FinalResponse {
  requestId: number;
  type: `${WorkerResponseType.OK}` | `${WorkerResponseType.ERROR}` | `${WorkerResponseType.INSTANTIATE_PROGRESS}`;
  data: { message?: string } | null;
}

/**
 * Starts the boot script (duckdb-boot-worker.ts) as a classic worker and returns it with its URL.
 * Vite rewrites `new Worker(new URL("…", import.meta.url), {type})` to the built asset or, in dev, to
 * the source with a query of its own (`?worker_file&type=classic`); the local `Worker` only records
 * that URL, so an error can name the script that really failed. Classic, because the boot script
 * loads duckdb-wasm's worker with importScripts.
 */
function startBootScript(): { worker: Worker; bootScript: string } {
  let bootScript = "";
  // Named `Worker` so that Vite's rewrite (which matches `new Worker(new URL(`) still applies.
  const Worker = class extends globalThis.Worker {
    constructor(url: URL, options: WorkerOptions) {
      bootScript = url.href;
      super(url, options);
    }
  };
  const worker = new Worker(new URL("./duckdb-boot-worker.ts", import.meta.url), { type: "classic", name: "duckdb" });
  return { worker, bootScript };
}

/**
 * Starts DuckDB's worker and has it fetch and instantiate the wasm now. Call it as early as the page
 * knows it will run a notebook; pass the result to createBrowserEngine. When a file does not load, the
 * boot's `instantiated` rejects with a message naming that file (the boot script, DuckDB's worker
 * script or the wasm) and what the server answered.
 *
 * @example
 * const boot = bootDuckdb();
 * const engine = await createBrowserEngine({ boot });
 */
export function bootDuckdb(): DuckdbBoot {
  const { mainModule, mainWorker } = browserBundle();
  // Absolute, so the boot script and duckdb-wasm (which resolve against the boot script's URL, not
  // the page's) name the very URL the page compiled.
  const wasm = new URL(mainModule, document.baseURI).href;
  // First: the download and compile are the longest step, and need nothing but the URL.
  const compiling = compileWasm(wasm);
  const { worker, bootScript } = startBootScript();
  const instantiated = new Promise<void>((resolve, reject) => {
    const done = () => {
      worker.removeEventListener("message", onMessage);
      worker.removeEventListener("error", onError);
    };
    // A boot that failed is over: later errors of the dead worker (duckdb-wasm does not catch a
    // failed instantiation) are consequences of the one reported, not uncaught errors of the page.
    const fail = (error: Error) => {
      done();
      worker.addEventListener("error", (event) => event.preventDefault());
      worker.terminate();
      reject(error);
    };
    const onMessage = (event: MessageEvent<FinalResponse | BootFailure>) => {
      const response = event.data;
      if (response?.type === "segbook-boot-failure") {
        const file = response.what === "wasm" ? `DuckDB's wasm ${mainModule}` : `DuckDB's worker script ${mainWorker}`;
        fail(new Error(`${file} did not load in DuckDB's boot script ${bootScript}: ${response.reason}`));
        return;
      }
      if (response?.requestId !== BOOT_MESSAGE_ID || response.type === "INSTANTIATE_PROGRESS") return;
      if (response.type === "OK") {
        done();
        resolve();
      } else
        fail(new Error(`DuckDB could not instantiate ${mainModule}: ${response.data?.message ?? "unknown error"}`));
    };
    // The boot script itself failed to load or to run: the files it loads report their own failures
    // above, so this one is the boot script (a load failure has no message; ask the server why).
    const onError = (event: ErrorEvent) => {
      // Handled: the rejection is how it reaches the user, not an uncaught error on the page.
      event.preventDefault();
      const script = event.filename || bootScript;
      const failed = event.message
        ? Promise.resolve(event.message)
        : describeLoadFailure(new URL(script, document.baseURI));
      void failed.then((reason) =>
        fail(
          new Error(
            `DuckDB's boot script ${script} failed to start: ${reason} (it loads DuckDB's worker script ${mainWorker} and wasm ${mainModule})`,
          ),
        ),
      );
    };
    worker.addEventListener("message", onMessage);
    worker.addEventListener("error", onError);
  });
  // Whoever takes the boot awaits it; until then a failure must not be an unhandled rejection.
  instantiated.catch(() => {});
  const start: BootStart = { type: "segbook-boot", worker: new URL(mainWorker, document.baseURI).href, wasm };
  worker.postMessage(start);
  const request: InstantiateRequest = { messageId: BOOT_MESSAGE_ID, type: "INSTANTIATE", data: [wasm, null] };
  worker.postMessage(request);
  // After INSTANTIATE, whenever the compile is done; a terminated worker just drops it.
  void compiling.then((message) => worker.postMessage(message));
  return { worker, mainModule, mainWorker, bootScript, instantiated };
}
