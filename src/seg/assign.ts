/**
 * seg.assign and seg.restoreModel: score new rows with any fitted clustering model, live or saved
 * as JSON. The method's own scorer (kmeans.ts, gmm.ts, kprototypes.ts) does the work; this file
 * checks the model and picks the scorer by `method`.
 */
import type { SegContext, TableInput } from "./context.ts";
import type { AssignInfo, ClusterMethod, ClusterModel, ClusterModelJson, SegTable } from "./contract.ts";
import { gmmScorer } from "./gmm.ts";
import { kmeansScorer } from "./kmeans.ts";
import { kprototypesScorer } from "./kprototypes.ts";
import { assignWith, clusterModel, type ModelScorer } from "./model-helpers.ts";

const SCORERS: Record<ClusterMethod, ModelScorer<object>> = {
  kmeans: kmeansScorer as ModelScorer<object>,
  gmm: gmmScorer as ModelScorer<object>,
  kprototypes: kprototypesScorer as ModelScorer<object>,
};

/** Options of {@link assign}. */
export interface AssignModelOptions {
  /** A fitted model (`km.model`) or its JSON (`JSON.parse(saved)`), of any clustering method. */
  model: ClusterModel | ClusterModelJson;
  /** The id column of the new table (default: the id column the model was fitted with). */
  id?: string;
}

/** `model` as checked plain JSON with its method's scorer, or an error naming `fn` and the fix. */
function modelJson(model: unknown, fn: string): { json: ClusterModelJson<object>; scorer: ModelScorer<object> } {
  const hint = `pass a model from seg.kmeans, seg.gmm or seg.kprototypes (result.model) or its JSON`;
  if (typeof model !== "object" || model === null) throw new Error(`seg.${fn}: ${hint}, got ${String(model)}`);
  const live = model as { toJSON?: unknown };
  const json = (typeof live.toJSON === "function" ? (live.toJSON as () => unknown)() : model) as ClusterModelJson;
  const method = json.method;
  if (typeof method !== "string" || !Object.hasOwn(SCORERS, method)) {
    const kind = (json as { kind?: unknown }).kind;
    throw new Error(
      kind !== undefined
        ? `seg.${fn}: this model was saved by an older Segbook ("kind": ${JSON.stringify(kind)}); refit it and save km.model again`
        : `seg.${fn}: unknown model method ${JSON.stringify(method)}; ${hint}`,
    );
  }
  if (!Number.isInteger(json.k) || json.k < 1) throw new Error(`seg.${fn}: the model's k must be an integer >= 1`);
  if (!Array.isArray(json.features) || !json.features.every((f) => typeof f === "string")) {
    throw new Error(`seg.${fn}: the model's features must be a list of column names`);
  }
  if (json.id !== null && typeof json.id !== "string") {
    throw new Error(`seg.${fn}: the model's id must be a column name or null`);
  }
  if (typeof json.parameters !== "object" || json.parameters === null) {
    throw new Error(`seg.${fn}: the model has no parameters; ${hint}`);
  }
  const scorer = SCORERS[method];
  scorer.check(json as ClusterModelJson<object>, fn);
  return { json: json as ClusterModelJson<object>, scorer };
}

/**
 * Scores the rows of a table with a fitted clustering model of any method — the live `result.model`
 * or its JSON — using the model's fitted transforms (never refitted on the new data): a table like
 * the fit's labels (id or `row`, `cluster`; GMM adds `probability`) with `info: {method, k, n}`.
 * Rows with missing feature values are an error. The tables belong to the calling cell.
 *
 * @example
 * const km = await seg.kmeans(customers, {features: ["age"], id: "customer_id", k: 3});
 * const saved = JSON.parse(JSON.stringify(km.model)); // e.g. read back from a file
 * const again = await seg.assign(customers, {model: saved});
 * again.info; // {method: "kmeans", k: 3, n: 400}
 */
export async function assign(
  ctx: SegContext,
  table: TableInput,
  options: AssignModelOptions,
): Promise<SegTable<AssignInfo>> {
  const fn = "assign";
  if (typeof options !== "object" || options === null || !("model" in options)) {
    throw new Error(`seg.${fn}: pass {model: result.model} (a fitted model or its JSON)`);
  }
  const { json, scorer } = modelJson(options.model, fn);
  return assignWith(ctx, table, json, scorer, { id: options.id }, fn);
}

/**
 * A live model from saved JSON (`JSON.stringify(result.model)`, parsed back): the same
 * {@link ClusterModel} a fit returns, whose `assign` runs in the calling cell.
 *
 * @example
 * const km = await seg.kmeans(customers, {features: ["age"], id: "customer_id", k: 3});
 * const model = await seg.restoreModel(JSON.parse(JSON.stringify(km.model)));
 * const labels = await model.assign(customers); // table: customer_id, cluster
 */
export async function restoreModel(ctx: SegContext, json: ClusterModelJson): Promise<ClusterModel> {
  const checked = modelJson(json, "restoreModel");
  return clusterModel(checked.json, checked.scorer, ctx) as ClusterModel;
}
