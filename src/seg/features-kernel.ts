/**
 * Feature transforms as plain data: fitting them on columns (log1p, winsorizing, standardizing,
 * min-max scaling, one-hot encoding), applying a fitted scaler to new columns, and inverting it to
 * report centres in original units. The fitted scaler is JSON, so a model can be saved and reused.
 * Pure and synchronous; imports only portable math.
 */
import { expm1, log1p } from "./portable-math.ts";

/** One transform step, as a user writes it. */
export type TransformStep = "log1p" | "standardize" | "minmax" | { winsorize: [number, number] };

/** A fitted step: what it learned from the data it was fitted on. */
export type FittedStep =
  | { step: "log1p" }
  | { step: "winsorize"; quantiles: [number, number]; lower: number; upper: number }
  | { step: "standardize"; mean: number; std: number }
  | { step: "minmax"; min: number; max: number };

/** How one input feature becomes matrix columns. */
export type ScalerFeature =
  { name: string; kind: "numeric"; steps: FittedStep[] } | { name: string; kind: "categorical"; categories: string[] };

/** A fitted scaler: plain JSON. `columns` are the matrix's column names (one-hot columns expanded). */
export interface Scaler {
  features: ScalerFeature[];
  columns: string[];
}

/** A raw input column: numbers for numeric features, strings for categorical ones. */
export type RawColumn = ArrayLike<number> | ArrayLike<string>;

/** Name of the one-hot column for `category` of `feature`. */
export function oneHotName(feature: string, category: string): string {
  return `${feature}=${category}`;
}

/** The q-quantile of sorted values with linear interpolation (numpy's and DuckDB quantile_cont's). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const fraction = position - below;
  return sorted[below]! + (sorted[above]! - sorted[below]!) * fraction;
}

/**
 * Fits `steps` on `values` (in order, each on the previous one's output) and transforms `values` in
 * place. Throws a message naming the feature when a step cannot apply: log1p of values <= -1, bad
 * winsorize quantiles, or scaling a constant feature.
 */
export function fitSteps(name: string, values: Float64Array, steps: readonly TransformStep[]): FittedStep[] {
  const fitted: FittedStep[] = [];
  const n = values.length;
  for (const step of steps) {
    if (step === "log1p") {
      let bad = 0;
      for (let i = 0; i < n; ++i) if (!(values[i]! > -1)) bad++;
      if (bad > 0) {
        throw new Error(
          `feature "${name}" has ${bad} value(s) <= -1, where log1p is undefined; filter them or drop log1p`,
        );
      }
      fitted.push({ step: "log1p" });
    } else if (step === "standardize") {
      // Two passes with sklearn's correction term (StandardScaler's _incremental_mean_and_var).
      let sum = 0;
      for (let i = 0; i < n; ++i) sum += values[i]!;
      const mean = sum / n;
      let sq = 0;
      let correction = 0;
      for (let i = 0; i < n; ++i) {
        const diff = values[i]! - mean;
        sq += diff * diff;
        correction += diff;
      }
      const std = Math.sqrt((sq - (correction * correction) / n) / n);
      if (!(std > 0)) {
        throw new Error(`feature "${name}" is constant before "standardize" (std = 0); remove it from the features`);
      }
      fitted.push({ step: "standardize", mean, std });
    } else if (step === "minmax") {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < n; ++i) {
        if (values[i]! < min) min = values[i]!;
        if (values[i]! > max) max = values[i]!;
      }
      if (!(max > min)) {
        throw new Error(
          `feature "${name}" is constant before "minmax" (min = max = ${min}); remove it from the features`,
        );
      }
      fitted.push({ step: "minmax", min, max });
    } else if (step && typeof step === "object" && Array.isArray(step.winsorize)) {
      const [lo, hi] = step.winsorize;
      if (!(typeof lo === "number" && typeof hi === "number" && lo >= 0 && lo < hi && hi <= 1)) {
        throw new Error(
          `feature "${name}": winsorize needs quantiles [lo, hi] with 0 <= lo < hi <= 1, got [${String(lo)}, ${String(hi)}]; e.g. {winsorize: [0.01, 0.99]}`,
        );
      }
      const sorted = Float64Array.from(values).sort();
      fitted.push({
        step: "winsorize",
        quantiles: [lo, hi],
        lower: quantileSorted(sorted, lo),
        upper: quantileSorted(sorted, hi),
      });
    } else {
      throw new Error(
        `feature "${name}": unknown transform ${JSON.stringify(step)}; use "log1p", "standardize", "minmax", {winsorize: [lo, hi]} or "none"`,
      );
    }
    applyStep(values, fitted[fitted.length - 1]!);
  }
  return fitted;
}

function applyStep(values: Float64Array, step: FittedStep): void {
  const n = values.length;
  switch (step.step) {
    case "log1p":
      for (let i = 0; i < n; ++i) values[i] = log1p(values[i]!);
      break;
    case "winsorize":
      for (let i = 0; i < n; ++i) values[i] = Math.min(step.upper, Math.max(step.lower, values[i]!));
      break;
    case "standardize":
      for (let i = 0; i < n; ++i) values[i] = (values[i]! - step.mean) / step.std;
      break;
    case "minmax":
      for (let i = 0; i < n; ++i) values[i] = (values[i]! - step.min) / (step.max - step.min);
      break;
  }
}

function invertStep(value: number, step: FittedStep): number {
  switch (step.step) {
    case "log1p":
      return expm1(value);
    case "winsorize":
      return value; // clipping loses information; values inside the bounds are unchanged
    case "standardize":
      return value * step.std + step.mean;
    case "minmax":
      return value * (step.max - step.min) + step.min;
  }
}

/** Applies fitted steps to numbers of one feature (a copy). */
export function applySteps(values: ArrayLike<number>, steps: readonly FittedStep[]): Float64Array {
  const out = Float64Array.from(values);
  for (const step of steps) applyStep(out, step);
  return out;
}

/** Sorted distinct strings (the one-hot categories, like sklearn's OneHotEncoder). */
export function categoriesOf(values: ArrayLike<string>): string[] {
  return [...new Set(Array.from(values))].sort();
}

/**
 * The matrix (row-major n x d) of raw columns under a fitted scaler: numeric features go through
 * their steps, categorical ones become one-hot 0/1 columns (a category the scaler has not seen gives
 * all zeros, like OneHotEncoder's handle_unknown="ignore"). Every scaler feature must be in `raw`.
 */
export function applyScaler(
  scaler: Scaler,
  raw: Record<string, RawColumn>,
): { matrix: Float64Array; n: number; d: number } {
  const first = scaler.features[0];
  const n = first && raw[first.name] ? raw[first.name]!.length : 0;
  const d = scaler.columns.length;
  const matrix = new Float64Array(n * d);
  let offset = 0;
  for (const feature of scaler.features) {
    const column = raw[feature.name];
    if (!column) throw new Error(`applyScaler: missing column "${feature.name}"`);
    if (column.length !== n) {
      throw new Error(`applyScaler: column "${feature.name}" has ${column.length} values, expected ${n}`);
    }
    if (feature.kind === "numeric") {
      const values = applySteps(column as ArrayLike<number>, feature.steps);
      for (let i = 0; i < n; ++i) matrix[i * d + offset] = values[i]!;
      offset += 1;
    } else {
      const index = new Map(feature.categories.map((category, c) => [category, c]));
      for (let i = 0; i < n; ++i) {
        const c = index.get((column as ArrayLike<string>)[i]!);
        if (c !== undefined) matrix[i * d + offset + c] = 1;
      }
      offset += feature.categories.length;
    }
  }
  return { matrix, n, d };
}

/**
 * Rows of a transformed matrix (row-major, scaler.columns wide) back in original units: numeric
 * steps are undone in reverse order (log1p by expm1, scaling by its inverse; winsorizing cannot be
 * undone and is left as is); one-hot columns stay as they are (for a centroid: the share of the
 * cluster in that category).
 */
export function invertScaler(scaler: Scaler, matrix: ArrayLike<number>, rows: number): Float64Array {
  const d = scaler.columns.length;
  const out = Float64Array.from(matrix);
  let offset = 0;
  for (const feature of scaler.features) {
    if (feature.kind === "numeric") {
      for (let r = 0; r < rows; ++r) {
        let value = out[r * d + offset]!;
        for (let s = feature.steps.length - 1; s >= 0; --s) value = invertStep(value, feature.steps[s]!);
        out[r * d + offset] = value;
      }
      offset += 1;
    } else {
      offset += feature.categories.length;
    }
  }
  return out;
}

/** Fits one numeric feature: a copy of `values` transformed, and the fitted steps. */
export function fitNumeric(
  name: string,
  values: ArrayLike<number>,
  steps: readonly TransformStep[],
): { feature: ScalerFeature; values: Float64Array } {
  const copy = Float64Array.from(values);
  return { feature: { name, kind: "numeric", steps: fitSteps(name, copy, steps) }, values: copy };
}
