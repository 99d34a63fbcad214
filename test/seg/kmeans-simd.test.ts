/**
 * The WebAssembly SIMD k-means kernels (src/seg/wasm/kmeans-simd.ts, emitted at run time by
 * src/seg/wasm/encoder.ts) against the JS loops they replace and which remain the fallback: Lloyd's
 * E-step, k-means++'s candidate scoring and Hartigan's passes give the same results bit for bit, for even and odd
 * feature and centre counts, on well-separated and on overlapping blobs.
 */
import { describe, expect, it } from "vitest";
import { hashString, mulberry32 } from "../../src/random/index.ts";
import { kmeansPlusPlus, runStream, scaledTolerance } from "../../src/seg/kmeans-kernel.ts";
import { hartiganRefine } from "../../src/seg/kmeans-hartigan-kernel.ts";
import { lloydData, lloydKernel, lloydWithBounds } from "../../src/seg/kmeans-lloyd-kernel.ts";
import { sleb, uleb } from "../../src/seg/wasm/encoder.ts";
import { lloydWorkspace, wasmSimdSupported } from "../../src/seg/wasm/kmeans-simd.ts";

/** n points in d dimensions around k centres in [-box, box]^d with unit-ish noise. */
function blobs(n: number, d: number, k: number, box: number, seed: number): Float64Array {
  const random = mulberry32(hashString("kmeans simd test", seed));
  const centres = Float64Array.from({ length: k * d }, () => (random() * 2 - 1) * box);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; ++i) {
    const blob = Math.floor(random() * k);
    for (let f = 0; f < d; ++f) x[i * d + f] = centres[blob * d + f]! + (random() + random() + random() - 1.5) * 2;
  }
  return x;
}

// [n, d, k, box]: box 50 separates the blobs well, box 2 makes them overlap (many full scans).
const cases = [
  [4000, 8, 8, 50],
  [4000, 8, 8, 2],
  [3000, 3, 5, 2],
  [2000, 7, 3, 10],
  [1500, 2, 12, 3],
  [500, 1, 1, 1],
] as const;

describe("encoder", () => {
  it.each([
    [0, [0]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [624485, [0xe5, 0x8e, 0x26]],
  ])("uleb(%i) is the unsigned LEB128 bytes", (value, bytes) => expect(uleb(value)).toEqual(bytes));
  it.each([
    [0, [0]],
    [-1, [0x7f]],
    [63, [0x3f]],
    [64, [0xc0, 0x00]],
    [-123456, [0xc0, 0xbb, 0x78]],
  ])("sleb(%i) is the signed LEB128 bytes", (value, bytes) => expect(sleb(value)).toEqual(bytes));
});

describe("kmeans SIMD kernels", () => {
  it("lloydWorkspace compiles in Node (so the tests below compare two paths, not one with itself)", () => {
    expect(wasmSimdSupported()).toBe(true);
    expect(lloydWorkspace(10, 8, 8)).not.toBeNull();
  });

  it.each(cases)(
    "lloydKernel on %i x %i, k = %i, box %i: WebAssembly and the JS fallback agree bit for bit",
    (n, d, k, box) => {
      const x = blobs(n, d, k, box, n + d + k);
      for (const [seed, tol] of [
        [1, 1e-4],
        [2, 0],
      ] as const) {
        const picked = kmeansPlusPlus(x, n, d, k, runStream(seed, 0));
        const init = Float64Array.from(Array.from(picked).flatMap((p) => Array.from(x.subarray(p * d, p * d + d))));
        const tolerance = scaledTolerance(x, n, d, tol);
        expect(lloydData(x, n, d, k).workspace).not.toBeNull();
        const wasm = lloydKernel(x, n, d, init, 300, tolerance);
        const js = lloydKernel(x, n, d, init, 300, tolerance, false);
        expect(wasm.iterations).toBe(js.iterations);
        expect(Array.from(wasm.labels)).toEqual(Array.from(js.labels));
        expect(Array.from(wasm.centers)).toEqual(Array.from(js.centers));
        expect(wasm.inertia).toBe(js.inertia);
      }
    },
  );

  it.each([...cases, [3000, 4, 25, 3] as const])(
    "kmeansPlusPlus on %i x %i, k = %i, box %i: with the WebAssembly workspace it picks what the JS picks",
    (n, d, k, box) => {
      const x = blobs(n, d, k, box, 7 * n + d);
      const data = lloydData(x, n, d, k);
      expect(data.workspace).not.toBeNull();
      for (const seed of [1, 2, 3]) {
        const wasm = kmeansPlusPlus(data.x, n, d, k, runStream(seed, 0), data.xNorms, data.workspace);
        const js = kmeansPlusPlus(x, n, d, k, runStream(seed, 0));
        expect(Array.from(wasm)).toEqual(Array.from(js));
      }
    },
  );

  it.each(cases)(
    "hartiganRefine on %i x %i, k = %i, box %i: the WebAssembly passes move what the JS moves",
    (n, d, k, box) => {
      const x = blobs(n, d, k, box, 3 * n + k);
      const data = lloydData(x, n, d, k);
      expect(data.workspace).not.toBeNull();
      for (const seed of [1, 2]) {
        const picked = kmeansPlusPlus(data.x, n, d, k, runStream(seed, 0), data.xNorms, data.workspace);
        const init = Float64Array.from(Array.from(picked).flatMap((p) => Array.from(x.subarray(p * d, p * d + d))));
        // From Lloyd's result with its bounds (as seg.kmeans runs it) and with no bounds at all.
        const lloyd = lloydWithBounds(data, init, 300, 0);
        const copy = (b: typeof lloyd.bounds) => ({
          upper: b.upper.slice(),
          lower: b.lower.slice(),
          reference: b.reference,
        });
        for (const bounds of [copy(lloyd.bounds), undefined]) {
          const jsLabels = lloyd.labels.slice();
          const js = hartiganRefine(data.x, n, d, k, jsLabels, bounds && copy(bounds));
          const wasmLabels = lloyd.labels.slice();
          const wasm = hartiganRefine(data.x, n, d, k, wasmLabels, bounds && copy(bounds), data.workspace);
          expect(wasm.transfers).toBe(js.transfers);
          expect(Array.from(wasmLabels)).toEqual(Array.from(jsLabels));
          expect(Array.from(wasm.centers)).toEqual(Array.from(js.centers));
        }
      }
    },
  );

  it("hartiganRefine with the workspace moves points on overlapping blobs (the WebAssembly scan hands them back)", () => {
    const [n, d, k] = [4000, 8, 8];
    const x = blobs(n, d, k, 2, 11);
    const data = lloydData(x, n, d, k);
    const picked = kmeansPlusPlus(data.x, n, d, k, runStream(4, 0), data.xNorms, data.workspace);
    const init = Float64Array.from(Array.from(picked).flatMap((p) => Array.from(x.subarray(p * d, p * d + d))));
    const lloyd = lloydWithBounds(data, init, 300, 1e-4);
    expect(hartiganRefine(data.x, n, d, k, lloyd.labels, lloyd.bounds, data.workspace).transfers).toBeGreaterThan(0);
  });
});
