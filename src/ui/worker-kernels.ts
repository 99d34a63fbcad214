/**
 * Kernels on a small pool of Web Workers, created on first use, so heavy work (k-means restarts,
 * silhouettes) never freezes the page. The pool is src/seg/kernel-pool.ts, shared with `segbook run`'s
 * worker threads; `parallelism` tells callers how many parts are worth splitting work into (see
 * seg/kmeans-restarts.ts).
 */
import { createKernelPool, type KernelPool } from "../seg/kernel-pool.ts";
import KernelWorker from "./kernel-worker.ts?worker";
import { webWorker } from "./web-worker.ts";

// Where it lived before the sandbox frame needed it without this file's `?worker` import.
export { webWorker };

/**
 * Creates the pool; `size` defaults to the cores less one for the page (at least 1, at most 4).
 * @example const kernels = createWorkerKernels(); await kernels.run("kmeans", …); await kernels.close();
 */
export function createWorkerKernels(
  size = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)),
): KernelPool {
  return createKernelPool({ size, spawn: () => webWorker(new KernelWorker()), onePostPerTask: true });
}
