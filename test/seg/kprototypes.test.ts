/**
 * seg.kprototypes (Huang's k-prototypes). No reference implementation is installed, so the checks
 * are on data whose answer is known: hand-made well-separated mixed clusters are recovered exactly
 * (ARI = 1), the reported cost is the cost recomputed from the prototypes, the cost never increases
 * across rounds (on Mall Customers, several seeds), results are deterministic per seed, and bad
 * input fails with messages that say what to do.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { featureMatrix } from "../../src/seg/features.ts";
import { assign } from "../../src/seg/assign.ts";
import { kprototypes, type KprototypesOptions } from "../../src/seg/kprototypes.ts";
import { defaultGamma, kprototypesKernel } from "../../src/seg/kprototypes-kernel.ts";
import { adjustedRandIndex } from "../../src/seg/metrics.ts";
import { openDatasets, segContext } from "../helpers/datasets.ts";
import { clustersOf } from "./helpers/cluster-labels.ts";

let engine: Engine;
let ctx: SegContext;

/**
 * Three groups of 12 customers: numeric spend/visits far apart, and a colour (text) and a channel
 * (INTEGER, treated as a category) that are constant within a group; `truth` is the group.
 */
const GROUPS = [
  { spend: 10, visits: 2, colour: "red", channel: 1 },
  { spend: 200, visits: 3, colour: "blue", channel: 2 },
  { spend: 20, visits: 40, colour: "green", channel: 3 },
];
const handRows = GROUPS.flatMap((g, truth) =>
  Array.from({ length: 12 }, (_, i) => ({
    id: truth * 100 + i,
    spend: g.spend + (i % 4) * 0.5,
    visits: g.visits + Math.floor(i / 4) * 0.25,
    colour: g.colour,
    channel: g.channel,
    truth,
  })),
);

/**
 * Four groups that only the combination separates: two spend levels crossed with two colours, the
 * numeric part identical within a spend level. k = 4 must find the cross-product.
 */
const crossRows = [0, 1].flatMap((level) =>
  ["cyan", "magenta"].flatMap((colour, c) =>
    Array.from({ length: 8 }, (_, i) => ({
      id: level * 100 + c * 10 + i,
      spend: level * 50 + (i % 4),
      colour,
      truth: level * 2 + c,
    })),
  ),
);

const values = (rows: Record<string, unknown>[]) =>
  rows
    .map(
      (r) =>
        `(${Object.values(r)
          .map((v) => (typeof v === "string" ? `'${v}'` : String(v)))
          .join(", ")})`,
    )
    .join(", ");

beforeAll(async () => {
  engine = await openDatasets(["mall"]);
  await engine.exec(
    `CREATE TABLE hand AS SELECT * FROM (VALUES ${values(handRows)}) t(id, spend, visits, colour, channel, truth)`,
  );
  await engine.exec(
    `CREATE TABLE cross_groups AS SELECT * FROM (VALUES ${values(crossRows)}) t(id, spend, colour, truth)`,
  );
  ctx = segContext(engine);
});

afterAll(async () => {
  await engine?.close();
});

const HAND: KprototypesOptions = { features: ["spend", "visits"], categorical: ["colour", "channel"], id: "id", k: 3 };
const MALL: KprototypesOptions = {
  features: ["Age", "Annual Income (k$)", "Spending Score (1-100)"],
  categorical: ["Gender"],
  id: "CustomerID",
  k: 5,
};

describe("kprototypes(ctx, table, options) on data with a known answer", () => {
  it("kprototypes recovers well-separated mixed clusters (ARI = 1) with their modes as prototypes", async () => {
    const result = await kprototypes(ctx, "hand", HAND);
    const clusters = await clustersOf(result);
    expect(
      adjustedRandIndex(
        clusters,
        handRows.map((r) => r.truth),
      ),
    ).toBe(1);
    expect(result.info.converged).toBe(true);
    expect([...result.info.sizes].sort()).toEqual([12, 12, 12]);
    // Each cluster's categorical prototype is its group's colour and channel (as text).
    const byCluster = new Map(Array.from(clusters, (c, i) => [c, handRows[i]!] as const));
    result.info.prototypes.categorical.forEach((modes, c) => {
      const row = byCluster.get(c)!;
      expect(modes).toEqual([row.colour, String(row.channel)]);
    });
    // Numeric prototypes in input units are the group means.
    result.info.prototypes.numeric.original.forEach((means, c) => {
      const rows = handRows.filter((_, i) => clusters[i] === c);
      expect(means[0]).toBeCloseTo(rows.reduce((a, r) => a + r.spend, 0) / rows.length, 9);
      expect(means[1]).toBeCloseTo(rows.reduce((a, r) => a + r.visits, 0) / rows.length, 9);
    });
    expect(result.info.gamma).toBeCloseTo(0.5, 12); // half the mean std of standardized columns
    expect(result.columns.map((c) => c.name)).toEqual(["id", "cluster"]);
  });

  it("kprototypes separates groups that differ only in a category when numbers alone cannot", async () => {
    const result = await kprototypes(ctx, "cross_groups", {
      features: ["spend"],
      categorical: ["colour"],
      id: "id",
      k: 4,
    });
    const clusters = await clustersOf(result);
    expect(
      adjustedRandIndex(
        clusters,
        crossRows.map((r) => r.truth),
      ),
    ).toBe(1);
  });

  it("kprototypes reports the cost recomputed from its prototypes and labels", async () => {
    const result = await kprototypes(ctx, "mall", MALL);
    const clusters = await clustersOf(result);
    const fm = await featureMatrix(ctx, "mall", { features: MALL.features, transform: "standardize" });
    const gender = (await (await ctx.db.query(`SELECT "Gender" FROM mall`)).arrow()).getChild("Gender")!.toArray();
    let cost = 0;
    for (let i = 0; i < fm.n; ++i) {
      const c = clusters[i]!;
      for (let f = 0; f < fm.d; ++f)
        cost += (fm.matrix[i * fm.d + f]! - result.info.prototypes.numeric.transformed[c]![f]!) ** 2;
      if (gender[i] !== result.info.prototypes.categorical[c]![0]) cost += result.info.gamma;
    }
    expect(result.info.cost).toBeCloseTo(cost, 9);
    expect(result.info.gamma).toBeCloseTo(defaultGamma(fm.matrix, fm.n, fm.d), 12);
  });

  it("kprototypes' cost never increases across rounds", async () => {
    let longest = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const result = await kprototypes(ctx, "mall", { ...MALL, k: 6, nInit: 1, seed });
      const history = result.info.costHistory;
      expect(history.length).toBe(result.info.iterations);
      for (let t = 1; t < history.length; ++t) expect(history[t]!).toBeLessThanOrEqual(history[t - 1]! + 1e-9);
      expect(result.info.cost).toBeLessThanOrEqual(history.at(-1)! + 1e-9);
      longest = Math.max(longest, history.length);
    }
    expect(longest).toBeGreaterThan(3); // the check saw real iterations, not an immediate fixed point
  });

  it("kprototypes is deterministic per seed, defaults to the notebook seed, and keeps the best restart", async () => {
    const a = await kprototypes(ctx, "mall", { ...MALL, seed: 9 });
    const b = await kprototypes(ctx, "mall", { ...MALL, seed: 9 });
    expect(await clustersOf(a)).toEqual(await clustersOf(b));
    expect(a.info.cost).toBe(b.info.cost);
    const byDefault = await kprototypes(ctx, "mall", MALL);
    const explicit = await kprototypes(ctx, "mall", { ...MALL, seed: 42 });
    expect(byDefault.info.seed).toBe(42);
    expect(await clustersOf(byDefault)).toEqual(await clustersOf(explicit));
    // Best of 10 restarts is at most the first restart alone (restart 0 has the same stream).
    const single = await kprototypes(ctx, "mall", { ...MALL, seed: 9, nInit: 1 });
    expect(a.info.cost).toBeLessThanOrEqual(single.info.cost);
  });

  it("kprototypes' model.assign (and seg.assign on its JSON) reproduces the labels", async () => {
    const result = await kprototypes(ctx, "mall", MALL);
    const viaModel = await (await result.model.assign("mall")).arrow();
    const viaJson = await (await assign(ctx, "mall", { model: JSON.parse(JSON.stringify(result.model)) })).arrow();
    for (const table of [viaModel, viaJson]) {
      expect(Array.from(table.getChild("cluster")!.toArray() as Int32Array)).toEqual(await clustersOf(result));
      expect(Number(table.getChild("CustomerID")!.get(0))).toBe(1);
    }
  });
});

describe("kprototypesKernel(num, n, p, cat, m, counts, options)", () => {
  it("kprototypesKernel gives each of k clusters a member when started from distinct records", () => {
    // Two numeric points far apart, five categories: k = 4 must still fill every cluster.
    const n = 8;
    const num = Float64Array.from([0, 0, 0, 0, 10, 10, 10, 10]);
    const cat = Int32Array.from([0, 1, 2, 3, 0, 1, 2, 3]);
    const run = kprototypesKernel(num, n, 1, cat, 1, Int32Array.of(4), {
      k: 4,
      gamma: 1,
      nInit: 3,
      maxIter: 50,
      seed: 1,
    });
    const sizes = [0, 0, 0, 0];
    run.labels.forEach((c) => sizes[c]!++);
    expect(sizes.every((s) => s > 0)).toBe(true);
    expect(run.converged).toBe(true);
  });
});

describe("kprototypes(ctx, table, options) errors", () => {
  it.each([
    [{ ...HAND, categorical: [] }, /seg\.kprototypes: pass \{categorical: \[.*\]\}.*use seg\.kmeans for numbers only/],
    [{ ...HAND, features: undefined }, /seg\.kprototypes: pass \{features: \[.*\]\}/],
    [{ ...HAND, numeric: ["spend"] }, /the numeric columns are now \{features: \[\.\.\.\]\} \(was numeric\)/],
    [
      { ...HAND, features: ["spend", "income"] },
      /seg\.kprototypes: unknown column "income" in table "hand"; its columns are/,
    ],
    [{ ...HAND, categorical: ["colour", "region"] }, /unknown column "region"/],
    [
      { ...HAND, features: ["spend", "colour"], categorical: ["channel"] },
      /feature "colour" has type VARCHAR, which is not numeric; list it under categorical/,
    ],
    [{ ...HAND, categorical: ["colour", "spend"] }, /column "spend" is listed twice/],
    [{ ...HAND, k: 0 }, /seg\.kprototypes: k must be an integer >= 1/],
    [{ ...HAND, gamma: -1 }, /seg\.kprototypes: gamma must be a number >= 0/],
  ])("kprototypes rejects %j", async (opts, message) => {
    await expect(kprototypes(ctx, "hand", opts as unknown as KprototypesOptions)).rejects.toThrow(message);
  });

  it("kprototypes rejects k above the number of distinct rows, naming the limit", async () => {
    await engine.exec(
      `CREATE TABLE tiny AS SELECT * FROM (VALUES (1.0, 'a'), (1.0, 'a'), (2.0, 'b'), (2.0, 'a')) t(x, c)`,
    );
    await expect(kprototypes(ctx, "tiny", { features: ["x"], categorical: ["c"], k: 4 })).rejects.toThrow(
      /seg\.kprototypes: k = 4 is more than the 3 distinct points in the data; use k <= 3/,
    );
  });
});
