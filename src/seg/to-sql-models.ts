/**
 * Fitted clustering models as one SELECT (`model.toSQL`): the model's scaler folded into SQL
 * expressions, then the same arithmetic the JS kernels do, in the same order, so the labels are
 * the ones `model.assign` gives.
 *
 * Exactness: every constant is written as the very double the model holds (see to-sql-dialect.ts),
 * and each per-row expression repeats the kernel's operations in the kernel's order — k-means sums
 * squared differences left to right from the first feature, GMM computes sklearn's log density
 * term by term with the per-component constants precomputed exactly as the kernel precomputes them,
 * k-prototypes adds gamma times the mismatch count to the squared distance. Ties go to the lower
 * cluster number, as in the kernels. Two things are not bit-for-bit the JS ones, and are documented
 * where they apply: `log1p` (the engines' `ln` against fdlibm's log1p: both within an ulp), and GMM's
 * argmax, taken over the weighted log densities rather than over them minus the per-row
 * log-sum-exp (the same argmax unless two components are within an ulp of each other).
 */
import type { ClusterModelJson } from "./contract.ts";
import type { FittedStep, Scaler } from "./features-kernel.ts";
import type { GmmModelParameters } from "./gmm.ts";
import type { KmeansParameters } from "./kmeans.ts";
import type { KprototypesParameters } from "./kprototypes.ts";
import { firstBest, sqlTarget, type SqlWriter, type ToSqlOptions } from "./to-sql-dialect.ts";
import { ln } from "./portable-math.ts";

/** Internal column names of the generated query (never in its output). */
const RAW = (j: number) => `__seg_r${j}`;
const COL = (j: number) => `__seg_x${j}`;
const SCORE = (c: number) => `__seg_s${c}`;

/** One fitted numeric step applied to `v` (a DOUBLE expression), as applyStep in features-kernel.ts. */
function stepSql(sql: SqlWriter, v: string, step: FittedStep): string {
  switch (step.step) {
    case "log1p": {
      // No log1p in ClickHouse 18.16 nor DuckDB: ln(1 + x) corrected by x / ((1 + x) - 1)
      // (Goldberg), so small x keep their precision; the factor is exactly 1 whenever 1 + x is
      // exact (e.g. whole numbers). The engine's ln and fdlibm's log1p agree to within an ulp.
      const u = `(1e0 + ${v})`;
      return sql.cases([[`${u} = 1e0`, v]], `${sql.ln(u)} * (${v} / (${u} - 1e0))`);
    }
    case "winsorize":
      return `least(${sql.num(step.upper)}, greatest(${sql.num(step.lower)}, ${v}))`;
    case "standardize":
      return `((${v} - ${sql.num(step.mean)}) / ${sql.num(step.std)})`;
    case "minmax":
      return `((${v} - ${sql.num(step.min)}) / ${sql.num(step.max - step.min)})`;
  }
}

/**
 * The matrix of a fitted scaler as SQL: an inner SELECT reading and checking the raw columns (cast
 * as readRawColumns casts them; a null, NaN or infinite value stops the query, as assign refuses
 * it) and the expression of each matrix column over them (numeric steps, one-hot 0/1).
 */
function scalerSql(
  sql: SqlWriter,
  scaler: Scaler,
  table: string,
  ids: readonly string[],
  fn: string,
): { from: string; columns: string[] } {
  const raw: string[] = [];
  const checks: [string, string][] = [];
  const columns: string[] = [];
  scaler.features.forEach((feature, j) => {
    const column = sql.id(feature.name);
    const r = sql.id(RAW(j));
    const problem = `${fn}: feature "${feature.name}" is null, NaN or infinite in a row; filter those rows before scoring (model.assign refuses them too)`;
    if (feature.kind === "numeric") {
      raw.push(`${sql.double(column)} AS ${r}`);
      checks.push([sql.notFinite(r), problem]);
      columns.push(feature.steps.reduce((v, step) => stepSql(sql, v, step), r));
    } else {
      raw.push(`${sql.text(column)} AS ${r}`);
      checks.push([sql.isNull(r), problem.replace("null, NaN or infinite", "null")]);
      // A category the scaler has not seen gets all zeros, like applyScaler.
      for (const category of feature.categories)
        columns.push(sql.cases([[`${r} = ${sql.str(category)}`, "1e0"]], "0e0"));
    }
  });
  const idList = ids.map((id) => sql.id(id));
  const from = `(SELECT ${[...idList, ...raw].join(", ")} FROM ${table}) AS __seg_raw WHERE ${sql.failIf(checks)}`;
  return { from, columns };
}

/** `SELECT ids, label FROM (SELECT ids, scores FROM (SELECT ids, matrix FROM raw))` with scores over the matrix columns. */
function assemble(
  sql: SqlWriter,
  ids: readonly string[],
  label: string,
  as: string,
  matrix: { from: string; columns: string[] },
  scores: string[],
  extra: readonly string[] = [],
): string {
  const idList = ids.map((id) => sql.id(id));
  const x = matrix.columns.map((expr, j) => `${expr} AS ${sql.id(COL(j))}`);
  return [
    `SELECT ${[...idList, `${label} AS ${sql.id(as)}`, ...extra].join(", ")}`,
    `FROM (`,
    `  SELECT ${[...idList, ...scores.map((s, c) => `${s} AS ${sql.id(SCORE(c))}`)].join(",\n    ")}`,
    `  FROM (`,
    `    SELECT ${[...idList, ...x].join(",\n      ")}`,
    `    FROM ${matrix.from}`,
    `  ) AS __seg_matrix`,
    `) AS __seg_scores`,
  ].join("\n");
}

/** Sum of terms left to right, as the kernels' `sum += term` loops starting from 0. */
const sumOf = (terms: readonly string[]) => (terms.length ? `(${terms.join(" + ")})` : "0e0");

/**
 * The SELECT that scores `options.table` with a k-means model: the nearest centroid by squared
 * Euclidean distance in the transformed space (first on ties), as assignKernel.
 * @example kmeansSql(km.model.toJSON(), {dialect: "clickhouse", table: "customers"})
 */
export function kmeansSql(json: ClusterModelJson<KmeansParameters>, options: ToSqlOptions): string {
  const fn = "kmeans model.toSQL";
  const { sql, table, ids, as } = sqlTarget(options, json.id, fn);
  const { scaler, centroids } = json.parameters;
  const matrix = scalerSql(sql, scaler, table, ids, fn);
  const x = matrix.columns.map((_, f) => sql.id(COL(f)));
  const scores = centroids.map((centre) =>
    sumOf(centre.map((value, f) => `(${x[f]} - ${sql.num(value)}) * (${x[f]} - ${sql.num(value)})`)),
  );
  const label = firstBest(
    sql,
    scores.map((_, c) => sql.id(SCORE(c))),
    "min",
  );
  return assemble(sql, ids, label, as ?? "cluster", matrix, scores);
}

/**
 * The SELECT that scores `options.table` with a Gaussian mixture: the component with the highest
 * weighted log density (first on ties), computed as weightedLogProb in gmm-kernel.ts, and its
 * posterior `probability` (as assign's, to about 1e-15).
 * @example gmmSql(mix.model.toJSON(), {dialect: "duckdb", table: "customers"})
 */
export function gmmSql(json: ClusterModelJson<GmmModelParameters>, options: ToSqlOptions): string {
  const fn = "gmm model.toSQL";
  const { sql, table, ids, as } = sqlTarget(options, json.id, fn);
  const { scaler, covariance, weights, means, precisionsCholesky: pc } = json.parameters;
  const k = json.k;
  const d = scaler.columns.length;
  const matrix = scalerSql(sql, scaler, table, ids, fn);
  const x = matrix.columns.map((_, f) => sql.id(COL(f)));
  // The kernel's per-component constants, computed here exactly as it computes them.
  const logTwoPiD = d * ln(2 * Math.PI);
  const scores: string[] = [];
  for (let c = 0; c < k; ++c) {
    let logDet = 0;
    for (let f = 0; f < d; ++f) logDet += ln(covariance === "full" ? pc[c]![f * d + f]! : pc[c]![f]!);
    // -0.5 * (d log 2π + quadratic form) + log det + log weight, added in the kernel's order.
    const density = (quadratic: string) =>
      `(((-5e-1 * (${sql.num(logTwoPiD)} + ${quadratic})) + ${sql.num(logDet)}) + ${sql.num(ln(weights[c]!))})`;
    if (covariance === "full") {
      const ys: string[] = [];
      for (let j = 0; j < d; ++j) {
        let muW = 0;
        for (let f = 0; f < d; ++f) muW += means[c]![f]! * pc[c]![f * d + j]!;
        const s = sumOf(x.map((xf, f) => `${xf} * ${sql.num(pc[c]![f * d + j]!)}`));
        ys.push(`(${s} - ${sql.num(muW)})`);
      }
      const sq = sumOf(ys.map((y) => `${y} * ${y}`));
      scores.push(density(sq));
    } else {
      let meanTerm = 0;
      for (let f = 0; f < d; ++f) meanTerm += means[c]![f]! ** 2 * pc[c]![f]! ** 2;
      const precision = (f: number) => pc[c]![f]! ** 2;
      const cross = sumOf(x.map((xf, f) => `${xf} * ${sql.num(means[c]![f]! * precision(f))}`));
      const sq = sumOf(x.map((xf, f) => `${xf} * ${xf} * ${sql.num(precision(f))}`));
      scores.push(density(`((${sql.num(meanTerm)} - 2e0 * ${cross}) + ${sq})`));
    }
  }
  const columns = scores.map((_, c) => sql.id(SCORE(c)));
  const label = firstBest(sql, columns, "max");
  // The posterior of that component, 1 / sum_c exp(s_c - max): assign's `probability` up to rounding
  // (it goes through the log-sum-exp), not bit for bit. Two-argument greatest, as 18.16 has it.
  const max = columns.slice(1).reduce((m, column) => `greatest(${m}, ${column})`, columns[0]!);
  const probability = `1e0 / (${columns.map((column) => `exp(${column} - ${max})`).join(" + ")})`;
  return assemble(sql, ids, label, as ?? "cluster", matrix, scores, [`${probability} AS ${sql.id("probability")}`]);
}

/**
 * The SELECT that scores `options.table` with a k-prototypes model: the cheapest prototype
 * (squared distance of the transformed numeric features plus gamma per categorical mismatch, first
 * on ties), as kprototypesAssignKernel; a category the model has not seen mismatches every prototype.
 * Categorical columns are compared as text (`CAST(… AS VARCHAR)`, ClickHouse `toString`): text and
 * whole-number columns read the same in both engines; cast other types to text in the warehouse
 * the way DuckDB writes them.
 * @example kprototypesSql(kp.model.toJSON(), {dialect: "clickhouse", table: "customers"})
 */
export function kprototypesSql(json: ClusterModelJson<KprototypesParameters>, options: ToSqlOptions): string {
  const fn = "kprototypes model.toSQL";
  const { sql, table, ids, as } = sqlTarget(options, json.id, fn);
  const { scaler, gamma, numericPrototypes, categoricalPrototypes } = json.parameters;
  const p = json.features.length;
  if (scaler.features.slice(0, p).some((f) => f.kind !== "numeric")) {
    throw new Error(`${fn}: the model's scaler does not list its ${p} numeric features first; refit it`);
  }
  // The numeric part as matrix columns; the categorical columns are compared as text instead.
  const categorical = scaler.features.slice(p).flatMap((f) => (f.kind === "categorical" ? [f] : []));
  const matrix = scalerSql(sql, scaler, table, ids, fn);
  matrix.columns = [...matrix.columns.slice(0, p), ...categorical.map((_, a) => sql.id(RAW(p + a)))];
  const x = matrix.columns.map((_, f) => sql.id(COL(f)));
  const scores = numericPrototypes.map((proto, c) => {
    const sq = sumOf(proto.map((value, f) => `(${x[f]} - ${sql.num(value)}) * (${x[f]} - ${sql.num(value)})`));
    const mismatches = categorical.map((feature, a) => {
      const value = categoricalPrototypes[c]![a]!;
      const column = x[p + a]!;
      // The kernel compares category codes: a row value the model has not seen has code -1, which
      // mismatches every prototype value among the categories and matches one outside them (-1 too).
      return feature.categories.includes(value)
        ? sql.cases([[`${column} = ${sql.str(value)}`, "0"]], "1")
        : sql.cases([[`${column} IN (${feature.categories.map((v) => sql.str(v)).join(", ")})`, "1"]], "0");
    });
    const count = mismatches.length ? `(${mismatches.join(" + ")})` : "0";
    return `(${sq} + ${sql.num(gamma)} * ${count})`;
  });
  const label = firstBest(
    sql,
    scores.map((_, c) => sql.id(SCORE(c))),
    "min",
  );
  return assemble(sql, ids, label, as ?? "cluster", matrix, scores);
}
