/**
 * A Web Worker that runs numeric kernels for the page: `{id, name, args}` in, `{id, value}` or
 * `{id, error}` out. Results' typed arrays are transferred, not copied.
 */
import { runKernelMessage, transferables } from "../seg/kernel-runner.ts";

interface Request {
  id: number;
  name: string;
  args: unknown[];
}

self.onmessage = (event: MessageEvent<Request>) => {
  const { id, name, args } = event.data;
  try {
    const value = runKernelMessage(name, args);
    (self as unknown as Worker).postMessage({ id, value }, transferables(value));
  } catch (error) {
    (self as unknown as Worker).postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
