/**
 * Prints, as JSON, the Mall Customers rows seg's k-means++ picks as first centres for seed 42 and
 * k = 2..8 (income and spending score, standardized as seg.featureMatrix does). Run by
 * test/reference/gmm_mall_bic.py, which starts scikit-learn's Lloyd from those rows.
 *
 * Run from the repository root:  TZ=UTC npx tsx test/reference/gmm_mall_seeds.ts
 */
import { featureMatrix } from "../../src/seg/features.ts";
import { openDatasets, segContext } from "../helpers/datasets.ts";
import { kmeansPlusPlusPicks } from "../seg/helpers/kmeans-picks.ts";

/** The features, transform, seed and ks of the reference (the JSON records them for the unit test). */
const MALL_BIC = {
  features: ["Annual Income (k$)", "Spending Score (1-100)"],
  transform: "standardize",
  seed: 42,
  ks: [2, 3, 4, 5, 6, 7, 8],
} as const;

const engine = await openDatasets(["mall"]);
try {
  const fm = await featureMatrix(segContext(engine), "mall", {
    features: [...MALL_BIC.features],
    transform: MALL_BIC.transform,
  });
  const picks = Object.fromEntries(
    MALL_BIC.ks.map((k) => [k, kmeansPlusPlusPicks(fm.matrix, fm.n, fm.d, k, MALL_BIC.seed)]),
  );
  process.stdout.write(`${JSON.stringify({ ...MALL_BIC, picks })}\n`);
} finally {
  await engine.close();
}
