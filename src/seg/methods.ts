/**
 * The clustering methods by name, for the functions that take `{method}` (seg.chooseK,
 * seg.stability): one check, one message listing them.
 */
import type { ClusterMethod } from "./contract.ts";

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
