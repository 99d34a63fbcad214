/**
 * `seg`, the segmentation library every TS cell has, with the notebook's seed and the cell's `db`
 * already bound: a cell writes `await seg.kmeans(customers, {...})`. Every function takes the table
 * first (a table handle or a table name) and one options object, and returns a Promise.
 *
 * This module only names the functions as cells see them (src/seg/namespace.ts builds the object);
 * their documentation is the JSDoc of the functions themselves. The reference build drops the
 * context parameter the namespace binds (reference-typedoc.ts), and a unit test checks that this
 * list and the namespace hold the same names.
 * @module
 */
export { rfm } from "../seg/rfm.ts";
export { tiers } from "../seg/tiers.ts";
export { segments } from "../seg/rules.ts";
export { overlap } from "../seg/overlap.ts";
export { featureMatrix } from "../seg/features.ts";
export { explain } from "../seg/explain.ts";
export { stability } from "../seg/stability.ts";
export { migration, compareLabels } from "../seg/migration.ts";
export { scorecard } from "../seg/scorecard.ts";
export { kmeans } from "../seg/kmeans.ts";
export { chooseK } from "../seg/choose-k.ts";
export { gmm } from "../seg/gmm.ts";
export { kprototypes } from "../seg/kprototypes.ts";
export { assign, restoreModel } from "../seg/assign.ts";
export { profile } from "../seg/profile.ts";
export { exportSegments as export } from "../seg/export.ts";
export { pca } from "../seg/pca.ts";
export { abtest } from "../seg/abtest.ts";
export { clv } from "../seg/clv.ts";
export { silhouetteScore, calinskiHarabasz, daviesBouldin, adjustedRandIndex } from "../seg/cluster-metrics.ts";
export { sampleSize } from "../seg/sample-size.ts";
export * as charts from "./charts.ts";
