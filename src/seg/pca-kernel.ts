/**
 * PCA kernel: pure, synchronous numeric code over flat row-major Float64Arrays (n x d), safe to run
 * in a Web Worker. PCA here is the eigen-decomposition of the d x d covariance matrix with cyclic
 * Jacobi rotations: d (the number of features) is small, and Jacobi is simple, stable and accurate
 * to machine precision for symmetric matrices, which is all we need.
 */
import { log1p } from "./portable-math.ts";

/** Applies log1p to every value in place (for skewed spend columns; values must be > -1). */
export function log1pInPlace(data: Float64Array): void {
  for (let i = 0; i < data.length; i++) data[i] = log1p(data[i]!);
}

/** Column means and population standard deviations (ddof = 0, as scikit-learn's StandardScaler). */
export function columnMoments(data: Float64Array, n: number, d: number): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const delta = data[i * d + j]! - mean[j]!;
      std[j]! += delta * delta;
    }
  }
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]! / n);
  return { mean, std };
}

/**
 * Centers (and, with `scale`, divides by the std) each column in place. Columns with std 0 are only
 * centered, as StandardScaler does.
 */
export function standardizeInPlace(data: Float64Array, n: number, d: number, mean: Float64Array, std?: Float64Array) {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const s = std && std[j]! > 0 ? std[j]! : 1;
      data[i * d + j] = (data[i * d + j]! - mean[j]!) / s;
    }
  }
}

/** The sample covariance (divided by n - 1) of CENTERED data, as a d x d row-major matrix. */
export function covariance(centered: Float64Array, n: number, d: number): Float64Array {
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let a = 0; a < d; a++) {
      const x = centered[row + a]!;
      for (let b = a; b < d; b++) cov[a * d + b]! += x * centered[row + b]!;
    }
  }
  const denominator = Math.max(n - 1, 1);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      cov[a * d + b]! /= denominator;
      cov[b * d + a] = cov[a * d + b]!;
    }
  }
  return cov;
}

/**
 * Eigenvalues (descending) and unit eigenvectors (row k = k-th vector) of a symmetric d x d matrix,
 * by cyclic Jacobi rotations until the off-diagonal mass is negligible.
 */
export function symmetricEigen(matrix: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let scale = 0;
  for (let i = 0; i < d * d; i++) scale += a[i]! * a[i]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q]! * a[p * d + q]!;
    if (off <= 1e-30 * scale || off === 0) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (apq === 0) continue;
        // Rotation angle that zeroes a[p][q] (Numerical Recipes' stable form).
        const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => a[y * d + y]! - a[x * d + x]!);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((column, k) => {
    values[k] = a[column * d + column]!;
    for (let j = 0; j < d; j++) vectors[k * d + j] = v[j * d + column]!;
  });
  return { values, vectors };
}

/** What {@link pcaFit} returns. */
export interface PcaFit {
  /** Components x features, row-major; each row is a unit vector whose largest-|entry| is positive. */
  components: Float64Array;
  /** Variance along each kept component (sample variance, n - 1, as scikit-learn). */
  explainedVariance: Float64Array;
  /** Share of the total variance per kept component. */
  explainedVarianceRatio: Float64Array;
  /** Column means of the data the fit saw (before centering). */
  mean: Float64Array;
}

/**
 * Fits PCA on `data` (n x d, row-major; not modified) keeping `k` components. The sign of each
 * component is arbitrary in PCA; it is normalised so the entry with the largest absolute loading is
 * positive, which makes results comparable across implementations.
 */
export function pcaFit(data: Float64Array, n: number, d: number, k: number): PcaFit {
  const { mean } = columnMoments(data, n, d);
  const centered = Float64Array.from(data);
  standardizeInPlace(centered, n, d, mean);
  const { values, vectors } = symmetricEigen(covariance(centered, n, d), d);
  let total = 0;
  for (let j = 0; j < d; j++) total += Math.max(values[j]!, 0);
  const components = vectors.slice(0, k * d);
  for (let c = 0; c < k; c++) {
    let largest = 0;
    for (let j = 1; j < d; j++) {
      if (Math.abs(components[c * d + j]!) > Math.abs(components[c * d + largest]!)) largest = j;
    }
    if (components[c * d + largest]! < 0) for (let j = 0; j < d; j++) components[c * d + j] = -components[c * d + j]!;
  }
  const explainedVariance = values.slice(0, k).map((value) => Math.max(value, 0));
  const explainedVarianceRatio = explainedVariance.map((value) => (total > 0 ? value / total : 0));
  return { components, explainedVariance, explainedVarianceRatio, mean };
}

/** Coordinates (n x k, row-major) of `data` (n x d) on the fitted components. */
export function pcaProject(data: Float64Array, n: number, d: number, fit: PcaFit): Float64Array {
  const k = fit.components.length / d;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += (data[i * d + j]! - fit.mean[j]!) * fit.components[c * d + j]!;
      out[i * k + c] = sum;
    }
  }
  return out;
}
