/**
 * One worker thread of {@link createThreadKernels}: answers kernel requests with the same function as
 * the browser's Web Worker (src/ui/kernel-worker.ts), so both compute the same bits.
 */
import { parentPort } from "node:worker_threads";
import { kernelReply, type KernelRequest } from "../seg/kernel-pool.ts";

parentPort!.on("message", (request: KernelRequest) => {
  const { reply, transfer } = kernelReply(request);
  parentPort!.postMessage(reply, transfer as never);
});
