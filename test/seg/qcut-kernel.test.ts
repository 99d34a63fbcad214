import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  assignBins,
  firstDuplicateEdge,
  lerp,
  linspaceProbabilities,
  qcutEdges,
  rankFirst,
} from "../../src/seg/qcut-kernel.ts";

interface KernelCase {
  values: number[];
  bins: number;
  edges: number[];
  labels: number[];
}

const { kernelCases } = JSON.parse(
  readFileSync(new URL("../reference/expected/rfm-online-retail.json", import.meta.url), "utf8"),
) as { kernelCases: KernelCase[] };

describe("qcut kernel against numpy/pandas (test/reference/rfm_reference.py)", () => {
  it.each(kernelCases.map((c) => [c.values.length, c.bins, c] as const))(
    "qcutEdges(%i values, %i bins) equals np.quantile bit for bit and assignBins equals pd.qcut",
    (_n, _bins, c) => {
      const values = Float64Array.from(c.values);
      const edges = qcutEdges(values, c.bins);
      expect(Array.from(edges)).toEqual(c.edges);
      expect(Array.from(assignBins(values, edges))).toEqual(c.labels);
    },
  );
});

describe("qcut kernel details", () => {
  it("linspaceProbabilities(5) repeats numpy's k * (1/5), 0.6000000000000001 included", () => {
    expect(Array.from(linspaceProbabilities(5))).toEqual([0, 0.2, 0.4, 3 * 0.2, 0.8, 1]);
    expect(linspaceProbabilities(5)[3]).toBe(0.6000000000000001);
  });

  it("lerp(a, b, t) interpolates from b when t >= 0.5, as numpy's _lerp", () => {
    expect(lerp(0, 1, 0.25)).toBe(0.25);
    expect(lerp(2, 3, 0.6)).toBe(3 - 1 * (1 - 0.6));
    expect(lerp(7, 7, 12)).toBe(7);
  });

  it("assignBins(values, edges) puts a value equal to an edge in the lower bin and the minimum in bin 1", () => {
    const edges = Float64Array.from([1, 2, 4]);
    expect(Array.from(assignBins(Float64Array.from([1, 1.5, 2, 3, 4, 0, 5, NaN]), edges))).toEqual([
      1, 1, 1, 2, 2, 0, 0, 0,
    ]);
  });

  it("qcutEdges(values) ignores NaN like pandas and firstDuplicateEdge finds repeated edges", () => {
    expect(Array.from(qcutEdges(Float64Array.from([NaN, 3, 1, 2, NaN]), 2))).toEqual([1, 2, 3]);
    expect(firstDuplicateEdge(qcutEdges(Float64Array.from([1, 1, 1, 1, 2]), 4))).toBe(1);
    expect(firstDuplicateEdge(Float64Array.from([1, 2, 3]))).toBe(-1);
  });

  it("rankFirst(values) ranks ties by position, like Series.rank(method='first')", () => {
    expect(Array.from(rankFirst(Float64Array.from([3, 1, 3, 2, 1])))).toEqual([4, 1, 5, 3, 2]);
  });
});
