/**
 * Numeric kernels run in a pool of Web Workers on the built site, and give the same results as in
 * Node (in-process).
 */
import { describe, expect, test } from "vitest";
import { inProcessKernels } from "../../src/seg/kernel-runner.ts";
import { useWorkbench } from "./helpers/setup.ts";

const workbench = useWorkbench();

describe("createWorkerKernels()", () => {
  test("run(name, args) runs a kernel in a Web Worker with the same result as in-process", async () => {
    const watched = await workbench.open();
    const page = watched.page;
    await page.goto(workbench.url("__test-notebooks__/engine-host.md"));
    await page.waitForFunction(() => (globalThis as { segbook?: unknown }).segbook !== undefined, null, {
      timeout: 90_000,
    });
    const values = [0.5, 1.25, 3, -2];
    const result = await page.evaluate(async (input) => {
      const kernels = (
        globalThis as unknown as { segbook: { kernels: { run(name: string, ...a: unknown[]): Promise<unknown> } } }
      ).segbook.kernels;
      const workers = performance.getEntriesByType("resource").filter((e) => /kernel-worker/.test(e.name)).length;
      const sum = await kernels.run("sum", new Float64Array(input));
      const unknown = await kernels.run("nope").catch((e: Error) => e.message);
      const loaded = performance.getEntriesByType("resource").filter((e) => /kernel-worker/.test(e.name)).length;
      return { sum, unknown, workersBefore: workers, workersAfter: loaded };
    }, values);
    expect(result.sum).toBe(await inProcessKernels.run("sum", new Float64Array(values)));
    expect(result.unknown).toMatch(/^unknown kernel "nope"/);
    // The worker script is fetched only when a kernel first runs.
    expect(result.workersBefore).toBe(0);
    expect(result.workersAfter).toBeGreaterThan(0);
    expect(watched.pageErrors).toEqual([]);
  });
});
