/**
 * seg.pca and its kernel: scikit-learn's PCA on Wholesale customers (log1p + StandardScaler; expected
 * values from test/reference/profile_reference.py in test/reference/expected/pca_wholesale.json).
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { covariance, pcaFit, pcaProject, symmetricEigen } from "../../src/seg/pca-kernel.ts";
import { pca } from "../../src/seg/pca.ts";
import { mulberry32 } from "../../src/random/index.ts";
import { openDatasets, segContext } from "../helpers/datasets.ts";

const expected = JSON.parse(
  readFileSync(new URL("../reference/expected/pca_wholesale.json", import.meta.url), "utf8"),
) as {
  features: string[];
  explained_variance_ratio_all: number[];
  explained_variance_ratio: number[];
  explained_variance: number[];
  components: number[][];
  customer_id: number[];
  coordinates: number[][];
};

let engine: Engine;
let ctx: SegContext;

beforeAll(async () => {
  engine = await openDatasets(["wholesale"]);
  ctx = segContext(engine);
});

afterAll(async () => {
  await engine?.close();
});

function expectAllClose(actual: ArrayLike<number>, wanted: ArrayLike<number>, tolerance = 1e-9) {
  expect(actual.length).toBe(wanted.length);
  for (let i = 0; i < wanted.length; i++) {
    expect(Math.abs(actual[i]! - wanted[i]!), `entry ${i}: ${actual[i]} vs ${wanted[i]}`).toBeLessThanOrEqual(
      tolerance,
    );
  }
}

describe("pca(ctx, table, options) matches scikit-learn on Wholesale customers", () => {
  it("pca(ctx, 'wholesale', {transform: 'log1p-standardize', components: 3}) gives sklearn's explained_variance_ratio_, loadings and coordinates", async () => {
    const result = await pca(ctx, "wholesale", {
      features: expected.features,
      transform: "log1p-standardize",
      components: 3,
      keep: ["CustomerID"],
    });
    expectAllClose(result.info.explainedVarianceRatio, expected.explained_variance_ratio);
    expectAllClose(result.info.explainedVariance, expected.explained_variance);
    result.info.loadings.forEach((row, c) => {
      expect(row.component).toBe(`PC${c + 1}`);
      expectAllClose(
        expected.features.map((f) => row[f] as number),
        expected.components[c]!,
      );
    });
    expect(result.columns).toEqual([
      { name: "CustomerID", type: "BIGINT" },
      { name: "PC1", type: "DOUBLE" },
      { name: "PC2", type: "DOUBLE" },
      { name: "PC3", type: "DOUBLE" },
    ]);
    const rows = await result.rows();
    expect(rows.map((row) => row.CustomerID)).toEqual(expected.customer_id);
    expectAllClose(
      rows.flatMap((row) => [row.PC1, row.PC2, row.PC3] as number[]),
      expected.coordinates.flat(),
    );
  });

  it("pca(ctx, table, {components: 6}) gives every component's explained variance ratio, summing to 1", async () => {
    const result = await pca(ctx, "wholesale", {
      features: expected.features,
      transform: ["log1p", "standardize"],
      components: 6,
    });
    expectAllClose(result.info.explainedVarianceRatio, expected.explained_variance_ratio_all);
    expect(result.info.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(result.columns.map((c) => c.name).slice(0, 3)).toEqual(["CustomerID", "Channel", "Region"]);
  });

  it("pca(ctx, table, {missing: 'drop'}) fits on complete rows and leaves NULL coordinates elsewhere", async () => {
    const table = await ctx.db.query(
      `SELECT * FROM (VALUES (1, 1.0, 2.0), (2, 2.0, 1.0), (3, NULL, 5.0), (4, 3.0, 3.5)) AS t(id, a, b)`,
    );
    await expect(pca(ctx, table, { features: ["a", "b"] })).rejects.toThrow(
      'seg.pca: feature "a" has 1 null values — filter them or pass {missing: "drop"}',
    );
    const result = await pca(ctx, table, { features: ["a", "b"], missing: "drop" });
    expect(result.info.n).toBe(3);
    expect(result.info.dropped).toBe(1);
    const rows = await result.rows();
    expect(rows[2]).toMatchObject({ id: 3, PC1: null, PC2: null });
    // Standardized coordinates are centered over the fitted rows.
    const fitted = rows.filter((row) => row.PC1 !== null);
    expect(fitted.reduce((s, row) => s + (row.PC1 as number), 0)).toBeCloseTo(0, 12);
  });

  it.each([
    [{ features: ["Fresh"] }, /at least two numeric features/],
    [{ features: ["Fresh", "Nope"] }, /unknown column "Nope"/],
    [{ features: ["Fresh", "Milk"], components: 3 }, /components must be an integer from 1 to 2/],
    [
      { features: ["Fresh", "Milk"], transform: "sqrt" },
      /unknown transform "sqrt"; use one of none, standardize, log1p, log1p-standardize/,
    ],
  ])("pca(ctx, 'wholesale', %j) fails clearly", async (options, message) => {
    await expect(pca(ctx, "wholesale", options as never)).rejects.toThrow(message);
  });
});

describe("pca kernel", () => {
  it("symmetricEigen(matrix, d) returns A v = lambda v with orthonormal vectors, largest first", () => {
    const random = mulberry32(3);
    const d = 7;
    const data = Float64Array.from({ length: 50 * d }, () => random() * 10 - 5);
    const cov = covariance(data, 50, d); // not centered: still symmetric, which is all this needs
    const { values, vectors } = symmetricEigen(cov, d);
    for (let k = 0; k < d; k++) {
      if (k > 0) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
      for (let i = 0; i < d; i++) {
        let av = 0;
        for (let j = 0; j < d; j++) av += cov[i * d + j]! * vectors[k * d + j]!;
        expect(av).toBeCloseTo(values[k]! * vectors[k * d + i]!, 10);
      }
      for (let l = 0; l < d; l++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += vectors[k * d + j]! * vectors[l * d + j]!;
        expect(dot).toBeCloseTo(k === l ? 1 : 0, 12);
      }
    }
  });

  it("pcaFit/pcaProject(data) on points along a line put all variance on PC1", () => {
    const n = 5;
    const data = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      data[i * 2] = i;
      data[i * 2 + 1] = -2 * i;
    }
    const fit = pcaFit(data, n, 2, 2);
    expectAllClose(fit.explainedVarianceRatio, [1, 0], 1e-12);
    // Largest-|loading| entry is positive: (-1, 2)/sqrt(5).
    expectAllClose(fit.components.slice(0, 2), [-1 / Math.sqrt(5), 2 / Math.sqrt(5)], 1e-12);
    const coords = pcaProject(data, n, 2, fit);
    expectAllClose(
      Array.from({ length: n }, (_, i) => coords[i * 2]!),
      [-2, -1, 0, 1, 2].map((t) => t * -Math.sqrt(5)),
      1e-12,
    );
  });
});
