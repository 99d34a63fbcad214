/**
 * Whether a notebook's code calls a `seg` function that runs numeric kernels (k-means, GMM,
 * silhouettes, …), so `segbook run` starts its kernel threads with the run instead of at the first
 * kernel: their start then overlaps the data load. A guess from the cells' text, never a rule: a
 * call it misses starts the threads when it runs, as before; one it wrongly sees costs the threads'
 * start on an idle core. Results are the same either way.
 */
import type { Notebook } from "../notebook/index.ts";

/** The `seg` functions that run kernels (src/seg: those that reach ctx.kernels). */
const KERNEL_CALL =
  /\bseg\s*\.\s*(kmeans|chooseK|gmm|kprototypes|featureMatrix|explain|stability|pca|clv|silhouetteScore|calinskiHarabasz|daviesBouldin)\b/;

/**
 * True when a TS/JS cell of `notebook` calls a kernel-backed `seg` function.
 * @example notebookUsesKernels(parse("```ts\nconst fit = await seg.kmeans(t, {k: 4});\n```").notebook) // true
 */
export function notebookUsesKernels(notebook: Notebook): boolean {
  return notebook.cells.some((cell) => (cell.kind === "ts" || cell.kind === "js") && KERNEL_CALL.test(cell.source));
}
