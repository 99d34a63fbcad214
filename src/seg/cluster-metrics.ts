/**
 * The cluster metrics of the `seg` namespace (silhouette, Calinski-Harabasz, Davies-Bouldin, the
 * adjusted Rand index): asynchronous, and reading either a table (`{features, segment}`, the
 * features read exactly as seg.featureMatrix reads them) or a matrix `{matrix, n, d}` with
 * `{labels}`. The formulas are scikit-learn's (metrics-kernel.ts); the heavy ones run on the
 * context's kernel runner (the browser's worker pool).
 */
import type { SegContext, TableInput } from "./context.ts";
import { featureMatrix, type TransformOption } from "./features.ts";
import { inProcessKernels } from "./kernel-runner.ts";
import { adjustedRandKernel } from "./metrics-kernel.ts";
import { checkInput } from "./metrics.ts";
import { resolveTable, requireColumns } from "./context.ts";
import { silhouetteScoreOn } from "./silhouette.ts";

/** A feature matrix already made (e.g. `await seg.featureMatrix(...)`): row-major n x d. */
export interface MetricMatrix {
  matrix: ArrayLike<number>;
  n: number;
  d: number;
}

/**
 * Options of a metric: for a table, the `features` (read as seg.featureMatrix reads them, with
 * `transform` and `missing`) and the `segment` column holding each row's label; for a matrix, the
 * `labels` (one per row).
 */
export interface MetricOptions {
  features?: readonly string[];
  transform?: TransformOption;
  missing?: "error" | "drop";
  /** The column of labels (cluster numbers or segment names). */
  segment?: string;
  /** Per-row labels, with a matrix input. */
  labels?: ArrayLike<unknown>;
}

/** Options of {@link silhouetteScore}. */
export interface SilhouetteScoreOptions extends MetricOptions {
  /** Score a seeded random sample of this many points when n is larger (exact otherwise). */
  sampleSize?: number;
  /** Seed of the sample (default: the notebook seed). */
  seed?: number;
}

function isMatrix(value: unknown): value is MetricMatrix {
  return typeof value === "object" && value !== null && "matrix" in value && "n" in value && "d" in value;
}

/** The matrix and labels a metric scores, from either input, checked; errors name `fn` and the fix. */
async function metricInput(
  ctx: SegContext,
  input: TableInput | MetricMatrix,
  options: MetricOptions | undefined,
  fn: string,
): Promise<{ matrix: Float64Array; n: number; d: number; labels: ArrayLike<unknown> }> {
  if (isMatrix(input)) {
    if (!options || options.labels === undefined) {
      throw new Error(`seg.${fn}: with a matrix pass {labels} (one per row), e.g. seg.${fn}(fm, {labels})`);
    }
    const matrix = checkInput(`seg.${fn}`, input.matrix, input.n, input.d, options.labels);
    return { matrix, n: input.n, d: input.d, labels: options.labels };
  }
  if (!options || typeof options.segment !== "string" || !Array.isArray(options.features)) {
    throw new Error(
      `seg.${fn}: pass {features: ["col", ...], segment: "cluster"} to score a table (or a matrix {matrix, n, d} with {labels})`,
    );
  }
  if (options.features.includes(options.segment)) {
    throw new Error(`seg.${fn}: the segment column "${options.segment}" cannot also be a feature`);
  }
  const handle = await resolveTable(ctx, input, fn);
  requireColumns(handle, [options.segment], fn);
  // The segment column rides along as the id, so it stays aligned with the rows kept.
  const fm = await featureMatrix(
    ctx,
    handle,
    { features: options.features, transform: options.transform, missing: options.missing, id: options.segment },
    fn,
  );
  const labels = fm.ids!;
  if (labels.some((label) => label === null || label === undefined)) {
    throw new Error(`seg.${fn}: the segment column "${options.segment}" has missing values; filter them out in SQL`);
  }
  return { matrix: fm.matrix, n: fm.n, d: fm.d, labels };
}

/**
 * Mean silhouette coefficient (Euclidean), equal to scikit-learn's `silhouette_score`: for each row
 * (b - a) / max(a, b), with a its mean distance to its own segment and b to the nearest other; 0 for
 * rows alone in their segment. Exact (O(n^2)) unless `sampleSize` is smaller than n. In the browser
 * it runs across the worker pool, off the page.
 *
 * @example
 * const km = await seg.kmeans(customers, {features: ["age"], id: "customer_id", k: 3});
 * const scored = await sql`SELECT c.age, k.cluster FROM customers c JOIN ${km} k USING (customer_id)`;
 * await seg.silhouetteScore(scored, {features: ["age"], segment: "cluster"}); // e.g. 0.55
 */
export async function silhouetteScore(
  ctx: SegContext,
  input: TableInput | MetricMatrix,
  options: SilhouetteScoreOptions,
): Promise<number> {
  const fn = "silhouetteScore";
  const { matrix, n, d, labels } = await metricInput(ctx, input, options, fn);
  const sampleSize = options.sampleSize ?? n;
  if (!Number.isInteger(sampleSize) || sampleSize < 2) {
    throw new Error(`seg.${fn}: sampleSize must be an integer >= 2, got ${sampleSize}`);
  }
  return silhouetteScoreOn(ctx.kernels ?? inProcessKernels, matrix, n, d, labels, sampleSize, options.seed ?? ctx.seed);
}

/**
 * Calinski-Harabasz score (higher is better): between- over within-segment dispersion, as
 * scikit-learn's `calinski_harabasz_score`.
 *
 * @example
 * const km = await seg.kmeans(customers, {features: ["age"], id: "customer_id", k: 3});
 * const scored = await sql`SELECT c.age, k.cluster FROM customers c JOIN ${km} k USING (customer_id)`;
 * await seg.calinskiHarabasz(scored, {features: ["age"], segment: "cluster"}); // e.g. 1250.4
 */
export async function calinskiHarabasz(
  ctx: SegContext,
  input: TableInput | MetricMatrix,
  options: MetricOptions,
): Promise<number> {
  const { matrix, n, d, labels } = await metricInput(ctx, input, options, "calinskiHarabasz");
  return (ctx.kernels ?? inProcessKernels).run("calinskiHarabasz", matrix, n, d, Array.from(labels));
}

/**
 * Davies-Bouldin score (lower is better): mean over segments of the worst spread-to-separation
 * ratio, as scikit-learn's `davies_bouldin_score`.
 *
 * @example
 * const km = await seg.kmeans(customers, {features: ["age"], id: "customer_id", k: 3});
 * const scored = await sql`SELECT c.age, k.cluster FROM customers c JOIN ${km} k USING (customer_id)`;
 * await seg.daviesBouldin(scored, {features: ["age"], segment: "cluster"}); // e.g. 0.52
 */
export async function daviesBouldin(
  ctx: SegContext,
  input: TableInput | MetricMatrix,
  options: MetricOptions,
): Promise<number> {
  const { matrix, n, d, labels } = await metricInput(ctx, input, options, "daviesBouldin");
  return (ctx.kernels ?? inProcessKernels).run("daviesBouldin", matrix, n, d, Array.from(labels));
}

/** Options of {@link adjustedRandIndex}: two label columns of a table, or the second labelling. */
export interface AdjustedRandOptions {
  /** The two label columns of the table. */
  segment?: { before: string; after: string };
  /** The second labelling, when the first is given as `{labels}`. */
  labels?: ArrayLike<unknown>;
}

/**
 * Adjusted Rand index of two labellings of the same rows (labels may be any values), as
 * scikit-learn's `adjusted_rand_score`: 1 for the same partition (whatever the label names), about
 * 0 for chance agreement, negative below chance. Either a table with two label columns
 * (`{segment: {before, after}}`) or two label lists (`({labels: a}, {labels: b})`).
 *
 * @example
 * const a = await seg.kmeans(customers, {features: ["age"], id: "customer_id", k: 3, seed: 1});
 * const b = await seg.kmeans(customers, {features: ["age"], id: "customer_id", k: 3, seed: 2});
 * const both = await sql`SELECT a.cluster AS before, b.cluster AS after FROM ${a} a JOIN ${b} b USING (customer_id)`;
 * await seg.adjustedRandIndex(both, {segment: {before: "before", after: "after"}}); // 1 when both found the same segments
 */
export async function adjustedRandIndex(
  ctx: SegContext,
  input: TableInput | { labels: ArrayLike<unknown> },
  options: AdjustedRandOptions,
): Promise<number> {
  const fn = "adjustedRandIndex";
  if (typeof input === "object" && input !== null && "labels" in input && !("kind" in input)) {
    if (!options || options.labels === undefined) {
      throw new Error(`seg.${fn}: with {labels: a} pass the second labelling as {labels: b}`);
    }
    for (const labels of [input.labels, options.labels]) {
      if (typeof labels !== "object" || labels === null || typeof labels.length !== "number" || "kind" in labels) {
        throw new Error(
          `seg.${fn}: labels must be a list (one label per row); for two columns of a table pass seg.${fn}(table, {segment: {before, after}})`,
        );
      }
    }
    if (input.labels.length !== options.labels.length) {
      throw new Error(`seg.${fn}: the labellings have ${input.labels?.length} and ${options.labels.length} labels`);
    }
    return adjustedRandKernel(input.labels, options.labels);
  }
  const segment = options?.segment;
  if (typeof segment?.before !== "string" || typeof segment?.after !== "string") {
    throw new Error(
      `seg.${fn}: pass {segment: {before: "col1", after: "col2"}} (the two label columns of the table), or ({labels: a}, {labels: b})`,
    );
  }
  const handle = await resolveTable(ctx, input as TableInput, fn);
  requireColumns(handle, [segment.before, segment.after], fn);
  const [before, after] = await Promise.all([handle.column(segment.before), handle.column(segment.after)]);
  return adjustedRandKernel(before, after);
}
