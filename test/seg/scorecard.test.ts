/**
 * seg.scorecard on small constructed tables: each flag tripped (and not tripped) by the data made for
 * it, the Welch p-value against stats.ts's welchTTest on the same numbers, and the result table.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { scorecard } from "../../src/seg/scorecard.ts";
import { resultKindOf } from "../../src/seg/seg-result.ts";
import { stability } from "../../src/seg/stability.ts";
import { welchTTest } from "../../src/seg/stats.ts";
import { segContext } from "../helpers/datasets.ts";

let engine: Engine;
let ctx: SegContext;

beforeAll(async () => {
  engine = await createNodeEngine();
  ctx = segContext(engine);
  // 100 customers: segment 0 = ids 0-59 (big), 1 = ids 60-96, 2 = ids 97-99 (tiny).
  // spend: 0 -> 10 + i % 5, 1 -> 50 + i % 7, 2 -> 20; email null for every odd id in segment 1;
  // visits null for segment 2; last_order old for segment 2.
  await engine.exec(`
    CREATE TABLE cust AS SELECT i AS id,
      CASE WHEN i < 60 THEN 0 WHEN i < 97 THEN 1 ELSE 2 END AS seg,
      CASE WHEN i < 60 THEN 10 + i % 5 WHEN i < 97 THEN 50 + i % 7 ELSE 20 END::DOUBLE AS spend,
      CASE WHEN i >= 60 AND i < 97 AND i % 2 = 1 THEN NULL ELSE 'x@y' END AS email,
      CASE WHEN i >= 97 THEN NULL ELSE i % 3 END AS visits,
      CASE WHEN i >= 97 THEN DATE '2023-01-01' ELSE DATE '2024-06-01' END AS last_order
    FROM range(100) t(i)`);
});

afterAll(async () => {
  await engine?.close();
});

const flagsOf = (card: { info: { flags: { segment: unknown; flag: string }[] } }, segment: number) =>
  card.info.flags.filter((f) => f.segment === segment).map((f) => f.flag);

describe("seg.scorecard", () => {
  it("flags too broad, too narrow, stale and missing data", async () => {
    const card = await scorecard(ctx, "cust", {
      segment: "seg",
      amount: "spend",
      features: ["spend", "visits"],
      date: "last_order",
      asOf: "2024-06-30",
      contact: "email",
      kpi: "visits",
      thresholds: { maxShare: 0.5, minShare: 0.05, minSize: 10 },
    });
    expect(flagsOf(card, 0)).toEqual(["too_broad"]);
    expect(flagsOf(card, 1)).toEqual([]);
    expect(flagsOf(card, 2)).toEqual(["too_narrow", "stale_data", "missing_data"]);
    const rows = await card.rows();
    expect(rows.map((r) => [r.segment, r.size, r.share, r.accessible, r.measurable, r.flags])).toEqual([
      [0, 60, 0.6, 1, 1, "too_broad"],
      [1, 37, 0.37, 19 / 37, 1, ""],
      [2, 3, 0.03, 1, 0, "too_narrow, stale_data, missing_data"],
    ]);
    expect(card.columns.find((c) => c.name === "newest_date")!.type).toBe("DATE");
    expect(rows.map((r) => r.top_feature)).toEqual(["spend", "spend", "spend"]);
  });

  it("seg.scorecard marks its result as a scorecard and checks every test per segment", async () => {
    const card = await scorecard(ctx, "cust", {
      segment: "seg",
      amount: "spend",
      features: ["spend", "visits"],
      date: "last_order",
      asOf: "2024-06-30",
      contact: "email",
      kpi: "visits",
      notes: { "0": "upsell", "1": "win back" },
      thresholds: { maxShare: 0.5, minShare: 0.05, minSize: 10 },
    });
    expect(resultKindOf(card)).toBe("scorecard");
    // The marker is invisible to cells: not an enumerable key of the result.
    expect(Object.keys(card)).not.toContain("resultKind");
    const statusOf = (segment: number) =>
      Object.fromEntries(card.info.checks.filter((c) => c.segment === segment).map((c) => [c.test, c.status]));
    expect(statusOf(0)).toEqual({
      substantial: "fail",
      stable: "unmeasured",
      differentiable: "pass",
      identifiable: "pass",
      accessible: "pass",
      measurable: "pass",
      actionable: "pass",
    });
    // Segment 1: 19 of 37 reachable (51%) passes the 50% default; segment 2 has no KPI and no note.
    expect(statusOf(1).accessible).toBe("pass");
    expect(statusOf(2)).toMatchObject({ substantial: "fail", measurable: "fail", actionable: "fail" });
    const narrow = card.info.checks.find((c) => c.segment === 2 && c.test === "substantial")!;
    expect(narrow.detail).toBe("3.0% of customers < 5.0%");
  });

  it("tests the most different feature against the rest with Welch's t-test", async () => {
    const card = await scorecard(ctx, "cust", { segment: "seg", features: ["spend"], explanation: false });
    const rows = await card.rows();
    const values = Array.from({ length: 100 }, (_, i) => (i < 60 ? 10 + (i % 5) : i < 97 ? 50 + (i % 7) : 20));
    const summary = (xs: number[]) => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return { n: xs.length, mean, variance: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) };
    };
    const inside = summary(values.slice(60, 97));
    const rest = summary([...values.slice(0, 60), ...values.slice(97)]);
    expect(rows[1]!.welch_p as number).toBeCloseTo(welchTTest(rest, inside).pValue, 12);
    const mean = values.reduce((a, b) => a + b, 0) / 100;
    expect(rows[1]!.index_gap as number).toBeCloseTo(Math.abs((inside.mean / mean) * 100 - 100), 10);
    // Segment 2 is constant (variance 0): the standard error comes from the rest alone.
    expect(rows[2]!.welch_p as number).toBeCloseTo(
      welchTTest(summary(values.slice(0, 97)), summary(values.slice(97))).pValue,
      12,
    );
  });

  it("seg.scorecard reads stability from a stability table's cluster and mean_jaccard columns, or an ARI", async () => {
    // What seg.stability returns for any method: one row per cluster with mean_jaccard.
    await engine.exec(
      `CREATE TABLE st AS SELECT * FROM (VALUES (0, 0.9), (1, 0.5), (2, 0.7)) v(cluster, mean_jaccard)`,
    );
    const stTable = await ctx.db.table("st");
    const card = await scorecard(ctx, "cust", {
      segment: "seg",
      stability: stTable,
      thresholds: { minStability: 0.75 },
    });
    expect(card.info.flags.filter((f) => f.flag === "unstable").map((f) => [f.segment, f.detail])).toEqual([
      [1, "stability 0.50 < 0.75"],
      [2, "stability 0.70 < 0.75"],
    ]);
    expect(card.info.checks.find((c) => c.segment === 0 && c.test === "stable")!.status).toBe("pass");
    const byAri = await scorecard(ctx, "cust", { segment: "seg", stability: 0.4 });
    expect(byAri.info.flags.filter((f) => f.flag === "unstable")).toHaveLength(3);
    const fine = await scorecard(ctx, "cust", { segment: "seg", stability: 0.9 });
    expect(fine.info.flags.filter((f) => f.flag === "unstable")).toHaveLength(0);
    await expect(scorecard(ctx, "cust", { segment: "seg", stability: "high" as never })).rejects.toThrow(
      /seg\.scorecard: stability must be seg\.stability's result, a number/,
    );
  });

  it.each([
    ["kmeans", {}],
    ["gmm", {}],
    ["kprototypes", { categorical: ["last_order"] }],
  ] as const)(
    "seg.scorecard runs seg.stability(table, {method: %s, k, features, bootstrap}) from stability options",
    async (method, extra) => {
      const options = { method, ...extra, k: 3, features: ["spend"], bootstrap: 5, seed: 7 };
      const card = await scorecard(ctx, "cust", {
        segment: "seg",
        stability: options,
        thresholds: { minStability: 0 },
      });
      const direct = await stability(ctx, "cust", options as never);
      const jaccard = new Map((await direct.rows()).map((r) => [r.cluster, r.mean_jaccard]));
      const stable = card.info.checks.filter((c) => c.test === "stable");
      expect(stable.map((c) => c.status)).toEqual(["pass", "pass", "pass"]);
      expect(stable.map((c) => c.detail)).toEqual(
        [0, 1, 2].map((c) => expect.stringContaining((jaccard.get(c) as number).toFixed(2))),
      );
      expect(direct.info.method).toBe(method);
    },
  );

  it.each([
    ["gmm", { covariance: "spherical" }, /seg\.stability: covariance must be "full" or "diag"/],
    ["kprototypes", {}, /seg\.stability: pass \{categorical: \[/],
  ] as const)(
    "seg.scorecard hands {method: %s} and that method's options to seg.stability",
    async (method, extra, message) => {
      const options = { method, ...extra, k: 3, features: ["spend"], bootstrap: 2 };
      await expect(scorecard(ctx, "cust", { segment: "seg", stability: options })).rejects.toThrow(message);
    },
  );

  it("flags segments their rule cannot identify, and segments without an action", async () => {
    // visits (i % 3) says nothing about the segment: the rules are poor.
    const card = await scorecard(ctx, "cust", {
      segment: "seg",
      features: ["visits"],
      notes: { "0": "upsell", "1": "win back" },
      thresholds: { minPrecision: 0.9, minRecall: 0.9 },
    });
    expect(card.info.flags.filter((f) => f.flag === "not_identifiable").length).toBeGreaterThan(0);
    expect(card.info.flags.filter((f) => f.flag === "not_actionable").map((f) => f.segment)).toEqual([2]);
    const clear = await scorecard(ctx, "cust", { segment: "seg", features: ["spend"] });
    expect(clear.info.flags.filter((f) => f.flag === "not_identifiable")).toEqual([]);
    const rows = await clear.rows();
    expect(rows.map((r) => [r.precision, r.recall])).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
  });

  it("suppresses segments below the notebook's privacy.minSegmentSize", async () => {
    const guarded = { ...ctx, privacy: { minSegmentSize: 5 } };
    const options = {
      segment: "seg",
      amount: "spend",
      features: ["spend"],
      date: "last_order",
      asOf: "2024-06-30",
      notes: { "0": "upsell", "1": "win back", "2": "test" },
      thresholds: { minSize: 10 },
    };
    const open = await scorecard(ctx, "cust", options);
    const card = await scorecard(guarded, "cust", options);
    expect(card.info.suppression).toMatchObject({ minSegmentSize: 5, segments: 1, members: 3 });
    const rows = await card.rows();
    const openRows = await open.rows();
    // Segments 0 and 1 (60 and 37 members) are as without the guard; segment 2 (3) keeps its label.
    expect(rows.slice(0, 2)).toEqual(openRows.slice(0, 2).map((r) => ({ ...r, suppressed: false })));
    expect(rows[2]).toMatchObject({ segment: 2, size: null, share: null, revenue_share: null, suppressed: true });
    expect(rows[2]).toMatchObject({ top_feature: null, welch_p: null, newest_date: null, note: "test" });
    expect(rows[2]!.flags).toBe(openRows[2]!.flags);
    const details = card.info.flags.filter((f) => f.segment === 2).map((f) => f.detail);
    expect(details.length).toBeGreaterThan(0);
    for (const detail of details) expect(detail).toMatch(/^details suppressed: segments with fewer than 5 members/);
    expect(open.info.flags.find((f) => f.segment === 2 && f.flag === "too_narrow")!.detail).toMatch(/3\.0%/);
    expect(open.info.suppression).toBeNull();
  });

  it("seg.scorecard without asOf judges staleness on the data's newest date, whatever the clock says", async () => {
    const options = { segment: "seg", date: "last_order", thresholds: { minSize: 1, minShare: 0 } };
    const runs = [];
    // Only Date is faked: DuckDB's own timers keep running.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      for (const now of ["2024-06-02T00:00:00Z", "2031-03-15T12:00:00Z"]) {
        vi.setSystemTime(new Date(now));
        const card = await scorecard(ctx, "cust", options);
        runs.push({ rows: await card.rows(), flags: card.info.flags, checks: card.info.checks });
      }
    } finally {
      vi.useRealTimers();
    }
    expect(runs[1]).toEqual(runs[0]);
    // The newest last_order overall is 2024-06-01: only segment 2 (2023-01-01) is stale, even in 2031.
    expect(runs[0]!.flags.filter((f) => f.flag === "stale_data")).toEqual([
      {
        segment: 2,
        flag: "stale_data",
        detail: "newest last_order 2023-01-01 is over 90 days before 2024-06-01",
      },
    ]);
    // An explicit asOf still wins, and a bad one is a clear error rather than silently no flags.
    const later = await scorecard(ctx, "cust", { ...options, asOf: new Date("2025-01-01") });
    expect(later.info.flags.filter((f) => f.flag === "stale_data").map((f) => f.segment)).toEqual([0, 1, 2]);
    await expect(scorecard(ctx, "cust", { ...options, asOf: "not a date" })).rejects.toThrow(
      /seg\.scorecard: asOf must be "YYYY-MM-DD" or a Date, got "not a date"/,
    );
  });

  it("rejects unknown columns", async () => {
    await expect(scorecard(ctx, "cust", { segment: "seg", kpi: "nope" })).rejects.toThrow(/unknown column "nope"/);
    await expect(scorecard(ctx, "cust", {} as never)).rejects.toThrow(/pass \{segment/);
  });
});
