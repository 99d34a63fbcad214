/**
 * Gaussian mixtures by EM on a flat row-major Float64Array (n x d), following scikit-learn 1.2's
 * `GaussianMixture` step for step so results can be checked against it: responsibilities from
 * k-means labels (or explicit initial weights/means/precisions), the same M-step estimators with
 * `reg_covar` on the diagonal, Cholesky factors of the precisions, log-sum-exp E-steps, convergence
 * on the change of the mean log-likelihood lower bound, best of `nInit` by lower bound and a final
 * E-step for the labels. Pure and synchronous (runs in a Web Worker too).
 */
import { hashString } from "../random/index.ts";
import { gmmStartLabels, type GmmStartRefine } from "./gmm-start.ts";
import { exp, ln } from "./portable-math.ts";

/** Covariance structure: one full matrix per component, or a diagonal (independent features). */
export type CovarianceType = "full" | "diag";

/**
 * Gaussian mixture parameters. `precisionsCholesky` holds, per component, a factor W with
 * precision = W W^T: d x d row-major for "full", d values for "diag" (1 / sqrt(variance)).
 */
export interface GmmParameters {
  k: number;
  d: number;
  covariance: CovarianceType;
  weights: Float64Array;
  /** k x d row-major. */
  means: Float64Array;
  precisionsCholesky: Float64Array;
}

/** Explicit starting point (sklearn's weights_init / means_init / precisions_init). */
export interface GmmInit {
  /** k x d row-major. */
  means: Float64Array;
  /** k weights summing to 1; from the k-means responsibilities when absent. */
  weights?: Float64Array;
  /** Precision matrices k x d x d ("full") or precisions k x d ("diag"); from k-means when absent. */
  precisions?: Float64Array;
}

/** Options of {@link gmmKernel}. */
export interface GmmKernelOptions {
  k: number;
  covariance: CovarianceType;
  nInit: number;
  maxIter: number;
  tol: number;
  regCovar: number;
  seed: number;
  /** What the k-means start does after Lloyd's iterations (gmm-start.ts); default "none", as sklearn. */
  refine?: GmmStartRefine;
  init?: GmmInit;
}

/** What {@link gmmKernel} found (the best of its runs). */
export interface GmmRun extends GmmParameters {
  /** Covariances from the last M-step: k x d x d ("full") or k x d ("diag"). */
  covariances: Float64Array;
  /** Most probable component of each point. */
  labels: Int32Array;
  /** Posterior probability of that component. */
  probability: Float64Array;
  /** Mean log-likelihood per point under the final parameters (sklearn's `score`). */
  score: number;
  /** The lower bound at the last iteration (sklearn's `lower_bound_`). */
  lowerBound: number;
  iterations: number;
  converged: boolean;
  /** Which run won (0-based). */
  run: number;
}

const EPS = 2.220446049250313e-16;
const LOG_2PI = ln(2 * Math.PI);

/** The message sklearn gives when a covariance is not positive definite; ours names the fix. */
export const ILL_DEFINED =
  "some components have ill-defined covariance (singleton or collapsed points); use a smaller k or a larger regCovar";

/** Lower Cholesky factor of a symmetric d x d matrix (row-major); null when not positive definite. */
export function cholesky(a: Float64Array, offset: number, d: number): Float64Array | null {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; ++i) {
    for (let j = 0; j <= i; ++j) {
      let sum = a[offset + i * d + j]!;
      for (let p = 0; p < j; ++p) sum -= l[i * d + p]! * l[j * d + p]!;
      if (i === j) {
        if (!(sum > 0)) return null;
        l[i * d + i] = Math.sqrt(sum);
      } else {
        l[i * d + j] = sum / l[j * d + j]!;
      }
    }
  }
  return l;
}

/**
 * sklearn's `_estimate_gaussian_parameters`: component sizes (plus 10 eps), means and covariances
 * (reg_covar added to the diagonal) from responsibilities `resp` (n x k).
 */
export function estimateParameters(
  x: Float64Array,
  n: number,
  d: number,
  resp: Float64Array,
  k: number,
  covariance: CovarianceType,
  regCovar: number,
): { nk: Float64Array; means: Float64Array; covariances: Float64Array } {
  const nk = new Float64Array(k);
  for (let i = 0; i < n; ++i) for (let c = 0; c < k; ++c) nk[c] = nk[c]! + resp[i * k + c]!;
  for (let c = 0; c < k; ++c) nk[c] = nk[c]! + 10 * EPS;
  const sums = new Float64Array(k * d);
  for (let i = 0; i < n; ++i) {
    for (let c = 0; c < k; ++c) {
      const r = resp[i * k + c]!;
      if (r === 0) continue;
      for (let f = 0; f < d; ++f) sums[c * d + f] = sums[c * d + f]! + r * x[i * d + f]!;
    }
  }
  const means = new Float64Array(k * d);
  for (let c = 0; c < k; ++c) for (let f = 0; f < d; ++f) means[c * d + f] = sums[c * d + f]! / nk[c]!;
  let covariances: Float64Array;
  if (covariance === "full") {
    covariances = new Float64Array(k * d * d);
    const diff = new Float64Array(d);
    for (let c = 0; c < k; ++c) {
      const base = c * d * d;
      for (let i = 0; i < n; ++i) {
        const r = resp[i * k + c]!;
        if (r === 0) continue;
        for (let f = 0; f < d; ++f) diff[f] = x[i * d + f]! - means[c * d + f]!;
        for (let a = 0; a < d; ++a) {
          const ra = r * diff[a]!;
          for (let b = 0; b < d; ++b) covariances[base + a * d + b] = covariances[base + a * d + b]! + ra * diff[b]!;
        }
      }
      for (let a = 0; a < d * d; ++a) covariances[base + a] = covariances[base + a]! / nk[c]!;
      for (let a = 0; a < d; ++a) covariances[base + a * d + a] = covariances[base + a * d + a]! + regCovar;
    }
  } else {
    // avg_X2 - 2 avg_X_means + means^2 + reg_covar, term by term as sklearn writes it.
    const sq = new Float64Array(k * d);
    for (let i = 0; i < n; ++i) {
      for (let c = 0; c < k; ++c) {
        const r = resp[i * k + c]!;
        if (r === 0) continue;
        for (let f = 0; f < d; ++f) sq[c * d + f] = sq[c * d + f]! + r * (x[i * d + f]! * x[i * d + f]!);
      }
    }
    covariances = new Float64Array(k * d);
    for (let c = 0; c < k; ++c) {
      for (let f = 0; f < d; ++f) {
        const j = c * d + f;
        const mean = means[j]!;
        const avgX2 = sq[j]! / nk[c]!;
        const avgXMeans = (mean * sums[j]!) / nk[c]!;
        covariances[j] = avgX2 - 2 * avgXMeans + mean ** 2 + regCovar;
      }
    }
  }
  return { nk, means, covariances };
}

/**
 * sklearn's `_compute_precision_cholesky`: for "full", W = (L^-1)^T with L the lower Cholesky
 * factor of the covariance (so precision = W W^T); for "diag", 1 / sqrt(variance).
 */
export function precisionCholesky(covariances: Float64Array, k: number, d: number, covariance: CovarianceType) {
  if (covariance === "diag") {
    const out = new Float64Array(k * d);
    for (let j = 0; j < k * d; ++j) {
      if (!(covariances[j]! > 0)) throw new Error(ILL_DEFINED);
      out[j] = 1 / Math.sqrt(covariances[j]!);
    }
    return out;
  }
  const out = new Float64Array(k * d * d);
  for (let c = 0; c < k; ++c) {
    const l = cholesky(covariances, c * d * d, d);
    if (!l) throw new Error(ILL_DEFINED);
    // Forward substitution of L Y = I column by column; W = Y^T.
    for (let col = 0; col < d; ++col) {
      for (let row = col; row < d; ++row) {
        let sum = row === col ? 1 : 0;
        for (let p = col; p < row; ++p) sum -= l[row * d + p]! * out[c * d * d + col * d + p]!;
        out[c * d * d + col * d + row] = sum / l[row * d + row]!;
      }
    }
  }
  return out;
}

/** Cholesky factors of given precisions, as sklearn does for `precisions_init`. */
export function choleskyOfPrecisions(precisions: Float64Array, k: number, d: number, covariance: CovarianceType) {
  if (covariance === "diag") {
    const out = new Float64Array(k * d);
    for (let j = 0; j < k * d; ++j) {
      if (!(precisions[j]! > 0)) throw new Error(`init precisions must be positive (component ${Math.floor(j / d)})`);
      out[j] = Math.sqrt(precisions[j]!);
    }
    return out;
  }
  const out = new Float64Array(k * d * d);
  for (let c = 0; c < k; ++c) {
    const l = cholesky(precisions, c * d * d, d);
    if (!l) throw new Error(`init precision matrix of component ${c} is not symmetric positive definite`);
    out.set(l, c * d * d);
  }
  return out;
}

/**
 * Weighted log densities log(w_c) + log N(x_i | mu_c, Sigma_c), n x k, with sklearn's arithmetic
 * (`_estimate_log_gaussian_prob` plus `log(weights_)`).
 */
export function weightedLogProb(x: Float64Array, n: number, params: GmmParameters): Float64Array {
  const { k, d, means, precisionsCholesky: pc, weights } = params;
  const out = new Float64Array(n * k);
  const logDet = new Float64Array(k);
  for (let c = 0; c < k; ++c) {
    let sum = 0;
    for (let f = 0; f < d; ++f) sum += ln(params.covariance === "full" ? pc[c * d * d + f * d + f]! : pc[c * d + f]!);
    logDet[c] = sum;
  }
  if (params.covariance === "full") {
    const muW = new Float64Array(d);
    for (let c = 0; c < k; ++c) {
      const base = c * d * d;
      for (let j = 0; j < d; ++j) {
        let s = 0;
        for (let f = 0; f < d; ++f) s += means[c * d + f]! * pc[base + f * d + j]!;
        muW[j] = s;
      }
      for (let i = 0; i < n; ++i) {
        let sq = 0;
        for (let j = 0; j < d; ++j) {
          let s = 0;
          for (let f = 0; f < d; ++f) s += x[i * d + f]! * pc[base + f * d + j]!;
          const y = s - muW[j]!;
          sq += y * y;
        }
        out[i * k + c] = -0.5 * (d * LOG_2PI + sq) + logDet[c]! + ln(weights[c]!);
      }
    }
  } else {
    for (let c = 0; c < k; ++c) {
      let meanTerm = 0;
      for (let f = 0; f < d; ++f) meanTerm += means[c * d + f]! ** 2 * pc[c * d + f]! ** 2;
      for (let i = 0; i < n; ++i) {
        let cross = 0;
        let sq = 0;
        for (let f = 0; f < d; ++f) {
          const precision = pc[c * d + f]! ** 2;
          const v = x[i * d + f]!;
          cross += v * (means[c * d + f]! * precision);
          sq += v * v * precision;
        }
        out[i * k + c] = -0.5 * (d * LOG_2PI + (meanTerm - 2 * cross + sq)) + logDet[c]! + ln(weights[c]!);
      }
    }
  }
  return out;
}

/**
 * The E-step: log responsibilities (n x k, in place of the weighted log densities) and the mean
 * over points of log p(x) by log-sum-exp (scipy's: max shift, then log of the sum of exps).
 */
export function eStep(x: Float64Array, n: number, params: GmmParameters): { logResp: Float64Array; mean: number } {
  const k = params.k;
  const logResp = weightedLogProb(x, n, params);
  let total = 0;
  for (let i = 0; i < n; ++i) {
    let max = -Infinity;
    for (let c = 0; c < k; ++c) max = Math.max(max, logResp[i * k + c]!);
    let norm: number;
    if (!Number.isFinite(max)) norm = max;
    else {
      let sum = 0;
      for (let c = 0; c < k; ++c) sum += exp(logResp[i * k + c]! - max);
      norm = ln(sum) + max;
    }
    for (let c = 0; c < k; ++c) logResp[i * k + c] = logResp[i * k + c]! - norm;
    total += norm;
  }
  return { logResp, mean: total / n };
}

function mStep(
  x: Float64Array,
  n: number,
  d: number,
  logResp: Float64Array,
  k: number,
  covariance: CovarianceType,
  regCovar: number,
): { params: GmmParameters; covariances: Float64Array } {
  const resp = logResp.map((v) => exp(v));
  const { nk, means, covariances } = estimateParameters(x, n, d, resp, k, covariance, regCovar);
  let sum = 0;
  for (let c = 0; c < k; ++c) sum += nk[c]!;
  const weights = nk.map((v) => v / sum);
  const precisionsCholesky = precisionCholesky(covariances, k, d, covariance);
  return { params: { k, d, covariance, weights, means, precisionsCholesky }, covariances };
}

/** The seed of the k-means behind run `run`: run 0 uses `seed` itself, so it matches seg.kmeans({nInit: 1, seed}). */
export function gmmRunSeed(seed: number, run: number): number {
  return run === 0 ? seed : hashString(`gmm run ${run}`, hashString(String(seed)));
}

/**
 * Starting parameters as sklearn's `_initialize`: one-hot responsibilities from k-means labels
 * ({@link gmmStartLabels}: sklearn's KMeans(n_init=1), Lloyd only unless `refine`) give weights (divided by n),
 * means and covariances; explicit init values replace the corresponding parts.
 */
function initialParameters(
  x: Float64Array,
  n: number,
  d: number,
  options: GmmKernelOptions,
  run: number,
): { params: GmmParameters; covariances: Float64Array } {
  const { k, covariance, regCovar, init } = options;
  let fromLabels: { params: GmmParameters; covariances: Float64Array } | undefined;
  if (!init?.weights || !init.precisions) {
    const labels = gmmStartLabels(x, n, d, k, gmmRunSeed(options.seed, run), options.refine ?? "none");
    const resp = new Float64Array(n * k);
    for (let i = 0; i < n; ++i) resp[i * k + labels[i]!] = 1;
    const { nk, means, covariances } = estimateParameters(x, n, d, resp, k, covariance, regCovar);
    const weights = nk.map((v) => v / n);
    fromLabels = {
      params: {
        k,
        d,
        covariance,
        weights,
        means,
        precisionsCholesky: precisionCholesky(covariances, k, d, covariance),
      },
      covariances,
    };
  }
  if (!init) return fromLabels!;
  return {
    params: {
      k,
      d,
      covariance,
      weights: init.weights ? Float64Array.from(init.weights) : fromLabels!.params.weights,
      means: Float64Array.from(init.means),
      precisionsCholesky: init.precisions
        ? choleskyOfPrecisions(init.precisions, k, d, covariance)
        : fromLabels!.params.precisionsCholesky,
    },
    covariances: fromLabels?.covariances ?? new Float64Array(0),
  };
}

/**
 * EM for a Gaussian mixture as sklearn's `GaussianMixture.fit_predict`: each of `nInit` runs starts
 * from k-means labels (run r's k-means is seeded by {@link gmmRunSeed}) or from `init` (then one
 * run), iterates E and M steps until the mean log-likelihood lower bound changes by less than `tol`
 * (or `maxIter`), and the run with the highest final lower bound wins (the earliest on ties); a final
 * E-step with the winner's parameters gives labels, probabilities and the score. `converged` is the
 * winning run's (sklearn reports whether any run converged).
 */
export function gmmKernel(x: Float64Array, n: number, d: number, options: GmmKernelOptions): GmmRun {
  const { k, covariance, maxIter, tol, regCovar } = options;
  const runs = options.init ? 1 : options.nInit;
  let best:
    | {
        params: GmmParameters;
        covariances: Float64Array;
        lowerBound: number;
        iterations: number;
        converged: boolean;
        run: number;
      }
    | undefined;
  for (let run = 0; run < runs; ++run) {
    let { params, covariances } = initialParameters(x, n, d, options, run);
    let lowerBound = -Infinity;
    let converged = false;
    let iteration = 1;
    for (; iteration <= maxIter; ++iteration) {
      const previous = lowerBound;
      const { logResp, mean } = eStep(x, n, params);
      ({ params, covariances } = mStep(x, n, d, logResp, k, covariance, regCovar));
      lowerBound = mean;
      if (Math.abs(lowerBound - previous) < tol) {
        converged = true;
        break;
      }
    }
    const iterations = Math.min(iteration, maxIter);
    if (!best || lowerBound > best.lowerBound) best = { params, covariances, lowerBound, iterations, converged, run };
  }
  const { params, covariances, lowerBound, iterations, converged, run } = best!;
  const { logResp, mean } = eStep(x, n, params);
  const { labels, probability } = argmaxResponsibilities(logResp, n, k);
  return { ...params, covariances, labels, probability, score: mean, lowerBound, iterations, converged, run };
}

function argmaxResponsibilities(logResp: Float64Array, n: number, k: number) {
  const labels = new Int32Array(n);
  const probability = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    let best = 0;
    for (let c = 1; c < k; ++c) if (logResp[i * k + c]! > logResp[i * k + best]!) best = c;
    labels[i] = best;
    probability[i] = exp(logResp[i * k + best]!);
  }
  return { labels, probability };
}

/** Most probable component and its probability for each point under fitted parameters. */
export function gmmPredictKernel(
  x: Float64Array,
  n: number,
  params: GmmParameters,
): { labels: Int32Array; probability: Float64Array } {
  return argmaxResponsibilities(eStep(x, n, params).logResp, n, params.k);
}

/** sklearn's `_n_parameters`: free parameters of a k-component mixture in d dimensions. */
export function gmmParameterCount(k: number, d: number, covariance: CovarianceType): number {
  const cov = covariance === "full" ? (k * d * (d + 1)) / 2 : k * d;
  return cov + k * d + k - 1;
}
