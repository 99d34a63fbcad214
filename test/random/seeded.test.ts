/**
 * The seeded generators every random step derives from: pinned values, so a change to either (which
 * would change every notebook's k-means starts, samples and demo data) fails here first.
 */
import { expect, test } from "vitest";
import { hashString, mulberry32 } from "../../src/random/index.ts";

test.each([
  ["", undefined, 0x811c9dc5],
  // FNV-1a's published value for "a".
  ["a", undefined, 0xe40c292c],
  ["42", undefined, 2279835011],
  ["restart 3", 2279835011, 2774270647],
])("hashString(%j, %s) is %i", (text, basis, expected) => {
  expect(hashString(text, basis)).toBe(expected);
});

test("mulberry32(seed) gives the same stream on every call, in [0, 1)", () => {
  const next = mulberry32(42);
  expect([next(), next(), next()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  expect(mulberry32(0)()).toBe(0.26642920868471265);
  const stream = mulberry32(7);
  for (let i = 0; i < 1000; i++) {
    const x = stream();
    expect(x >= 0 && x < 1).toBe(true);
  }
});
