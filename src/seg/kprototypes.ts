/**
 * seg.kprototypes: segmentation of mixed numeric and categorical columns (Huang's k-prototypes; see
 * kprototypes-kernel.ts). Columns are read and checked by seg.featureMatrix (numeric ones
 * standardized by default); categorical columns of any type are compared as text. Labels come back
 * as a DuckDB table that joins on the id column, with a JSON model that assigns new data.
 */
import { quoteIdentifier } from "../engine/sql-text.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import { requireColumns, resolveTable, type SegContext, type TableInput } from "./context.ts";
import { applyScaler, invertScaler, type Scaler } from "./features-kernel.ts";
import { featureMatrix, readRawColumns, type TransformOption, type TransformSpec } from "./features.ts";
import { inProcessKernels } from "./kernel-runner.ts";
import { checkK, labelsTable } from "./kmeans.ts";
import { defaultGamma } from "./kprototypes-kernel.ts";
import { isNumericType } from "./profile.ts";
import { checkInteger, rowsOf, withAssign, type WithAssign } from "./model-helpers.ts";

/** Options of {@link kprototypes}. */
export interface KprototypesOptions {
  /** Numeric columns (squared Euclidean distance after `transform`). */
  numeric: readonly string[];
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

/** A fitted k-prototypes model as plain JSON. */
export interface KprototypesModel {
  kind: "kprototypes";
  k: number;
  numeric: string[];
  categorical: string[];
  id: string | null;
  /** Fitted transforms; categorical columns appear as one-hot features with their categories. */
  scaler: Scaler;
  gamma: number;
  /** Numeric prototypes in the transformed space (k rows of the numeric columns). */
  numericPrototypes: number[][];
  /** Categorical prototypes: the modal category of each categorical column, per cluster. */
  categoricalPrototypes: string[][];
}

/** A model with its `assign` method (not part of its JSON). */
export type KprototypesModelWithAssign = WithAssign<KprototypesModel>;

/** What {@link kprototypes} returns. */
export interface KprototypesResult {
  /** Table (id, cluster INTEGER 0..k-1); `row` instead of id when no `id` is given. */
  labels: TableHandle;
  /** Cluster of each clustered row, in input order (rows dropped for missing values excluded). */
  clusters: Int32Array;
  k: number;
  /** Prototypes: numeric means (transformed and in input units) and categorical modes. */
  prototypes: { numeric: { transformed: number[][]; original: number[][] }; categorical: string[][] };
  sizes: number[];
  /** Total cost: sum over rows of squared numeric distance + gamma x mismatches to their prototype. */
  cost: number;
  /** Cost after each round of the winning restart (never increases). */
  costHistory: number[];
  gamma: number;
  iterations: number;
  converged: boolean;
  nInit: number;
  seed: number;
  n: number;
  dropped: number;
  model: KprototypesModelWithAssign;
}

const FN = "kprototypes";

function checkColumns(options: KprototypesOptions): { numeric: string[]; categorical: string[] } {
  const list = (value: unknown, name: string, example: string): string[] => {
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "string")) {
      throw new Error(
        `seg.${FN}: pass {${name}: [${example}]}: at least one ${name} column (k-prototypes needs both kinds; use seg.kmeans for numbers only)`,
      );
    }
    return [...value] as string[];
  };
  const numeric = list(options?.numeric, "numeric", `"income", "age"`);
  const categorical = list(options.categorical, "categorical", `"region", "channel"`);
  const all = [...numeric, ...categorical];
  const duplicate = all.find((c, i) => all.indexOf(c) !== i);
  if (duplicate !== undefined) {
    throw new Error(`seg.${FN}: column "${duplicate}" is listed twice (in numeric and categorical or within one)`);
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

/**
 * k-prototypes segmentation of mixed data (Huang 1997/98): the cost of a row to a prototype is the
 * squared Euclidean distance on the numeric columns (standardized by default) plus `gamma` times
 * the number of categorical columns that differ. gamma defaults, as in the kmodes package, to half
 * the mean standard deviation of the (transformed) numeric columns, i.e. 0.5 when standardized.
 * Each restart starts from Huang's frequency-based initialisation (seeded; see huangInit in
 * kprototypes-kernel.ts), then alternates assigning rows and recomputing prototypes (means; modes
 * with the alphabetically first category on ties) until no row moves; the lowest-cost restart wins.
 *
 * @example
 * const mixed = await seg.kprototypes(customers, {
 *   numeric: ["Age", "Annual Income (k$)", "Spending Score (1-100)"],
 *   categorical: ["Gender"],
 *   id: "CustomerID",
 *   k: 4,
 * });
 * mixed.labels;                  // table: CustomerID, cluster
 * mixed.prototypes.categorical;  // e.g. [["Female"], ["Male"], ...]
 */
export async function kprototypes(
  ctx: SegContext,
  table: TableInput,
  options: KprototypesOptions,
): Promise<KprototypesResult> {
  const { numeric, categorical } = checkColumns(options);
  const k = checkInteger(options.k, "k", 1, FN);
  const nInit = checkInteger(options.nInit ?? 10, "nInit", 1, FN);
  const maxIter = checkInteger(options.maxIter ?? 100, "maxIter", 1, FN);
  const seed = options.seed ?? ctx.seed;
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new Error(`seg.${FN}: seed must be a number, got ${JSON.stringify(seed)}`);
  }
  if (options.gamma !== undefined && !(typeof options.gamma === "number" && options.gamma >= 0)) {
    throw new Error(`seg.${FN}: gamma must be a number >= 0, got ${JSON.stringify(options.gamma)}`);
  }
  if (options.id === "cluster") throw new Error(`seg.${FN}: the id column cannot be named "cluster"; rename it in SQL`);
  const handle = await resolveTable(ctx, table, FN);
  requireColumns(
    handle,
    options.id === undefined ? [...numeric, ...categorical] : [...numeric, ...categorical, options.id],
    FN,
  );
  for (const name of numeric) {
    const type = handle.columns.find((c) => c.name === name)!.type;
    if (!isNumericType(type)) {
      throw new Error(
        `seg.${FN}: numeric column "${name}" has type ${type}; list it under categorical or cast it in SQL`,
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
    FN,
  );
  const { matrix, n, d, scaler } = fm;
  checkK(matrix, n, d, k, FN);
  const p = numeric.length;
  const num = numericPart(matrix, n, d, p);
  const { cat, m, counts, categories } = decodeCategorical(matrix, n, d, scaler);
  const gamma = options.gamma ?? defaultGamma(num, n, p);
  const run = await (ctx.kernels ?? inProcessKernels).run("kprototypes", num, n, p, cat, m, counts, {
    k,
    gamma,
    nInit,
    maxIter,
    seed,
  });
  const sizes = new Array<number>(k).fill(0);
  for (const label of run.labels) sizes[label]! += 1;
  const numericPrototypes = rowsOf(run.numeric, k, p);
  const categoricalPrototypes = Array.from({ length: k }, (_, c) =>
    Array.from({ length: m }, (_, a) => categories[a]![run.categorical[c * m + a]!]!),
  );
  // invertScaler works on full matrix rows: place the numeric prototypes in rows of d columns.
  const padded = new Float64Array(k * d);
  for (let c = 0; c < k; ++c) for (let f = 0; f < p; ++f) padded[c * d + f] = run.numeric[c * p + f]!;
  const original = rowsOf(invertScaler(scaler, padded, k), k, d).map((row) => row.slice(0, p));
  const model = withAssign(
    {
      kind: "kprototypes",
      k,
      numeric,
      categorical,
      id: options.id ?? null,
      scaler,
      gamma,
      numericPrototypes,
      categoricalPrototypes,
    },
    assignKprototypes,
    ctx,
  );
  return {
    labels: await labelsTable(ctx, fm.source, run.labels),
    clusters: run.labels,
    k,
    prototypes: { numeric: { transformed: numericPrototypes, original }, categorical: categoricalPrototypes },
    sizes,
    cost: run.cost,
    costHistory: run.costHistory,
    gamma,
    iterations: run.iterations,
    converged: run.converged,
    nInit,
    seed,
    n,
    dropped: fm.dropped,
    model,
  };
}

/** Options of {@link assignKprototypes}. */
export interface AssignKprototypesOptions {
  /** A model from seg.kprototypes (or its JSON). */
  model: KprototypesModel;
  /** The id column of the new table (default: the model's id column). */
  id?: string;
}

/**
 * Assigns the rows of a table to the cheapest prototype of a fitted k-prototypes model, with the
 * model's fitted numeric transforms; a category the model has not seen mismatches every prototype.
 *
 * @example
 * const fitted = await seg.kprototypes(customers, {numeric: ["Age"], categorical: ["Gender"], k: 3, id: "CustomerID"});
 * const labels = await fitted.model.assign(newCustomers);
 */
export async function assignKprototypes(
  ctx: SegContext,
  table: TableInput,
  options: AssignKprototypesOptions,
): Promise<TableHandle> {
  const fn = "assignKprototypes";
  const model = options?.model;
  if (!model || model.kind !== "kprototypes" || !model.scaler || !Array.isArray(model.numericPrototypes)) {
    throw new Error(`seg.${fn}: pass {model: result.model} from seg.kprototypes (or that model's JSON)`);
  }
  const handle = await resolveTable(ctx, table, fn);
  const id = options.id ?? model.id ?? undefined;
  const { raw, snapshot, rows } = await readRawColumns(ctx, handle, model.scaler, id, fn);
  const { matrix, n, d } = applyScaler(model.scaler, raw);
  const p = model.numeric.length;
  const { cat, m, categories } = decodeCategorical(matrix, n, d, model.scaler);
  const protoCat = Int32Array.from(
    model.categoricalPrototypes.flatMap((row) => row.map((value, a) => categories[a]!.indexOf(value))),
  );
  const labels = await (ctx.kernels ?? inProcessKernels).run(
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
  return labelsTable(ctx, { table: snapshot, rows, idColumn: id ?? null }, labels);
}
