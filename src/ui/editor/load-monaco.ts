/**
 * The one door to Monaco: a memoized dynamic import, so Monaco is a separate chunk fetched after the
 * page is up. Components never import monaco-editor themselves.
 */
import type * as MonacoModule from "./monaco.ts";

/** The lazily loaded Monaco module (editor API plus Segbook's setup). */
export type MonacoApi = typeof MonacoModule;

let loading: Promise<MonacoApi> | undefined;

/** Loads Monaco once; later calls share the same promise. */
export function loadMonaco(): Promise<MonacoApi> {
  loading ??= import("./monaco.ts");
  return loading;
}
