/**
 * `seg.pca`: principal components of numeric features, for plotting segments in two dimensions and
 * for seeing which features move together. The fit runs in the PCA kernel (pca-kernel.ts); the
 * coordinates table is then computed by DuckDB from the fitted loadings (bound as parameters), so it
 * keeps every row and column of the input next to `PC1`, `PC2`, ....
 */
import type { SqlParam } from "../engine/engine.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import { requireColumns, resolveTable } from "./context.ts";
import type { SegContext, TableInput } from "./context.ts";
import { columnMoments, log1pInPlace, standardizeInPlace } from "./pca-kernel.ts";
import { inProcessKernels } from "./kernel-runner.ts";
import { isNumericType } from "./profile.ts";
import { segTable, type SegTable } from "./contract.ts";
import { segmentColumnOf } from "./seg-result.ts";

/**
 * How features are prepared before PCA: `"standardize"` (default: center and divide by the
 * population std, as scikit-learn's StandardScaler), `"log1p-standardize"` (log(1 + x) first, for
 * skewed spend amounts), `"log1p"`, or `"none"` (only centered).
 */
export type PcaTransform = "none" | "standardize" | "log1p" | "log1p-standardize";

/** A transform as {@link PcaTransform} or, as in featureMatrix/kmeans, a list of steps in order. */
export type PcaTransformOption = PcaTransform | readonly ("log1p" | "standardize")[];

/** Options for {@link pca}. */
export interface PcaOptions {
  /** Numeric feature columns (at least 2). */
  features: readonly string[];
  /** Default "standardize"; `["log1p", "standardize"]` is the same as "log1p-standardize". */
  transform?: PcaTransformOption;
  /** Components to keep (default 2, at most the number of features). */
  components?: number;
  /** Rows with a NULL feature: `"error"` (default) or `"drop"` (left out of the fit, NULL coordinates). */
  missing?: "error" | "drop";
  /** Input columns to keep next to the coordinates (default: all of them). */
  keep?: readonly string[];
}

/** How a PCA was made and what it found, in `info`. */
export interface PcaInfo {
  readonly features: readonly string[];
  readonly transform: PcaTransform;
  /** Components kept. */
  readonly components: number;
  /** Share of the total variance per component, e.g. `[0.44, 0.27]`. */
  readonly explainedVarianceRatio: number[];
  /** Variance along each component (n - 1 denominator, as scikit-learn). */
  readonly explainedVariance: number[];
  /** Loadings: one row per component with a value per feature (largest-|loading| entry positive). */
  readonly loadings: { component: string; [feature: string]: number | string }[];
  /** Rows used for the fit, and rows left out for a missing feature (`missing: "drop"`). */
  readonly n: number;
  readonly dropped: number;
}

/**
 * What {@link pca} returns: the coordinates table (the input's kept columns plus `PC1` ... `PCk`,
 * DOUBLE) with {@link PcaInfo}. When the input's segment column is kept, it stays marked.
 */
export type PcaResult = SegTable<PcaInfo>;

function transformName(option: unknown): PcaTransform {
  if (!Array.isArray(option)) return (option ?? "standardize") as PcaTransform;
  const steps = option.filter((step) => step !== "none").join("-");
  return (steps === "" ? "none" : steps) as PcaTransform;
}

const TRANSFORMS: readonly PcaTransform[] = ["none", "standardize", "log1p", "log1p-standardize"];

function checkOptions(
  table: TableHandle,
  options: PcaOptions,
): { features: readonly string[]; transform: PcaTransform; components: number; missing: string } {
  const features = options?.features;
  if (!Array.isArray(features) || features.length < 2) {
    throw new Error('seg.pca: pass at least two numeric features, e.g. {features: ["Fresh", "Milk", "Grocery"]}');
  }
  requireColumns(table, features, "pca");
  for (const name of features) {
    const type = table.columns.find((c) => c.name === name)!.type;
    if (!isNumericType(type))
      throw new Error(`seg.pca: feature "${name}" has type ${type}; PCA needs numeric features`);
  }
  const transform = transformName(options.transform);
  if (!TRANSFORMS.includes(transform)) {
    throw new Error(
      `seg.pca: unknown transform ${JSON.stringify(options.transform)}; use one of ${TRANSFORMS.join(", ")} (or ["log1p", "standardize"])`,
    );
  }
  const components = options.components ?? 2;
  if (!Number.isInteger(components) || components < 1 || components > features.length) {
    throw new Error(`seg.pca: components must be an integer from 1 to ${features.length} (the number of features)`);
  }
  const missing = options.missing ?? "error";
  if (missing !== "error" && missing !== "drop") throw new Error('seg.pca: missing must be "error" or "drop"');
  return { features, transform, components, missing };
}

/** Reads the features as one row-major Float64Array, refusing (or dropping) rows with NULLs. */
async function readMatrix(ctx: SegContext, table: TableHandle, features: readonly string[], missing: string) {
  const d = features.length;
  const cols = features.map((f) => `${quoteIdentifier(f)}::DOUBLE`);
  const anyNull = features.map((f) => `${quoteIdentifier(f)} IS NULL`).join(" OR ");
  const counts = await ctx.db.engine.query(
    `SELECT ${features.map((f, i) => `count(*) FILTER (WHERE ${quoteIdentifier(f)} IS NULL) AS n${i}`).join(", ")}
     FROM ${quoteIdentifier(table.name)}`,
  );
  const nulls = features.map((_, i) => Number(counts.getChild(`n${i}`)!.get(0)));
  const bad = nulls.findIndex((n) => n > 0);
  if (bad >= 0 && missing === "error") {
    throw new Error(
      `seg.pca: feature "${features[bad]}" has ${nulls[bad]} null values — filter them or pass {missing: "drop"}`,
    );
  }
  const result = await ctx.db.engine.query(
    `SELECT ${cols.map((c, i) => `${c} AS f${i}`).join(", ")} FROM ${quoteIdentifier(table.name)} WHERE NOT (${anyNull})`,
  );
  const n = result.numRows;
  const data = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const values = result.getChildAt(j)!.toArray() as Float64Array;
    for (let i = 0; i < n; i++) data[i * d + j] = values[i]!;
  }
  return { data, n };
}

/**
 * Principal component analysis of numeric features: returns a table with the input's columns plus
 * `PC1`..`PCk` coordinates, the explained variance ratio per component and the loadings. Features
 * are standardized by default (see {@link PcaTransform}); each component's sign is normalised so
 * its largest-|loading| entry is positive.
 * @example
 * const spend = await sql`SELECT customer_id, count(*) AS orders, sum(amount) AS spend, avg(amount) AS basket FROM ${orders} GROUP BY ALL`;
 * const p = await seg.pca(spend, {features: ["orders", "spend", "basket"], transform: "log1p-standardize"});
 * p.info.explainedVarianceRatio; // e.g. [0.7, 0.25]
 * // p itself is the table: every customer with PC1, PC2, ready for seg.charts.clusterScatter
 */
export async function pca(ctx: SegContext, input: TableInput, options: PcaOptions): Promise<PcaResult> {
  const table = await resolveTable(ctx, input, "pca");
  const { features, transform, components: k, missing } = checkOptions(table, options);
  const keep = options.keep ?? table.columns.map((c) => c.name);
  requireColumns(table, keep, "pca");
  const pcNames = Array.from({ length: k }, (_, c) => `PC${c + 1}`);
  const clash = pcNames.find((name) => keep.includes(name));
  if (clash) throw new Error(`seg.pca: the table already has a column "${clash}"; pass {keep: [...]} without it`);

  const d = features.length;
  const { data, n } = await readMatrix(ctx, table, features, missing);
  if (n < 2) throw new Error(`seg.pca: need at least 2 rows without nulls, got ${n}`);
  const log = transform.startsWith("log1p");
  if (log) {
    for (let i = 0; i < data.length; i++) {
      if (!(data[i]! > -1)) {
        throw new Error(
          `seg.pca: feature "${features[i % d]}" has values <= -1, so log1p is undefined; use another transform`,
        );
      }
    }
    log1pInPlace(data);
  }
  const scaled = transform.endsWith("standardize");
  const moments = columnMoments(data, n, d);
  const scale = scaled ? moments.std.map((s) => (s > 0 ? s : 1)) : new Float64Array(d).fill(1);
  standardizeInPlace(data, n, d, moments.mean, scale);
  const fit = await (ctx.kernels ?? inProcessKernels).run("pcaFit", data, n, d, k);

  // Coordinates in SQL: PCc = sum_j ((T(x_j) - mean_j) / scale_j - fitMean_j) * loading_cj.
  const params: SqlParam[] = [];
  const bind = (value: number) => (params.push(value), "?::DOUBLE");
  const prepared = features.map((f) => {
    const x = `${quoteIdentifier(f)}::DOUBLE`;
    return log ? `ln(1 + ${x})` : x;
  });
  const coordinates = pcNames.map((name, c) => {
    const terms = features.map(
      (_, j) =>
        `((${prepared[j]} - ${bind(moments.mean[j]!)}) / ${bind(scale[j]!)} - ${bind(fit.mean[j]!)}) * ${bind(fit.components[c * d + j]!)}`,
    );
    return `${terms.join(" + ")} AS ${quoteIdentifier(name)}`;
  });
  const kept = keep.map((c) => quoteIdentifier(c));
  const result = await ctx.db.query(
    `SELECT ${[...kept, ...coordinates].join(", ")} FROM ${quoteIdentifier(table.name)}`,
    params,
  );
  const loadings = pcNames.map((component, c) => {
    const row: { component: string; [feature: string]: number | string } = { component };
    features.forEach((f, j) => (row[f] = fit.components[c * d + j]!));
    return row;
  });
  const info: PcaInfo = {
    features: [...features],
    transform,
    components: k,
    explainedVarianceRatio: Array.from(fit.explainedVarianceRatio),
    explainedVariance: Array.from(fit.explainedVariance),
    loadings,
    n,
    dropped: table.numRows - n,
  };
  const marked = segmentColumnOf(table);
  return segTable(result, info, [], marked !== undefined && keep.includes(marked) ? marked : undefined);
}
