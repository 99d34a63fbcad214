/**
 * Starting duckdb-wasm's worker and the download of its 30+ MB wasm before DuckDB's client library (and Apache Arrow,
 * which it imports) has even been fetched: the page can call {@link bootDuckdb} from its entry chunk
 * at almost no cost, and the download and compile of the wasm (the longest step of a page's start)
 * overlap with loading the rest of the app. {@link createBrowserEngine} then attaches to the booted
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
import bootWorker from "./duckdb-boot-worker.ts?worker&url";

/** A duckdb-wasm worker told to instantiate its wasm (see {@link bootDuckdb}). */
export interface DuckdbBoot {
  worker: Worker;
  /** The bundle's wasm URL (for messages). */
  mainModule: string;
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
 * Starts DuckDB's worker and has it fetch and instantiate the wasm now. Call it as early as the page
 * knows it will run a notebook; pass the result to createBrowserEngine.
 */
export function bootDuckdb(): DuckdbBoot {
  const { mainModule, mainWorker } = browserBundle();
  // The boot script starts the wasm download, then loads duckdb-wasm's worker script in itself.
  const query = new URLSearchParams({ worker: mainWorker, wasm: mainModule });
  const worker = new Worker(`${bootWorker}?${query}`);
  const instantiated = new Promise<void>((resolve, reject) => {
    const done = () => {
      worker.removeEventListener("message", onMessage);
      worker.removeEventListener("error", onError);
    };
    const onMessage = (event: MessageEvent<FinalResponse>) => {
      const response = event.data;
      if (response?.requestId !== BOOT_MESSAGE_ID || response.type === "INSTANTIATE_PROGRESS") return;
      done();
      if (response.type === "OK") resolve();
      else
        reject(new Error(`DuckDB could not instantiate ${mainModule}: ${response.data?.message ?? "unknown error"}`));
    };
    // The worker script itself failed to load or run (e.g. a missing file on the server).
    const onError = (event: ErrorEvent) => {
      done();
      reject(new Error(`DuckDB's worker ${mainWorker} failed to start: ${event.message || "the script did not load"}`));
    };
    worker.addEventListener("message", onMessage);
    worker.addEventListener("error", onError);
  });
  // Whoever takes the boot awaits it; until then a failure must not be an unhandled rejection.
  instantiated.catch(() => {});
  const request: InstantiateRequest = { messageId: BOOT_MESSAGE_ID, type: "INSTANTIATE", data: [mainModule, null] };
  worker.postMessage(request);
  return { worker, mainModule, instantiated };
}
