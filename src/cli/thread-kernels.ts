/**
 * A {@link KernelRunner} over Node worker threads, the Node twin of the browser's Web Worker pool
 * (src/ui/worker-kernels.ts): `segbook run --threads N` spreads k-means restarts and silhouette parts
 * over N cores. Work is split the same way whatever N, so results are the same bits as in-process.
 * Threads start on first use, so a notebook without heavy kernels starts none.
 */
import { Worker } from "node:worker_threads";
import { handedOverBuffers, type KernelRunner } from "../seg/kernel-runner.ts";

/**
 * Worker threads do not inherit tsx's loader from the main thread: each registers it, then loads the
 * TypeScript worker. (An eval'd CommonJS script: no top-level await there.)
 */
function bootstrap(): string {
  const tsx = import.meta.resolve("tsx/esm/api");
  const thread = new URL("./kernel-thread.ts", import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(thread)}); });`;
}

interface Slot {
  worker: Worker;
  busy: number;
}

/** A pool of up to `size` worker threads; `close()` ends them and fails jobs still running. */
export function createThreadKernels(size: number): KernelRunner & { close(): Promise<void> } {
  const slots: Slot[] = [];
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; slot: Slot }>();
  let nextId = 0;
  const failAll = (error: Error, slot?: Slot) => {
    for (const [id, job] of pending) {
      if (slot && job.slot !== slot) continue;
      pending.delete(id);
      job.reject(error);
    }
  };
  const start = (): Slot => {
    const slot: Slot = { worker: new Worker(bootstrap(), { eval: true }), busy: 0 };
    slot.worker.on("message", ({ id, value, error }: { id: number; value?: unknown; error?: string }) => {
      const job = pending.get(id);
      if (!job) return;
      pending.delete(id);
      slot.busy -= 1;
      if (error !== undefined) job.reject(new Error(error));
      else job.resolve(value);
    });
    slot.worker.on("error", (error) => failAll(new Error(`a kernel thread failed: ${error.message}`), slot));
    slots.push(slot);
    return slot;
  };
  // The least busy thread; a new one while there is room and every thread is busy.
  const pick = () =>
    slots.length < size && slots.every((s) => s.busy > 0) ? start() : slots.reduce((a, b) => (b.busy < a.busy ? b : a));
  return {
    parallelism: size,
    run(name, ...args) {
      const slot = pick();
      slot.busy += 1;
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, slot });
        // Arrays the caller gave up (handOver) move to the thread; the rest are copied.
        slot.worker.postMessage({ id, name, args }, handedOverBuffers(args) as never);
      });
    },
    async close() {
      failAll(new Error("the kernel threads were stopped"));
      await Promise.all(slots.map((s) => s.worker.terminate()));
      slots.length = 0;
    },
  };
}
