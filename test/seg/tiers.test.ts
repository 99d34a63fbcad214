/**
 * seg.tiers on 8 hand-made customers whose values sum to 100, so shares read as percentages.
 * Sorted by value (ties by id): 4 (30), 2 (20), 3 (12), 5 (10), 6 (10), 1 (8), 7 (5), 8 (5);
 * the share held by everyone above each: 0, .30, .50, .62, .72, .82, .90, .95.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { defaultTierLabels, tiers } from "../../src/seg/tiers.ts";
import { segContext } from "../helpers/datasets.ts";

let engine: Engine;
let ctx: SegContext;

beforeAll(async () => {
  engine = await createNodeEngine();
  ctx = segContext(engine);
  await engine.exec(`CREATE TABLE customers AS SELECT * FROM (VALUES
    (1, 8), (2, 20), (3, 12), (4, 30), (5, 10), (6, 10), (7, 5), (8, 5)
  ) AS t(id, revenue)`);
  await engine.exec(`CREATE TABLE negative AS SELECT * FROM (VALUES (1, 8), (2, -1)) AS t(id, revenue)`);
});

afterAll(async () => {
  await engine?.close();
});

describe("tiers(ctx, table, options)", () => {
  it("tiers() with the default cuts puts the customer who crosses a cut in the upper tier", async () => {
    const result = await tiers(ctx, "customers", { value: "revenue", id: "id" });
    const rows = await result.rows();
    // Customer 4 alone reaches 20% (30%); customer 2 starts at 30% < 50%; customer 3 starts at exactly 50%.
    expect(rows.map((r) => [r.id, r.value_rank, r.tier])).toEqual([
      [4, 1, "top 20%"],
      [2, 2, "20-50%"],
      [3, 3, "50-100%"],
      [5, 4, "50-100%"],
      [6, 5, "50-100%"],
      [1, 6, "50-100%"],
      [7, 7, "50-100%"],
      [8, 8, "50-100%"],
    ]);
    expect(rows.map((r) => r.cum_share)).toEqual([0.3, 0.5, 0.62, 0.72, 0.82, 0.9, 0.95, 1]);
    expect(rows.map((r) => r.value_share)).toEqual([0.3, 0.2, 0.12, 0.1, 0.1, 0.08, 0.05, 0.05]);
    expect(result.info.summary).toEqual([
      { tier: "top 20%", customers: 1, value: 30, share: 0.3 },
      { tier: "20-50%", customers: 1, value: 20, share: 0.2 },
      { tier: "50-100%", customers: 6, value: 50, share: 0.5 },
    ]);
  });

  it("tiers({cuts, labels}) orders ties by id, and without id keeps tied customers in one tier", async () => {
    const options = { value: "revenue", cuts: [0.25, 0.7], labels: ["A", "B", "C"] };
    const byId = await (await tiers(ctx, "customers", { ...options, id: "id" })).rows();
    // Customer 5 starts at 62% (< 70%: B), customer 6 at 72% (C).
    expect(byId.map((r) => `${String(r.id)}${String(r.tier)}`)).toEqual([
      "4A",
      "2B",
      "3B",
      "5B",
      "6C",
      "1C",
      "7C",
      "8C",
    ]);
    const tied = await (await tiers(ctx, "customers", options)).rows();
    // Without id, 5 and 6 both start at 62% and share rank 4 and cum_share 82%.
    const tier = Object.fromEntries(tied.map((r) => [String(r.id), [r.tier, r.value_rank, r.cum_share]]));
    expect(tier["5"]).toEqual(["B", 4, 0.82]);
    expect(tier["6"]).toEqual(["B", 4, 0.82]);
    expect(tier["1"]).toEqual(["C", 6, 0.9]);
  });

  it("defaultTierLabels(cuts) spells the share ranges", () => {
    expect(defaultTierLabels([0.2, 0.5])).toEqual(["top 20%", "20-50%", "50-100%"]);
    expect(defaultTierLabels([0.1, 0.333])).toEqual(["top 10%", "10-33.3%", "33.3-100%"]);
  });

  it.each([
    [
      "negative values",
      "negative",
      { value: "revenue" },
      /value "revenue" has 1 negative values.*GREATEST\(revenue, 0\)/,
    ],
    ["unsorted cuts", "customers", { value: "revenue", cuts: [0.5, 0.2] }, /cuts must be ascending shares/],
    ["too few labels", "customers", { value: "revenue", labels: ["a"] }, /pass 3 distinct labels for 2 cuts/],
    ["a missing column", "customers", { value: "sales" }, /unknown column "sales"/],
  ] as const)("tiers() with %s fails clearly", async (_what, table, options, message) => {
    await expect(tiers(ctx, table, options)).rejects.toThrow(message);
  });
});
