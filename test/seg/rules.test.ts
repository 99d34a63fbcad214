/**
 * seg.segments and seg.overlap on five hand-made customers and their orders (asOf "2024-03-31", so
 * ages count from its end, 2024-04-01 00:00). Event ages in whole days:
 *   customer 1: 0, 12, 29 (03-02 00:00:01), 30 (03-02 00:00)  -> 3 orders in the last 30 days
 *   customer 2: 7, 77                                          -> an order 60..90 days ago
 *   customer 3: 61                                             -> an order 60..90 days ago
 *   customer 4: 2, 3, 60                                       -> 2 orders in the last 30 days
 *   customer 5: none
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { overlap } from "../../src/seg/overlap.ts";
import { segments } from "../../src/seg/rules.ts";
import type { EventRule, SegmentDefinition } from "../../src/seg/rules.ts";
import { segmentColumnOf } from "../../src/seg/seg-result.ts";
import { segContext } from "../helpers/datasets.ts";

let engine: Engine;
let ctx: SegContext;
const events: EventRule["events"] = { table: "orders", id: "id", date: "ts", amount: "amount" };
const asOf = "2024-03-31";

const definitions: SegmentDefinition[] = [
  {
    name: "vip",
    where: {
      all: [
        { column: "monetary", op: ">=", value: 1000 },
        { column: "country", op: "in", value: ["UK", "DE"] },
      ],
    },
  },
  { name: "active", where: { events, count: { atLeast: 2 }, within: { days: 30 } } },
  { name: "lapsing", where: { events, count: { atMost: 0 }, within: { between: [60, 90] } } },
  { name: "no_email", where: "email IS NULL" },
];

beforeAll(async () => {
  engine = await createNodeEngine();
  ctx = segContext(engine);
  await engine.exec(`CREATE TABLE customers AS SELECT * FROM (VALUES
    (1, 'UK', 5000, 'a@x'), (2, 'DE', 200, NULL), (3, 'UK', 50, 'c@x'), (4, 'FR', 1200, 'd@x'), (5, NULL, 0, NULL)
  ) AS t(id, country, monetary, email)`);
  await engine.exec(`CREATE TABLE orders AS SELECT id, CAST(ts AS TIMESTAMP) AS ts, amount FROM (VALUES
    (1, '2024-03-31 12:00:00', 10), (1, '2024-03-20 00:00:00', 20), (1, '2024-03-02 00:00:00', 30), (1, '2024-03-02 00:00:01', 40),
    (2, '2024-03-25 00:00:00', 1), (2, '2024-01-15 00:00:00', 1),
    (3, '2024-01-31 00:00:00', 1),
    (4, '2024-03-30 00:00:00', 100), (4, '2024-03-29 00:00:00', 200), (4, '2024-02-01 00:00:00', 5)
  ) AS t(id, ts, amount)`);
});

afterAll(async () => {
  await engine?.close();
});

const column = async (table: { rows(): Promise<Record<string, unknown>[]> }, name: string) =>
  (await table.rows()).sort((a, b) => Number(a.id) - Number(b.id)).map((row) => row[name]);

describe("segments(ctx, table, {definitions, ...options})", () => {
  it("segments() exclusive: the first matching definition wins and the rest are 'other'", async () => {
    const result = await segments(ctx, "customers", { definitions, asOf });
    // 1 is vip (also active and lapsing); 4 active; 5 lapsing (also no_email); 2 no_email; 3 nothing.
    expect(await column(result, "segment")).toEqual(["vip", "no_email", "other", "active", "lapsing"]);
    expect(result.columns.map((c) => c.name)).toEqual(["id", "country", "monetary", "email", "segment"]);
    expect(segmentColumnOf(result)).toBe("segment");
    expect(result.info.sizes).toEqual([
      { segment: "vip", matches: 1, assigned: 1 },
      { segment: "active", matches: 2, assigned: 1 },
      { segment: "lapsing", matches: 2, assigned: 1 },
      { segment: "no_email", matches: 2, assigned: 1 },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it("segments({exclusive: false}) adds one boolean column per segment, null conditions counting as false", async () => {
    const result = await segments(ctx, "customers", { definitions, asOf, exclusive: false });
    expect(await column(result, "vip")).toEqual([true, false, false, false, false]);
    expect(await column(result, "active")).toEqual([true, false, false, true, false]);
    expect(await column(result, "lapsing")).toEqual([true, false, false, false, true]);
    expect(await column(result, "no_email")).toEqual([false, true, false, false, true]);
  });

  it("segments() with an object of definitions, {any}, {not}, between and is null", async () => {
    const result = await segments(ctx, "customers", {
      definitions: {
        mid: {
          any: [
            { column: "monetary", op: "between", value: [100, 1500] },
            { column: "country", op: "is null" },
          ],
        },
        // NOT (country = 'UK') is NULL for customer 5: not a match, so 5 falls through to other.
        abroad: { not: { column: "country", op: "=", value: "UK" } },
      },
      other: "rest",
      as: "group",
    });
    expect(await column(result, "group")).toEqual(["rest", "mid", "rest", "mid", "mid"]);
    expect(result.warnings).toEqual(['segment "abroad" matches 2 rows but earlier segments take all of them']);
  });

  it("segments() event rules: summed amounts, and the reference date defaulting to the latest event + 1 day", async () => {
    const spend = await segments(ctx, "customers", {
      definitions: [{ name: "spender", where: { events, amount: { atLeast: 100 }, within: { days: 30, of: asOf } } }],
      exclusive: false,
    });
    expect(spend.info.asOf).toBeNull(); // the rule names its own day; no call-wide asOf was used
    // Last 30 days: customer 1 spent 10 + 20 + 40 = 70, customer 4 spent 300.
    expect(await column(spend, "spender")).toEqual([false, false, false, true, false]);
    const rule = { events, count: { atLeast: 3 }, within: { days: 30 } };
    const explicit = await segments(ctx, "customers", {
      definitions: [{ name: "busy", where: rule }],
      asOf,
      exclusive: false,
    });
    expect(await column(explicit, "busy")).toEqual([true, false, false, false, false]);
    // Reference 2024-04-01 12:00: customer 1's orders of 03-02 are now 30 days old, leaving 2.
    const latest = await segments(ctx, "customers", { definitions: [{ name: "busy", where: rule }], exclusive: false });
    expect(latest.info).toEqual({
      sizes: [{ segment: "busy", matches: 0, assigned: 0 }],
      exclusive: false,
      asOf: "2024-03-31",
    });
    expect(await column(latest, "busy")).toEqual([false, false, false, false, false]);
    expect(latest.warnings).toEqual(['segment "busy" matches no row']);
  });

  it.each([
    [
      "invalid SQL",
      [{ name: "bad", where: "monetary >>> 3" }],
      {},
      /segment "bad": invalid SQL condition "monetary >>> 3"/,
    ],
    ["an unknown column", [{ name: "x", where: { column: "age", op: ">", value: 3 } }], {}, /unknown column "age"/],
    [
      "an unknown op",
      [{ name: "x", where: { column: "monetary", op: "~", value: 3 } }],
      {},
      /segment "x": unknown op "~"/,
    ],
    [
      "a name used twice",
      [
        { name: "a", where: "true" },
        { name: "a", where: "false" },
      ],
      {},
      /"a" is used twice/,
    ],
    ["the other label as a name", [{ name: "other", where: "true" }], {}, /both a segment and the catch-all label/],
    [
      "an event rule without a key column",
      [{ name: "e", where: { events: { ...events, id: "cust" }, within: { days: 3 } } }],
      {},
      /unknown column "cust" in table "orders"/,
    ],
    [
      "a taken column name",
      [{ name: "country", where: "true" }],
      { exclusive: false },
      /already has column\(s\) country/,
    ],
    [
      "the old events.customer key",
      [{ name: "e", where: { events: { table: "orders", customer: "id", date: "ts" }, within: { days: 3 } } }],
      {},
      /the key "customer" is now "id"/,
    ],
    [
      "a reference day with a time",
      [{ name: "e", where: { events, within: { days: 3 } } }],
      { asOf: "2024-03-31 12:00" },
      /asOf is a day, not a moment/,
    ],
  ] as const)("segments() with %s fails with a message naming it", async (_what, defs, options, message) => {
    await expect(
      segments(ctx, "customers", { definitions: defs as unknown as SegmentDefinition[], ...options }),
    ).rejects.toThrow(message);
  });

  it("segments(table, definitions) with the definitions as a second argument says to pass one options object", async () => {
    await expect(segments(ctx, "customers", definitions as never)).rejects.toThrow(/pass one options object/);
  });
});

describe("overlap(ctx, table, {segments})", () => {
  it("overlap() counts sizes and pairwise intersections of boolean segment columns", async () => {
    const flags = await segments(ctx, "customers", { definitions, asOf, exclusive: false });
    const result = await overlap(ctx, flags, { segments: ["vip", "active", "lapsing", "no_email"] });
    expect(result.info.sizes).toEqual([1, 2, 2, 2]);
    expect(result.info.matrix).toEqual([
      [1, 1, 1, 0],
      [1, 2, 1, 0],
      [1, 1, 2, 1],
      [0, 0, 1, 2],
    ]);
    expect(await result.rows()).toEqual([
      { segment: "vip", size: 1, vip: 1, active: 1, lapsing: 1, no_email: 0 },
      { segment: "active", size: 2, vip: 1, active: 2, lapsing: 1, no_email: 0 },
      { segment: "lapsing", size: 2, vip: 1, active: 1, lapsing: 2, no_email: 1 },
      { segment: "no_email", size: 2, vip: 0, active: 0, lapsing: 1, no_email: 2 },
    ]);
    // Without a list, every BOOLEAN column is a segment.
    expect((await overlap(ctx, flags)).info.segments).toEqual(["vip", "active", "lapsing", "no_email"]);
  });

  it("overlap() without boolean columns asks for {segments}", async () => {
    await expect(overlap(ctx, "customers")).rejects.toThrow(/pass \{segments: \["<boolean column>"/);
  });
});
