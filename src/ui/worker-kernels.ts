/**
 * Kernels on a small pool of Web Workers, created on first use, so heavy work (k-means restarts,
 * silhouettes) never freezes the page. The pool is src/seg/kernel-pool.ts, shared with `segbook run`'s
 * worker threads; `parallelism` tells callers how many parts are worth splitting work into (see
 * seg/kmeans-restarts.ts).
 */
import { createKernelPool, type KernelPool, type PoolWorker } from "../seg/kernel-pool.ts";
import KernelWorker from "./kernel-worker.ts?worker";

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

/**
 * Creates the pool; `size` defaults to the cores less one for the page (at least 1, at most 4).
 * @example const kernels = createWorkerKernels(); await kernels.run("kmeans", …); await kernels.close();
 */
export function createWorkerKernels(
  size = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)),
): KernelPool {
  return createKernelPool({ size, spawn: () => webWorker(new KernelWorker()), onePostPerTask: true });
}
