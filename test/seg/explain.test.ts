/**
 * seg.explain: trees against scikit-learn's DecisionTreeClassifier on Mall Customers
 * (test/reference/explain_reference.py -> expected/explain_mall.json), rules on hand-made tables,
 * and the rules' SQL run in DuckDB selecting exactly the rows the reported statistics count.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { quoteIdentifier } from "../../src/engine/sql-text.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { explain, type ExplainNode, type ExplainResult } from "../../src/seg/explain.ts";
import { formatNumber } from "../../src/seg/explain-rules.ts";
import { openDatasets, segContext } from "../helpers/datasets.ts";

interface RefNode {
  feature: number;
  threshold: number | null;
  left: number;
  right: number;
  n: number;
  counts: number[];
}
interface RefTree {
  nodes: RefNode[];
  deterministic: boolean;
  accuracy: number;
  classes: unknown[];
}
const expected = JSON.parse(
  readFileSync(new URL("../reference/expected/explain_mall.json", import.meta.url), "utf8"),
) as { kmeans_labels: Record<string, number>; kmeans: Record<string, RefTree>; female: RefTree; age_band: RefTree };

const INCOME = "Annual Income (k$)";
const SCORE = "Spending Score (1-100)";

let engine: Engine;
let ctx: SegContext;

beforeAll(async () => {
  engine = await openDatasets(["mall"]);
  ctx = segContext(engine);
  const labels = Object.entries(expected.kmeans_labels);
  await engine.exec(
    `CREATE TABLE mall_k AS SELECT m.*, l.cluster FROM mall AS m JOIN (VALUES ${labels
      .map(([id, k]) => `(${Number(id)}, ${k})`)
      .join(", ")}) AS l(id, cluster) ON m.CustomerID = l.id`,
  );
  await engine.exec(
    `CREATE TABLE mall_band AS SELECT *, Gender = 'Female' AS female,
       CASE WHEN Age < 30 THEN '18-29' WHEN Age < 45 THEN '30-44' ELSE '45+' END AS age_band FROM mall`,
  );
});

afterAll(async () => {
  await engine?.close();
});

function expectSameTree(got: readonly ExplainNode[], want: RefNode[]): void {
  expect(got.map((n) => ({ ...n, threshold: n.feature < 0 ? null : n.threshold }))).toEqual(
    want.map((n) => expect.objectContaining(n)),
  );
}

/** Support, precision and recall of every rule and clause, recomputed by running its SQL in DuckDB. */
async function expectSqlAgrees(result: ExplainResult, table: string, segment: string): Promise<void> {
  for (const rule of result.info.rules) {
    for (const item of [rule, ...rule.clauses]) {
      const row = (
        await (
          await ctx.db.query(
            `SELECT count(*) FILTER (WHERE ${item.sql}) AS support,
               count(*) FILTER (WHERE (${item.sql}) AND ${quoteIdentifier(segment)} = ?) AS hits,
               count(*) FILTER (WHERE ${quoteIdentifier(segment)} = ?) AS members
             FROM ${quoteIdentifier(table)}`,
            [rule.segment, rule.segment],
          )
        ).rows()
      )[0]!;
      const [support, hits, members] = [row.support, row.hits, row.members].map(Number) as [number, number, number];
      expect(support, item.sql).toBe(item.support);
      expect(item.precision, item.sql).toBe(support ? hits / support : null);
      expect(item.recall, item.sql).toBe(hits / members);
    }
  }
}

describe("seg.explain against sklearn DecisionTreeClassifier(max_depth=3)", () => {
  it("fits the same one-vs-rest trees for five k-means clusters on income and score", async () => {
    const result = await explain(ctx, "mall_k", { segment: "cluster", features: [INCOME, SCORE] });
    expect(result.info.rules.map((r) => r.segment)).toEqual([0, 1, 2, 3, 4]);
    for (const [k, want] of Object.entries(expected.kmeans)) {
      const tree = result.info.trees[Number(k)]!;
      expect(tree.accuracy).toBeCloseTo(want.accuracy, 12);
      // With tied splits sklearn's pick depends on its random feature order; compare those by accuracy.
      if (want.deterministic) expectSameTree(tree.nodes, want.nodes);
    }
    await expectSqlAgrees(result, "mall_k", "cluster");
  });

  it("fits the same Female-vs-rest tree on age, income and score", async () => {
    const result = await explain(ctx, "mall_band", { segment: "female", features: ["Age", INCOME, SCORE] });
    expect(expected.female.deterministic).toBe(true);
    expectSameTree(result.info.trees[1]!.nodes, expected.female.nodes);
    expect(result.info.trees[1]!.accuracy).toBeCloseTo(expected.female.accuracy, 12);
    await expectSqlAgrees(result, "mall_band", "female");
  });

  it("fits the same multiclass tree with a one-hot text feature", async () => {
    const result = await explain(ctx, "mall_band", {
      segment: "age_band",
      features: [INCOME, SCORE, "Gender"],
      mode: "multiclass",
    });
    expect(result.info.trees).toHaveLength(1);
    expect(result.info.trees[0]!.classes).toEqual(expected.age_band.classes);
    expectSameTree(result.info.trees[0]!.nodes, expected.age_band.nodes);
    expect(result.info.trees[0]!.accuracy).toBeCloseTo(expected.age_band.accuracy, 12);
    await expectSqlAgrees(result, "mall_band", "age_band");
  });
});

describe("seg.explain rules", () => {
  beforeAll(async () => {
    // A is exactly income > 50 AND score > 60 (hand-checkable midpoints 55 and 65); B is the rest.
    const rows: string[] = [];
    for (const income of [10, 20, 30, 40, 50, 60, 70, 80, 90]) {
      for (const score of [20, 40, 60, 70, 90]) {
        const region = income > 70 ? "North" : income > 40 ? "South" : "West";
        rows.push(`(${income}, ${score}, '${region}', ${income > 50 && score > 60 ? "'A'" : "'B'"})`);
      }
    }
    await engine.exec(`CREATE TABLE toy AS SELECT * FROM (VALUES ${rows.join(", ")}) AS t(income, score, region, seg)`);
  });

  it("reads score > 65 AND income > 55 for a segment defined that way", async () => {
    const result = await explain(ctx, "toy", { segment: "seg", features: ["income", "score"] });
    const a = result.info.rules.find((r) => r.segment === "A")!;
    // score splits off more of B first (27 of 45 rows vs 20), so it comes first on the path.
    expect(a.text).toBe("score > 65 AND income > 55");
    expect(a.sql).toBe(`"score" > 65 AND "income" > 55`);
    expect([a.precision, a.recall, a.support]).toEqual([1, 1, 8]);
    const b = result.info.rules.find((r) => r.segment === "B")!;
    expect(b.text).toBe("score <= 65 OR (score > 65 AND income <= 55)");
    expect(await result.rows()).toEqual([
      { segment: "A", size: 8, rule: a.text, sql: a.sql, support: 8, precision: 1, recall: 1 },
      { segment: "B", size: 37, rule: b.text, sql: b.sql, support: 37, precision: 1, recall: 1 },
    ]);
    await expectSqlAgrees(result, "toy", "seg");
    // The tree's matrix columns do not shadow the table's own columns (displays and SQL read those).
    expect(result.columns.map((c) => c.name)).toEqual([
      "segment",
      "size",
      "rule",
      "sql",
      "support",
      "precision",
      "recall",
    ]);
    expect(result.info.treeColumns).toEqual([
      { kind: "numeric", feature: "income" },
      { kind: "numeric", feature: "score" },
    ]);
  });

  it("tightens repeated bounds on a feature into one interval", async () => {
    await engine.exec(`CREATE TABLE band AS SELECT *, income > 30 AND income <= 60 AS mid FROM toy`);
    const result = await explain(ctx, "band", { segment: "mid", features: ["income"] });
    const mid = result.info.rules.find((r) => r.segment === true)!;
    expect(mid.text).toBe("income > 35 AND income <= 65");
    expect(mid.clauses[0]!.path).toHaveLength(2);
    await expectSqlAgrees(result, "band", "mid");
  });

  it("writes text features as = and NOT IN", async () => {
    await engine.exec(`CREATE TABLE toy_area AS SELECT *, region AS area FROM toy`);
    const result = await explain(ctx, "toy_area", { segment: "area", features: ["region", "score"] });
    expect(result.info.rules.map((r) => [r.segment, r.text])).toEqual([
      ["North", "region = 'North'"],
      ["South", "region = 'South'"],
      ["West", "region = 'West'"],
    ]);
    const multi = await explain(ctx, "toy_area", { segment: "area", features: ["region"], mode: "multiclass" });
    // North's path is region <> 'West' AND region = 'North': the equality makes the <> redundant.
    expect(multi.info.rules.map((r) => r.text)).toEqual([
      "region = 'North'",
      "region NOT IN ('North', 'West')",
      "region = 'West'",
    ]);
    expect(multi.info.rules[0]!.clauses[0]!.path).toHaveLength(2);
    await expectSqlAgrees(multi, "toy_area", "area");
  });

  it("formats thresholds without locale and exactly", () => {
    expect([70.5, 0.1 + 0.2, 1e-7, -0, 1234567.25].map(formatNumber)).toEqual([
      "70.5",
      "0.30000000000000004",
      "1e-7",
      "0",
      "1234567.25",
    ]);
  });

  it.each([
    [{ segment: "seg", features: ["nope"] }, /unknown column "nope"/],
    [{ segment: "seg", features: ["seg", "income"] }, /"seg" is the segment column/],
    [{ segment: "seg", features: ["income"], maxDepth: 0 }, /maxDepth must be an integer >= 1/],
    [{ segment: "seg", features: ["income"], mode: "forest" }, /mode must be/],
  ])("seg.explain rejects %j", async (options, message) => {
    await expect(explain(ctx, "toy", options as never)).rejects.toThrow(message);
  });

  it("rejects a segment column with nulls", async () => {
    await engine.exec(
      `CREATE TABLE toy_null AS SELECT income, CASE WHEN income > 80 THEN NULL ELSE seg END AS seg FROM toy`,
    );
    await expect(explain(ctx, "toy_null", { segment: "seg", features: ["income"] })).rejects.toThrow(/null values/);
  });
});
