/**
 * seg.rfm on a small literal transactions table whose RFM values and scores are worked out by hand
 * in the comments (asOf "2024-01-31", so recency counts from its end, 2024-02-01 00:00, unless said
 * otherwise):
 *
 * | customer | last purchase      | recency         | invoices (rows) | monetary |
 * |----------|--------------------|-----------------|-----------------|----------|
 * | 1        | 2024-01-31 01:00   | 0  (23 hours)   | 2 (3)           | 35       |
 * | 2        | 2024-01-31 00:00   | 1  (24 hours)   | 1 (1)           | 100      |
 * | 3        | 2024-01-21 06:00   | 10 (10 d 18 h)  | 3 (3)           | 90       |
 * | 4        | 2024-01-02 00:00:01| 29 (29 d 23:59:59) | 1 (1)        | 7        |
 * | 5        | 2023-12-02 00:00   | 61              | 2 (2)           | 501      |
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { rfm } from "../../src/seg/rfm.ts";
import type { RfmOptions } from "../../src/seg/rfm.ts";
import { segContext } from "../helpers/datasets.ts";

let engine: Engine;
let ctx: SegContext;
const base: RfmOptions = {
  id: "cust",
  date: "ts",
  amount: "amount",
  invoice: "inv",
  asOf: "2024-01-31",
};

beforeAll(async () => {
  engine = await createNodeEngine();
  ctx = segContext(engine);
  // The times below, 12 hours later, are those of the table in the header.
  await engine.exec(`CREATE TABLE tx AS SELECT cust, inv, CAST(ts AS TIMESTAMP) + INTERVAL 12 HOUR AS ts, amount FROM (VALUES
    (1, 'A1', '2024-01-30 13:00:00', 10.0), (1, 'A1', '2024-01-30 13:00:00', 5.0), (1, 'A2', '2024-01-10 09:00:00', 20.0),
    (2, 'B1', '2024-01-30 12:00:00', 100.0),
    (3, 'C1', '2024-01-20 18:00:00', 30.0), (3, 'C2', '2024-01-15 10:00:00', 30.0), (3, 'C3', '2024-01-02 10:00:00', 30.0),
    (4, 'D1', '2024-01-01 12:00:01', 7.0),
    (5, 'E1', '2023-12-01 12:00:00', 500.0), (5, 'E2', '2023-11-01 12:00:00', 1.0),
    (NULL, 'Z1', '2024-01-31 00:00:00', 999.0)
  ) AS t(cust, inv, ts, amount)`);
  await engine.exec(`CREATE TABLE same_day AS SELECT * FROM (VALUES
    ('a', TIMESTAMP '2024-01-01 10:00:00', 1.0), ('b', TIMESTAMP '2024-01-01 11:00:00', 2.0),
    ('c', TIMESTAMP '2024-01-01 12:00:00', 3.0), ('d', TIMESTAMP '2023-06-01 12:00:00', 4.0)
  ) AS t(cust, ts, amount)`);
});

afterAll(async () => {
  await engine?.close();
});

const pick = (rows: Record<string, unknown>[], keys: string[]) =>
  rows.map((row) => Object.fromEntries(keys.map((key) => [key, row[key]])));

describe("rfm(ctx, table, options)", () => {
  it("rfm() aggregates recency as elapsed whole days, distinct invoices and summed amounts, one row per customer", async () => {
    const result = await rfm(ctx, "tx", base);
    expect(result.columns.map((c) => c.name)).toEqual([
      "cust",
      "recency",
      "frequency",
      "monetary",
      "r_score",
      "f_score",
      "m_score",
      "rf_code",
      "rfm_code",
      "segment",
    ]);
    expect(pick(await result.rows(), ["cust", "recency", "frequency", "monetary"])).toEqual([
      { cust: 1, recency: 0, frequency: 2, monetary: 35 },
      { cust: 2, recency: 1, frequency: 1, monetary: 100 },
      { cust: 3, recency: 10, frequency: 3, monetary: 90 },
      { cust: 4, recency: 29, frequency: 1, monetary: 7 },
      { cust: 5, recency: 61, frequency: 2, monetary: 501 },
    ]);
    expect(result.info.asOf).toBe("2024-01-31");
    expect(result.info).toMatchObject({ bins: 5, scoring: "quantile", map: "rf10", mapOn: "rf", n: 5 });
  });

  it("rfm() without invoice counts rows, and without asOf measures from the latest purchase + 1 day", async () => {
    const { invoice: _invoice, asOf: _asOf, ...rest } = base;
    const result = await rfm(ctx, "tx", { ...rest, bins: 2 });
    // From 2024-01-31 01:00 + 1 day: customer 4 is now 30 d 0:59:59 away, customer 1 exactly 1 day.
    // The reported asOf is the newest purchase's day (the null-id row, later that day, is left out).
    expect(result.info.asOf).toBe("2024-01-31");
    expect(pick(await result.rows(), ["cust", "recency", "frequency"])).toEqual([
      { cust: 1, recency: 1, frequency: 3 },
      { cust: 2, recency: 1, frequency: 1 },
      { cust: 3, recency: 10, frequency: 3 },
      { cust: 4, recency: 30, frequency: 1 },
      { cust: 5, recency: 61, frequency: 2 },
    ]);
  });

  it("rfm({scoring: 'quantile', bins: 2}) splits at the medians, ranks frequency first-come and scores low recency high", async () => {
    // recency [0,1,10,29,61] -> edges [0,10,61]; frequency ranks (ties by id) c2=1 c4=2 c1=3 c5=4 c3=5
    // -> edges [1,3,5]; monetary [7,35,90,100,501] -> edges [7,90,501].
    const result = await rfm(ctx, "tx", { ...base, bins: 2, map: null });
    expect(result.info.edges).toEqual({ recency: [0, 10, 61], frequency: [1, 3, 5], monetary: [7, 90, 501] });
    expect(pick(await result.rows(), ["cust", "r_score", "f_score", "m_score", "rf_code", "rfm_code"])).toEqual([
      { cust: 1, r_score: 2, f_score: 1, m_score: 1, rf_code: "21", rfm_code: "211" },
      { cust: 2, r_score: 2, f_score: 1, m_score: 2, rf_code: "21", rfm_code: "212" },
      { cust: 3, r_score: 2, f_score: 2, m_score: 1, rf_code: "22", rfm_code: "221" },
      { cust: 4, r_score: 1, f_score: 1, m_score: 1, rf_code: "11", rfm_code: "111" },
      { cust: 5, r_score: 1, f_score: 2, m_score: 2, rf_code: "12", rfm_code: "122" },
    ]);
    expect(result.columns.map((c) => c.name)).not.toContain("segment");
  });

  it("rfm({scoring: 'ntile'}) gives NTILE groups with ties broken by customer id", async () => {
    // NTILE(2) over 5 rows: 3 then 2. r orders recency desc: 5,4,3 -> 1; 2,1 -> 2.
    // f orders (frequency, id): 2,4,1 -> 1; 5,3 -> 2. m orders monetary: 4,1,3 -> 1; 2,5 -> 2.
    // So customer 3 is 1-2-1.
    const result = await rfm(ctx, "tx", { ...base, bins: 2, scoring: "ntile", map: null });
    expect(result.info.edges).toBeNull();
    expect(pick(await result.rows(), ["cust", "rfm_code"])).toEqual([
      { cust: 1, rfm_code: "211" },
      { cust: 2, rfm_code: "212" },
      { cust: 3, rfm_code: "121" },
      { cust: 4, rfm_code: "111" },
      { cust: 5, rfm_code: "122" },
    ]);
  });

  it("rfm({scoring: thresholds}) puts a value equal to a cut point in the lower group", async () => {
    const scoring = { recency: [7, 30], frequency: [1, 2], monetary: [50, 100] };
    const result = await rfm(ctx, "tx", { ...base, scoring, map: null });
    // recency 0,1 -> 3; 10,29 -> 2; 61 -> 1. frequency 1 -> 1, 2 -> 2, 3 -> 3. monetary 100 -> 2 (cut), 501 -> 3.
    expect(pick(await result.rows(), ["cust", "rfm_code"])).toEqual([
      { cust: 1, rfm_code: "321" },
      { cust: 2, rfm_code: "312" },
      { cust: 3, rfm_code: "232" },
      { cust: 4, rfm_code: "211" },
      { cust: 5, rfm_code: "123" },
    ]);
    expect(result.info.edges).toEqual(scoring);
  });

  it("rfm({map: rules}) applies the first matching rule and warns about overlaps and dead rules", async () => {
    const map = [
      { pattern: "1.", name: "lapsing" },
      { code: "22", name: "best" },
      { pattern: "2[12]", name: "active" },
      { code: "12", name: "duplicate" },
      { pattern: /9./, name: "nine" },
    ];
    const result = await rfm(ctx, "tx", { ...base, bins: 2, map });
    expect(pick(await result.rows(), ["cust", "segment"])).toEqual([
      { cust: 1, segment: "active" },
      { cust: 2, segment: "active" },
      { cust: 3, segment: "best" },
      { cust: 4, segment: "lapsing" },
      { cust: 5, segment: "lapsing" },
    ]);
    expect(result.warnings).toEqual([
      'rule 3 (pattern 2[12] -> "active") overlaps rule 2 (code "22" -> "best") on 22; the first rule wins',
      'rule 4 (code "12" -> "duplicate") overlaps rule 1 (pattern 1. -> "lapsing") on 12; the first rule wins',
      'rule 4 (code "12" -> "duplicate") never applies: earlier rules take all its codes',
      'rule 5 (pattern /9./ -> "nine") matches no possible code',
    ]);
  });

  it("rfm({map: fn, mapOn: 'rfm'}) maps RFM codes with a function and lists codes left without a segment", async () => {
    const map = (code: string) => (code.endsWith("2") ? "big spender" : null);
    const result = await rfm(ctx, "tx", { ...base, bins: 2, map, mapOn: "rfm" });
    expect(pick(await result.rows(), ["cust", "segment"])).toEqual([
      { cust: 1, segment: null },
      { cust: 2, segment: "big spender" },
      { cust: 3, segment: null },
      { cust: 4, segment: null },
      { cust: 5, segment: "big spender" },
    ]);
    expect(result.warnings).toEqual(["codes with no segment (their customers get a null segment): 111, 121, 211, 221"]);
  });

  it("rfm({map: table}) reads rules from a table with pattern, code and name columns", async () => {
    const rules = await ctx.db.query(
      `SELECT * FROM (VALUES (NULL, '22', 'best'), ('..', NULL, 'rest')) AS t(pattern, code, name)`,
    );
    const result = await rfm(ctx, "tx", { ...base, bins: 2, map: rules });
    expect((await result.rows()).map((row) => row.segment)).toEqual(["rest", "rest", "best", "rest", "rest"]);
    expect(result.warnings).toEqual([]);
  });

  it("rfm() with the default rf10 map names RF codes like the Kaggle map", async () => {
    // 5 customers, 5 bins: each is alone in its quintile. r: c1=5 c2=4 c3=3 c4=2 c5=1; f ranks: c2=1 c4=2
    // c1=3 c5=4 c3=5. Codes 53 (potential_loyalists), 41 (promising), 35 (loyal), 22 (hibernating), 14 (at_risk).
    const result = await rfm(ctx, "tx", base);
    expect(pick(await result.rows(), ["rf_code", "segment"])).toEqual([
      { rf_code: "53", segment: "potential_loyalists" },
      { rf_code: "41", segment: "promising" },
      { rf_code: "35", segment: "loyal_customers" },
      { rf_code: "22", segment: "hibernating" },
      { rf_code: "14", segment: "at_risk" },
    ]);
  });

  const sameDay: RfmOptions = { id: "cust", date: "ts", amount: "amount", asOf: "2024-01-01" };
  it.each([
    ["repeated quantile edges", "same_day", sameDay, /quantile edges of recency are not unique .*use scoring: "ntile"/],
    ["rf10 with 3 bins", "tx", { ...base, bins: 3, map: "rf10" }, /map "rf10" is defined on RF codes with 5 bins/],
    ["12 bins", "tx", { ...base, bins: 12 }, /bins must be an integer from 2 to 9/],
    [
      "thresholds of unequal lengths",
      "tx",
      { ...base, scoring: { recency: [1], frequency: [1, 2], monetary: [1] } },
      /need bins - 1 cut points/,
    ],
    [
      "a missing column",
      "tx",
      { ...base, amount: "price" },
      /unknown column "price" in table "tx"; its columns are cust, inv, ts, amount/,
    ],
    ["a bad map pattern", "tx", { ...base, map: [{ pattern: "(", name: "bad" }] }, /map rule 1 \("bad"\): bad pattern/],
    ["an unknown table", "nope", base, /no table named "nope"/],
    ["the old customer option", "tx", { ...base, customer: "cust" }, /option "customer" is now "id"/],
    [
      "asOf with a time of day",
      "tx",
      { ...base, asOf: "2024-01-31 12:00:00" },
      /asOf is a day, not a moment.*"2024-01-31"/,
    ],
  ] as const)(
    "rfm() with %s fails with a message naming the problem and the fix",
    async (_what, input, options, message) => {
      await expect(rfm(ctx, input, options as RfmOptions)).rejects.toThrow(message);
    },
  );
});
