/**
 * The per-row half of seg.featureMatrix as a kernel: missing-value checks, dropping rows, fitting the
 * transforms and laying out the row-major matrix. It is a kernel (not code in features.ts) because on
 * a million rows these loops take seconds, and in the browser they must run in the kernel worker, not
 * on the page's thread; Node runs the very same function in-process, so both build identical matrices.
 * Imports only kernel files.
 */
import {
  applyScaler,
  categoriesOf,
  fitNumeric,
  oneHotName,
  type RawColumn,
  type Scaler,
  type ScalerFeature,
  type TransformStep,
} from "./features-kernel.ts";

/** One feature column as read from the snapshot. */
export type FeatureColumn =
  | {
      name: string;
      kind: "numeric";
      /** The values as DOUBLE; a null slot holds anything. */
      values: Float64Array;
      /** 1 where the value is null; null when no value is. */
      nulls: Uint8Array | null;
      steps: readonly TransformStep[];
    }
  | { name: string; kind: "categorical"; values: readonly (string | null)[] };

/** What {@link featureMatrixKernel} needs. */
export interface FeatureMatrixInput {
  /** The calling seg function, for error messages. */
  fn: string;
  columns: readonly FeatureColumn[];
  /** Snapshot row number of each row (the `__row` column). */
  rowNumbers: ArrayLike<number | bigint>;
  missing: "error" | "drop";
}

/** What {@link featureMatrixKernel} returns. */
export interface FeatureMatrixOutput {
  /** Row-major n x d values after transforms and one-hot encoding. */
  matrix: Float64Array;
  n: number;
  d: number;
  scaler: Scaler;
  /** Input index of each matrix row; null when no row was dropped. */
  kept: Int32Array | null;
  /** Snapshot row number of each matrix row. */
  rows: Float64Array;
}

/** Throws with the calling function's name in front, as every seg error reads. */
function fail(fn: string, message: string): never {
  throw new Error(`seg.${fn}: ${message}`);
}

/** Marks rows with a null, NaN or infinite value and checks the `missing` option per feature, in feature order. */
function keepMask(input: FeatureMatrixInput, n: number): Uint8Array {
  const keep = new Uint8Array(n).fill(1);
  for (const column of input.columns) {
    let nulls = 0;
    let nonFinite = 0;
    if (column.kind === "numeric") {
      const { values, nulls: isNull } = column;
      for (let i = 0; i < n; ++i) {
        if (isNull !== null && isNull[i]) nulls++;
        else if (!Number.isFinite(values[i]!)) nonFinite++;
        else continue;
        keep[i] = 0;
      }
    } else {
      for (let i = 0; i < n; ++i) {
        const value = column.values[i];
        if (value !== null && value !== undefined) continue;
        nulls++;
        keep[i] = 0;
      }
    }
    if (nulls === n) fail(input.fn, `feature "${column.name}" is entirely null; leave it out`);
    if (nulls + nonFinite > 0 && input.missing !== "drop") {
      const parts = [nulls ? `${nulls} null` : "", nonFinite ? `${nonFinite} NaN/infinite` : ""].filter(Boolean);
      fail(
        input.fn,
        `feature "${column.name}" has ${parts.join(" and ")} value${nulls + nonFinite > 1 ? "s" : ""} — filter them or pass {missing: "drop"}`,
      );
    }
  }
  return keep;
}

/**
 * Checks and transforms feature columns into a matrix: rows with missing values fail or are dropped
 * (`missing`), constant features and single-category text features fail, numeric features are fitted
 * with their steps, text features one-hot encoded (sorted categories).
 */
export function featureMatrixKernel(input: FeatureMatrixInput): FeatureMatrixOutput {
  const { fn } = input;
  const n = input.rowNumbers.length;
  const keep = keepMask(input, n);
  let count = 0;
  for (let i = 0; i < n; ++i) count += keep[i]!;
  if (count === 0) fail(fn, "no rows left after dropping rows with missing values");
  const kept = count === n ? null : new Int32Array(count);
  if (kept) for (let i = 0, r = 0; i < n; ++i) if (keep[i]) kept[r++] = i;

  const scalerFeatures: ScalerFeature[] = [];
  const raw: Record<string, RawColumn> = {};
  for (const column of input.columns) {
    if (column.kind === "numeric") {
      const source = column.values;
      const values = kept ? Float64Array.from(kept, (i) => source[i]!) : Float64Array.from(source);
      const first = values[0];
      if (values.every((v) => v === first)) {
        fail(fn, `feature "${column.name}" is constant (every value is ${first}); leave it out`);
      }
      let fitted: ReturnType<typeof fitNumeric>;
      try {
        fitted = fitNumeric(column.name, values, column.steps);
      } catch (error) {
        fail(fn, (error as Error).message);
      }
      scalerFeatures.push(fitted.feature);
      // Keep raw values: applyScaler replays the fitted steps, so the matrix is built in one place.
      raw[column.name] = values;
    } else {
      const source = column.values;
      const values = kept ? Array.from(kept, (i) => String(source[i])) : source.map((v) => String(v));
      const categories = categoriesOf(values);
      if (categories.length < 2) {
        fail(fn, `text feature "${column.name}" has a single value "${categories[0]}"; leave it out`);
      }
      scalerFeatures.push({ name: column.name, kind: "categorical", categories });
      raw[column.name] = values;
    }
  }
  const columns = scalerFeatures.flatMap((f) =>
    f.kind === "numeric" ? [f.name] : f.categories.map((c) => oneHotName(f.name, c)),
  );
  const scaler: Scaler = { features: scalerFeatures, columns };
  const { matrix, d } = applyScaler(scaler, raw);
  const rowNumbers = input.rowNumbers;
  const rows = new Float64Array(count);
  for (let r = 0; r < count; ++r) rows[r] = Number(rowNumbers[kept ? kept[r]! : r]);
  return { matrix, n: count, d, scaler, kept, rows };
}
