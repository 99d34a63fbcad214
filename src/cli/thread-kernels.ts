/**
 * Kernels on Node worker threads, the Node twin of the browser's Web Workers
 * (src/ui/worker-kernels.ts): `segbook run --threads N` spreads k-means restarts and silhouette parts
 * over N cores. Both are the one pool of src/seg/kernel-pool.ts; only how a worker is made differs.
 * Work is split the same way whatever N, so results are the same bits as in-process.
 */
import { Worker } from "node:worker_threads";
import { createKernelPool, type KernelPool, type KernelReply, type PoolWorker } from "../seg/kernel-pool.ts";

/**
 * Worker threads do not inherit tsx's loader from the main thread: each registers it, then loads the
 * TypeScript worker. (An eval'd CommonJS script: no top-level await there.)
 */
function bootstrap(script: URL): string {
  const tsx = import.meta.resolve("tsx/esm/api");
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(script.href)}); });`;
}

/**
 * The kernel thread's module beside this one: kernel-thread.js when this code runs compiled (the
 * `segbook` command, build/cli/, where the build makes kernel-thread.js an entry of its own), else the
 * TypeScript source (tests, and the command's fallback to its sources).
 */
const KERNEL_THREAD = new URL(
  import.meta.url.endsWith(".ts") ? "./kernel-thread.ts" : "./kernel-thread.js",
  import.meta.url,
);

/**
 * A worker_threads Worker as the pool's {@link PoolWorker}, running the module `script` (the kernel
 * thread unless given): a compiled .js module directly, a TypeScript one through tsx. An exit the
 * pool did not ask for counts as a failure.
 * @example createKernelPool({size: 2, spawn: () => spawnThread()})
 */
export function spawnThread(script = KERNEL_THREAD): PoolWorker {
  const worker = script.pathname.endsWith(".ts") ? new Worker(bootstrap(script), { eval: true }) : new Worker(script);
  let terminating = false;
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer as never),
    onMessage: (listener) => worker.on("message", (reply: KernelReply) => listener(reply)),
    onError: (listener) => {
      worker.on("error", listener);
      worker.on("messageerror", listener);
      worker.on("exit", (code) => {
        if (!terminating) listener(new Error(`the thread exited with code ${code}`));
      });
    },
    terminate: () => {
      terminating = true;
      return worker.terminate();
    },
  };
}

/**
 * A pool of up to `size` worker threads; `close()` ends them and fails jobs still running. With
 * `prestart` the threads start at once (see KernelPoolOptions.prestart).
 * @example const pool = createThreadKernels(4); await runKmeansRestarts(pool, …); await pool.close();
 */
export function createThreadKernels(size: number, options: { prestart?: boolean } = {}): KernelPool {
  return createKernelPool({ size, spawn: () => spawnThread(), label: "kernel threads", ...options });
}
