/**
 * One worker thread of {@link createThreadKernels}: runs kernels by name through the same registry
 * as the browser's Web Worker (src/ui/kernel-worker.ts), so both compute the same bits.
 */
import { parentPort } from "node:worker_threads";
import { runKernelMessage, transferables } from "../seg/kernel-runner.ts";

parentPort!.on("message", ({ id, name, args }: { id: number; name: string; args: unknown[] }) => {
  try {
    const value = runKernelMessage(name, args);
    parentPort!.postMessage({ id, value }, transferables(value) as never);
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message });
  }
});
