/**
 * `seg`'s kernel pool inside the sandbox frame: Web Workers started from a `blob:` URL of the kernel
 * worker's code, which is part of the frame's bundle (src/ui/build/sandbox-frame-plugin.ts). The
 * frame may load nothing from the site (opaque origin, no network), and `blob:` workers are what its
 * policy allows (`worker-src blob:`); they inherit that policy, so they reach no network either.
 */
import kernelWorkerCode from "virtual:segbook-sandbox-kernel-worker";
import { createKernelPool, type KernelPool } from "../../seg/kernel-pool.ts";
import { webWorker } from "../web-worker.ts";

let url: string | undefined;

/**
 * A kernel pool of `blob:` workers of this frame; `size` as the page's pool (cores less one, 1–4).
 *
 * @example
 * const seg = segLibrary({ kernels: frameKernels() });
 */
export function frameKernels(size = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1))): KernelPool {
  url ??= URL.createObjectURL(new Blob([kernelWorkerCode], { type: "text/javascript" }));
  const workerUrl = url;
  return createKernelPool({ size, spawn: () => webWorker(new Worker(workerUrl)), onePostPerTask: true });
}
