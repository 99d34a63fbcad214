/**
 * From a table to a numeric feature matrix: the columns are read from DuckDB as Arrow, checked
 * (unknown, non-numeric, missing and constant features fail with messages that say what to do),
 * transformed per feature, and one-hot encoded for text columns. Every clustering function starts here.
 */
import { DataType, Precision, type Vector } from "apache-arrow";
import { columnValues } from "../engine/arrow-values.ts";
import { isNumericType } from "../engine/column-types.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import { requireColumns, resolveTable, type SegContext, type TableInput } from "./context.ts";
import type { FeatureColumn } from "./feature-matrix-kernel.ts";
import type { RawColumn, Scaler, TransformStep } from "./features-kernel.ts";
import { handOver, inProcessKernels } from "./kernel-runner.ts";

/** A transform for a feature: one step, a pipeline of steps in order, or "none". */
export type TransformSpec = "none" | TransformStep | readonly TransformStep[];

/**
 * Transforms: one spec for every numeric feature, or a spec per feature name (features not named
 * are left as they are). Text (VARCHAR) features are always one-hot encoded and take no transform.
 */
export type TransformOption = TransformSpec | Record<string, TransformSpec>;

/** Options of {@link featureMatrix}. */
export interface FeatureOptions {
  /** Columns to use: numbers (any integer, float or DECIMAL type, BOOLEAN as 0/1) or text (one-hot). */
  features: readonly string[];
  /** A column that identifies rows, carried along so results can be joined back. */
  id?: string;
  transform?: TransformOption;
  /** What to do with rows where a feature is null, NaN or infinite: fail (default) or drop them. */
  missing?: "error" | "drop";
}

/** A feature matrix and how it was made. */
export interface FeatureMatrix {
  /** Row-major n x d values after transforms and one-hot encoding. */
  matrix: Float64Array;
  n: number;
  d: number;
  /** Matrix column names (a text feature `f` becomes `f=value` columns). */
  columns: string[];
  /** The `id` value of each matrix row (null when no `id` was given). */
  ids: unknown[] | null;
  /** Rows dropped for missing values (with `missing: "drop"`). */
  dropped: number;
  /** The fitted transforms as JSON; use applyScaler/invertScaler from features-kernel.ts. */
  scaler: Scaler;
  /**
   * Internal: the snapshot table (owned by the calling cell) the matrix was read from, with a
   * `__row` column numbering its rows, and the row number of each matrix row in it.
   */
  source: { table: TableHandle; rows: Float64Array; idColumn: string | null };
}

const TEXT_TYPE = /^VARCHAR$/i;

function isStep(value: unknown): value is TransformStep {
  return (
    value === "log1p" ||
    value === "standardize" ||
    value === "minmax" ||
    (typeof value === "object" && value !== null && !Array.isArray(value) && "winsorize" in value)
  );
}

/** True for a spec that applies to every feature (as opposed to a {feature: spec} record). */
function isSpec(value: unknown): boolean {
  return value === "none" || typeof value === "string" || Array.isArray(value) || isStep(value);
}

const KNOWN_STEPS = `"log1p", "standardize", "minmax", {winsorize: [lo, hi]} or "none"`;

function stepsOf(spec: TransformSpec | undefined, feature: string, fn: string): TransformStep[] {
  if (spec === undefined) return [];
  const list: unknown[] = Array.isArray(spec) ? [...spec] : [spec];
  const steps: TransformStep[] = [];
  for (const step of list) {
    if (step === "none") continue;
    if (!isStep(step)) {
      throw new Error(
        `seg.${fn}: unknown transform ${JSON.stringify(step)} for feature "${feature}"; use ${KNOWN_STEPS}`,
      );
    }
    steps.push(step);
  }
  return steps;
}

/** The steps for each feature, checking that a per-feature record names only known features. */
export function resolveTransforms(
  transform: TransformOption | undefined,
  features: readonly string[],
  fn: string,
): Map<string, TransformStep[]> {
  const out = new Map<string, TransformStep[]>();
  if (transform === undefined || isSpec(transform)) {
    for (const feature of features) out.set(feature, stepsOf(transform as TransformSpec | undefined, feature, fn));
    return out;
  }
  if (typeof transform !== "object" || transform === null) {
    throw new Error(
      `seg.${fn}: transform must be a step, a list of steps or {feature: steps}, got ${String(transform)}; use ${KNOWN_STEPS}`,
    );
  }
  const record = transform as Record<string, TransformSpec>;
  const unknown = Object.keys(record).filter((key) => !features.includes(key));
  if (unknown.length) {
    throw new Error(
      `seg.${fn}: transform names ${unknown.map((u) => `"${u}"`).join(", ")}, which ${unknown.length > 1 ? "are" : "is"} not among the features (${features.join(", ")})`,
    );
  }
  for (const feature of features) out.set(feature, stepsOf(record[feature], feature, fn));
  return out;
}

function checkOptions(options: FeatureOptions, fn: string): void {
  const features = options?.features;
  if (!Array.isArray(features) || features.length === 0 || !features.every((f) => typeof f === "string")) {
    throw new Error(`seg.${fn}: pass {features: ["col1", "col2", …]}: the numeric or text columns to cluster on`);
  }
  const duplicate = features.find((f, i) => features.indexOf(f) !== i);
  if (duplicate !== undefined) throw new Error(`seg.${fn}: feature "${duplicate}" is listed twice`);
  if (options.missing !== undefined && options.missing !== "error" && options.missing !== "drop") {
    throw new Error(`seg.${fn}: missing must be "error" or "drop", got ${JSON.stringify(options.missing)}`);
  }
}

/**
 * Reads, checks and transforms feature columns into a matrix. Also the first step of seg.kmeans and
 * seg.chooseK; `fn` names the calling function in error messages.
 *
 * @example
 * const fm = await seg.featureMatrix(customers, {features: ["age", "region"], id: "customer_id", transform: {age: "standardize"}});
 * fm.columns; // ["age", "region=East", "region=North", ...] (text features one-hot)
 * [fm.n, fm.d]; // rows and matrix columns
 */
export async function featureMatrix(
  ctx: SegContext,
  table: TableInput,
  options: FeatureOptions,
  fn = "featureMatrix",
): Promise<FeatureMatrix> {
  checkOptions(options, fn);
  const handle = await resolveTable(ctx, table, fn);
  const { features, id } = options;
  requireColumns(handle, id === undefined ? features : [...features, id], fn);
  const transforms = resolveTransforms(options.transform, features, fn);
  const types = new Map(handle.columns.map((c) => [c.name, c.type]));
  const kinds = features.map((feature) => {
    const type = types.get(feature)!;
    // Booleans enter as 0/1.
    if (isNumericType(type) || /^BOOLEAN$/i.test(type)) return "numeric" as const;
    if (TEXT_TYPE.test(type)) {
      if (transforms.get(feature)!.length) {
        throw new Error(`seg.${fn}: feature "${feature}" is text (one-hot encoded); it takes no transform`);
      }
      return "categorical" as const;
    }
    throw new Error(
      `seg.${fn}: feature "${feature}" has type ${type}, which is not numeric; cast it in SQL (e.g. date_diff for dates) or leave it out`,
    );
  });
  if (handle.numRows === 0) throw new Error(`seg.${fn}: table "${handle.name}" has no rows`);

  // A snapshot numbers the rows once, so labels computed here join back to exactly these rows.
  const select = [
    `row_number() OVER () - 1 AS "__row"`,
    ...(id === undefined ? [] : [`${quoteIdentifier(id)} AS "__id"`]),
    ...features.map((feature, j) =>
      kinds[j] === "numeric"
        ? `CAST(${quoteIdentifier(feature)} AS DOUBLE) AS "f${j}"`
        : `${quoteIdentifier(feature)} AS "f${j}"`,
    ),
  ];
  const snapshot = await ctx.db.query(`SELECT ${select.join(", ")} FROM ${quoteIdentifier(handle.name)}`);
  const arrow = await snapshot.arrow();
  // The browser engine has just parsed the whole result on this thread; let the page in before copying.
  await pause();
  const child = (name: string): Vector => arrow.getChild(name)!;
  // Column by column with pauses: copying a million values out of Arrow takes tens of milliseconds each.
  const columnsIn: FeatureColumn[] = [];
  for (const [j, feature] of features.entries()) {
    if (kinds[j] === "numeric") {
      const { values, nulls } = doubleColumn(child(`f${j}`));
      const steps = transforms.get(feature)!;
      columnsIn.push({
        name: feature,
        kind: "numeric",
        values: handOver(values),
        nulls: nulls && handOver(nulls),
        steps,
      });
    } else {
      columnsIn.push({ name: feature, kind: "categorical", values: await textColumn(child(`f${j}`)) });
    }
    await pause();
  }
  // The per-row work runs as a kernel, in the browser on a worker, so a million rows do not freeze
  // the page; the columns are fresh copies, handed over rather than copied again.
  const built = await (ctx.kernels ?? inProcessKernels).run("featureMatrix", {
    fn,
    columns: columnsIn,
    rowNumbers: handOver(ownValues<BigInt64Array>(child("__row"))),
    missing: options.missing ?? "error",
  });
  const { matrix, n, d, scaler, kept } = built;
  let ids: unknown[] | null | undefined = id === undefined ? null : undefined;
  return {
    matrix,
    n,
    d,
    columns: scaler.columns,
    // Read on first use: most callers join on `source` instead, and a million ids cost the page time.
    get ids() {
      if (ids === undefined) {
        const all = columnValues(child("__id"), arrow.schema.fields.find((f) => f.name === "__id")!.type as DataType);
        ids = kept ? Array.from(kept, (i) => all[i]) : Array.from(all as ArrayLike<unknown>);
      }
      return ids;
    },
    dropped: arrow.numRows - n,
    scaler,
    source: { table: snapshot, rows: built.rows, idColumn: id ?? null },
  };
}

/**
 * A numeric column's values in a new array of its own: Arrow gives a view into the result's buffers
 * for a single batch (copied here) and a fresh concatenation for several, so the array can be handed
 * over to a worker without detaching anything Arrow still reads.
 */
function ownValues<T extends Float64Array | BigInt64Array>(vector: Vector): T {
  const array = vector.toArray() as T;
  return (vector.data.length > 1 ? array : array.slice()) as T;
}

/** Lets the page paint and handle input between slices of work on the main thread. */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A DOUBLE column (numeric features are cast to DOUBLE in the snapshot) as values and a null mask. */
function doubleColumn(vector: Vector): { values: Float64Array; nulls: Uint8Array | null } {
  const type = vector.type as DataType;
  if (!(DataType.isFloat(type) && type.precision === Precision.DOUBLE)) {
    // Not expected (the snapshot casts), but stay correct: convert value by value.
    const plain = columnValues(vector, type) as ArrayLike<unknown>;
    const nulls = new Uint8Array(plain.length);
    const values = Float64Array.from({ length: plain.length }, (_, i) =>
      plain[i] === null ? ((nulls[i] = 1), 0) : Number(plain[i]),
    );
    return { values, nulls };
  }
  const values = ownValues<Float64Array>(vector);
  if (vector.nullCount === 0) return { values, nulls: null };
  const nulls = new Uint8Array(vector.length);
  let offset = 0;
  for (const data of vector.data) {
    if (data.nullCount > 0) for (let i = 0; i < data.length; ++i) if (!data.getValid(i)) nulls[offset + i] = 1;
    offset += data.length;
  }
  return { values, nulls };
}

/** A text column's values (null for nulls), read in slices with pauses so a long column does not hold the page. */
async function textColumn(vector: Vector): Promise<(string | null)[]> {
  const out = new Array<string | null>(vector.length);
  const slice = 1 << 16;
  for (let start = 0; start < out.length; start += slice) {
    const end = Math.min(out.length, start + slice);
    for (let i = start; i < end; ++i) {
      const value = vector.get(i) as string | null | undefined;
      out[i] = value ?? null;
    }
    if (end < out.length) await pause();
  }
  return out;
}

/** Raw (untransformed) columns of a table for a fitted scaler's features; used to assign new data. */
export async function readRawColumns(
  ctx: SegContext,
  handle: TableHandle,
  scaler: Scaler,
  id: string | undefined,
  fn: string,
): Promise<{ raw: Record<string, RawColumn>; ids: unknown[] | null; snapshot: TableHandle; rows: Float64Array }> {
  const names = scaler.features.map((f) => f.name);
  requireColumns(handle, id === undefined ? names : [...names, id], fn);
  const select = [
    `row_number() OVER () - 1 AS "__row"`,
    ...(id === undefined ? [] : [`${quoteIdentifier(id)} AS "__id"`]),
    ...scaler.features.map((f, j) =>
      f.kind === "numeric"
        ? `CAST(${quoteIdentifier(f.name)} AS DOUBLE) AS "f${j}"`
        : `CAST(${quoteIdentifier(f.name)} AS VARCHAR) AS "f${j}"`,
    ),
  ];
  const snapshot = await ctx.db.query(`SELECT ${select.join(", ")} FROM ${quoteIdentifier(handle.name)}`);
  const arrow = await snapshot.arrow();
  const read = (name: string) =>
    columnValues(arrow.getChild(name)!, arrow.schema.fields.find((f) => f.name === name)!.type as DataType);
  const raw: Record<string, RawColumn> = {};
  scaler.features.forEach((feature, j) => {
    const values = read(`f${j}`) as ArrayLike<unknown>;
    let bad = 0;
    for (let i = 0; i < values.length; ++i) {
      const v = values[i];
      if (v === null || (typeof v === "number" && !Number.isFinite(v))) bad++;
    }
    if (bad > 0) {
      throw new Error(
        `seg.${fn}: feature "${feature.name}" has ${bad} null/NaN/infinite value${bad > 1 ? "s" : ""}; filter them before assigning`,
      );
    }
    raw[feature.name] =
      feature.kind === "numeric" ? Float64Array.from(values as ArrayLike<number>) : (values as string[]);
  });
  const ids = id === undefined ? null : (read("__id") as unknown[]);
  return { raw, ids, snapshot, rows: Float64Array.from(read("__row") as ArrayLike<number>) };
}
