/**
 * seg.gmm and its kernel against scikit-learn 1.2 GaussianMixture (test/reference/gmm_reference.py):
 * started from the same weights/means/precisions (made by the script from a k-means partition), EM
 * finds the same labels, weights, means, covariances, score, BIC and AIC, for "full" and "diag"
 * covariances and k = 2..6. Data: Mall Customers (standardized) and Wholesale (log1p + standardized),
 * in the real engine.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { featureMatrix } from "../../src/seg/features.ts";
import { assign } from "../../src/seg/assign.ts";
import { gmm, type GmmInitOption, type GmmOptions } from "../../src/seg/gmm.ts";
import { estimateParameters } from "../../src/seg/gmm-kernel.ts";
import { kmeans } from "../../src/seg/kmeans.ts";
import { openDatasets, segContext } from "../helpers/datasets.ts";
import { clustersOf } from "./helpers/cluster-labels.ts";

interface Fit {
  covariance: "full" | "diag";
  k: number;
  init: { weights: number[]; means: number[][]; precisions: number[][] | number[][][] };
  labels: number[];
  probability: number[];
  weights: number[];
  means: number[][];
  covariances: number[][] | number[][][];
  score: number;
  bic: number;
  aic: number;
  lowerBound: number;
  nIter: number;
  converged: boolean;
}
interface Dataset {
  name: "mall" | "wholesale";
  features: string[];
  n: number;
  fits: Fit[];
}
const reference = JSON.parse(
  readFileSync(new URL("../reference/expected/gmm-reference.json", import.meta.url), "utf8"),
) as { datasets: Dataset[] };

const OPTIONS = {
  mall: { transform: "standardize" as const },
  wholesale: { transform: ["log1p", "standardize"] as const },
};

let engine: Engine;
let ctx: SegContext;

beforeAll(async () => {
  engine = await openDatasets(["wholesale", "mall"]);
  ctx = segContext(engine);
});

afterAll(async () => {
  await engine?.close();
});

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
/** Largest relative difference of matching entries; entries near 0 are compared to the row's scale. */
function maxRelative(actual: number[][], expected: number[][]): number {
  let worst = 0;
  expected.forEach((row, r) => {
    const scale = Math.max(...row.map(Math.abs));
    row.forEach((value, c) => {
      worst = Math.max(worst, Math.abs(actual[r]![c]! - value) / Math.max(Math.abs(value), scale));
    });
  });
  return worst;
}

const options = (dataset: Dataset, fit: Fit): GmmOptions => ({
  features: dataset.features,
  id: "CustomerID",
  ...OPTIONS[dataset.name],
  k: fit.k,
  covariance: fit.covariance,
  init: fit.init as GmmInitOption,
});

describe("gmm(ctx, table, {init: sklearn's starting parameters})", () => {
  for (const dataset of reference.datasets) {
    it.each(dataset.fits.map((fit) => [fit.covariance, fit.k, fit] as const))(
      `gmm on ${dataset.name}, covariance %s, k = %i, matches sklearn GaussianMixture`,
      async (_covariance, _k, fit) => {
        const result = await gmm(ctx, dataset.name, options(dataset, fit));
        expect(await clustersOf(result)).toEqual(fit.labels);
        expect(result.info.iterations).toBe(fit.nIter);
        expect(result.info.converged).toBe(fit.converged);
        expect(maxRelative([result.info.weights], [fit.weights])).toBeLessThan(1e-6);
        expect(maxRelative(result.info.means.transformed, fit.means)).toBeLessThan(1e-6);
        const covariances =
          fit.covariance === "full"
            ? result.info.covariances.flat()
            : result.info.covariances.map((matrix) => matrix.map((row, a) => row[a]!));
        expect(
          maxRelative(
            covariances,
            (fit.covariances as number[][][]).flat(fit.covariance === "full" ? 1 : 0) as number[][],
          ),
        ).toBeLessThan(1e-6);
        expect(relative(result.info.meanLogLikelihood, fit.score)).toBeLessThan(1e-8);
        expect(relative(result.info.lowerBound, fit.lowerBound)).toBeLessThan(1e-8);
        expect(relative(result.info.bic, fit.bic)).toBeLessThan(1e-8);
        expect(relative(result.info.aic, fit.aic)).toBeLessThan(1e-8);
        expect(maxRelative([Array.from(await result.column("probability"), Number)], [fit.probability])).toBeLessThan(
          1e-6,
        );
        expect(relative(result.info.logLikelihood, fit.score * dataset.n)).toBeLessThan(1e-8);
        expect(result.info.n).toBe(dataset.n);
      },
    );

    for (const covariance of ["full", "diag"] as const) {
      it(`gmm on ${dataset.name} (${covariance}) picks the same k by BIC as sklearn`, async () => {
        const fits = dataset.fits.filter((fit) => fit.covariance === covariance);
        const bics = await Promise.all(
          fits.map(async (fit) => (await gmm(ctx, dataset.name, options(dataset, fit))).info.bic),
        );
        const argmin = (values: number[]) => values.indexOf(Math.min(...values));
        expect(argmin(bics)).toBe(argmin(fits.map((fit) => fit.bic)));
        bics.forEach((bic, i) => expect(relative(bic, fits[i]!.bic)).toBeLessThan(1e-8));
      });
    }
  }
});

describe("gmm(ctx, table, options) results", () => {
  const mall = reference.datasets.find((d) => d.name === "mall")!;
  const fit = mall.fits.find((f) => f.covariance === "full" && f.k === 5)!;

  it("gmm is a labels table (id, cluster, probability) in row order with means in input units", async () => {
    const result = await gmm(ctx, "mall", options(mall, fit));
    expect(result.columns.map((c) => c.name)).toEqual(["CustomerID", "cluster", "probability"]);
    const rows = await (await ctx.db.query(`SELECT * FROM "${result.name}"`)).arrow();
    expect(rows.numRows).toBe(200);
    expect(Array.from(rows.getChild("cluster")!.toArray() as Int32Array)).toEqual(fit.labels);
    expect(Number(rows.getChild("CustomerID")!.get(0))).toBe(1);
    const probability = rows.getChild("probability")!.toArray() as Float64Array;
    expect(probability.every((p) => p > 1 / 5 - 1e-12 && p <= 1)).toBe(true);
    expect(result.info.sizes.reduce((a, b) => a + b, 0)).toBe(200);
    // Original-unit means are the transformed ones with the standardization undone.
    const fm = await featureMatrix(ctx, "mall", { features: mall.features, transform: "standardize" });
    const steps = fm.scaler.features.map((f) => (f.kind === "numeric" ? f.steps[0] : undefined));
    result.info.means.original.forEach((row, c) =>
      row.forEach((value, f) => {
        const step = steps[f] as { mean: number; std: number };
        expect(value).toBeCloseTo(result.info.means.transformed[c]![f]! * step.std + step.mean, 9);
      }),
    );
    expect(result.info.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("gmm's model.assign (and its JSON through seg.assign) reproduces the labels and probabilities", async () => {
    const result = await gmm(ctx, "mall", options(mall, fit));
    const fitted = await (await ctx.db.query(`SELECT * FROM "${result.name}"`)).arrow();
    const assigned = await (await result.model.assign("mall")).arrow();
    const json = JSON.parse(JSON.stringify(result.model));
    expect(Object.keys(json)).not.toContain("assign");
    const fromJson = await (await assign(ctx, "mall", { model: json })).arrow();
    for (const table of [assigned, fromJson]) {
      expect(Array.from(table.getChild("cluster")!.toArray() as Int32Array)).toEqual(fit.labels);
      const p = table.getChild("probability")!.toArray() as Float64Array;
      const q = fitted.getChild("probability")!.toArray() as Float64Array;
      p.forEach((value, i) => expect(value).toBeCloseTo(q[i]!, 12));
    }
  });

  // The default start is sklearn's (Lloyd only); refine: "hartigan" is seg.kmeans' refined start.
  it.each([
    [{}, "none"],
    [{ refine: "none" }, "none"],
    [{ refine: "hartigan" }, "hartigan"],
  ] as const)(
    "gmm(%j) without init starts from seg.kmeans({nInit: 1, seed, refine: %j}) labels",
    async (startOptions, refine) => {
      const wholesale = reference.datasets.find((d) => d.name === "wholesale")!;
      const base = { features: wholesale.features, id: "CustomerID", ...OPTIONS.wholesale, k: 4 };
      for (const covariance of ["full", "diag"] as const) {
        const byDefault = await gmm(ctx, "wholesale", { ...base, ...startOptions, covariance, seed: 7 });
        const km = await kmeans(ctx, "wholesale", { ...base, nInit: 1, seed: 7, refine });
        const fm = await featureMatrix(ctx, "wholesale", base);
        const resp = new Float64Array(fm.n * 4);
        (await clustersOf(km)).forEach((label, i) => (resp[i * 4 + label] = 1));
        const start = estimateParameters(fm.matrix, fm.n, fm.d, resp, 4, covariance, 1e-6);
        const d = fm.d;
        const precisions = Array.from({ length: 4 }, (_, c) =>
          covariance === "diag"
            ? Array.from({ length: d }, (_, f) => 1 / start.covariances[c * d + f]!)
            : invert(
                Array.from({ length: d }, (_, a) =>
                  Array.from({ length: d }, (_, b) => start.covariances[c * d * d + a * d + b]!),
                ),
              ),
        );
        const weights = Array.from(start.nk, (v) => v / fm.n);
        const total = weights.reduce((a, b) => a + b, 0);
        const explicit = await gmm(ctx, "wholesale", {
          ...base,
          covariance,
          init: {
            means: Array.from({ length: 4 }, (_, c) => Array.from(start.means.subarray(c * d, c * d + d))),
            weights: weights.map((w) => w / total),
            precisions: precisions as number[][][],
          },
        });
        expect(await clustersOf(byDefault)).toEqual(await clustersOf(explicit));
        expect(relative(byDefault.info.logLikelihood, explicit.info.logLikelihood)).toBeLessThan(1e-9);
        expect(byDefault.info.seed).toBe(7);
      }
    },
  );

  it("gmm is deterministic per seed, and more restarts never lower the lower bound", async () => {
    const wholesale = reference.datasets.find((d) => d.name === "wholesale")!;
    const base = { features: wholesale.features, ...OPTIONS.wholesale, k: 5 };
    const a = await gmm(ctx, "wholesale", { ...base, seed: 3 });
    const b = await gmm(ctx, "wholesale", { ...base, seed: 3 });
    expect(await clustersOf(a)).toEqual(await clustersOf(b));
    expect(a.info.logLikelihood).toBe(b.info.logLikelihood);
    const many = await gmm(ctx, "wholesale", { ...base, seed: 3, nInit: 4 });
    expect(many.info.lowerBound).toBeGreaterThanOrEqual(a.info.lowerBound);
    expect(a.columns.map((c) => c.name)).toEqual(["row", "cluster", "probability"]);
  });
});

/** Gauss-Jordan inverse of a small symmetric positive definite matrix (test helper). */
function invert(matrix: number[][]): number[][] {
  const d = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: d }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < d; ++col) {
    const pivot = a[col]![col]!;
    for (let j = 0; j < 2 * d; ++j) a[col]![j]! /= pivot;
    for (let row = 0; row < d; ++row) {
      if (row === col) continue;
      const factor = a[row]![col]!;
      for (let j = 0; j < 2 * d; ++j) a[row]![j]! -= factor * a[col]![j]!;
    }
  }
  const inverse = a.map((row) => row.slice(d));
  return inverse.map((row, i) => row.map((v, j) => (v + inverse[j]![i]!) / 2));
}

describe("gmm(ctx, table, options) errors", () => {
  const mall = { features: ["Annual Income (k$)", "Spending Score (1-100)"], transform: "standardize" as const };
  it.each([
    [{ ...mall, k: 0 }, /seg\.gmm: k must be an integer >= 1/],
    [{ ...mall, k: 2, covariance: "tied" }, /seg\.gmm: covariance must be "full" or "diag"/],
    [{ ...mall, k: 2, tol: -1 }, /seg\.gmm: tol must be a number >= 0/],
    [{ ...mall, k: 2, init: { means: [[0, 0]] } }, /seg\.gmm: init\.means must be 2 rows of 2 finite numbers/],
    [
      {
        ...mall,
        k: 2,
        init: {
          means: [
            [0, 0],
            [1, 1],
          ],
          weights: [0.3, 0.3],
        },
      },
      /init\.weights must be 2 numbers .* sum to 1/,
    ],
    [
      {
        ...mall,
        k: 2,
        covariance: "full",
        init: {
          means: [
            [0, 0],
            [1, 1],
          ],
          precisions: [
            [1, 1],
            [1, 1],
          ],
        },
      },
      /init\.precisions for covariance "full" must be 2 symmetric 2 x 2 matrices/,
    ],
    [
      {
        ...mall,
        k: 2,
        init: {
          means: [
            [0, 0],
            [1, 1],
          ],
          precisions: [
            [
              [1, 2],
              [2, 1],
            ],
            [
              [1, 0],
              [0, 1],
            ],
          ],
        },
      },
      /seg\.gmm: init precision matrix of component 0 is not symmetric positive definite/,
    ],
    [{ features: ["Income"], k: 2 }, /seg\.gmm: unknown column "Income" in table "mall"/],
    [{ ...mall, k: 2, id: "probability" }, /id column cannot be named "probability"/],
    [{ ...mall, k: 2, refine: "lloyd" }, /seg\.gmm: refine must be "none" .* or "hartigan" .*, got "lloyd"/],
  ])("gmm rejects %j", async (opts, message) => {
    await expect(gmm(ctx, "mall", opts as unknown as GmmOptions)).rejects.toThrow(message);
  });

  it("gmm names k > distinct points and ill-defined covariances with their fixes", async () => {
    await engine.exec(
      `CREATE OR REPLACE TABLE few AS SELECT * FROM (VALUES (1.0, 2.0), (1.0, 2.0), (3.0, 1.0), (3.0, 1.0), (5.0, 0.0)) t(a, b)`,
    );
    await expect(gmm(ctx, "few", { features: ["a", "b"], k: 4 })).rejects.toThrow(
      /seg\.gmm: k = 4 is more than the 3 distinct points in the data; use k <= 3/,
    );
    await expect(gmm(ctx, "few", { features: ["a", "b"], k: 3, regCovar: 0 })).rejects.toThrow(
      /seg\.gmm: some components have ill-defined covariance .* use a smaller k or a larger regCovar/,
    );
  });
});
