/**
 * seg.gmm: Gaussian mixture segmentation, fitted by EM exactly as scikit-learn's GaussianMixture
 * (see gmm-kernel.ts). Unlike k-means it gives each row a probability for its segment and model
 * scores (log-likelihood, BIC, AIC) to compare numbers of segments. The result is the labels table
 * (joins on the id column) with the fit in `info` and a {@link ClusterModel} that assigns new data.
 */
import { resolveTable, type SegContext, type TableInput } from "./context.ts";
import type { ClusterInfo, ClusterModel, ClusterModelJson, ClusterResult } from "./contract.ts";
import { applyScaler, invertScaler, type Scaler } from "./features-kernel.ts";
import { featureMatrix, readRawColumns, type FeatureOptions } from "./features.ts";
import { gmmStartRefine, type GmmStartRefine } from "./gmm-start.ts";
import { gmmParameterCount, type CovarianceType, type GmmInit, type GmmParameters } from "./gmm-kernel.ts";
import { inProcessKernels } from "./kernel-runner.ts";
import { checkK } from "./kmeans.ts";
import { labelsTable } from "./labels-table.ts";
import {
  checkInteger,
  clusterModel,
  clusterResult,
  droppedWarning,
  rowsOf,
  sizesOf,
  type ModelScorer,
} from "./model-helpers.ts";
import { gmmSql } from "./to-sql-models.ts";
import { ln } from "./portable-math.ts";

/** Explicit starting parameters, in the transformed feature space (sklearn's *_init arguments). */
export interface GmmInitOption {
  /** k initial means of d numbers (d = number of matrix columns). */
  means: readonly (readonly number[])[];
  /** k weights summing to 1 (default: from k-means responsibilities, as sklearn). */
  weights?: readonly number[];
  /** Precision (inverse covariance) matrices, k x d x d for "full", or k x d precisions for "diag". */
  precisions?: readonly (readonly number[])[] | readonly (readonly (readonly number[])[])[];
}

/** Options of {@link gmm}. */
export interface GmmOptions extends FeatureOptions {
  /** Number of mixture components (1 <= k <= number of distinct points). */
  k: number;
  /** "full" (default): a covariance matrix per component; "diag": independent features per component. */
  covariance?: CovarianceType;
  /** EM runs from differently seeded k-means starts; the highest lower bound wins (default 1). */
  nInit?: number;
  /** EM iterations per run (default 100). */
  maxIter?: number;
  /** Stop when the mean log-likelihood lower bound changes by less than this (default 1e-3). */
  tol?: number;
  /** Added to covariance diagonals so they stay positive definite (default 1e-6). */
  regCovar?: number;
  /** Seed of the k-means starts (default: the notebook seed). */
  seed?: number;
  /** Explicit starting parameters (then a single run). */
  init?: GmmInitOption;
  /**
   * The k-means start of each run: "none" (default) is scikit-learn's, k-means++ then Lloyd's
   * iterations only; "hartigan" adds seg.kmeans' single-point transfers (a lower-inertia start).
   */
  refine?: GmmStartRefine;
}

/** The fitted parameters of a Gaussian mixture (its model JSON's `parameters`). */
export type GmmModelParameters = {
  covariance: CovarianceType;
  scaler: Scaler;
  weights: number[];
  /** Means in the transformed space (rows of scaler.columns). */
  means: number[][];
  /** Per component: a factor W of the precision (precision = W W^T), d x d rows ("full") or d values ("diag"). */
  precisionsCholesky: number[][];
};

/** A fitted Gaussian mixture: see {@link ClusterModel}. */
export type GmmModel = ClusterModel<GmmModelParameters>;

/** What {@link gmm} reports in `info`. */
export interface GmmInfo extends ClusterInfo {
  readonly method: "gmm";
  readonly covariance: CovarianceType;
  /** Matrix column names (one-hot columns expanded). */
  readonly columns: string[];
  /** Mixing weights (sum to 1). */
  readonly weights: number[];
  /** Component means: as fitted, and mapped back to input units (winsorizing is not undone). */
  readonly means: { transformed: number[][]; original: number[][] };
  /** Covariance matrices in the transformed space, d x d per component (diagonal for "diag"). */
  readonly covariances: number[][][];
  /** Total log-likelihood of the clustered rows under the fitted model. */
  readonly logLikelihood: number;
  /** Mean log-likelihood per row (sklearn's `score`). */
  readonly meanLogLikelihood: number;
  /** The EM lower bound at the last iteration (sklearn's `lower_bound_`). */
  readonly lowerBound: number;
  /** Bayesian and Akaike information criteria (lower is better), as sklearn's `bic`/`aic`. */
  readonly bic: number;
  readonly aic: number;
  /** Free parameters of the model (used by BIC and AIC). */
  readonly parameterCount: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly nInit: number;
  /** The k-means start of each run: "none" (scikit-learn's Lloyd) or "hartigan"; null from explicit `init`. */
  readonly refine: GmmStartRefine | null;
}

/**
 * What {@link gmm} returns: the labels table (id, cluster INTEGER 0..k-1, probability DOUBLE — the
 * posterior of that component; `row` instead of the id when no `id` is given) with `info`,
 * `warnings` and `model`.
 */
export type GmmResult = ClusterResult<GmmInfo, GmmModel>;

/** Log-likelihood total, BIC, AIC and parameter count of a fit with mean log-likelihood `score`. */
export function gmmCriteria(
  score: number,
  n: number,
  k: number,
  d: number,
  covariance: CovarianceType,
): { logLikelihood: number; bic: number; aic: number; parameterCount: number } {
  const parameterCount = gmmParameterCount(k, d, covariance);
  const logLikelihood = score * n;
  return {
    logLikelihood,
    bic: -2 * logLikelihood + parameterCount * ln(n),
    aic: -2 * logLikelihood + 2 * parameterCount,
    parameterCount,
  };
}

/** The EM settings of `options`, checked (shared by seg.gmm, seg.chooseK and seg.stability). */
export function gmmSettings(
  options: Partial<GmmOptions>,
  fn: string,
): {
  covariance: CovarianceType;
  nInit: number;
  maxIter: number;
  tol: number;
  regCovar: number;
  refine: GmmStartRefine;
} {
  const covariance = options.covariance ?? "full";
  if (covariance !== "full" && covariance !== "diag") {
    throw new Error(`seg.${fn}: covariance must be "full" or "diag", got ${JSON.stringify(covariance)}`);
  }
  return {
    covariance,
    nInit: checkInteger(options.nInit ?? 1, "nInit", 1, fn),
    maxIter: checkInteger(options.maxIter ?? 100, "maxIter", 1, fn),
    tol: checkNumber(options.tol ?? 1e-3, "tol", fn, (v) => v >= 0, "a number >= 0"),
    regCovar: checkNumber(options.regCovar ?? 1e-6, "regCovar", fn, (v) => v >= 0, "a number >= 0"),
    refine: gmmStartRefine(options.refine, fn),
  };
}

function checkNumber(value: unknown, name: string, fn: string, ok: (v: number) => boolean, want: string): number {
  if (typeof value !== "number" || !ok(value)) {
    throw new Error(`seg.${fn}: ${name} must be ${want}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks the `init` option's shapes and values and flattens it for the kernel. */
function initOf(init: GmmInitOption, k: number, d: number, covariance: CovarianceType, columns: string[]): GmmInit {
  const fn = "gmm";
  const isRow = (row: unknown, width: number) =>
    Array.isArray(row) && row.length === width && row.every((v) => typeof v === "number" && Number.isFinite(v));
  if (!init || !Array.isArray(init.means) || init.means.length !== k || !init.means.every((r) => isRow(r, d))) {
    throw new Error(
      `seg.${fn}: init.means must be ${k} rows of ${d} finite numbers (columns ${columns.join(", ")}), in the transformed space`,
    );
  }
  const out: GmmInit = { means: Float64Array.from(init.means.flat()) };
  if (init.weights !== undefined) {
    const w = init.weights;
    if (!isRow(w, k) || w.some((v) => v < 0 || v > 1) || Math.abs(1 - w.reduce((a, b) => a + b, 0)) > 1e-8) {
      throw new Error(`seg.${fn}: init.weights must be ${k} numbers in [0, 1] that sum to 1`);
    }
    out.weights = Float64Array.from(w);
  }
  if (init.precisions !== undefined) {
    const p = init.precisions as unknown[];
    const ok =
      Array.isArray(p) &&
      p.length === k &&
      p.every((component) =>
        covariance === "diag"
          ? isRow(component, d)
          : Array.isArray(component) && component.length === d && component.every((r: unknown) => isRow(r, d)),
      );
    if (!ok) {
      throw new Error(
        covariance === "diag"
          ? `seg.${fn}: init.precisions for covariance "diag" must be ${k} rows of ${d} positive numbers`
          : `seg.${fn}: init.precisions for covariance "full" must be ${k} symmetric ${d} x ${d} matrices`,
      );
    }
    out.precisions = Float64Array.from((p as number[][] | number[][][]).flat(2) as number[]);
  }
  return out;
}

/**
 * Gaussian mixture segmentation: features are read and transformed (see seg.featureMatrix), then a
 * k-component mixture is fitted by EM exactly as scikit-learn's GaussianMixture: started from
 * k-means labels (one seeded k-means++ start and Lloyd's iterations per run, as sklearn's
 * init_params="kmeans"; `refine: "hartigan"` for seg.kmeans' refined start) or from explicit
 * `init`, with `regCovar` on covariance diagonals, until the mean log-likelihood lower bound
 * changes by less than `tol`. Each row gets its most probable
 * component and that probability. Compare k by `bic` (lower is better).
 *
 * The result IS the labels table (id, cluster, probability), with the fit in `info` (weights,
 * means, covariances, `bic`, `aic`, `logLikelihood` as a total over rows) and the `model`.
 *
 * @example
 * const mix = await seg.gmm(customers, {features: ["age"], id: "customer_id", k: 3});
 * mix.info.bic;              // compare with k = 2, 4, ... (lower is better)
 * mix.info.means.original;   // component means in years
 * await sql`SELECT cluster, avg(probability) AS certainty FROM ${mix} GROUP BY cluster ORDER BY cluster`;
 */
export async function gmm(ctx: SegContext, table: TableInput, options: GmmOptions): Promise<GmmResult> {
  const fn = "gmm";
  const k = checkInteger(options?.k, "k", 1, fn);
  const settings = gmmSettings(options, fn);
  const { covariance } = settings;
  let nInit = settings.nInit;
  const seed = checkNumber(options.seed ?? ctx.seed, "seed", fn, Number.isFinite, "a number");
  if (options.id === "cluster" || options.id === "probability") {
    throw new Error(`seg.${fn}: the id column cannot be named "${options.id}"; rename it in SQL`);
  }
  const fm = await featureMatrix(ctx, table, options, fn);
  const { matrix, n, d } = fm;
  checkK(matrix, n, d, k, fn);
  let init: GmmInit | undefined;
  if (options.init !== undefined) {
    init = initOf(options.init, k, d, covariance, fm.columns);
    nInit = 1;
  }
  let run;
  try {
    run = await (ctx.kernels ?? inProcessKernels).run("gmm", matrix, n, d, { k, ...settings, nInit, seed, init });
  } catch (error) {
    throw new Error(`seg.${fn}: ${(error as Error).message}`, { cause: error });
  }
  const covariances = Array.from({ length: k }, (_, c) =>
    Array.from({ length: d }, (_, a) =>
      Array.from({ length: d }, (_, b) =>
        covariance === "full" ? run.covariances[c * d * d + a * d + b]! : a === b ? run.covariances[c * d + a]! : 0,
      ),
    ),
  );
  const means = rowsOf(run.means, k, d);
  const weights = Array.from(run.weights);
  const model = clusterModel(
    {
      method: "gmm",
      k,
      features: [...options.features],
      id: options.id ?? null,
      parameters: {
        covariance,
        scaler: fm.scaler,
        weights,
        means,
        precisionsCholesky: rowsOf(run.precisionsCholesky, k, covariance === "full" ? d * d : d),
      },
    },
    gmmScorer,
    ctx,
  );
  const { logLikelihood, bic, aic, parameterCount } = gmmCriteria(run.score, n, k, d, covariance);
  const info: GmmInfo = {
    method: "gmm",
    k,
    sizes: sizesOf(run.labels, k),
    n,
    dropped: fm.dropped,
    seed,
    covariance,
    refine: init ? null : settings.refine,
    columns: fm.columns,
    weights,
    means: { transformed: means, original: rowsOf(invertScaler(fm.scaler, run.means, k), k, d) },
    covariances,
    logLikelihood,
    meanLogLikelihood: run.score,
    lowerBound: run.lowerBound,
    bic,
    aic,
    parameterCount,
    iterations: run.iterations,
    converged: run.converged,
    nInit,
  };
  const warnings = droppedWarning(fm.dropped, n);
  if (!run.converged) {
    warnings.push(
      `EM did not converge in ${settings.maxIter} iterations (tol ${settings.tol}); raise maxIter or tol, or try more nInit`,
    );
  }
  const labels = await labelsTable(ctx, fm.source, { cluster: run.labels, probability: run.probability });
  return clusterResult(labels, info, warnings, model);
}

/** Checks that a model JSON's parameters are a Gaussian mixture's. */
function checkGmmModel(json: ClusterModelJson<GmmModelParameters>, fn: string): void {
  const { scaler, means, weights, precisionsCholesky, covariance } = json.parameters;
  const d = scaler?.columns?.length ?? 0;
  const width = covariance === "full" ? d * d : d;
  const rows = (value: unknown, count: number, length: number) =>
    Array.isArray(value) &&
    value.length === count &&
    value.every((row) => Array.isArray(row) && row.length === length && row.every(Number.isFinite));
  if (
    (covariance !== "full" && covariance !== "diag") ||
    !Array.isArray(scaler?.features) ||
    !rows([weights], 1, json.k) ||
    !rows(means, json.k, d) ||
    !rows(precisionsCholesky, json.k, width)
  ) {
    throw new Error(
      `seg.${fn}: the Gaussian mixture model's parameters need covariance, a scaler, ${json.k} weights, means and precisionsCholesky of ${d} columns; pass {model: mix.model} from seg.gmm or that model's JSON`,
    );
  }
}

/**
 * Scores rows with a Gaussian mixture: each row goes to its most probable component, after the
 * model's fitted transforms (not refitted on the new data), with that posterior as `probability`.
 */
export const gmmScorer: ModelScorer<GmmModelParameters> = {
  method: "gmm",
  check: checkGmmModel,
  toSQL: gmmSql,
  async score(ctx, table, json, id, fn) {
    const model = json.parameters;
    const handle = await resolveTable(ctx, table, fn);
    const { raw, snapshot, rows } = await readRawColumns(ctx, handle, model.scaler, id ?? undefined, fn);
    const { matrix, n, d } = applyScaler(model.scaler, raw);
    const params: GmmParameters = {
      k: json.k,
      d,
      covariance: model.covariance,
      weights: Float64Array.from(model.weights),
      means: Float64Array.from(model.means.flat()),
      precisionsCholesky: Float64Array.from(model.precisionsCholesky.flat()),
    };
    const { labels, probability } = await (ctx.kernels ?? inProcessKernels).run("gmmPredict", matrix, n, params);
    return { source: { table: snapshot, rows, idColumn: id }, columns: { cluster: labels, probability } };
  },
};
