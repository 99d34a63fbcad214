/**
 * seg.stability: are the clusters real, or would other customers from the same population have
 * given different ones? Hennig's clusterboot (fpc::clusterboot): recluster bootstrap samples with the
 * same k-means settings and see how well each original cluster is found again, measured by the best
 * Jaccard similarity with a bootstrap cluster, averaged over the replicates.
 */
import type { TableHandle } from "../engine/table-handle-types.ts";
import type { SegContext, TableInput } from "./context.ts";
import { featureMatrix, type FeatureOptions } from "./features.ts";
import { checkK } from "./kmeans.ts";
import { inProcessKernels } from "./kernel-runner.ts";
import { runKmeansRestarts } from "./kmeans-restarts.ts";
import { checkInteger } from "./model-helpers.ts";
import { withExtras } from "./seg-result.ts";
import { valuesTable } from "./values-table.ts";

/** A feature matrix already made (e.g. by seg.featureMatrix): row-major n x d. */
export interface MatrixInput {
  matrix: Float64Array;
  n: number;
  d: number;
}

/** The clustering that is bootstrapped: k-means with these settings (see seg.kmeans). */
export interface StabilityCluster {
  k: number;
  nInit?: number;
  maxIter?: number;
  tol?: number;
  /** Seed of the clustering of the full data (default: the stability seed). */
  seed?: number;
}

/** Options of {@link stability}; `features` (and `id`, `transform`, `missing`) when given a table. */
export interface StabilityOptions extends Partial<FeatureOptions> {
  cluster: StabilityCluster;
  /** Bootstrap replicates (default 100). */
  bootstrap?: number;
  /** Seed of the bootstrap draws and of every replicate's k-means (default: the notebook seed). */
  seed?: number;
  /** Explicit bootstrap samples (0-based row indices, one list per replicate) instead of seeded draws. */
  samples?: readonly (readonly number[])[];
}

/** How far a cluster can be trusted, from its mean Jaccard (Hennig's guidance). */
export type StabilityReading = "do not trust" | "pattern, not cluster" | "stable" | "highly stable";

/** One original cluster's bootstrap record. */
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

/**
 * What {@link stability} returns: a table with one row per cluster (`cluster`, `size`,
 * `mean_jaccard`, `dissolved`, `recovered`, `replicates`, `reading`) plus the same as `clusters`,
 * the full replicates x k `jaccard` values, and the original `labels`.
 */
export type StabilityResult = TableHandle &
  Readonly<{
    clusters: ClusterStability[];
    jaccard: number[][];
    labels: Int32Array;
    bootstrap: number;
    seed: number;
  }>;

/** The reading of a mean Jaccard: < 0.6 do not trust, < 0.75 a pattern, >= 0.75 stable, >= 0.85 highly stable. */
export function stabilityReading(meanJaccard: number): StabilityReading {
  if (!(meanJaccard >= 0.6)) return "do not trust";
  if (meanJaccard < 0.75) return "pattern, not cluster";
  return meanJaccard >= 0.85 ? "highly stable" : "stable";
}

const CHUNK = 8; // replicates per kernel call: enough to keep every worker busy, few copies of the matrix

function isMatrixInput(value: unknown): value is MatrixInput {
  return typeof value === "object" && value !== null && (value as MatrixInput).matrix instanceof Float64Array;
}

/**
 * Bootstrap stability of k-means clusters (Hennig's clusterboot): the data are clustered once, then
 * `bootstrap` samples of n rows drawn with replacement are clustered again with the same settings;
 * for each original cluster the best Jaccard similarity with a bootstrap cluster (on the distinct
 * points drawn) is averaged over replicates. Readings: < 0.6 "do not trust", 0.6-0.75 "pattern, not
 * cluster", >= 0.75 "stable", >= 0.85 "highly stable". `dissolved` counts replicates with Jaccard
 * <= 0.5 and `recovered` those >= 0.75, as fpc does. Replicate r's draw and k-means seed depend only
 * on `seed` and r.
 *
 * @example
 * const st = await seg.stability(customers, {
 *   features: ["income", "spending_score"],
 *   transform: "standardize",
 *   cluster: {k: 5},
 *   bootstrap: 100,
 * });
 * st;                       // table: cluster, size, mean_jaccard, dissolved, recovered, replicates, reading
 * st.clusters[0].reading;   // "highly stable"
 */
export async function stability(
  ctx: SegContext,
  data: TableInput | MatrixInput,
  options: StabilityOptions,
): Promise<StabilityResult> {
  const fn = "stability";
  if (!options || typeof options.cluster !== "object" || options.cluster === null) {
    throw new Error("seg.stability: pass {cluster: {k: 5}} (k-means settings) and {features: [...]} for a table");
  }
  const k = checkInteger(options.cluster.k, "cluster.k", 1, fn);
  const kmeans = {
    k,
    nInit: checkInteger(options.cluster.nInit ?? 10, "cluster.nInit", 1, fn),
    maxIter: checkInteger(options.cluster.maxIter ?? 300, "cluster.maxIter", 1, fn),
    tol: options.cluster.tol ?? 1e-4,
  };
  const seed = options.seed ?? ctx.seed;
  let input: MatrixInput;
  if (isMatrixInput(data)) {
    if (data.matrix.length !== data.n * data.d || data.n < 1 || data.d < 1) {
      throw new Error(`seg.stability: the matrix has ${data.matrix.length} values, not n x d = ${data.n} x ${data.d}`);
    }
    input = data;
  } else {
    if (!Array.isArray(options.features)) {
      throw new Error('seg.stability: pass {features: ["col", ...]} to cluster a table (or pass a feature matrix)');
    }
    input = await featureMatrix(ctx, data, options as FeatureOptions, fn);
  }
  const { matrix, n, d } = input;
  checkK(matrix, n, d, k, fn);
  const samples = options.samples?.map((sample, r) => {
    const out = Int32Array.from(sample);
    if (!out.length || !out.every((i, j) => i >= 0 && i < n && i === sample[j])) {
      throw new Error(`seg.stability: samples[${r}] must be a non-empty list of row indices 0..${n - 1}`);
    }
    return out;
  });
  const bootstrap = samples ? samples.length : checkInteger(options.bootstrap ?? 100, "bootstrap", 1, fn);

  const kernels = ctx.kernels ?? inProcessKernels;
  const original = await runKmeansRestarts(kernels, matrix, n, d, { ...kmeans, seed: options.cluster.seed ?? seed });
  const chunks: Promise<Float64Array>[] = [];
  for (let start = 0; start < bootstrap; start += CHUNK) {
    const replicates = Int32Array.from({ length: Math.min(CHUNK, bootstrap - start) }, (_, i) => start + i);
    const chunkSamples = samples?.slice(start, start + CHUNK);
    chunks.push(kernels.run("clusterboot", matrix, n, d, original.labels, kmeans, seed, replicates, chunkSamples));
  }
  const flat = (await Promise.all(chunks)).flatMap((chunk) => Array.from(chunk));
  const jaccard = Array.from({ length: bootstrap }, (_, r) => flat.slice(r * k, r * k + k));

  const sizes = new Array<number>(k).fill(0);
  for (const label of original.labels) sizes[label]! += 1;
  const clusters = sizes.map((size, c): ClusterStability => {
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
    clusters.map((c) => ({ ...c, mean_jaccard: c.meanJaccard })),
  );
  return withExtras(table, { clusters, jaccard, labels: original.labels, bootstrap, seed });
}
