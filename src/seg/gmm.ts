/**
 * seg.gmm: Gaussian mixture segmentation, fitted by EM exactly as scikit-learn's GaussianMixture
 * (see gmm-kernel.ts). Unlike k-means it gives each row a probability for its segment and model
 * scores (log-likelihood, BIC, AIC) to compare numbers of segments. Labels come back as a DuckDB
 * table that joins on the id column, with a JSON model that assigns new data.
 */
import { tableFromArrays } from "apache-arrow";
import { quoteIdentifier } from "../engine/sql-text.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import { resolveTable, type SegContext, type TableInput } from "./context.ts";
import { applyScaler, invertScaler, type Scaler } from "./features-kernel.ts";
import { featureMatrix, readRawColumns, type FeatureOptions } from "./features.ts";
import { gmmStartRefine, type GmmStartRefine } from "./gmm-start.ts";
import { gmmParameterCount, type CovarianceType, type GmmInit, type GmmParameters } from "./gmm-kernel.ts";
import { inProcessKernels } from "./kernel-runner.ts";
import { checkK } from "./kmeans.ts";
import { checkInteger, rowsOf, withAssign, type WithAssign } from "./model-helpers.ts";
import { markSegmentColumn } from "./seg-result.ts";
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

/** A fitted Gaussian mixture as plain JSON (save it with JSON.stringify). */
export interface GmmModel {
  kind: "gmm";
  k: number;
  covariance: CovarianceType;
  features: string[];
  id: string | null;
  scaler: Scaler;
  weights: number[];
  /** Means in the transformed space (rows of scaler.columns). */
  means: number[][];
  /** Per component: a factor W of the precision (precision = W W^T), d x d rows ("full") or d values ("diag"). */
  precisionsCholesky: number[][];
}

/** A model with its `assign` method (not part of its JSON). */
export type GmmModelWithAssign = WithAssign<GmmModel>;

/** What {@link gmm} returns. */
export interface GmmResult {
  /** Table (id, cluster INTEGER 0..k-1, probability DOUBLE); `row` instead of id when no `id` is given. */
  labels: TableHandle;
  /** Most probable component of each clustered row, in the order of the feature matrix. */
  clusters: Int32Array;
  /** Posterior probability of that component for each row. */
  probabilities: Float64Array;
  k: number;
  covariance: CovarianceType;
  /** Matrix column names (one-hot columns expanded). */
  columns: string[];
  /** Mixing weights (sum to 1). */
  weights: number[];
  /** Component means: as fitted, and mapped back to input units (winsorizing is not undone). */
  means: { transformed: number[][]; original: number[][] };
  /** Covariance matrices in the transformed space, d x d per component (diagonal for "diag"). */
  covariances: number[][][];
  /** Rows whose most probable component is each one. */
  sizes: number[];
  /** Mean log-likelihood per row under the fitted model (sklearn's `score`). */
  logLikelihood: number;
  /** The EM lower bound at the last iteration (sklearn's `lower_bound_`). */
  lowerBound: number;
  /** Bayesian and Akaike information criteria (lower is better), as sklearn's `bic`/`aic`. */
  bic: number;
  aic: number;
  /** Free parameters of the model (used by BIC and AIC). */
  parameters: number;
  iterations: number;
  converged: boolean;
  nInit: number;
  seed: number;
  n: number;
  dropped: number;
  model: GmmModelWithAssign;
}

let stagingCounter = 0;

/**
 * The labels with probabilities as a table owned by the calling cell, joined to the snapshot the
 * features came from on its row numbers (as kmeans' labelsTable, with one more column).
 */
async function gmmLabelsTable(
  ctx: SegContext,
  source: { table: TableHandle; rows: Float64Array; idColumn: string | null },
  clusters: Int32Array,
  probability: Float64Array,
): Promise<TableHandle> {
  const staging = `seg_gmm_staging_${Date.now().toString(36)}_${++stagingCounter}`;
  await ctx.db.engine.insertArrow(staging, tableFromArrays({ row: source.rows, cluster: clusters, probability }));
  try {
    const idSelect =
      source.idColumn === null ? `s."__row" AS "row"` : `s."__id" AS ${quoteIdentifier(source.idColumn)}`;
    const labels = await ctx.db.query(
      `SELECT ${idSelect}, l.cluster, l.probability FROM ${quoteIdentifier(source.table.name)} AS s JOIN ${quoteIdentifier(staging)} AS l ON s."__row" = CAST(l."row" AS BIGINT) ORDER BY s."__row"`,
    );
    return markSegmentColumn(labels, "cluster");
  } finally {
    await ctx.db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(staging)}`);
  }
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
 * @example
 * const mix = await seg.gmm(customers, {
 *   features: ["Fresh", "Milk", "Grocery"],
 *   id: "CustomerID",
 *   k: 4,
 *   transform: ["log1p", "standardize"],
 * });
 * mix.labels;          // table: CustomerID, cluster, probability
 * mix.bic;             // compare with k = 3, 5, ...
 * mix.means.original;  // component means in spend units
 */
export async function gmm(ctx: SegContext, table: TableInput, options: GmmOptions): Promise<GmmResult> {
  const fn = "gmm";
  const k = checkInteger(options?.k, "k", 1, fn);
  const covariance = options.covariance ?? "full";
  if (covariance !== "full" && covariance !== "diag") {
    throw new Error(`seg.${fn}: covariance must be "full" or "diag", got ${JSON.stringify(covariance)}`);
  }
  let nInit = checkInteger(options.nInit ?? 1, "nInit", 1, fn);
  const maxIter = checkInteger(options.maxIter ?? 100, "maxIter", 1, fn);
  const tol = checkNumber(options.tol ?? 1e-3, "tol", fn, (v) => v >= 0, "a number >= 0");
  const regCovar = checkNumber(options.regCovar ?? 1e-6, "regCovar", fn, (v) => v >= 0, "a number >= 0");
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
    run = await (ctx.kernels ?? inProcessKernels).run("gmm", matrix, n, d, {
      k,
      covariance,
      nInit,
      maxIter,
      tol,
      regCovar,
      seed,
      init,
      refine: gmmStartRefine(options.refine, fn),
    });
  } catch (error) {
    throw new Error(`seg.${fn}: ${(error as Error).message}`, { cause: error });
  }
  const sizes = new Array<number>(k).fill(0);
  for (const label of run.labels) sizes[label]! += 1;
  const parameters = gmmParameterCount(k, d, covariance);
  const totalLogLikelihood = run.score * n;
  const covariances = Array.from({ length: k }, (_, c) =>
    Array.from({ length: d }, (_, a) =>
      Array.from({ length: d }, (_, b) =>
        covariance === "full" ? run.covariances[c * d * d + a * d + b]! : a === b ? run.covariances[c * d + a]! : 0,
      ),
    ),
  );
  const means = rowsOf(run.means, k, d);
  const model = withAssign(
    {
      kind: "gmm",
      k,
      covariance,
      features: [...options.features],
      id: options.id ?? null,
      scaler: fm.scaler,
      weights: Array.from(run.weights),
      means,
      precisionsCholesky: rowsOf(run.precisionsCholesky, k, covariance === "full" ? d * d : d),
    },
    assignGmm,
    ctx,
  );
  return {
    labels: await gmmLabelsTable(ctx, fm.source, run.labels, run.probability),
    clusters: run.labels,
    probabilities: run.probability,
    k,
    covariance,
    columns: fm.columns,
    weights: Array.from(run.weights),
    means: { transformed: means, original: rowsOf(invertScaler(fm.scaler, run.means, k), k, d) },
    covariances,
    sizes,
    logLikelihood: run.score,
    lowerBound: run.lowerBound,
    bic: -2 * totalLogLikelihood + parameters * ln(n),
    aic: -2 * totalLogLikelihood + 2 * parameters,
    parameters,
    iterations: run.iterations,
    converged: run.converged,
    nInit,
    seed,
    n,
    dropped: fm.dropped,
    model,
  };
}

/** Options of {@link assignGmm}. */
export interface AssignGmmOptions {
  /** A model from seg.gmm (or its JSON). */
  model: GmmModel;
  /** The id column of the new table (default: the model's id column). */
  id?: string;
}

/**
 * Assigns the rows of a table to the most probable component of a fitted mixture, with the model's
 * fitted transforms (not refitted on the new data): a table (id, cluster, probability).
 *
 * @example
 * const mix = await seg.gmm(customers2023, {features: ["recency", "monetary"], id: "customer", k: 4});
 * const labels2024 = await mix.model.assign(customers2024);
 */
export async function assignGmm(ctx: SegContext, table: TableInput, options: AssignGmmOptions): Promise<TableHandle> {
  const fn = "assignGmm";
  const model = options?.model;
  if (!model || model.kind !== "gmm" || !Array.isArray(model.means) || !model.scaler) {
    throw new Error(`seg.${fn}: pass {model: result.model} from seg.gmm (or that model's JSON)`);
  }
  const handle = await resolveTable(ctx, table, fn);
  const id = options.id ?? model.id ?? undefined;
  const { raw, snapshot, rows } = await readRawColumns(ctx, handle, model.scaler, id, fn);
  const { matrix, n, d } = applyScaler(model.scaler, raw);
  const params: GmmParameters = {
    k: model.k,
    d,
    covariance: model.covariance,
    weights: Float64Array.from(model.weights),
    means: Float64Array.from(model.means.flat()),
    precisionsCholesky: Float64Array.from(model.precisionsCholesky.flat()),
  };
  const width = model.covariance === "full" ? d * d : d;
  if (params.means.length !== model.k * d || params.precisionsCholesky.length !== model.k * width) {
    throw new Error(`seg.${fn}: the model's means do not have ${d} columns (${model.scaler.columns.join(", ")})`);
  }
  const { labels, probability } = await (ctx.kernels ?? inProcessKernels).run("gmmPredict", matrix, n, params);
  return gmmLabelsTable(ctx, { table: snapshot, rows, idColumn: id ?? null }, labels, probability);
}
