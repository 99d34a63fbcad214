/**
 * `segbook run --threads N`: kernels on Node worker threads give the in-process bits, for single
 * kernels, split k-means restarts and split silhouettes. A whole notebook's segments with and without
 * threads are compared in segbook-run-native.test.ts, next to the native engine's, so that
 * notebooks/segmentation.md runs once per configuration.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createThreadKernels } from "../../src/cli/thread-kernels.ts";
import { mulberry32 } from "../../src/random/index.ts";
import { inProcessKernels } from "../../src/seg/kernel-runner.ts";
import { runKmeansRestarts } from "../../src/seg/kmeans-restarts.ts";
import { silhouetteScoreOn } from "../../src/seg/silhouette.ts";

describe("createThreadKernels", () => {
  const pool = createThreadKernels(2);
  afterAll(() => pool.close());
  const random = mulberry32(3);
  const n = 5000;
  const d = 4;
  const matrix = Float64Array.from({ length: n * d }, (_, i) => random() * 10 + (i % 7));
  const labels = Int32Array.from({ length: n }, (_, i) => Math.floor(matrix[i * d]! / 4));

  it("runs a kernel by name on a thread with the in-process bits", async () => {
    const score = await pool.run("calinskiHarabasz", matrix, n, d, labels);
    expect(score).toBeGreaterThan(0);
    expect(score).toBe(await inProcessKernels.run("calinskiHarabasz", matrix, n, d, labels));
  });

  it("splits k-means restarts and silhouette parts over threads with the in-process bits", async () => {
    const options = { k: 4, nInit: 6, maxIter: 100, tol: 1e-4, seed: 9 };
    const threaded = await runKmeansRestarts(pool, matrix, n, d, options);
    const alone = await runKmeansRestarts(inProcessKernels, matrix, n, d, options);
    expect(threaded.inertia).toBe(alone.inertia);
    expect(Array.from(threaded.labels)).toEqual(Array.from(alone.labels));
    const score = await silhouetteScoreOn(pool, matrix, n, d, labels, n, 0);
    expect(score).toBe(await silhouetteScoreOn(inProcessKernels, matrix, n, d, labels, n, 0));
  });

  it("fails a job with the kernel's message", async () => {
    const one = new Int32Array(n);
    await expect(pool.run("calinskiHarabasz", matrix, n, d, one)).rejects.toThrow(
      /^calinskiHarabasz: number of labels is 1 for 5000 points; valid values are 2 to n - 1/,
    );
  });
});
