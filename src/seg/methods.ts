/**
 * The clustering methods by name, for the functions that take `{method}` (seg.chooseK,
 * seg.stability): one check, one message listing them.
 */
import type { ClusterMethod } from "./contract.ts";
import type { FeatureOptions } from "./features.ts";
import type { GmmOptions } from "./gmm.ts";
import type { KprototypesOptions } from "./kprototypes.ts";

/**
 * The options every `{method}` function takes: the data's columns as the method reads them
 * (`features`, and `categorical` for k-prototypes), the method, and its fitting settings.
 * @example const options: MethodOptions = {method: "gmm", features: ["age"], covariance: "diag"};
 */
export interface MethodOptions
  extends
    Partial<FeatureOptions>,
    Pick<GmmOptions, "covariance" | "regCovar">,
    Pick<KprototypesOptions, "gamma">,
    Partial<Pick<KprototypesOptions, "categorical">> {
  /** The clustering method (default "kmeans"). */
  method?: ClusterMethod;
  /** Restarts per fit (default: the method's, 10 for k-means and k-prototypes, 1 for gmm). */
  nInit?: number;
  maxIter?: number;
  tol?: number;
}

/** Every clustering method, in the order the messages list them. */
export const CLUSTER_METHODS: readonly ClusterMethod[] = ["kmeans", "gmm", "kprototypes"];

/**
 * `method` (default "kmeans") checked against the methods, or an error naming `fn` and the choices.
 * @example const method = checkMethod(options.method, "chooseK"); // "kmeans" when not given
 */
export function checkMethod(method: unknown, fn: string): ClusterMethod {
  if (method === undefined) return "kmeans";
  if (typeof method === "string" && (CLUSTER_METHODS as readonly string[]).includes(method)) {
    return method as ClusterMethod;
  }
  throw new Error(
    `seg.${fn}: method must be ${CLUSTER_METHODS.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(method)}`,
  );
}
