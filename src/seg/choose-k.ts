/**
 * seg.chooseK: fits a clustering method (k-means, a Gaussian mixture or k-prototypes) for a range
 * of k on the same data and scores each partition (the method's own criterion, silhouette,
 * Calinski-Harabasz, Davies-Bouldin), then recommends a k by a stated rule.
 */
import { hashString } from "../random/index.ts";
import type { SegContext, TableInput } from "./context.ts";
import { segTable, type ClusterMethod, type SegTable } from "./contract.ts";
import { featureMatrix, type FeatureOptions } from "./features.ts";
import { gmmCriteria, gmmSettings } from "./gmm.ts";
import { checkK } from "./kmeans.ts";
import { inProcessKernels, type KernelRunner } from "./kernel-runner.ts";
import { runKmeansRestarts } from "./kmeans-restarts.ts";
import { kprototypesSettings, readKprototypesData } from "./kprototypes.ts";
import { checkMethod, type MethodOptions } from "./methods.ts";
import { checkInteger, droppedWarning } from "./model-helpers.ts";
import { silhouetteScoreOn } from "./silhouette.ts";
import { valuesTable, type ValuesColumn } from "./values-table.ts";

/**
 * Options of {@link chooseK}: the data's columns as the method reads them (`features`, and
 * `categorical` for k-prototypes), the range of k, and the method's own options.
 */
export interface ChooseKOptions extends MethodOptions {
  /** Inclusive range [from, to] of k to try, 2 <= from <= to (default [2, 10]). */
  k?: readonly [number, number];
  /** Seed of the fits and of the silhouette sample (default: the notebook seed). */
  seed?: number;
  /** Silhouette is exact up to this many rows, else computed on a seeded sample of this size (default 5000). */
  silhouetteSample?: number;
}

/** Scores of one k (camelCase here; the table's columns are snake_case). */
export interface ChooseKRow {
  k: number;
  /** k-means: within-cluster sum of squares. */
  inertia?: number;
  /** gmm: information criteria (lower is better). */
  bic?: number;
  aic?: number;
  /** kprototypes: total cost. */
  cost?: number;
  silhouette: number;
  calinskiHarabasz: number;
  daviesBouldin: number;
  iterations: number;
}

/** What {@link chooseK} reports in `info`. */
export interface ChooseKInfo {
  method: ClusterMethod;
  /** gmm: the k with the lowest BIC; otherwise the highest silhouette (ties within 1e-12 to the smaller k). */
  recommended: number;
  reason: string;
  n: number;
  dropped: number;
  /** Whether silhouettes were computed on a sample (n > silhouetteSample). */
  silhouetteSampled: boolean;
  seed: number;
}

/**
 * What {@link chooseK} returns: a table with one row per k (`k`, the method's criterion — `inertia`,
 * `bic` and `aic`, or `cost` — then `silhouette`, `calinski_harabasz`, `davies_bouldin`,
 * `iterations`) and the recommendation in `info`.
 */
export type ChooseKResult = SegTable<ChooseKInfo>;

const TIE = 1e-12;

/** One fitted partition: the labels and the method's scores. */
interface Fit {
  labels: Int32Array;
  scores: Partial<Pick<ChooseKRow, "inertia" | "bic" | "aic" | "cost">>;
  iterations: number;
}

/** The data a method was read into: the matrix the metrics use, and a fit per k. */
interface Prepared {
  /** The matrix the scores are computed on (k-prototypes: categories scaled so distances are its cost). */
  matrix: Float64Array;
  n: number;
  d: number;
  dropped: number;
  fit(k: number): Promise<Fit>;
  criteria: { name: keyof Fit["scores"]; type: string }[];
}

/**
 * Reads `table` for `method` with its options; the returned `fit(k)` runs exactly what the method's
 * own function runs at that k (seg.gmm's BIC at k equals this table's `bic`).
 */
async function prepare(
  ctx: SegContext,
  kernels: KernelRunner,
  table: TableInput,
  options: ChooseKOptions,
  method: ClusterMethod,
  seed: number,
  fn: string,
): Promise<Prepared> {
  if (method === "kprototypes") {
    // `k` here is a range; the method's readers take the rest of the options.
    const methodOptions = options as Omit<ChooseKOptions, "k">;
    const settings = kprototypesSettings(methodOptions, fn);
    const data = await readKprototypesData(ctx, table, methodOptions, fn);
    const { fm, num, p, cat, m, counts, gamma } = data;
    // Squared Euclidean distance on this matrix is the k-prototypes cost: a one-hot mismatch adds 2
    // per differing column, so the one-hot columns are scaled by sqrt(gamma / 2).
    const scale = Math.sqrt(gamma / 2);
    const matrix = Float64Array.from(fm.matrix, (v, i) => (i % fm.d < p ? v : v * scale));
    return {
      matrix,
      n: fm.n,
      d: fm.d,
      dropped: fm.dropped,
      criteria: [{ name: "cost", type: "DOUBLE" }],
      fit: async (k) => {
        const run = await kernels.run("kprototypes", num, fm.n, p, cat, m, counts, {
          k,
          gamma,
          nInit: settings.nInit,
          maxIter: settings.maxIter,
          seed,
        });
        return { labels: run.labels, scores: { cost: run.cost }, iterations: run.iterations };
      },
    };
  }
  const fm = await featureMatrix(ctx, table, options as FeatureOptions, fn);
  const { matrix, n, d } = fm;
  if (method === "gmm") {
    const settings = gmmSettings(options as Omit<ChooseKOptions, "k">, fn);
    return {
      matrix,
      n,
      d,
      dropped: fm.dropped,
      criteria: [
        { name: "bic", type: "DOUBLE" },
        { name: "aic", type: "DOUBLE" },
      ],
      fit: async (k) => {
        let run;
        try {
          run = await kernels.run("gmm", matrix, n, d, { k, ...settings, seed });
        } catch (error) {
          throw new Error(`seg.${fn}: k = ${k}: ${(error as Error).message}`, { cause: error });
        }
        const { bic, aic } = gmmCriteria(run.score, n, k, d, settings.covariance);
        return { labels: run.labels, scores: { bic, aic }, iterations: run.iterations };
      },
    };
  }
  const nInit = checkInteger(options.nInit ?? 10, "nInit", 1, fn);
  const maxIter = checkInteger(options.maxIter ?? 300, "maxIter", 1, fn);
  const tol = options.tol ?? 1e-4;
  return {
    matrix,
    n,
    d,
    dropped: fm.dropped,
    criteria: [{ name: "inertia", type: "DOUBLE" }],
    fit: async (k) => {
      // Each k's restarts spread over the pool too (the same result as one job running them all).
      const run = await runKmeansRestarts(kernels, matrix, n, d, { k, nInit, maxIter, tol, seed });
      return { labels: run.labels, scores: { inertia: run.inertia }, iterations: run.iterations };
    },
  };
}

/**
 * Tries every k in a range with one clustering `method` and recommends one. The rule for k-means
 * and k-prototypes: the highest mean silhouette wins (it rewards both tight and well-separated
 * clusters and, unlike inertia or cost, does not always improve with k); for a Gaussian mixture the
 * lowest BIC, the criterion the model is fitted for. Ties within 1e-12 go to the smaller k. The
 * method's criterion, Calinski-Harabasz (higher is better) and Davies-Bouldin (lower is better) are
 * reported for an elbow plot or a second opinion. Every k uses the same silhouette sample; for
 * k-prototypes the scores use its own distance (numeric squared distance + gamma per mismatch).
 *
 * @example
 * const scan = await seg.chooseK(customers, {features: ["age"], k: [2, 6]});
 * scan.info.recommended; // e.g. 3, with scan.info.reason
 * await sql`SELECT k, inertia, silhouette FROM ${scan}`; // one row per k
 */
export async function chooseK(ctx: SegContext, table: TableInput, options: ChooseKOptions): Promise<ChooseKResult> {
  const fn = "chooseK";
  const method = checkMethod(options?.method, fn);
  const [from, to] = options?.k ?? [2, 10];
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 2 || to < from) {
    throw new Error(
      `seg.${fn}: k must be a range [from, to] of integers with 2 <= from <= to, got ${JSON.stringify(options?.k)}`,
    );
  }
  const sampleSize = checkInteger(options.silhouetteSample ?? 5000, "silhouetteSample", 2, fn);
  const seed = options.seed ?? ctx.seed;
  const kernels = ctx.kernels ?? inProcessKernels;
  const data = await prepare(ctx, kernels, table, options, method, seed, fn);
  const { matrix, n, d } = data;
  checkK(matrix, n, d, to, fn);
  const sampleSeed = hashString("silhouette sample", hashString(String(seed)));
  // Each k is independent: with a worker pool (the browser) they run in parallel.
  const score = async (k: number): Promise<ChooseKRow> => {
    const fit = await data.fit(k);
    const [silhouette, calinskiHarabasz, daviesBouldin] = await Promise.all([
      silhouetteScoreOn(kernels, matrix, n, d, fit.labels, sampleSize, sampleSeed),
      kernels.run("calinskiHarabasz", matrix, n, d, fit.labels),
      kernels.run("daviesBouldin", matrix, n, d, fit.labels),
    ]);
    return { k, ...fit.scores, silhouette, calinskiHarabasz, daviesBouldin, iterations: fit.iterations };
  };
  const rows = await Promise.all(Array.from({ length: to - from + 1 }, (_, i) => score(from + i)));
  const sample = n > sampleSize ? sampleSize : null;
  const { recommended, reason } = method === "gmm" ? recommendByBic(rows) : recommend(rows, sample);
  const columns: ValuesColumn[] = [
    { name: "k", type: "INTEGER" },
    ...data.criteria,
    { name: "silhouette", type: "DOUBLE" },
    { name: "calinski_harabasz", type: "DOUBLE" },
    { name: "davies_bouldin", type: "DOUBLE" },
    { name: "iterations", type: "INTEGER" },
  ];
  const handle = await valuesTable(
    ctx,
    columns,
    rows.map((row) => ({ ...row, calinski_harabasz: row.calinskiHarabasz, davies_bouldin: row.daviesBouldin })),
  );
  const info: ChooseKInfo = {
    method,
    recommended,
    reason,
    n,
    dropped: data.dropped,
    silhouetteSampled: sample !== null,
    seed,
  };
  return segTable(handle, info, droppedWarning(data.dropped, n));
}

/** Applies the silhouette rule of {@link chooseK} to scored rows (in increasing k) and explains the choice. */
export function recommend(
  rows: readonly Pick<ChooseKRow, "k" | "silhouette">[],
  sample: number | null,
): { recommended: number; reason: string } {
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

/** The Gaussian mixture rule of {@link chooseK}: the lowest BIC (ties within 1e-12 relative to the smaller k). */
export function recommendByBic(rows: readonly Pick<ChooseKRow, "k" | "bic">[]): {
  recommended: number;
  reason: string;
} {
  const bic = (row: Pick<ChooseKRow, "bic">) => row.bic ?? Infinity;
  let best = rows[0]!;
  for (const row of rows) if (bic(row) < bic(best) - TIE * Math.abs(bic(best))) best = row;
  const others = rows.filter((row) => row !== best).sort((a, b) => bic(a) - bic(b));
  const range = `k = ${rows[0]!.k}..${rows[rows.length - 1]!.k}`;
  const runnerUp = others[0] ? `; next best k = ${others[0].k} (${bic(others[0]).toFixed(1)})` : "";
  return {
    recommended: best.k,
    reason: `lowest BIC (${bic(best).toFixed(1)}) among ${range}${runnerUp}; ties go to the smaller k`,
  };
}
