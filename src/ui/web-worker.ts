/**
 * A browser Worker as the kernel pool's worker (src/seg/kernel-pool.ts), for the page's pool
 * (worker-kernels.ts) and the sandbox frame's (sandbox/frame-kernels.ts).
 */
import type { PoolWorker } from "../seg/kernel-pool.ts";

/**
 * A Web Worker as the pool's {@link PoolWorker}. A worker whose script fails to load or throws
 * outside a kernel reports an ErrorEvent, which the pool turns into its jobs' failure.
 * @example createKernelPool({size: 2, spawn: () => webWorker(new KernelWorker())})
 */
export function webWorker(worker: Worker): PoolWorker {
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    onMessage: (listener) => worker.addEventListener("message", (event) => listener(event.data)),
    onError: (listener) => {
      worker.addEventListener("error", (event) => {
        event.preventDefault();
        listener(new Error(event.message || "the worker script failed to load"));
      });
      worker.addEventListener("messageerror", () => listener(new Error("a message could not be read")));
    },
    terminate: () => worker.terminate(),
  };
}
