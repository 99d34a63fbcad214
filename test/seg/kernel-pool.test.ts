/**
 * The one worker pool (src/seg/kernel-pool.ts) on real worker threads: queueing, bounded
 * concurrency, errors that name the kernel, and shutdown. The threads run test/seg/helpers/pool-thread.ts,
 * which answers the real kernels plus a few requests that misbehave on purpose.
 */
import { afterEach, describe, expect, it } from "vitest";
import { spawnThread } from "../../src/cli/thread-kernels.ts";
import { createKernelPool, KernelError, type KernelPool } from "../../src/seg/kernel-pool.ts";
import { inProcessKernels } from "../../src/seg/kernel-runner.ts";

const script = new URL("./helpers/pool-thread.ts", import.meta.url);
const pools: KernelPool[] = [];

/** Starts `size` threads and waits until each has answered once, so timings below exclude start-up. */
async function warmUp(run: (name: string, ...args: unknown[]) => Promise<unknown>, size: number) {
  await Promise.all(Array.from({ length: size }, () => run("sleep", 300)));
}

/** A pool of `size` test threads, and how many threads it has started. */
function testPool(size: number, prestart = false) {
  const started = { count: 0 };
  const pool = createKernelPool({
    size,
    prestart,
    label: "test threads",
    spawn: () => {
      started.count += 1;
      return spawnThread(script);
    },
  });
  pools.push(pool);
  const run = pool.run as (name: string, ...args: unknown[]) => Promise<unknown>;
  return { pool, run, started };
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe("createKernelPool", () => {
  it("runs at most `size` kernels at once, on at most `size` workers, and starts none before a run", async () => {
    const { run, started } = testPool(2);
    expect(started.count).toBe(0);
    await warmUp(run, 2);
    const counter = new Int32Array(new SharedArrayBuffer(8));
    const threads = await Promise.all(Array.from({ length: 6 }, () => run("sleep", 200, counter)));
    expect(started.count).toBe(2);
    expect(new Set(threads).size).toBe(2);
    expect(counter[1]).toBe(2); // two ran together, never three
  });

  it("with prestart, starts all `size` workers before any run and runs on those, starting no more", async () => {
    const { run, started } = testPool(3, true);
    expect(started.count).toBe(3);
    const threads = await Promise.all(Array.from({ length: 6 }, () => run("sleep", 50)));
    expect(started.count).toBe(3);
    expect(new Set(threads).size).toBeLessThanOrEqual(3);
  });

  it("queues jobs for the first idle worker, so short kernels do not wait behind a long one", async () => {
    const { run } = testPool(2);
    await warmUp(run, 2);
    const finished: string[] = [];
    const job = (name: string, ms: number) => run("sleep", ms).then(() => finished.push(name));
    await Promise.all([job("long", 1500), job("short 1", 10), job("short 2", 10), job("short 3", 10)]);
    expect(finished).toEqual(["short 1", "short 2", "short 3", "long"]);
  });

  it("run(name, ...args) gives the in-process result; a kernel's error or unsendable arguments fail that job only, naming the kernel", async () => {
    const { run, started } = testPool(1);
    const matrix = Float64Array.from([1, 2, 1.5, 2.5, 8, 9, 8.5, 9.5, 9, 8]);
    const labels = Int32Array.from([0, 0, 1, 1, 1]);
    expect(await run("calinskiHarabasz", matrix, 5, 2, labels)).toBe(
      await inProcessKernels.run("calinskiHarabasz", matrix, 5, 2, labels),
    );
    const error = (await run("calinskiHarabasz", new Float64Array(4), 2, 2, Int32Array.from([0, 0])).catch(
      (e) => e,
    )) as KernelError;
    expect(error).toBeInstanceOf(KernelError);
    expect(error.kernel).toBe("calinskiHarabasz");
    // The kernel's own words, as in-process: a cell reads the same in the browser and in Node.
    expect(error.message).toBe(
      await inProcessKernels
        .run("calinskiHarabasz", new Float64Array(4), 2, 2, Int32Array.from([0, 0]))
        .catch((e) => e.message),
    );
    await expect(run("nope")).rejects.toThrow(/^unknown kernel "nope"; known kernels: kmeans,/);
    await expect(run("daviesBouldin", () => 1)).rejects.toThrow(/^kernel "daviesBouldin" could not be sent: /);
    expect(await run("sleep", 1)).toEqual(expect.any(Number));
    expect(started.count).toBe(1);
  });

  it("a worker that dies fails its job naming the kernel, and a new worker takes the jobs queued behind it", async () => {
    const { run, started } = testPool(1);
    for (const [name, message] of [
      ["crash", /^kernel "crash" did not finish: one of the test threads failed: thread blew up$/],
      ["exit", /^kernel "exit" did not finish: one of the test threads failed: the thread exited with code 3$/],
    ] as const) {
      const dying = run(name);
      const queued = run("sleep", 1);
      await expect(dying).rejects.toThrow(message);
      expect(await queued).toEqual(expect.any(Number));
    }
    expect(started.count).toBe(3);
  });

  it("close() rejects running and queued jobs, ends the workers, and refuses later runs", async () => {
    const { pool, run } = testPool(1);
    await warmUp(run, 1);
    const stopped = /^the test threads were stopped before kernel "sleep" finished$/;
    const running = expect(run("sleep", 5000)).rejects.toThrow(stopped);
    const queued = expect(run("sleep", 1)).rejects.toThrow(stopped);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await pool.close();
    expect(Date.now() - started).toBeLessThan(4000); // terminated, not waited for
    await running;
    await queued;
    await expect(run("sleep", 1)).rejects.toThrow(/^the test threads were stopped; kernel "sleep" cannot run$/);
  });
});
