/**
 * A Web Worker that runs numeric kernels for the page's pool (src/ui/worker-kernels.ts): requests in,
 * replies out, as src/seg/kernel-pool.ts defines them. Results' typed arrays are transferred, not copied.
 */
import { kernelReply, type KernelRequest } from "../seg/kernel-pool.ts";

self.onmessage = (event: MessageEvent<KernelRequest>) => {
  const { reply, transfer } = kernelReply(event.data);
  (self as unknown as Worker).postMessage(reply, transfer);
};
