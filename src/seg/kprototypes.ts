/**
 * seg.kprototypes: segmentation of mixed numeric and categorical columns (Huang's k-prototypes; see
 * kprototypes-kernel.ts). Columns are read and checked by seg.featureMatrix (numeric ones
 * standardized by default); categorical columns of any type are compared as text. The result is the
 * labels table (joins on the id column) with the fit in `info` and a {@link ClusterModel}.
 */
import { quoteIdentifier } from "../engine/sql-text.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import { requireColumns, resolveTable, type SegContext, type TableInput } from "./context.ts";
import type { ClusterInfo, ClusterModel, ClusterModelJson, ClusterResult } from "./contract.ts";
import { applyScaler, invertScaler, type Scaler } from "./features-kernel.ts";
import {
  featureMatrix,
  readRawColumns,
  type FeatureMatrix,
  type TransformOption,
  type TransformSpec,
} from "./features.ts";
import { inProcessKernels } from "./kernel-runner.ts";
import { checkK } from "./kmeans.ts";
import { labelsTable } from "./labels-table.ts";
import { defaultGamma } from "./kprototypes-kernel.ts";
import { isNumericType } from "./profile.ts";
import {
  checkInteger,
  clusterModel,
  clusterResult,
  droppedWarning,
  rowsOf,
  sizesOf,
  type ModelScorer,
} from "./model-helpers.ts";
import { kprototypesSql } from "./to-sql-models.ts";

/** Options of {@link kprototypes}. */
export interface KprototypesOptions {
  /** Numeric feature columns (squared Euclidean distance after `transform`). */
  features: readonly string[];
  /** Categorical columns of any type, compared as text (a mismatch costs `gamma`). */
  categorical: readonly string[];
  /** Number of clusters (1 <= k <= number of distinct rows). */
  k: number;
  id?: string;
  /** Transform of the numeric columns (default "standardize"; see seg.featureMatrix). */
  transform?: TransformOption;
  /** Rows with a missing value in any column: fail (default) or drop them. */
  missing?: "error" | "drop";
  /** Cost of one categorical mismatch (default: half the mean std of the transformed numeric columns). */
  gamma?: number;
  /** Seeded restarts; the lowest cost wins (default 10). */
  nInit?: number;
  /** Rounds per restart (default 100). */
  maxIter?: number;
  /** Seed of the initialisations (default: the notebook seed). */
  seed?: number;
}

/** The fitted parameters of a k-prototypes model (its model JSON's `parameters`). */
export type KprototypesParameters = {
  /** Fitted transforms; categorical columns appear as one-hot features with their categories. */
  scaler: Scaler;
  gamma: number;
  /** Numeric prototypes in the transformed space (k rows of the numeric features). */
  numericPrototypes: number[][];
  /** Categorical prototypes: the modal category of each categorical column, per cluster. */
  categoricalPrototypes: string[][];
};

/** A fitted k-prototypes model: see {@link ClusterModel}; `categorical` names its categorical columns. */
export type KprototypesModel = ClusterModel<KprototypesParameters> & { readonly categorical: readonly string[] };

/** What {@link kprototypes} reports in `info`. */
export interface KprototypesInfo extends ClusterInfo {
  readonly method: "kprototypes";
  /** The numeric and categorical columns clustered on. */
  readonly features: string[];
  readonly categorical: string[];
  /** Prototypes: numeric means (transformed and in input units) and categorical modes. */
  readonly prototypes: { numeric: { transformed: number[][]; original: number[][] }; categorical: string[][] };
  /** Total cost: sum over rows of squared numeric distance + gamma x mismatches to their prototype. */
  readonly cost: number;
  /** Cost after each round of the winning restart (never increases). */
  readonly costHistory: number[];
  readonly gamma: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly nInit: number;
}

/**
 * What {@link kprototypes} returns: the labels table (id, cluster INTEGER 0..k-1; `row` instead of
 * the id when no `id` is given) with `info`, `warnings` and `model`.
 */
export type KprototypesResult = ClusterResult<KprototypesInfo, KprototypesModel>;

const FN = "kprototypes";

function checkColumns(options: Partial<KprototypesOptions>, FN: string): { numeric: string[]; categorical: string[] } {
  if (options && "numeric" in options) {
    throw new Error(
      `seg.${FN}: the numeric columns are now {features: [...]} (was numeric), next to {categorical: [...]}`,
    );
  }
  const list = (value: unknown, name: string, example: string): string[] => {
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "string")) {
      throw new Error(
        `seg.${FN}: pass {${name}: [${example}]}: at least one ${name} column (k-prototypes needs both kinds; use seg.kmeans for numbers only)`,
      );
    }
    return [...value] as string[];
  };
  const numeric = list(options?.features, "features", `"income", "age"`);
  const categorical = list(options.categorical, "categorical", `"region", "channel"`);
  const all = [...numeric, ...categorical];
  const duplicate = all.find((c, i) => all.indexOf(c) !== i);
  if (duplicate !== undefined) {
    throw new Error(`seg.${FN}: column "${duplicate}" is listed twice (in features and categorical or within one)`);
  }
  return { numeric, categorical };
}

/** The numeric transform as featureMatrix's per-feature record (text features take none). */
function numericTransform(transform: TransformOption | undefined, numeric: string[]): TransformOption {
  const spec = transform ?? "standardize";
  const isRecord = typeof spec === "object" && spec !== null && !Array.isArray(spec) && !("winsorize" in spec);
  if (isRecord) return spec;
  return Object.fromEntries(numeric.map((name) => [name, spec as TransformSpec]));
}

/** Category codes of each categorical feature, decoded from featureMatrix's one-hot columns. */
function decodeCategorical(
  matrix: Float64Array,
  n: number,
  d: number,
  scaler: Scaler,
): { cat: Int32Array; m: number; counts: Int32Array; categories: string[][] } {
  const features = scaler.features;
  const categorical = features.filter((f) => f.kind === "categorical");
  const m = categorical.length;
  const cat = new Int32Array(n * m).fill(-1);
  let offset = 0;
  let a = 0;
  for (const feature of features) {
    if (feature.kind === "numeric") {
      offset += 1;
      continue;
    }
    const levels = feature.categories.length;
    for (let i = 0; i < n; ++i) {
      for (let v = 0; v < levels; ++v) if (matrix[i * d + offset + v] === 1) cat[i * m + a] = v;
    }
    offset += levels;
    a += 1;
  }
  return {
    cat,
    m,
    counts: Int32Array.from(categorical, (f) => (f.kind === "categorical" ? f.categories.length : 0)),
    categories: categorical.map((f) => (f.kind === "categorical" ? f.categories : [])),
  };
}

/** Numeric columns (the first p matrix columns, as the numeric features come first). */
function numericPart(matrix: Float64Array, n: number, d: number, p: number): Float64Array {
  const num = new Float64Array(n * p);
  for (let i = 0; i < n; ++i) for (let f = 0; f < p; ++f) num[i * p + f] = matrix[i * d + f]!;
  return num;
}

/** The table with categorical columns that are not text cast to VARCHAR (so they are one-hot read). */
async function withTextCategories(ctx: SegContext, handle: TableHandle, categorical: string[]): Promise<TableHandle> {
  const types = new Map(handle.columns.map((c) => [c.name, c.type]));
  const cast = categorical.filter((c) => types.get(c) !== "VARCHAR");
  if (cast.length === 0) return handle;
  const replace = cast.map((c) => `CAST(${quoteIdentifier(c)} AS VARCHAR) AS ${quoteIdentifier(c)}`).join(", ");
  return ctx.db.query(`SELECT * REPLACE (${replace}) FROM ${quoteIdentifier(handle.name)}`);
}

/** A table read for k-prototypes: the numeric part, the categorical codes and the default gamma. */
export interface KprototypesData {
  numeric: string[];
  categorical: string[];
  fm: FeatureMatrix;
  /** Numeric part, n x p (transformed). */
  num: Float64Array;
  p: number;
  /** Category codes, n x m. */
  cat: Int32Array;
  m: number;
  counts: Int32Array;
  categories: string[][];
  gamma: number;
}

/** The k-prototypes settings of `options`, checked (shared by seg.kprototypes, chooseK and stability). */
export function kprototypesSettings(
  options: Partial<KprototypesOptions>,
  fn: string,
): { nInit: number; maxIter: number; gamma: number | undefined } {
  if (options.gamma !== undefined && !(typeof options.gamma === "number" && options.gamma >= 0)) {
    throw new Error(`seg.${fn}: gamma must be a number >= 0, got ${JSON.stringify(options.gamma)}`);
  }
  return {
    nInit: checkInteger(options.nInit ?? 10, "nInit", 1, fn),
    maxIter: checkInteger(options.maxIter ?? 100, "maxIter", 1, fn),
    gamma: options.gamma,
  };
}

/**
 * Reads `table` for k-prototypes: checks the `features` (numeric) and `categorical` columns, reads
 * them through featureMatrix (numeric ones transformed, categorical ones one-hot) and splits the
 * matrix into the numeric part and category codes.
 */
export async function readKprototypesData(
  ctx: SegContext,
  table: TableInput,
  options: Partial<KprototypesOptions>,
  fn: string,
): Promise<KprototypesData> {
  const { numeric, categorical } = checkColumns(options, fn);
  if (options.id === "cluster") throw new Error(`seg.${fn}: the id column cannot be named "cluster"; rename it in SQL`);
  const handle = await resolveTable(ctx, table, fn);
  requireColumns(
    handle,
    options.id === undefined ? [...numeric, ...categorical] : [...numeric, ...categorical, options.id],
    fn,
  );
  for (const name of numeric) {
    const type = handle.columns.find((c) => c.name === name)!.type;
    if (!isNumericType(type)) {
      throw new Error(
        `seg.${fn}: feature "${name}" has type ${type}, which is not numeric; list it under categorical or cast it in SQL`,
      );
    }
  }
  const source = await withTextCategories(ctx, handle, categorical);
  const fm = await featureMatrix(
    ctx,
    source,
    {
      features: [...numeric, ...categorical],
      id: options.id,
      transform: numericTransform(options.transform, numeric),
      missing: options.missing,
    },
    fn,
  );
  const { matrix, n, d, scaler } = fm;
  const p = numeric.length;
  const num = numericPart(matrix, n, d, p);
  const { cat, m, counts, categories } = decodeCategorical(matrix, n, d, scaler);
  const gamma = options.gamma ?? defaultGamma(num, n, p);
  return { numeric, categorical, fm, num, p, cat, m, counts, categories, gamma };
}

/**
 * k-prototypes segmentation of mixed data (Huang 1997/98): the cost of a row to a prototype is the
 * squared Euclidean distance on the numeric `features` (standardized by default) plus `gamma` times
 * the number of `categorical` columns that differ. gamma defaults, as in the kmodes package, to half
 * the mean standard deviation of the (transformed) numeric columns, i.e. 0.5 when standardized.
 * Each restart starts from Huang's frequency-based initialisation (seeded; see huangInit in
 * kprototypes-kernel.ts), then alternates assigning rows and recomputing prototypes (means; modes
 * with the alphabetically first category on ties) until no row moves; the lowest-cost restart wins.
 * The result IS the labels table (id, cluster), with the prototypes and cost in `info` and the `model`.
 *
 * @example
 * const kp = await seg.kprototypes(customers, {features: ["age"], categorical: ["region", "channel"], id: "customer_id", k: 3});
 * kp.info.prototypes.categorical; // modal region and channel per cluster, e.g. [["East", "web"], ...]
 * kp.info.cost;                   // total cost (lower is better)
 */
export async function kprototypes(
  ctx: SegContext,
  table: TableInput,
  options: KprototypesOptions,
): Promise<KprototypesResult> {
  checkColumns(options, FN);
  const k = checkInteger(options.k, "k", 1, FN);
  const { nInit, maxIter } = kprototypesSettings(options, FN);
  const seed = options.seed ?? ctx.seed;
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new Error(`seg.${FN}: seed must be a number, got ${JSON.stringify(seed)}`);
  }
  const data = await readKprototypesData(ctx, table, options, FN);
  const { numeric, categorical, fm, num, p, cat, m, counts, categories, gamma } = data;
  const { matrix, n, d, scaler } = fm;
  checkK(matrix, n, d, k, FN);
  const run = await (ctx.kernels ?? inProcessKernels).run("kprototypes", num, n, p, cat, m, counts, {
    k,
    gamma,
    nInit,
    maxIter,
    seed,
  });
  const numericPrototypes = rowsOf(run.numeric, k, p);
  const categoricalPrototypes = Array.from({ length: k }, (_, c) =>
    Array.from({ length: m }, (_, a) => categories[a]![run.categorical[c * m + a]!]!),
  );
  // invertScaler works on full matrix rows: place the numeric prototypes in rows of d columns.
  const padded = new Float64Array(k * d);
  for (let c = 0; c < k; ++c) for (let f = 0; f < p; ++f) padded[c * d + f] = run.numeric[c * p + f]!;
  const original = rowsOf(invertScaler(scaler, padded, k), k, d).map((row) => row.slice(0, p));
  const model = clusterModel(
    {
      method: "kprototypes",
      k,
      features: numeric,
      categorical,
      id: options.id ?? null,
      parameters: { scaler, gamma, numericPrototypes, categoricalPrototypes },
    },
    kprototypesScorer,
    ctx,
  ) as KprototypesModel;
  const info: KprototypesInfo = {
    method: "kprototypes",
    k,
    sizes: sizesOf(run.labels, k),
    n,
    dropped: fm.dropped,
    seed,
    features: numeric,
    categorical,
    prototypes: { numeric: { transformed: numericPrototypes, original }, categorical: categoricalPrototypes },
    cost: run.cost,
    costHistory: run.costHistory,
    gamma,
    iterations: run.iterations,
    converged: run.converged,
    nInit,
  };
  const warnings = droppedWarning(fm.dropped, n);
  if (!run.converged) {
    warnings.push(`k-prototypes did not converge in ${maxIter} rounds; raise maxIter`);
  }
  const labels = await labelsTable(ctx, fm.source, { cluster: run.labels });
  return clusterResult(labels, info, warnings, model);
}

/** Checks that a model JSON is a k-prototypes model's. */
function checkKprototypesModel(json: ClusterModelJson<KprototypesParameters>, fn: string): void {
  const { scaler, gamma, numericPrototypes, categoricalPrototypes } = json.parameters;
  const categorical = json.categorical;
  const p = json.features?.length;
  const ok =
    Array.isArray(scaler?.features) &&
    typeof gamma === "number" &&
    Array.isArray(categorical) &&
    Array.isArray(numericPrototypes) &&
    numericPrototypes.length === json.k &&
    numericPrototypes.every((row) => Array.isArray(row) && row.length === p && row.every(Number.isFinite)) &&
    Array.isArray(categoricalPrototypes) &&
    categoricalPrototypes.length === json.k &&
    categoricalPrototypes.every((row) => Array.isArray(row) && row.length === categorical.length);
  if (!ok) {
    throw new Error(
      `seg.${fn}: the k-prototypes model needs categorical columns and parameters scaler, gamma, ${json.k} numericPrototypes and categoricalPrototypes; pass {model: kp.model} from seg.kprototypes or that model's JSON`,
    );
  }
}

/**
 * Scores rows with a k-prototypes model: each row goes to the cheapest prototype, after the model's
 * fitted numeric transforms; a category the model has not seen mismatches every prototype.
 */
export const kprototypesScorer: ModelScorer<KprototypesParameters> = {
  method: "kprototypes",
  check: checkKprototypesModel,
  toSQL: kprototypesSql,
  async score(ctx, table, json, id, fn) {
    const model = json.parameters;
    const handle = await resolveTable(ctx, table, fn);
    const { raw, snapshot, rows } = await readRawColumns(ctx, handle, model.scaler, id ?? undefined, fn);
    const { matrix, n, d } = applyScaler(model.scaler, raw);
    const p = json.features.length;
    const { cat, m, categories } = decodeCategorical(matrix, n, d, model.scaler);
    const protoCat = Int32Array.from(
      model.categoricalPrototypes.flatMap((row) => row.map((value, a) => categories[a]!.indexOf(value))),
    );
    const cluster = await (ctx.kernels ?? inProcessKernels).run(
      "kprototypesAssign",
      numericPart(matrix, n, d, p),
      n,
      p,
      cat,
      m,
      Float64Array.from(model.numericPrototypes.flat()),
      protoCat,
      model.gamma,
    );
    return { source: { table: snapshot, rows, idColumn: id }, columns: { cluster } };
  },
};
