/**
 * seg.migration and seg.compareLabels on hand-checkable snapshots, their errors (duplicate and null
 * ids, label clashes), and seg.charts.migration drawn in Node with linkedom's document.
 */
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { migrationChart } from "../../src/seg/charts-migration.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { compareLabels, migration } from "../../src/seg/migration.ts";
import { segContext } from "../helpers/datasets.ts";

let engine: Engine;
let ctx: SegContext;

beforeAll(async () => {
  engine = await createNodeEngine();
  ctx = segContext(engine);
  // q1: 1-4 in A, 5-7 in B, 8 in C. q2: 1-3 stay A, 4 -> B, 5 -> A, 6-7 stay B, 8 gone, 9 and 10 new (A, C).
  await engine.exec(`
    CREATE TABLE q1 AS SELECT * FROM (VALUES (1,'A'),(2,'A'),(3,'A'),(4,'A'),(5,'B'),(6,'B'),(7,'B'),(8,'C')) t(id, seg);
    CREATE TABLE q2 AS SELECT * FROM (VALUES (1,'A'),(2,'A'),(3,'A'),(4,'B'),(5,'A'),(6,'B'),(7,'B'),(9,'A'),(10,'C')) t(id, cluster);
    CREATE TABLE dup AS SELECT * FROM (VALUES (1,'A'),(2,'A'),(2,'B'),(3,'B'),(3,'B'),(3,'A')) t(id, seg);
    CREATE TABLE nullid AS SELECT * FROM (VALUES (1,'A'),(NULL,'A')) t(id, seg);
    CREATE TABLE newseg AS SELECT * FROM (VALUES (1,'new'),(2,'A')) t(id, seg);
  `);
});

afterAll(async () => {
  await engine?.close();
});

describe("seg.migration", () => {
  it("counts moves, new and gone customers with row shares", async () => {
    const m = await migration(ctx, "q1", { after: "q2", id: "id", segment: { before: "seg", after: "cluster" } });
    expect(m.info.from).toEqual(["A", "B", "C", "new"]);
    expect(m.info.to).toEqual(["A", "B", "C", "gone"]);
    expect(m.info.counts).toEqual([
      [3, 1, 0, 0],
      [1, 2, 0, 0],
      [0, 0, 0, 1],
      [1, 0, 1, 0],
    ]);
    expect([m.info.both, m.info.stayed, m.info.stayedShare, m.info.new, m.info.gone]).toEqual([7, 5, 5 / 7, 2, 1]);
    const rows = await m.rows();
    expect(rows).toHaveLength(4 * 4 - 1); // every cell but new -> gone
    expect(rows.slice(0, 4)).toEqual([
      { from: "A", to: "A", count: 3, row_share: 0.75 },
      { from: "A", to: "B", count: 1, row_share: 0.25 },
      { from: "A", to: "C", count: 0, row_share: 0 },
      { from: "A", to: "gone", count: 0, row_share: 0 },
    ]);
    expect(rows.filter((r) => r.from === "new")).toEqual([
      { from: "new", to: "A", count: 1, row_share: 0.5 },
      { from: "new", to: "B", count: 0, row_share: 0 },
      { from: "new", to: "C", count: 1, row_share: 0.5 },
    ]);
  });

  it("leaves out new and gone when every customer is in both snapshots", async () => {
    const m = await migration(ctx, "q1", { after: "q1", id: "id", segment: "seg" });
    expect([m.info.from, m.info.to, m.info.stayedShare, m.info.new, m.info.gone]).toEqual([
      ["A", "B", "C"],
      ["A", "B", "C"],
      1,
      0,
      0,
    ]);
  });

  it.each([
    ["dup", "q2", /the before table "dup" has 2 duplicate ids in "id" \(e\.g\. 3\)/],
    ["q1", "nullid", /the after table "nullid" has 1 null ids/],
    ["newseg", "q1", /"new" is a segment in the before table/],
  ])("seg.migration(%s, %s) fails clearly", async (before, after, message) => {
    await expect(migration(ctx, before, { after: after, id: "id", segment: "seg" })).rejects.toThrow(message);
  });

  it("rejects unknown columns and missing options", async () => {
    await expect(migration(ctx, "q1", { after: "q2", id: "id", segment: "seg" })).rejects.toThrow(
      /unknown column "seg"/,
    );
    await expect(migration(ctx, "q1", { after: "q2" } as never)).rejects.toThrow(/pass \{id:/);
  });
});

describe("seg.compareLabels", () => {
  it("gives the adjusted Rand index over the shared ids", async () => {
    const same = await compareLabels(ctx, "q1", { after: "q1", id: "id", segment: "seg" });
    expect(same.info).toEqual({ ari: 1, both: 8, onlyBefore: 0, onlyAfter: 0 });
    expect(await same.rows()).toEqual([
      // q1: 1-4 in A, 5-7 in B, 8 in C.
      { before: "A", after: "A", count: 4 },
      { before: "B", after: "B", count: 3 },
      { before: "C", after: "C", count: 1 },
    ]);
    const moved = await compareLabels(ctx, "q1", {
      after: "q2",
      id: "id",
      segment: { before: "seg", after: "cluster" },
    });
    expect([moved.info.both, moved.info.onlyBefore, moved.info.onlyAfter]).toEqual([7, 1, 2]);
    // ids 1-7: before A A A A B B B, after A A A B A B B; contingency [[3,1],[1,2]], sklearn gives this value.
    const pairs = (n: number) => (n * (n - 1)) / 2;
    const index = pairs(3) + pairs(1) + pairs(1) + pairs(2);
    const expectedIndex = ((pairs(4) + pairs(3)) * (pairs(4) + pairs(3))) / pairs(7);
    const max = (pairs(4) + pairs(3) + pairs(4) + pairs(3)) / 2;
    expect(moved.info.ari).toBeCloseTo((index - expectedIndex) / (max - expectedIndex), 12);
  });
});

describe("seg.charts.migration", () => {
  it("draws one labelled cell per from x to pair", async () => {
    const document = parseHTML("<!doctype html><html><body></body></html>").document as unknown as Document;
    const m = await migration(ctx, "q1", { after: "q2", id: "id", segment: { before: "seg", after: "cluster" } });
    const chart = (await migrationChart(m, { document })) as unknown as Element;
    expect(chart.querySelectorAll("rect").length).toBeGreaterThanOrEqual(15);
    const labels = [...chart.querySelectorAll("text")].map((t) => t.textContent);
    for (const label of ["A", "B", "C", "new", "gone", "3", "2"]) expect(labels).toContain(label);
    await expect(migrationChart([{ a: 1 }], { document })).rejects.toThrow(/rows have no "from"/);
  });
});
