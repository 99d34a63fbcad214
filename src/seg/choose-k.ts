/**
 * seg.chooseK: runs k-means for a range of k on the same feature matrix and scores each partition
 * (inertia, silhouette, Calinski-Harabasz, Davies-Bouldin), then recommends a k by a stated rule.
 */
import { hashString } from "../random/index.ts";
import type { SegContext, TableInput } from "./context.ts";
import { featureMatrix, type FeatureOptions } from "./features.ts";
import { checkK } from "./kmeans.ts";
import { inProcessKernels } from "./kernel-runner.ts";
import { runKmeansRestarts } from "./kmeans-restarts.ts";
import { silhouetteScoreOn } from "./silhouette.ts";

/** Options of {@link chooseK}. */
export interface ChooseKOptions extends FeatureOptions {
  /** Inclusive range [from, to] of k to try, 2 <= from <= to (default [2, 10]). */
  k?: readonly [number, number];
  /** k-means++ restarts per k (default 10). */
  nInit?: number;
  maxIter?: number;
  tol?: number;
  /** Seed of the restarts and of the silhouette sample (default: the notebook seed). */
  seed?: number;
  /** Silhouette is exact up to this many rows, else computed on a seeded sample of this size (default 5000). */
  silhouetteSample?: number;
}

/** Scores of one k. */
export interface ChooseKRow {
  k: number;
  inertia: number;
  silhouette: number;
  calinskiHarabasz: number;
  daviesBouldin: number;
  iterations: number;
}

/** What {@link chooseK} returns. */
export interface ChooseKResult {
  rows: ChooseKRow[];
  /** The k with the highest silhouette; on ties (within 1e-12) the smaller k. */
  recommended: number;
  reason: string;
  n: number;
  dropped: number;
  /** Whether silhouettes were computed on a sample (n > silhouetteSample). */
  silhouetteSampled: boolean;
  seed: number;
}

const TIE = 1e-12;

/**
 * Tries every k in a range and recommends one. The rule: the highest mean silhouette wins (it
 * rewards both tight and well-separated clusters and, unlike inertia, does not always improve with
 * k); ties within 1e-12 go to the smaller k. Inertia, Calinski-Harabasz (higher is better) and
 * Davies-Bouldin (lower is better) are reported for an elbow plot or a second opinion. Every k uses
 * the same silhouette sample.
 *
 * @example
 * const scan = await seg.chooseK(customers, {
 *   features: ["Fresh", "Milk", "Grocery"],
 *   transform: ["log1p", "standardize"],
 *   k: [2, 8],
 * });
 * scan.recommended; // e.g. 3
 * scan.rows;        // one row per k: inertia, silhouette, calinskiHarabasz, daviesBouldin
 */
export async function chooseK(ctx: SegContext, table: TableInput, options: ChooseKOptions): Promise<ChooseKResult> {
  const fn = "chooseK";
  const [from, to] = options?.k ?? [2, 10];
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 2 || to < from) {
    throw new Error(
      `seg.${fn}: k must be a range [from, to] of integers with 2 <= from <= to, got ${JSON.stringify(options?.k)}`,
    );
  }
  const nInit = options.nInit ?? 10;
  const maxIter = options.maxIter ?? 300;
  const tol = options.tol ?? 1e-4;
  const sampleSize = options.silhouetteSample ?? 5000;
  for (const [name, value, min] of [
    ["nInit", nInit, 1],
    ["maxIter", maxIter, 1],
    ["silhouetteSample", sampleSize, 2],
  ] as const) {
    if (!Number.isInteger(value) || value < min)
      throw new Error(`seg.${fn}: ${name} must be an integer >= ${min}, got ${value}`);
  }
  const seed = options.seed ?? ctx.seed;
  const fm = await featureMatrix(ctx, table, options, fn);
  const { matrix, n, d } = fm;
  checkK(matrix, n, d, to, fn);
  const sampleSeed = hashString("silhouette sample", hashString(String(seed)));
  const kernels = ctx.kernels ?? inProcessKernels;
  // Each k is independent: with a worker pool (the browser) they run in parallel.
  const score = async (k: number): Promise<ChooseKRow> => {
    // Each k's restarts spread over the pool too (the same result as one job running them all).
    const run = await runKmeansRestarts(kernels, matrix, n, d, { k, nInit, maxIter, tol, seed });
    const [silhouette, calinskiHarabasz, daviesBouldin] = await Promise.all([
      silhouetteScoreOn(kernels, matrix, n, d, run.labels, sampleSize, sampleSeed),
      kernels.run("calinskiHarabasz", matrix, n, d, run.labels),
      kernels.run("daviesBouldin", matrix, n, d, run.labels),
    ]);
    return { k, inertia: run.inertia, silhouette, calinskiHarabasz, daviesBouldin, iterations: run.iterations };
  };
  const rows = await Promise.all(Array.from({ length: to - from + 1 }, (_, i) => score(from + i)));
  const { recommended, reason } = recommend(rows, n > sampleSize ? sampleSize : null);
  return { rows, recommended, reason, n, dropped: fm.dropped, silhouetteSampled: n > sampleSize, seed };
}

/** Applies the rule of {@link chooseK} to scored rows (in increasing k) and explains the choice. */
export function recommend(rows: readonly ChooseKRow[], sample: number | null): { recommended: number; reason: string } {
  let best = rows[0]!;
  for (const row of rows) if (row.silhouette > best.silhouette + TIE) best = row;
  const others = rows.filter((row) => row !== best).sort((a, b) => b.silhouette - a.silhouette);
  const range = `k = ${rows[0]!.k}..${rows[rows.length - 1]!.k}`;
  const runnerUp = others[0] ? `; next best k = ${others[0].k} (${others[0].silhouette.toFixed(3)})` : "";
  const sampled = sample === null ? "" : `, on a sample of ${sample} rows`;
  return {
    recommended: best.k,
    reason: `highest silhouette (${best.silhouette.toFixed(3)}${sampled}) among ${range}${runnerUp}; ties go to the smaller k`,
  };
}
