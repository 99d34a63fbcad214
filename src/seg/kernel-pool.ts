/**
 * The one pool of kernel workers, for the browser (Web Workers, src/ui/worker-kernels.ts) and for
 * `segbook run --threads` (worker_threads, src/cli/thread-kernels.ts). What differs between the two
 * is only how a worker is made, so that is the parameter: `spawn()` returns a {@link PoolWorker}.
 * Queueing, transfers, errors and shutdown are written once, here. Workers start on first use, so a
 * notebook without heavy kernels starts none.
 */
import { handedOverBuffers, runKernelMessage, transferables, type KernelRunner } from "./kernel-runner.ts";

/** What the pool posts to a worker: run kernel `name` on `args`. */
export interface KernelRequest {
  id: number;
  name: string;
  args: unknown[];
}

/** What a worker posts back: the kernel's value, or its error's message. */
export interface KernelReply {
  id: number;
  value?: unknown;
  error?: string;
}

/**
 * The worker side of the pool: runs a request's kernel and returns the reply with the typed-array
 * buffers of the result to transfer. Both worker scripts (src/ui/kernel-worker.ts,
 * src/cli/kernel-thread.ts) are this function behind their runtime's `onmessage`.
 * @example
 * self.onmessage = (event) => { const { reply, transfer } = kernelReply(event.data); self.postMessage(reply, transfer); };
 */
export function kernelReply(request: KernelRequest): { reply: KernelReply; transfer: Transferable[] } {
  try {
    const value = runKernelMessage(request.name, request.args);
    return { reply: { id: request.id, value }, transfer: transferables(value) };
  } catch (error) {
    return { reply: { id: request.id, error: error instanceof Error ? error.message : String(error) }, transfer: [] };
  }
}

/** A worker as the pool sees it: a Web Worker or a worker_threads Worker behind the same calls. */
export interface PoolWorker {
  /** Sends a {@link KernelRequest}, moving the `transfer` buffers instead of copying them. */
  postMessage(message: KernelRequest, transfer: Transferable[]): void;
  /** Calls `listener` with each {@link KernelReply} the worker posts. */
  onMessage(listener: (reply: KernelReply) => void): void;
  /** Calls `listener` when the worker dies (an uncaught error, a script that fails to load, an exit). */
  onError(listener: (error: Error) => void): void;
  terminate(): void | Promise<unknown>;
}

/** How {@link createKernelPool} makes and feeds its workers. */
export interface KernelPoolOptions {
  /** At most this many workers, so at most this many kernels at once (at least 1). */
  size: number;
  /** Makes one worker that answers kernel requests (e.g. with {@link kernelReply}). */
  spawn: () => PoolWorker;
  /**
   * Posts one message per event-loop task (the browser): cloning a large argument (a 64 MB matrix
   * for each k-means job) takes tens of milliseconds, and several in one task would hold the page for
   * longer than a frame. Off by default: in Node nothing waits for frames.
   */
  onePostPerTask?: boolean;
  /** Names the workers in messages: "kernel workers" (the default), "kernel threads". */
  label?: string;
  /**
   * Starts all `size` workers now instead of at the first runs: a worker's start (loading the kernel
   * module, ~100 ms of a core) then overlaps what the caller does before its first kernel, e.g.
   * `segbook run` loading the data of a notebook that clusters. Off by default: a pool nobody runs
   * costs nothing.
   */
  prestart?: boolean;
}

/** A {@link KernelRunner} that can be shut down. */
export interface KernelPool extends KernelRunner {
  readonly parallelism: number;
  /** Ends every worker; jobs running or queued fail, and later runs are refused. */
  close(): Promise<void>;
}

/**
 * Why a pooled kernel failed. `kernel` names it; the message is the kernel's own when the kernel
 * threw (the same words as in-process, so a cell reads the same in the browser and in Node), and
 * names the kernel when the worker, not the kernel, failed.
 */
export class KernelError extends Error {
  constructor(
    readonly kernel: string,
    message: string,
  ) {
    super(message);
    this.name = "KernelError";
  }
}

interface Job {
  id: number;
  name: string;
  args: unknown[];
  transfer: Transferable[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: PoolWorker;
  /** The job this worker runs; a worker runs one at a time, the rest wait in the pool's queue. */
  job: Job | undefined;
  dead: boolean;
}

/**
 * A pool of up to `size` workers made by `spawn`. Jobs wait in one first-in-first-out queue and go
 * to the first idle worker (a new one while there is room), so a long kernel never holds up short
 * ones behind it and at most `size` run at once. A kernel's error fails its job only; a worker that
 * dies fails the job it ran and is replaced for the next.
 * @example
 * const pool = createKernelPool({size: 2, spawn: () => webWorker(new KernelWorker())});
 * await pool.run("calinskiHarabasz", matrix, n, d, labels); // the in-process bits
 * await pool.close();
 */
export function createKernelPool(options: KernelPoolOptions): KernelPool {
  const size = Math.max(1, Math.floor(options.size));
  const label = options.label ?? "kernel workers";
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 0;
  let closed = false;
  const pacer = options.onePostPerTask ? createPacer() : undefined;

  const finish = (slot: Slot) => {
    const job = slot.job;
    slot.job = undefined;
    return job;
  };
  const failSlot = (slot: Slot, error: Error) => {
    if (slot.dead) return;
    slot.dead = true;
    slots.splice(slots.indexOf(slot), 1);
    const job = finish(slot);
    job?.reject(
      new KernelError(job.name, `kernel "${job.name}" did not finish: one of the ${label} failed: ${error.message}`),
    );
    void Promise.resolve(slot.worker.terminate()).catch(() => {});
    dispatch();
  };
  const start = (): Slot => {
    const slot: Slot = { worker: options.spawn(), job: undefined, dead: false };
    slot.worker.onMessage((reply) => {
      if (slot.dead || slot.job?.id !== reply.id) return;
      const job = finish(slot)!;
      if (reply.error !== undefined) job.reject(new KernelError(job.name, reply.error));
      else job.resolve(reply.value);
      dispatch();
    });
    slot.worker.onError((error) => failSlot(slot, error));
    slots.push(slot);
    return slot;
  };
  const post = (slot: Slot, job: Job) => {
    if (slot.dead || slot.job !== job) return;
    try {
      slot.worker.postMessage({ id: job.id, name: job.name, args: job.args }, job.transfer);
    } catch (error) {
      // An argument that cannot be cloned (a function, a handle): this job's fault, not the worker's.
      finish(slot);
      job.reject(new KernelError(job.name, `kernel "${job.name}" could not be sent: ${(error as Error).message}`));
      dispatch();
    }
  };
  function dispatch(): void {
    while (!closed && queue.length > 0) {
      let slot = slots.find((s) => !s.job);
      if (!slot && slots.length < size) {
        try {
          slot = start();
        } catch (error) {
          const job = queue.shift()!;
          job.reject(
            new KernelError(
              job.name,
              `kernel "${job.name}": could not start the ${label}: ${(error as Error).message}`,
            ),
          );
          continue;
        }
      }
      if (!slot) return;
      const job = queue.shift()!;
      slot.job = job;
      const target = slot;
      if (pacer) pacer.send(() => post(target, job));
      else post(target, job);
    }
  }

  if (options.prestart) {
    // A worker that cannot start now is tried again at the first run, which then fails naming it.
    try {
      while (slots.length < size) start();
    } catch {
      // See above.
    }
  }

  return {
    parallelism: size,
    run(name, ...args) {
      if (closed)
        return Promise.reject(new KernelError(name, `the ${label} were stopped; kernel "${name}" cannot run`));
      // Arrays the caller gave up (handOver) move to the worker; the rest are copied, so callers may
      // reuse them (chooseK runs every k on one matrix). Read now: what was handed over by this call.
      const transfer = handedOverBuffers(args);
      return new Promise((resolve, reject) => {
        queue.push({ id: ++nextId, name, args, transfer, resolve: resolve as (v: unknown) => void, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      pacer?.close();
      const stopped = (job: Job) =>
        job.reject(new KernelError(job.name, `the ${label} were stopped before kernel "${job.name}" finished`));
      for (const job of queue.splice(0)) stopped(job);
      const all = slots.splice(0);
      for (const slot of all) {
        slot.dead = true;
        const job = finish(slot);
        if (job) stopped(job);
      }
      await Promise.all(all.map((s) => Promise.resolve(s.worker.terminate()).catch(() => {})));
    },
  };
}

/** Runs queued sends one per event-loop task (a MessageChannel round trip, not clamped like setTimeout). */
function createPacer(): { send(post: () => void): void; close(): void } {
  const outbox: (() => void)[] = [];
  let channel: MessageChannel | undefined;
  let draining = false;
  const tick = () => channel!.port2.postMessage(null);
  const open = () => {
    if (channel) return;
    channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const next = outbox.shift();
      if (!next) {
        draining = false;
        return;
      }
      next();
      tick();
    };
    // In Node a listening port keeps the process alive; the pool's workers decide that, not the pacer.
    (channel.port1 as { unref?: () => void }).unref?.();
  };
  return {
    send(post) {
      open();
      if (draining) {
        outbox.push(post);
        return;
      }
      draining = true;
      post();
      tick();
    },
    close() {
      outbox.length = 0;
      channel?.port1.close();
      channel = undefined;
      draining = false;
    },
  };
}
