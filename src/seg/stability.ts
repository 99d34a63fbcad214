/**
 * seg.stability: are the clusters real, or would other customers from the same population have
 * given different ones? Hennig's clusterboot (fpc::clusterboot): recluster bootstrap samples with the
 * same method and settings (k-means, a Gaussian mixture or k-prototypes) and see how well each
 * original cluster is found again, measured by the best Jaccard similarity with a bootstrap cluster,
 * averaged over the replicates.
 */
import type { SegContext, TableInput } from "./context.ts";
import { segTable, type ClusterMethod, type SegTable } from "./contract.ts";
import { featureMatrix, type FeatureOptions } from "./features.ts";
import { gmmSettings, type GmmOptions } from "./gmm.ts";
import { checkK } from "./kmeans.ts";
import { inProcessKernels, type KernelRunner } from "./kernel-runner.ts";
import { runKmeansRestarts } from "./kmeans-restarts.ts";
import { kprototypesSettings, readKprototypesData, type KprototypesOptions } from "./kprototypes.ts";
import { checkMethod, type MethodOptions } from "./methods.ts";
import { checkInteger, droppedWarning, sizesOf } from "./model-helpers.ts";
import { bestJaccard, bootstrapSample, replicateSeed } from "./stability-kernel.ts";
import { valuesTable } from "./values-table.ts";

/** A feature matrix already made (e.g. by seg.featureMatrix): row-major n x d. */
export interface MatrixInput {
  matrix: Float64Array;
  n: number;
  d: number;
}

/**
 * Options of {@link stability}: the method and its settings as that method takes them (`k`,
 * `features`, `categorical` for k-prototypes, `nInit`, `covariance`, ...), plus the bootstrap.
 */
export interface StabilityOptions extends MethodOptions {
  /** Number of clusters. */
  k: number;
  /** Bootstrap replicates (default 100). */
  bootstrap?: number;
  /** Seed of the fit of the full data, the bootstrap draws and every replicate's fit (default: the notebook seed). */
  seed?: number;
  /** Explicit bootstrap samples (0-based row indices, one list per replicate) instead of seeded draws. */
  samples?: readonly (readonly number[])[];
}

/** How far a cluster can be trusted, from its mean Jaccard (Hennig's guidance). */
export type StabilityReading = "do not trust" | "pattern, not cluster" | "stable" | "highly stable";

/** One original cluster's bootstrap record (a row of the result, camelCase). */
export interface ClusterStability {
  cluster: number;
  size: number;
  /** Mean over replicates of the best Jaccard with a bootstrap cluster. */
  meanJaccard: number;
  /** Replicates where it dissolved (Jaccard <= 0.5) or was recovered (Jaccard >= 0.75). */
  dissolved: number;
  recovered: number;
  /** Replicates where the cluster had at least one point in the sample (the mean is over these). */
  replicates: number;
  reading: StabilityReading;
}

/** What {@link stability} reports in `info`. */
export interface StabilityInfo {
  method: ClusterMethod;
  k: number;
  bootstrap: number;
  seed: number;
  /** Rows clustered, and rows dropped for missing values. */
  n: number;
  dropped: number;
  /** Best Jaccard per replicate (rows) and original cluster (columns); null where the cluster was not drawn. */
  jaccard: (number | null)[][];
}

/**
 * What {@link stability} returns: a table with one row per original cluster (`cluster`, `size`,
 * `mean_jaccard`, `dissolved`, `recovered`, `replicates`, `reading`), with every replicate's Jaccard
 * values in `info.jaccard`.
 */
export type StabilityResult = SegTable<StabilityInfo>;

/** The reading of a mean Jaccard: < 0.6 do not trust, < 0.75 a pattern, >= 0.75 stable, >= 0.85 highly stable. */
export function stabilityReading(meanJaccard: number): StabilityReading {
  if (!(meanJaccard >= 0.6)) return "do not trust";
  if (meanJaccard < 0.75) return "pattern, not cluster";
  return meanJaccard >= 0.85 ? "highly stable" : "stable";
}

const CHUNK = 8; // k-means replicates per kernel call: enough to keep every worker busy, few copies of the matrix

function isMatrixInput(value: unknown): value is MatrixInput {
  return typeof value === "object" && value !== null && (value as MatrixInput).matrix instanceof Float64Array;
}

/** The rows of `matrix` (n x d) listed in `sample`, in order. */
function pick<A extends Float64Array | Int32Array>(values: A, width: number, sample: Int32Array): A {
  const out = new (values.constructor as new (length: number) => A)(sample.length * width);
  for (let i = 0; i < sample.length; ++i) {
    out.set(values.subarray(sample[i]! * width, sample[i]! * width + width), i * width);
  }
  return out;
}

/** A method ready to bootstrap: the full fit's labels and the best Jaccard of given replicates. */
interface Bootstrapper {
  n: number;
  dropped: number;
  labels: Int32Array;
  /** Best Jaccard per original cluster of each replicate, row-major replicates x k. */
  replicates(replicates: Int32Array, samples: Int32Array[] | undefined): Promise<Float64Array>;
}

async function kmeansBootstrapper(
  kernels: KernelRunner,
  input: MatrixInput,
  options: StabilityOptions,
  k: number,
  seed: number,
  fn: string,
): Promise<Omit<Bootstrapper, "dropped">> {
  const { matrix, n, d } = input;
  const settings = {
    k,
    nInit: checkInteger(options.nInit ?? 10, "nInit", 1, fn),
    maxIter: checkInteger(options.maxIter ?? 300, "maxIter", 1, fn),
    tol: options.tol ?? 1e-4,
  };
  checkK(matrix, n, d, k, fn);
  const original = await runKmeansRestarts(kernels, matrix, n, d, { ...settings, seed });
  return {
    n,
    labels: original.labels,
    replicates: (replicates, samples) =>
      kernels.run("clusterboot", matrix, n, d, original.labels, settings, seed, replicates, samples),
  };
}

async function gmmBootstrapper(
  kernels: KernelRunner,
  input: MatrixInput,
  options: StabilityOptions,
  k: number,
  seed: number,
  fn: string,
): Promise<Omit<Bootstrapper, "dropped">> {
  const { matrix, n, d } = input;
  const settings = gmmSettings(options as Partial<GmmOptions>, fn);
  checkK(matrix, n, d, k, fn);
  const fit = async (data: Float64Array, rows: number, runSeed: number) => {
    try {
      return await kernels.run("gmm", data, rows, d, { k, ...settings, seed: runSeed });
    } catch (error) {
      throw new Error(`seg.${fn}: ${(error as Error).message}`, { cause: error });
    }
  };
  const original = await fit(matrix, n, seed);
  return {
    n,
    labels: original.labels,
    replicates: async (replicates, samples) => {
      const out = new Float64Array(replicates.length * k);
      await Promise.all(
        Array.from(replicates, async (replicate, r) => {
          const sample = samples ? samples[r]! : bootstrapSample(n, seed, replicate);
          const run = await fit(pick(matrix, d, sample), sample.length, replicateSeed(seed, replicate));
          out.set(bestJaccard(original.labels, k, sample, run.labels, k), r * k);
        }),
      );
      return out;
    },
  };
}

async function kprototypesBootstrapper(
  ctx: SegContext,
  kernels: KernelRunner,
  table: TableInput,
  options: StabilityOptions,
  k: number,
  seed: number,
  fn: string,
): Promise<Bootstrapper> {
  const settings = kprototypesSettings(options as Partial<KprototypesOptions>, fn);
  const data = await readKprototypesData(ctx, table, options as Partial<KprototypesOptions>, fn);
  const { fm, num, p, cat, m, counts, gamma } = data;
  const { n } = fm;
  checkK(fm.matrix, n, fm.d, k, fn);
  const fit = (numeric: Float64Array, codes: Int32Array, rows: number, runSeed: number) =>
    kernels.run("kprototypes", numeric, rows, p, codes, m, counts, {
      k,
      gamma,
      nInit: settings.nInit,
      maxIter: settings.maxIter,
      seed: runSeed,
    });
  const original = await fit(num, cat, n, seed);
  return {
    n,
    dropped: fm.dropped,
    labels: original.labels,
    replicates: async (replicates, samples) => {
      const out = new Float64Array(replicates.length * k);
      await Promise.all(
        Array.from(replicates, async (replicate, r) => {
          const sample = samples ? samples[r]! : bootstrapSample(n, seed, replicate);
          const run = await fit(
            pick(num, p, sample),
            pick(cat, m, sample),
            sample.length,
            replicateSeed(seed, replicate),
          );
          out.set(bestJaccard(original.labels, k, sample, run.labels, k), r * k);
        }),
      );
      return out;
    },
  };
}

/**
 * Bootstrap stability of clusters (Hennig's clusterboot) for any clustering `method`: the data are
 * clustered once, then `bootstrap` samples of n rows drawn with replacement are clustered again with
 * the same method and settings; for each original cluster the best Jaccard similarity with a
 * bootstrap cluster (on the distinct points drawn) is averaged over replicates. Readings: < 0.6 "do
 * not trust", 0.6-0.75 "pattern, not cluster", >= 0.75 "stable", >= 0.85 "highly stable".
 * `dissolved` counts replicates with Jaccard <= 0.5 and `recovered` those >= 0.75, as fpc does.
 * Replicate r's draw and seed depend only on `seed` and r. The clusters are numbered as the
 * method's own function numbers them with the same options and seed.
 *
 * @example
 * const st = await seg.stability(customers, {method: "kmeans", features: ["age"], k: 3, bootstrap: 20});
 * await st.rows(); // [{cluster: 0, size, mean_jaccard, dissolved, recovered, replicates, reading}, ...]
 * st.info.jaccard; // one row per replicate, one value per cluster
 */
export async function stability(
  ctx: SegContext,
  data: TableInput | MatrixInput,
  options: StabilityOptions,
): Promise<StabilityResult> {
  const fn = "stability";
  if (!options || typeof options !== "object") {
    throw new Error('seg.stability: pass {method: "kmeans", k: 4, features: [...]} (the clustering to bootstrap)');
  }
  if ("cluster" in options) {
    throw new Error(
      "seg.stability: the clustering settings are now options of their own: {method, k, features, nInit, ...} (was {cluster: {k, ...}})",
    );
  }
  const method = checkMethod(options.method, fn);
  const k = checkInteger(options.k, "k", 1, fn);
  const seed = options.seed ?? ctx.seed;
  const kernels = ctx.kernels ?? inProcessKernels;
  let boot: Bootstrapper;
  if (method === "kprototypes") {
    if (isMatrixInput(data)) throw new Error("seg.stability: k-prototypes reads a table (features and categorical)");
    boot = await kprototypesBootstrapper(ctx, kernels, data, options, k, seed, fn);
  } else {
    let input: MatrixInput;
    let dropped = 0;
    if (isMatrixInput(data)) {
      if (data.matrix.length !== data.n * data.d || data.n < 1 || data.d < 1) {
        throw new Error(
          `seg.stability: the matrix has ${data.matrix.length} values, not n x d = ${data.n} x ${data.d}`,
        );
      }
      input = data;
    } else {
      if (!Array.isArray(options.features)) {
        throw new Error('seg.stability: pass {features: ["col", ...]} to cluster a table (or pass a feature matrix)');
      }
      const fm = await featureMatrix(ctx, data, options as FeatureOptions, fn);
      input = fm;
      dropped = fm.dropped;
    }
    const make = method === "gmm" ? gmmBootstrapper : kmeansBootstrapper;
    boot = { ...(await make(kernels, input, options, k, seed, fn)), dropped };
  }
  const { n } = boot;
  const samples = options.samples?.map((sample, r) => {
    const out = Int32Array.from(sample);
    if (!out.length || !out.every((i, j) => i >= 0 && i < n && i === sample[j])) {
      throw new Error(`seg.stability: samples[${r}] must be a non-empty list of row indices 0..${n - 1}`);
    }
    return out;
  });
  const bootstrap = samples ? samples.length : checkInteger(options.bootstrap ?? 100, "bootstrap", 1, fn);

  const chunks: Promise<Float64Array>[] = [];
  for (let start = 0; start < bootstrap; start += CHUNK) {
    const replicates = Int32Array.from({ length: Math.min(CHUNK, bootstrap - start) }, (_, i) => start + i);
    chunks.push(boot.replicates(replicates, samples?.slice(start, start + CHUNK)));
  }
  const flat = (await Promise.all(chunks)).flatMap((chunk) => Array.from(chunk));
  const jaccard = Array.from({ length: bootstrap }, (_, r) => flat.slice(r * k, r * k + k));

  const clusters = sizesOf(boot.labels, k).map((size, c): ClusterStability => {
    const values = jaccard.map((row) => row[c]!).filter((v) => !Number.isNaN(v));
    const meanJaccard = values.reduce((a, b) => a + b, 0) / values.length;
    return {
      cluster: c,
      size,
      meanJaccard,
      dissolved: values.filter((v) => v <= 0.5).length,
      recovered: values.filter((v) => v >= 0.75).length,
      replicates: values.length,
      reading: stabilityReading(meanJaccard),
    };
  });
  const table = await valuesTable(
    ctx,
    [
      { name: "cluster", type: "INTEGER" },
      { name: "size", type: "BIGINT" },
      { name: "mean_jaccard", type: "DOUBLE" },
      { name: "dissolved", type: "INTEGER" },
      { name: "recovered", type: "INTEGER" },
      { name: "replicates", type: "INTEGER" },
      { name: "reading", type: "VARCHAR" },
    ],
    clusters.map((c) => ({ ...c, mean_jaccard: Number.isNaN(c.meanJaccard) ? null : c.meanJaccard })),
  );
  const info: StabilityInfo = {
    method,
    k,
    bootstrap,
    seed,
    n,
    dropped: boot.dropped,
    // JSON has no NaN: a cluster with no point in a replicate's sample is null there.
    jaccard: jaccard.map((row) => row.map((v) => (Number.isNaN(v) ? null : v))),
  };
  // Not marked as a segment table: a row is a cluster, not a member (the export guard counts members by row).
  return segTable(table, info, droppedWarning(boot.dropped, n));
}
