/**
 * A {@link KernelRunner} backed by a small pool of Web Workers, created on first use. Jobs go to the
 * least busy worker, so independent kernels (k-means restarts, silhouettes) run in parallel; `parallelism`
 * tells callers how many parts are worth splitting work into (see seg/kmeans-restarts.ts).
 */
import { handedOverBuffers, type KernelRunner } from "../seg/kernel-runner.ts";
import KernelWorker from "./kernel-worker.ts?worker";

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** Creates the pool; `size` defaults to the cores less one for the page (at least 1, at most 4). */
export function createWorkerKernels(
  size = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)),
): KernelRunner & {
  terminate(): void;
} {
  const workers: { worker: Worker; busy: number }[] = [];
  const pending = new Map<number, Pending & { slot: { busy: number } }>();
  let nextId = 0;
  const slot = () => {
    if (workers.length < size && workers.every((w) => w.busy > 0)) {
      const worker = new KernelWorker();
      const entry = { worker, busy: 0 };
      worker.onmessage = (event: MessageEvent<{ id: number; value?: unknown; error?: string }>) => {
        const job = pending.get(event.data.id);
        if (!job) return;
        pending.delete(event.data.id);
        job.slot.busy--;
        if (event.data.error !== undefined) job.reject(new Error(event.data.error));
        else job.resolve(event.data.value);
      };
      workers.push(entry);
      return entry;
    }
    return workers.reduce((a, b) => (b.busy < a.busy ? b : a));
  };
  // One message per task: cloning a large argument (a 64 MB matrix for each k-means job) takes tens
  // of milliseconds, and several in one task would hold the page for longer than a frame budget allows.
  const outbox: (() => void)[] = [];
  const ticks = new MessageChannel();
  let draining = false;
  ticks.port1.onmessage = () => {
    const next = outbox.shift();
    if (!next) {
      draining = false;
      return;
    }
    next();
    ticks.port2.postMessage(null);
  };
  const send = (post: () => void) => {
    if (draining) {
      outbox.push(post);
      return;
    }
    draining = true;
    post();
    ticks.port2.postMessage(null);
  };
  return {
    parallelism: size,
    run(name, ...args) {
      const entry = slot();
      const id = ++nextId;
      entry.busy++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, slot: entry });
        // Arguments are copied, not transferred: callers may reuse them (chooseK runs every k on one
        // matrix); only arrays the caller gave up with handOver() are moved.
        const transfer = handedOverBuffers(args); // now: what was handed over by the time of this call
        send(() => entry.worker.postMessage({ id, name, args }, transfer));
      });
    },
    terminate() {
      outbox.length = 0;
      for (const { worker } of workers) worker.terminate();
      workers.length = 0;
      for (const job of pending.values()) job.reject(new Error("the kernel workers were stopped"));
      pending.clear();
    },
  };
}
