/**
 * Every numeric kernel by name. Imported by the in-process runner and by the Web Worker, so it may
 * import only kernel files (pure functions over typed arrays, no engine, no DOM).
 */

import { clvKernel } from "./clv-kernel.ts";
import { featureMatrixKernel } from "./feature-matrix-kernel.ts";
import { gmmKernel, gmmPredictKernel } from "./gmm-kernel.ts";
import { assignKernel, kmeansClaimKernel, kmeansKernel } from "./kmeans-kernel.ts";
import { kprototypesAssignKernel, kprototypesKernel } from "./kprototypes-kernel.ts";
import { calinskiHarabaszKernel, daviesBouldinKernel } from "./metrics-kernel.ts";
import { pcaFit } from "./pca-kernel.ts";
import { silhouettePartKernel } from "./silhouette-kernel.ts";
import { clusterbootKernel } from "./stability-kernel.ts";
import { treeKernel } from "./tree-kernel.ts";

/** The kernels. */
export const kernels = {
  kmeans: kmeansKernel,
  kmeansClaim: kmeansClaimKernel,
  assignClusters: assignKernel,
  featureMatrix: featureMatrixKernel,
  silhouettePart: silhouettePartKernel,
  calinskiHarabasz: calinskiHarabaszKernel,
  daviesBouldin: daviesBouldinKernel,
  pcaFit,
  gmm: gmmKernel,
  gmmPredict: gmmPredictKernel,
  kprototypes: kprototypesKernel,
  kprototypesAssign: kprototypesAssignKernel,
  tree: treeKernel,
  clusterboot: clusterbootKernel,
  clv: clvKernel,
};

/** Names of the kernels. */
export type KernelName = keyof typeof kernels;
