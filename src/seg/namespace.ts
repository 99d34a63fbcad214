/**
 * The `seg` object cells see: every segmentation function with the cell's context (its `db` and the
 * notebook's seed) already bound, so a cell writes `await seg.rfm(orders, {...})`.
 */
import type { SegContext, TableInput } from "./context.ts";
import { profile } from "./profile.ts";
import { rfm } from "./rfm.ts";
import { tiers } from "./tiers.ts";
import { segments } from "./rules.ts";
import { overlap } from "./overlap.ts";
import { featureMatrix, type FeatureOptions } from "./features.ts";
import { kmeans } from "./kmeans.ts";
import { chooseK } from "./choose-k.ts";
import { gmm } from "./gmm.ts";
import { kprototypes } from "./kprototypes.ts";
import { assign, restoreModel } from "./assign.ts";
import { adjustedRandIndex, calinskiHarabasz, daviesBouldin, silhouetteScore } from "./cluster-metrics.ts";
import { exportSegments } from "./export.ts";
import { noteRunResult } from "./export-provenance.ts";
import { pca } from "./pca.ts";
import { abtest } from "./abtest.ts";
import { clv } from "./clv.ts";
import { sampleSize } from "./sample-size.ts";
import { clusterScatter, profileHeatmap, rfmGrid, segmentSizes, type ChartData, type ChartOptions } from "./charts.ts";
import { migrationChart } from "./charts-migration.ts";
import { explain } from "./explain.ts";
import { stability } from "./stability.ts";
import { compareLabels, migration } from "./migration.ts";
import { scorecard } from "./scorecard.ts";

/**
 * Binds `ctx` as the first argument of every function in `api`. What each call returns is noted for
 * the run, so `seg.export` in the same cell finds a model fitted there (export-provenance.ts).
 */
function bind<A extends Record<string, (ctx: SegContext, ...args: never[]) => unknown>>(ctx: SegContext, api: A) {
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(api))
    bound[name] = (...args: never[]) => noteRunResult(ctx, fn(ctx, ...args));
  return bound as {
    [K in keyof A]: A[K] extends (ctx: SegContext, ...args: infer P) => infer R ? (...args: P) => R : never;
  };
}

/** The functions that take a context, by their name in `seg`. */
const contextual = {
  rfm,
  tiers,
  segments,
  overlap,
  featureMatrix: (ctx: SegContext, table: TableInput, options: FeatureOptions) => featureMatrix(ctx, table, options),
  explain,
  stability,
  migration,
  compareLabels,
  scorecard,
  kmeans,
  chooseK,
  gmm,
  kprototypes,
  assign,
  restoreModel,
  profile,
  export: exportSegments,
  pca,
  abtest,
  clv,
  silhouetteScore,
  calinskiHarabasz,
  daviesBouldin,
  adjustedRandIndex,
};

/** Functions that need no context (no table: the power calculation), by their name in `seg`. */
const pure = { sampleSize };

/** Chart helpers that draw into the context's document unless the call names another. */
function charts(ctx: SegContext) {
  const withDocument =
    <O extends ChartOptions, R>(chart: (data: ChartData, options: O) => R) =>
    (data: ChartData, options: O = {} as O): R =>
      chart(data, ctx.document && !options.document ? { ...options, document: ctx.document } : options);
  return {
    profileHeatmap: withDocument(profileHeatmap),
    segmentSizes: withDocument(segmentSizes),
    clusterScatter: withDocument(clusterScatter),
    rfmGrid: withDocument(rfmGrid),
    migration: withDocument(migrationChart),
  };
}

/** The `seg` namespace for one cell run. */
export function createSeg(ctx: SegContext) {
  return { ...bind(ctx, contextual), ...pure, charts: charts(ctx), seed: ctx.seed };
}

/** The type of `seg` in a cell. */
export type Seg = ReturnType<typeof createSeg>;
