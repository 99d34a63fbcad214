/**
 * The segmentation library: RFM, value tiers, rule segments, feature preparation, k-means and the
 * choice of k, cluster metrics, profiles, PCA, charts and exports. In a cell it is `seg` (see
 * namespace.ts: the cell's context is bound); as a library each function takes a {@link SegContext}.
 */
export {
  requireColumns,
  resolveTable,
  type SegContext,
  type SegDb,
  type SegEnvironment,
  type TableInput,
} from "./context.ts";
export { createSeg, type Seg } from "./namespace.ts";
export { rfm, type RfmEdges, type RfmOptions, type RfmResult, type RfmThresholds } from "./rfm.ts";
export { RF10_RULES, type RfmMap, type RfmMapFunction, type RfmMapRule } from "./rfm-maps.ts";
export { tiers, type TierOptions, type TierResult, type TierSummary } from "./tiers.ts";
export {
  segments,
  type ColumnRule,
  type EventRule,
  type Rule,
  type RuleOp,
  type SegmentDefinition,
  type SegmentSize,
  type SegmentsOptions,
  type SegmentsResult,
} from "./rules.ts";
export { overlap, type OverlapOptions, type OverlapResult } from "./overlap.ts";
export {
  featureMatrix,
  type FeatureMatrix,
  type FeatureOptions,
  type TransformOption,
  type TransformSpec,
} from "./features.ts";
export { applyScaler, invertScaler, type Scaler } from "./features-kernel.ts";
export {
  kmeans,
  type KmeansInfo,
  type KmeansModel,
  type KmeansOptions,
  type KmeansParameters,
  type KmeansResult,
} from "./kmeans.ts";
export {
  gmm,
  type GmmInfo,
  type GmmInitOption,
  type GmmModel,
  type GmmModelParameters,
  type GmmOptions,
  type GmmResult,
} from "./gmm.ts";
export {
  kprototypes,
  type KprototypesInfo,
  type KprototypesModel,
  type KprototypesOptions,
  type KprototypesParameters,
  type KprototypesResult,
} from "./kprototypes.ts";
export { assign, restoreModel, type AssignModelOptions } from "./assign.ts";
export {
  segTable,
  type AssignInfo,
  type AssignOptions,
  type ClusterInfo,
  type ClusterMethod,
  type ClusterModel,
  type ClusterModelJson,
  type ClusterResult,
  type SegTable,
} from "./contract.ts";
export {
  chooseK,
  recommend,
  recommendByBic,
  type ChooseKInfo,
  type ChooseKOptions,
  type ChooseKResult,
  type ChooseKRow,
} from "./choose-k.ts";
export {
  adjustedRandIndex,
  calinskiHarabasz,
  daviesBouldin,
  silhouetteScore,
  type AdjustedRandOptions,
  type MetricMatrix,
  type MetricOptions,
  type SilhouetteScoreOptions,
} from "./cluster-metrics.ts";
export { silhouetteSamplesOn, silhouetteScoreOn } from "./silhouette.ts";
export { profile, type ProfileInfo, type ProfileOptions, type ProfileResult } from "./profile.ts";
export {
  exportSegments,
  isExportResult,
  type ExportCaller,
  type ExportFormat,
  type ExportManifest,
  type ExportOptions,
  type ExportResult,
  type ExportSink,
  type PreparedFile,
} from "./export.ts";
export { pca, type PcaInfo, type PcaOptions, type PcaResult } from "./pca.ts";
export {
  clusterScatter,
  profileHeatmap,
  rfmGrid,
  segmentSizes,
  type Chart,
  type ChartData,
  type ChartOptions,
} from "./charts.ts";
export { inProcessKernels, type KernelRunner } from "./kernel-runner.ts";
export { explain, type ExplainOptions, type ExplainResult, type ExplainTree, type SegmentRule } from "./explain.ts";
export { type RuleClause, type RuleCondition, type RuleStats, type TreeColumn } from "./explain-rules.ts";
export {
  stability,
  stabilityReading,
  type ClusterStability,
  type MatrixInput,
  type StabilityInfo,
  type StabilityOptions,
  type StabilityReading,
  type StabilityResult,
} from "./stability.ts";
export {
  compareLabels,
  migration,
  type CompareLabelsOptions,
  type LabelAgreement,
  type MigrationInfo,
  type MigrationOptions,
  type MigrationResult,
} from "./migration.ts";
export { migrationChart, type MigrationChartOptions } from "./charts-migration.ts";
export {
  scorecard,
  type FlagEntry,
  type ScorecardFlag,
  type ScorecardInfo,
  type ScorecardOptions,
  type ScorecardResult,
  type ScorecardThresholds,
} from "./scorecard.ts";
export type { ScorecardStability, ScorecardStabilityOptions } from "./scorecard-stability.ts";
export { abtest, type AbtestInfo, type AbtestOptions, type AbtestResult } from "./abtest.ts";
export { sampleSize } from "./sample-size.ts";
export {
  holmAdjust,
  twoProportionZTest,
  welchTTest,
  type Alternative,
  type ProportionSummary,
  type SampleSizeOptions,
  type Summary,
  type TestOptions,
  type TestResult,
} from "./stats.ts";
export { clv, type ClvInfo, type ClvOptions, type ClvResult, type ClvSummaryRow } from "./clv.ts";
export {
  bgnbdLogLikelihood,
  expectedPurchases,
  expectedSpend,
  gammaGammaLogLikelihood,
  probabilityAlive,
  type BgNbdParams,
  type GammaGammaParams,
} from "./clv-kernel.ts";
