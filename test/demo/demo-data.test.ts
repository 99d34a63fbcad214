/**
 * The committed demo data must be exactly what the seeded generator produces.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { generateDemoData, toCsv } from "../../src/demo/index.ts";

const data = path.resolve(import.meta.dirname, "../../notebooks/data");

describe("generateDemoData", () => {
  test("generateDemoData() reproduces the committed notebooks/data CSVs", () => {
    const { customers, orders } = generateDemoData();
    expect(toCsv(customers)).toBe(readFileSync(path.join(data, "customers.csv"), "utf8"));
    expect(toCsv(orders)).toBe(readFileSync(path.join(data, "orders.csv"), "utf8"));
  });

  test("generateDemoData(n, seed) is deterministic per seed", () => {
    expect(generateDemoData(20, 1)).toEqual(generateDemoData(20, 1));
    expect(generateDemoData(20, 1)).not.toEqual(generateDemoData(20, 2));
  });
});
