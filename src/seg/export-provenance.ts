/**
 * The provenance part of `seg.export`'s manifest, filled in without the user passing anything: the
 * notebook, the cell, every data source the exported table depends on with its sha256, the fitted
 * clustering models upstream of it with their parameters, and the app's version. The host (the
 * runtime) says what it knows through `ctx.provenance()`; the models are found here, by their shape,
 * in the values of the cells upstream and in what this cell's own `seg` calls returned, so any
 * clustering result with a `model` (`toJSON()`, `method` or `kind`, `k`) counts, whatever method made it.
 */
import type { CellRef, RemoteQueryProvenance, SegContext, SegProvenance } from "./context.ts";

/** What the manifest says of a source read by HTTP range requests instead of a sha256. */
export const NOT_HASHED = "read by ranges; not hashed";

/** A data source in the manifest. */
export interface ManifestSource {
  name: string;
  path: string;
  /** Hex sha256 of the file; null when it was read by ranges (then `note` says so). */
  sha256: string | null;
  read: "whole" | "ranges";
  /** {@link NOT_HASHED} for a source read by ranges. */
  note?: string;
}

/**
 * A cell as a manifest names it: its 1-based position and its name (a named SQL cell's result name).
 * Not the run's internal cell id: that is numbered per process, so the same notebook would write a
 * different manifest on every run.
 */
export type ManifestCell = Omit<CellRef, "id">;

const manifestCell = (cell: CellRef | null): ManifestCell | null =>
  cell === null ? null : { position: cell.position, name: cell.name };

/** A fitted clustering model upstream of an export. */
export interface ManifestModel {
  /** The cell that fitted it (null: the exporting cell itself) and the variable holding it. */
  cell: ManifestCell | null;
  variable: string | null;
  method: string;
  k: number;
  features: string[];
  /** The id column it was fitted with, or null. */
  id: string | null;
  /** The seed of the fit, when its result says. */
  seed: number | null;
  /** The fit's plain figures (its `info`'s numbers, strings and booleans: n, dropped, nInit, inertia, bic, …). */
  fit: Record<string, number | string | boolean>;
  /** The model as JSON (`model.toJSON()`): enough to restore it and assign new data. */
  model: unknown;
}

/** The provenance fields of a manifest. */
export interface ExportProvenance {
  notebook: { title: string | null; location: string | null } | null;
  cell: ManifestCell | null;
  sources: ManifestSource[];
  models: ManifestModel[];
  appVersion: string | null;
  /**
   * Present when remote SQL cells are upstream: each front matter connection they used, once (name,
   * type, URL without user or password, database; never a credential).
   */
  connections?: RemoteQueryProvenance["connection"][];
  /** Present with `connections`: each remote query upstream (SQL as sent, parameter names, rows; no values). */
  remoteQueries?: { connection: string; sql: string; params: string[]; rows: number }[];
}

/** What the `seg` calls of one cell run returned, by the run's context (see {@link noteRunResult}). */
const runResults = new WeakMap<SegContext, unknown[]>();

/**
 * Remembers what a `seg` call of this run returns (a promise is followed), so an export later in the
 * same cell finds a model fitted there; returns `result` unchanged.
 * @example bound[name] = (...args) => noteRunResult(ctx, fn(ctx, ...args));
 */
export function noteRunResult<T>(ctx: SegContext, result: T): T {
  const note = (value: unknown) => {
    if (typeof value !== "object" || value === null) return;
    const list = runResults.get(ctx) ?? [];
    list.push(value);
    runResults.set(ctx, list);
  };
  if (typeof (result as { then?: unknown } | null)?.then === "function") {
    (result as Promise<unknown>).then(note, () => {});
  } else note(result);
  return result;
}

type Model = { method?: unknown; kind?: unknown; k?: unknown; features?: unknown; id?: unknown; toJSON?: unknown };

/** Whether `value` looks like a fitted clustering model (the ClusterModel contract, or its JSON). */
function isModel(value: unknown): value is Model {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Model;
  const named = typeof m.method === "string" || typeof m.kind === "string";
  return named && typeof m.k === "number" && Array.isArray(m.features);
}

function scalars(source: unknown): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  if (typeof source !== "object" || source === null) return out;
  for (const [key, value] of Object.entries(source)) {
    if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") out[key] = value;
  }
  return out;
}

function describeModel(model: Model, holder: unknown, cell: CellRef | null, variable: string | null): ManifestModel {
  // A clustering result keeps its fit's figures in `info` (seg 1.0) or on itself (before).
  const info = (holder as { info?: unknown } | undefined)?.info ?? holder;
  const fit = scalars(info);
  const json = JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
  const seed = typeof fit.seed === "number" ? fit.seed : typeof json.seed === "number" ? json.seed : null;
  return {
    cell: manifestCell(cell),
    variable,
    method: String(model.method ?? model.kind),
    k: model.k as number,
    features: [...(model.features as unknown[])].map(String),
    id: typeof model.id === "string" ? model.id : null,
    seed,
    fit,
    model: json,
  };
}

/** Plain containers worth looking into for models (not table handles, arrays of rows, class instances). */
function isContainer(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.length <= 100;
  // Of any realm (a `segbook run` cell's objects come from its sandbox's).
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * The fitted models in `values` (cell outputs), each once: a clustering result (`{model}`), a bare
 * model, or either inside plain objects and arrays up to two levels down (`{a: km1, b: km2}`).
 * @example modelsIn([{cell: {id: "c2", position: 2, name: null}, name: "km", value: km}])[0].method // "kmeans"
 */
export function modelsIn(
  values: readonly { cell: CellRef | null; name: string | null; value: unknown }[],
): ManifestModel[] {
  const found = new Map<object, ManifestModel>();
  const visit = (value: unknown, cell: CellRef | null, variable: string | null, depth: number) => {
    if (typeof value !== "object" || value === null) return;
    const model = (value as { model?: unknown }).model;
    if (isModel(model)) {
      // A result holding the model says more (seed, figures) than the bare model: it wins.
      const known = found.get(model);
      if (!known || known.seed === null) found.set(model, describeModel(model, value, cell, variable));
      return;
    }
    if (
      isModel(value) &&
      (typeof value.toJSON === "function" || typeof (value as { assign?: unknown }).assign === "function")
    ) {
      if (!found.has(value)) found.set(value, describeModel(value, undefined, cell, variable));
      return;
    }
    if (depth >= 2 || !isContainer(value)) return;
    for (const [key, inner] of Object.entries(value)) {
      const path = variable === null ? null : Array.isArray(value) ? `${variable}[${key}]` : `${variable}.${key}`;
      visit(inner, cell, path, depth + 1);
    }
  };
  for (const { cell, name, value } of values) visit(value, cell, name, 0);
  return [...found.values()];
}

/**
 * The provenance of an export of `exported` made in `ctx`: what the host reports (notebook, cell,
 * sources, upstream values) plus the models found upstream, in this cell's own `seg` results and in
 * the exported value itself.
 * @example const p = await exportProvenance(ctx, km); p.models[0].k // 3
 */
export async function exportProvenance(ctx: SegContext, exported: unknown): Promise<ExportProvenance> {
  const host: SegProvenance | undefined = await ctx.provenance?.();
  const own = (runResults.get(ctx) ?? []).map((value) => ({ cell: null, name: null, value }));
  const models = modelsIn([...(host?.upstream ?? []), ...own, { cell: null, name: null, value: exported }]);
  return {
    notebook: host?.notebook ?? null,
    cell: manifestCell(host?.cell ?? null),
    sources: (host?.sources ?? []).map((s) => ({
      name: s.name,
      path: s.path,
      sha256: s.read === "ranges" ? null : s.sha256,
      read: s.read,
      ...(s.read === "ranges" && { note: NOT_HASHED }),
    })),
    models,
    appVersion: host?.appVersion ?? null,
    ...remoteProvenance(host?.remote ?? []),
  };
}

/** The manifest's `connections` and `remoteQueries` (absent without remote cells upstream). */
function remoteProvenance(remote: readonly RemoteQueryProvenance[]): Partial<ExportProvenance> {
  if (remote.length === 0) return {};
  const connections = new Map<string, RemoteQueryProvenance["connection"]>();
  for (const query of remote) connections.set(query.connection.name, query.connection);
  return {
    connections: [...connections.values()],
    remoteQueries: remote.map((q) => ({ connection: q.connection.name, sql: q.sql, params: q.params, rows: q.rows })),
  };
}
