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
    // Two features of five points in two clusters.
    const values = [1, 2, 1.5, 2.5, 8, 9, 8.5, 9.5, 9, 8];
    const labels = [0, 0, 1, 1, 1];
    const result = await page.evaluate(
      async (input) => {
        const kernels = (
          globalThis as unknown as { segbook: { kernels: { run(name: string, ...a: unknown[]): Promise<unknown> } } }
        ).segbook.kernels;
        const workers = performance.getEntriesByType("resource").filter((e) => /kernel-worker/.test(e.name)).length;
        const score = await kernels.run(
          "calinskiHarabasz",
          new Float64Array(input.values),
          5,
          2,
          new Int32Array(input.labels),
        );
        const unknown = await kernels.run("nope").catch((e: Error) => e.message);
        const loaded = performance.getEntriesByType("resource").filter((e) => /kernel-worker/.test(e.name)).length;
        return { score, unknown, workersBefore: workers, workersAfter: loaded };
      },
      { values, labels },
    );
    const expected = await inProcessKernels.run(
      "calinskiHarabasz",
      new Float64Array(values),
      5,
      2,
      new Int32Array(labels),
    );
    expect(expected).toBeGreaterThan(0);
    expect(result.score).toBe(expected);
    expect(result.unknown).toMatch(/^unknown kernel "nope"/);
    // The worker script is fetched only when a kernel first runs.
    expect(result.workersBefore).toBe(0);
    expect(result.workersAfter).toBeGreaterThan(0);
    expect(watched.pageErrors).toEqual([]);
  });

  test('run("kmeans") in a Web Worker takes the WebAssembly SIMD path and gives the in-process bits', async () => {
    const watched = await workbench.open();
    const page = watched.page;
    await page.goto(workbench.url("__test-notebooks__/engine-host.md"));
    await page.waitForFunction(() => (globalThis as { segbook?: unknown }).segbook !== undefined, null, {
      timeout: 90_000,
    });
    const n = 3000;
    const values = Array.from({ length: n * 4 }, (_, i) => ((i * 7919) % 1000) / 100 + (i % 3) * 5);
    const options = { k: 5, nInit: 3, maxIter: 100, tol: 1e-4, seed: 4 };
    const browser = await page.evaluate(
      async ({ values, options }) => {
        const kernels = (
          globalThis as unknown as { segbook: { kernels: { run(name: string, ...a: unknown[]): Promise<unknown> } } }
        ).segbook.kernels;
        const run = (await kernels.run("kmeans", new Float64Array(values), values.length / 4, 4, options)) as {
          labels: Int32Array;
          inertia: number;
          simd: boolean;
        };
        return { labels: Array.from(run.labels), inertia: run.inertia, simd: run.simd };
      },
      { values, options },
    );
    const node = await inProcessKernels.run("kmeans", new Float64Array(values), n, 4, options);
    // The page's CSP allows 'wasm-unsafe-eval'; if the workers fell back to JS the result would be
    // the same, so the path is checked on its own.
    expect(browser.simd).toBe(true);
    expect(node.simd).toBe(true);
    expect(browser.inertia).toBe(node.inertia);
    expect(browser.labels).toEqual(Array.from(node.labels));
    expect(watched.pageErrors).toEqual([]);
  });
});
