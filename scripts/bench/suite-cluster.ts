/**
 * Cluster figures: our k-means and exact silhouette kernels (in-process in Node, single thread, as
 * they run in a browser Web Worker) against scikit-learn on the same numbers. The data are
 * deterministic Gaussian blobs written once to raw little-endian float64 files that both sides read;
 * scikit-learn runs in /usr/bin/python3 (scripts/bench/cluster_sklearn.py) with 1 thread and with its
 * default thread count. Timings exclude loading the data on both sides. The k-means fits run
 * round-robin (ours, ours on worker threads, sklearn 1 thread, sklearn default threads, again) with
 * process CPU time kept beside wall time, so a busy machine shows instead of skewing one side.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { hashString, mulberry32 } from "../../src/random/index.ts";
import { kmeansKernel, type KmeansRun } from "../../src/seg/kmeans-kernel.ts";
import { silhouetteKernel } from "../../src/seg/metrics-kernel.ts";
import { median as medianOf, time, type Figure } from "./harness.ts";
import { silhouetteScoreOn } from "../../src/seg/silhouette.ts";
import { runKmeansRestarts } from "../../src/seg/kmeans-restarts.ts";
import { createThreadKernels } from "../../src/cli/thread-kernels.ts";

/** Sizes of the cluster suite: points for the k-means figures and for the (O(n^2)) silhouette ones. */
export interface ClusterSizes {
  kmeans: number[];
  silhouette: number[];
}

/** The defaults of `--cluster-sizes`. */
export const DEFAULT_CLUSTER_SIZES = "100000,1000000:10000,100000";

/**
 * Parses `--cluster-sizes KMEANS:SILHOUETTE`, two comma-separated lists of point counts (either may
 * be empty to skip those figures), e.g. "100000,1000000:10000,100000" or "20000:2000".
 */
export function parseClusterSizes(text: string): ClusterSizes {
  const parts = text.split(":");
  const list = (part: string) =>
    part
      .split(",")
      .filter((s) => s.trim() !== "")
      .map(Number);
  const sizes = parts.length === 2 ? { kmeans: list(parts[0]!), silhouette: list(parts[1]!) } : undefined;
  if (!sizes || [...sizes.kmeans, ...sizes.silhouette].some((n) => !Number.isInteger(n) || n < 100)) {
    throw new Error(
      `--cluster-sizes: cannot read "${text}"; pass k-means sizes and silhouette sizes separated by ":", ` +
        `each a comma-separated list of integers >= 100, e.g. --cluster-sizes ${DEFAULT_CLUSTER_SIZES}`,
    );
  }
  return sizes;
}

const D = 8;
const K = 8;
const SEED = 42;
// Overlapping blobs: with make_blobs' box of 10 both sides converge in 2 Lloyd iterations, which
// would time little but k-means++; at 2 they need tens, like standardised customer features.
const BOX = 2;
const KMEANS = { k: K, nInit: 10, maxIter: 300, tol: 1e-4, seed: SEED };
const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(import.meta.dirname, "cluster_sklearn.py");

/**
 * `n` points in `d` dimensions around `k` centres drawn uniformly in [-box, box]^d (sklearn's
 * make_blobs uses box 10), each point's blob uniform at random, unit-variance Gaussian noise
 * (Box-Muller). Deterministic for a seed; a smaller n gives a prefix of a larger one.
 */
export function gaussianBlobs(n: number, d: number, k: number, seed: number, box: number): Float64Array {
  const random = mulberry32(hashString("bench blobs", hashString(String(seed))));
  const centres = Float64Array.from({ length: k * d }, () => (random() * 2 - 1) * box);
  const out = new Float64Array(n * d);
  let spare: number | undefined;
  const normal = () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - random())); // 1 - u keeps log away from 0
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  for (let i = 0; i < n; ++i) {
    const blob = Math.floor(random() * k);
    for (let f = 0; f < d; ++f) out[i * d + f] = centres[blob * d + f]! + normal();
  }
  return out;
}

/** Reads a file of raw little-endian numbers into a fresh, aligned typed array. */
function readRaw<T>(file: string, make: (buffer: ArrayBuffer) => T): T {
  return make(new Uint8Array(readFileSync(file)).buffer);
}

const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

/** What cluster_sklearn.py prints. */
interface SklearnResult {
  sklearn: string;
  threads: Record<string, number | string>;
  medianMs: number;
  timesMs: number[];
  /** Process CPU time of each timed run (all threads), ms. */
  cpuMs?: number[];
  inertia?: number;
  iterations?: number;
  score?: number;
}

type Threads = "1 thread" | "default threads";

async function sklearn(args: string[], threads: Threads): Promise<SklearnResult> {
  const env = { ...process.env };
  if (threads === "1 thread") Object.assign(env, { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" });
  else for (const name of ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"]) delete env[name];
  try {
    const { stdout } = await promisify(execFile)(PYTHON, [SCRIPT, ...args], { env, maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as SklearnResult;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`cluster suite: ${PYTHON} ${path.basename(SCRIPT)} ${args[0]} failed: ${stderr || error}`, {
      cause: error,
    });
  }
}

/** "openmp 2, blas 2" from threadpoolctl's report (what sklearn really ran with). */
const describeThreads = (r: SklearnResult) =>
  Object.entries(r.threads)
    .map(([pool, count]) => `${pool} ${count}`)
    .join(", ");

/** Runs a scikit-learn task with 1 thread and with the defaults; baselines named by the threads seen. */
async function bothThreadings(args: string[]) {
  const one = await sklearn(args, "1 thread");
  const all = await sklearn(args, "default threads");
  const name = (r: SklearnResult, what: string) => `scikit-learn ${r.sklearn}, ${what}`;
  return {
    one,
    all,
    baselines: {
      [name(one, "1 thread")]: one.medianMs,
      [name(all, `default threads (${all.threads.sklearn_openmp ?? all.threads.openmp ?? "?"})`)]: all.medianMs,
    },
    threadNote: `sklearn threads: [${describeThreads(one)}] vs [${describeThreads(all)}]`,
  };
}

/**
 * The cluster suite: for each k-means size, k-means (k = 8, nInit = 10, maxIter = 300, tol = 1e-4)
 * on n x 8 blobs; for each silhouette size, the exact silhouette of an 8-cluster k-means labelling.
 * Data files go into `dir`.
 */
export async function clusterSuite(sizes: ClusterSizes, dir: string, log: (line: string) => void): Promise<Figure[]> {
  const figures: Figure[] = [];
  const dataFile = (n: number) => {
    const file = path.join(dir, `blobs-${label(n)}x${D}.f64`);
    writeFileSync(file, gaussianBlobs(n, D, K, SEED, BOX));
    return file;
  };

  for (const n of sizes.kmeans) {
    const file = dataFile(n);
    const matrix = readRaw(file, (b) => new Float64Array(b));
    // At 1M one fit takes seconds: fewer rounds, and no warm-up (the JIT is warm within the first
    // restart anyway; sklearn's first fit in a process is no slower there).
    const [runs, warmup] = n >= 1e6 ? [3, 0] : [5, 1];
    const args = ["kmeans", "--data", file, "--n", `${n}`, "--d", `${D}`, "--k", `${K}`, "--n-init"];
    args.push(`${KMEANS.nInit}`, "--max-iter", `${KMEANS.maxIter}`, "--tol", `${KMEANS.tol}`, "--seed", `${SEED}`);
    // Round-robin, one fit of each per round, so a busy spell of the (shared) machine hits every
    // side alike; wall and CPU time (process-wide: every thread's) of each fit are kept.
    const pool = createThreadKernels(os.cpus().length);
    const wall = { ours: [] as number[], pooled: [] as number[], one: [] as number[], all: [] as number[] };
    const cpu = { ours: [] as number[], pooled: [] as number[], one: [] as number[], all: [] as number[] };
    let ours: KmeansRun | undefined;
    let pooled: KmeansRun | undefined;
    let one: SklearnResult | undefined;
    let all: SklearnResult | undefined;
    const measure = async (into: "ours" | "pooled", fn: () => Promise<unknown> | unknown, keep: boolean) => {
      const startCpu = process.cpuUsage();
      const start = performance.now();
      await fn();
      const elapsed = performance.now() - start;
      const used = process.cpuUsage(startCpu);
      if (!keep) return;
      wall[into].push(elapsed);
      cpu[into].push((used.user + used.system) / 1000);
    };
    try {
      // Workers started and compiled before the first timed fit (as in a page that has run a kernel).
      await runKmeansRestarts(pool, matrix.slice(0, Math.min(n, 10000) * D), Math.min(n, 10000), D, KMEANS);
      for (let round = 0; round < warmup + runs; ++round) {
        const keep = round >= warmup;
        await measure("ours", () => (ours = kmeansKernel(matrix, n, D, KMEANS)), keep);
        await measure("pooled", async () => (pooled = await runKmeansRestarts(pool, matrix, n, D, KMEANS)), keep);
        const sk = [...args, "--runs", "1", "--warmup", round === 0 && n < 1e6 ? "1" : "0"];
        one = await sklearn(sk, "1 thread");
        all = await sklearn(sk, "default threads");
        if (keep) {
          for (const [into, r] of [
            ["one", one],
            ["all", all],
          ] as const) {
            wall[into].push(...r.timesMs);
            cpu[into].push(...(r.cpuMs ?? []));
          }
        }
        log(`cluster: k-means ${label(n)} round ${round + 1} of ${warmup + runs} done`);
      }
    } finally {
      await pool.close();
    }
    const name = (r: SklearnResult, what: string) => `scikit-learn ${r.sklearn}, ${what}`;
    const baselines = {
      [name(one!, "1 thread")]: medianOf(wall.one),
      [name(all!, `default threads (${all!.threads.sklearn_openmp ?? all!.threads.openmp ?? "?"})`)]: medianOf(
        wall.all,
      ),
    };
    const threadNote = `sklearn threads: [${describeThreads(one!)}] vs [${describeThreads(all!)}]`;
    // CPU time beside wall time: on a busy machine wall time grows with the wait for a core, CPU time
    // much less, so the two together tell contention from real cost.
    const cpuExtra = (side: "ours" | "pooled") => ({
      "CPU ms ours (median, all threads)": Math.round(medianOf(cpu[side])),
      "CPU ms sklearn 1 thread": Math.round(medianOf(cpu.one)),
      "CPU ms sklearn default threads": Math.round(medianOf(cpu.all)),
    });
    const extra: Record<string, number> = {
      "inertia ours/sklearn": ours!.inertia / all!.inertia!,
      "iterations ours": ours!.iterations,
      "iterations sklearn": all!.iterations!,
      ...cpuExtra("ours"),
    };
    // sklearn's inertia may depend on its thread count (summation order): show both only if that
    // changes more than rounding.
    if (Math.abs(one!.inertia! / all!.inertia! - 1) > 1e-9)
      extra["inertia ours/sklearn 1 thread"] = ours!.inertia / one!.inertia!;
    const rounds = `ours and sklearn measured round-robin, one fit each per round (${runs} rounds${warmup ? `, after ${warmup} warm-up round` : ""})`;
    figures.push({
      suite: "cluster",
      name: `k-means k=8, nInit=10, ${label(n)} × ${D} points`,
      median: medianOf(wall.ours),
      runs,
      unit: "ms",
      baselines,
      extra,
      note: `ours: kmeansKernel in-process, 1 thread (k-means++, Lloyd's E-step and Hartigan's passes in WebAssembly SIMD${ours!.simd ? "" : " — NOT AVAILABLE, JS fallback"}, Hamerly bounds, then Hartigan transfers: seg.kmeans defaults); sklearn KMeans(algorithm="lloyd", same k/nInit/maxIter/tol); ${threadNote}; ${rounds}`,
    });
    // As the browser runs it: the restarts split over a pool of worker threads (same result).
    figures.push({
      suite: "cluster",
      name: `k-means k=8, nInit=10, ${label(n)} × ${D} points, ours on ${pool.parallelism} worker threads`,
      median: medianOf(wall.pooled),
      runs,
      unit: "ms",
      baselines,
      extra: { "same result as 1 thread": pooled!.inertia === ours!.inertia ? 1 : 0, ...cpuExtra("pooled") },
      note: `ours: runKmeansRestarts over a pool of ${pool.parallelism} Node worker threads (as the browser's Web Worker pool runs seg.kmeans' restarts; here each thread takes the next restart from a shared counter); baselines as above`,
    });
  }

  for (const n of sizes.silhouette) {
    const file = dataFile(n);
    const matrix = readRaw(file, (b) => new Float64Array(b));
    // The labels come from one k-means run of ours and are shared through a file, so both sides
    // score exactly the same partition.
    const labels = kmeansKernel(matrix, n, D, { ...KMEANS, nInit: 1 }).labels;
    const labelFile = path.join(dir, `blobs-${label(n)}-labels.i32`);
    writeFileSync(labelFile, labels);
    const shared = readRaw(labelFile, (b) => new Int32Array(b));
    // O(n^2): at 100k one run takes many seconds, so fewer runs and no warm-up there.
    const [runs, warmup] = n >= 1e5 ? [3, 0] : [5, 1];
    let score = NaN;
    const median = await time(() => (score = silhouetteKernel(matrix, n, D, shared)), runs, warmup);
    log(`cluster: silhouette ${label(n)} ours done`);
    const args = ["silhouette", "--data", file, "--labels", labelFile, "--n", `${n}`, "--d", `${D}`];
    const sk = await bothThreadings([...args, "--runs", `${runs}`, "--warmup", `${warmup}`]);
    log(`cluster: silhouette ${label(n)} scikit-learn done`);
    figures.push({
      suite: "cluster",
      name: `silhouette (exact), ${label(n)} × ${D} points, 8 clusters`,
      median,
      runs,
      unit: "ms",
      baselines: sk.baselines,
      extra: { "silhouette ours": score, "ours − sklearn": score - sk.all.score! },
      note: `ours: silhouetteKernel in-process, 1 thread; sklearn silhouette_score (exact); ${sk.threadNote}`,
    });
    // As the browser runs it: the parts of the pair loop on a pool of worker threads.
    const pool = createThreadKernels(os.cpus().length);
    try {
      let pooled = NaN;
      const pooledMedian = await time(
        async () => (pooled = await silhouetteScoreOn(pool, matrix, n, D, shared, n, 0)),
        runs,
        1,
      );
      log(`cluster: silhouette ${label(n)} ours on ${pool.parallelism} threads done`);
      figures.push({
        suite: "cluster",
        name: `silhouette (exact), ${label(n)} × ${D} points, 8 clusters, ours on ${pool.parallelism} worker threads`,
        median: pooledMedian,
        runs,
        unit: "ms",
        baselines: sk.baselines,
        extra: { "bits equal to 1 thread": pooled === score ? 1 : 0 },
        note: `ours: silhouetteScoreOn over a pool of ${pool.parallelism} Node worker threads (as the browser's Web Worker pool), same parts and bits as 1 thread; baselines as above`,
      });
    } finally {
      await pool.close();
    }
  }
  return figures;
}
