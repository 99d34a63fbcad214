/**
 * `asOf`, the reference day of seg.rfm, seg.segments, seg.scorecard and seg.clv: one parser
 * (src/seg/as-of.ts) accepting a calendar day or a Date at midnight and refusing anything else with
 * an error naming the function; and, left out, the newest date in the data — never the wall clock.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { dayAfter, parseAsOf } from "../../src/seg/as-of.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { clv } from "../../src/seg/clv.ts";
import { rfm } from "../../src/seg/rfm.ts";
import { segments } from "../../src/seg/rules.ts";
import { scorecard } from "../../src/seg/scorecard.ts";
import { segContext } from "../helpers/datasets.ts";

describe("parseAsOf(value, fn)", () => {
  it.each([
    ["2024-06-30", "2024-06-30"],
    [" 2024-02-29 ", "2024-02-29"],
    [new Date("2024-06-30"), "2024-06-30"],
    [new Date(Date.UTC(2000, 0, 1)), "2000-01-01"],
    [new Date(2024, 11, 31), "2024-12-31"],
  ])("parseAsOf(%j) is %s", (value, day) => {
    expect(parseAsOf(value, "rfm")).toBe(day);
  });

  it.each([
    ["2023-02-29", "scorecard", /^seg\.scorecard: asOf "2023-02-29" is not a calendar day/],
    ["2024-13-01", "rfm", /^seg\.rfm: asOf "2024-13-01" is not a calendar day/],
    ["30/06/2024", "clv", /^seg\.clv: asOf must be "YYYY-MM-DD" or a Date, got "30\/06\/2024"/],
    [
      "2024-06-30T12:00:00Z",
      "rfm",
      /^seg\.rfm: asOf is a day, not a moment: got "2024-06-30T12:00:00Z"; pass asOf: "2024-06-30"/,
    ],
    ["2024-06-30 08:00", "segments", /^seg\.segments: asOf is a day, not a moment/],
    [
      new Date("2024-06-30T12:34:00Z"),
      "scorecard",
      /^seg\.scorecard: asOf is a day, not a moment: .*pass asOf: "2024-06-30"/,
    ],
    [new Date(NaN), "clv", /^seg\.clv: asOf is an invalid Date/],
    [20240630, "rfm", /^seg\.rfm: asOf must be "YYYY-MM-DD" or a Date, got number/],
    [null, "scorecard", /^seg\.scorecard: asOf must be "YYYY-MM-DD" or a Date, got object/],
  ])("parseAsOf(%j, %s) refuses it, naming the function", (value, fn, message) => {
    expect(() => parseAsOf(value, fn)).toThrow(message);
  });

  it("dayAfter() crosses months and leap days", () => {
    expect(dayAfter("2024-02-28")).toBe("2024-02-29");
    expect(dayAfter("2023-12-31")).toBe("2024-01-01");
  });
});

describe("asOf left out: the newest date in the data, whatever the clock says", () => {
  let engine: Engine;
  let ctx: SegContext;

  beforeAll(async () => {
    engine = await createNodeEngine();
    ctx = segContext(engine);
    // Orders up to 2023-03-10; the clock will say 2031.
    await engine.exec(`CREATE TABLE tx AS SELECT i AS id, i % 7 AS cust, DATE '2023-01-01' + (i % 69)::INTEGER AS day,
      (10 + i % 13)::DOUBLE AS amount FROM range(200) t(i)`);
    await engine.exec(`CREATE TABLE per_customer AS SELECT cust, max(day) AS last_day, sum(amount) AS spend,
      CASE WHEN cust < 4 THEN 'a' ELSE 'b' END AS seg FROM tx GROUP BY ALL`);
  });

  afterAll(async () => {
    await engine?.close();
  });

  /** Runs `call` with the wall clock at each of `nows` and returns what it gave each time. */
  async function atClocks<T>(nows: string[], call: () => Promise<T>): Promise<T[]> {
    const results: T[] = [];
    // Only Date is faked: DuckDB's own timers keep running.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      for (const now of nows) {
        vi.setSystemTime(new Date(now));
        results.push(await call());
      }
    } finally {
      vi.useRealTimers();
    }
    return results;
  }

  it("seg.rfm without asOf uses the newest order's day", async () => {
    const runs = await atClocks(["2023-03-11T00:00:00Z", "2031-07-01T15:00:00Z"], async () => {
      const scored = await rfm(ctx, "tx", { id: "cust", date: "day", amount: "amount", bins: 2 });
      return { asOf: scored.info.asOf, rows: await scored.rows() };
    });
    expect(runs[0]!.asOf).toBe("2023-03-10");
    expect(runs[1]).toEqual(runs[0]);
  });

  it("seg.segments without asOf counts event windows back from the newest event's day", async () => {
    const runs = await atClocks(["2023-03-11T00:00:00Z", "2031-07-01T15:00:00Z"], async () => {
      const events = { table: "tx", id: "cust", date: "day" };
      const segs = await segments(ctx, "per_customer", {
        id: "cust",
        definitions: { recent: { events, within: { days: 3 } } },
      });
      return { asOf: segs.info.asOf, rows: await segs.rows() };
    });
    expect(runs[0]!.asOf).toBe("2023-03-10");
    // Judged from today (2031) nobody would have bought in the last 3 days.
    expect(runs[0]!.rows.some((r) => r.segment === "recent")).toBe(true);
    expect(runs[1]).toEqual(runs[0]);
  });

  it("seg.clv without asOf measures T up to the newest order's day, not to today", async () => {
    // One fit (they are slow): with the clock in 2031, the reference day is still the data's newest.
    const [asOf] = await atClocks(["2031-07-01T15:00:00Z"], async () => {
      const value = await clv(ctx, "tx", { id: "cust", date: "day", amount: "amount", horizon: 30 });
      return value.info.asOf;
    });
    expect(asOf).toBe("2023-03-10");
  });

  it("seg.scorecard without asOf judges staleness on the newest date, and says so in info.asOf", async () => {
    const runs = await atClocks(["2023-03-11T00:00:00Z", "2031-07-01T15:00:00Z"], async () => {
      const card = await scorecard(ctx, "per_customer", {
        segment: "seg",
        date: "last_day",
        thresholds: { minSize: 1, minShare: 0, staleDays: 30 },
      });
      return { asOf: card.info.asOf, flags: card.info.flags, rows: await card.rows() };
    });
    expect(runs[0]!.asOf).toBe("2023-03-10");
    expect(runs[1]).toEqual(runs[0]);
    // With today's date (2031) every segment would be stale; judged on the data, none is.
    expect(runs[0]!.flags.filter((f) => f.flag === "stale_data")).toEqual([]);
  });
});
