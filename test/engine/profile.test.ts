/**
 * profileTable (and the SQL of profile-sql.ts) on the real Mall Customers dataset and on a table
 * with dates and nulls, checked against statistics computed here in JS from every row.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { profileKind } from "../../src/engine/profile-sql.ts";
import { profileTable, type ColumnProfile } from "../../src/engine/profile.ts";
import { openDatasets } from "../helpers/datasets.ts";

let engine: Engine;

beforeAll(async () => {
  engine = await openDatasets(["mall"]);
  await engine.exec(`CREATE TABLE events AS SELECT * FROM (VALUES
    (DATE '2024-01-01', TIMESTAMP '2024-01-01 10:00:00', 'a', 1.5),
    (DATE '2024-01-03', NULL, 'b', NULL),
    (NULL, TIMESTAMP '2024-02-01 00:00:00', 'a', 'NaN'::DOUBLE),
    (DATE '2024-03-31', TIMESTAMP '2024-01-15 12:30:00', NULL, 4.5),
    (DATE '2024-01-03', TIMESTAMP '2024-01-20 08:00:00', 'c', 'inf'::DOUBLE)
  ) t(day, ts, tag, x)`);
}, 60_000);

afterAll(() => engine?.close());

/** quantile_cont's definition: linear interpolation between the closest ranks of sorted values. */
function quantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? 0) - sorted[lo]!);
}

async function rawColumn(table: string, column: string): Promise<unknown[]> {
  const result = await engine.query(`SELECT "${column}" AS v FROM "${table}"`);
  return [...result].map((row) => {
    const v = row.v as unknown;
    return typeof v === "bigint" ? Number(v) : v;
  });
}

function byName(columns: ColumnProfile[], name: string): ColumnProfile {
  const found = columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found;
}

describe("profileKind", () => {
  test.each([
    ["BIGINT", "number"],
    ["DECIMAL(18,3)", "number"],
    ["DOUBLE", "number"],
    ["DATE", "temporal"],
    ["TIMESTAMP", "temporal"],
    ["TIMESTAMP WITH TIME ZONE", "other"],
    ["VARCHAR", "text"],
    ["BOOLEAN", "text"],
    ["INTEGER[]", "other"],
  ])("profileKind(%s) is %s", (type, kind) => {
    expect(profileKind(type)).toBe(kind);
  });
});

describe("profileTable on Mall_Customers.csv", () => {
  test("profileTable matches nulls, distinct, min/max/mean/quartiles, histogram and top values computed from all rows", async () => {
    const profile = await profileTable(engine, "mall");
    expect(profile.rows).toBe(200);
    expect(profile.columns.map((c) => c.name)).toEqual([
      "CustomerID",
      "Gender",
      "Age",
      "Annual Income (k$)",
      "Spending Score (1-100)",
    ]);
    for (const name of ["Age", "Annual Income (k$)", "Spending Score (1-100)"]) {
      const values = (await rawColumn("mall", name)) as (number | null)[];
      const present = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
      const p = byName(profile.columns, name);
      expect(p.kind).toBe("number");
      expect(p.nulls).toBe(values.length - present.length);
      expect(p.distinct).toBe(new Set(present).size);
      expect(p.min).toBe(present[0]);
      expect(p.max).toBe(present.at(-1));
      expect(p.mean).toBeCloseTo(present.reduce((a, b) => a + b, 0) / present.length, 10);
      expect(p.q1).toBeCloseTo(quantile(present, 0.25), 10);
      expect(p.median).toBeCloseTo(quantile(present, 0.5), 10);
      expect(p.q3).toBeCloseTo(quantile(present, 0.75), 10);
      // Histogram: equal-width bins over [min, max], the maximum in the last bin.
      const bins = p.histogram!;
      expect(bins.length).toBe(Math.min(20, new Set(present).size));
      const lo = present[0]!;
      const width = (present.at(-1)! - lo) / bins.length;
      const counts = new Array<number>(bins.length).fill(0);
      for (const v of present) counts[Math.min(Math.floor((v - lo) / width), bins.length - 1)]!++;
      expect(bins.map((b) => b.count)).toEqual(counts);
      expect(bins[0]!.lo).toBe(lo);
      expect(bins.at(-1)!.hi).toBe(present.at(-1));
    }
    const gender = byName(profile.columns, "Gender");
    const genders = (await rawColumn("mall", "Gender")) as string[];
    const tally = new Map<string, number>();
    for (const g of genders) tally.set(g, (tally.get(g) ?? 0) + 1);
    expect(gender.kind).toBe("text");
    expect(gender.top).toEqual(
      [...tally].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([value, count]) => ({ value, count })),
    );
    expect(gender.histogram).toBeUndefined();
  });

  test("profileTable handles dates, timestamps, nulls and non-finite floats", async () => {
    const profile = await profileTable(engine, "events");
    expect(profile.rows).toBe(5);
    const day = byName(profile.columns, "day");
    expect(day).toMatchObject({ kind: "temporal", nulls: 1, nullPercent: 20, distinct: 3 });
    expect(day.min).toBe("2024-01-01");
    expect(day.max).toBe("2024-03-31");
    // Sorted days: 01-01, 01-03, 01-03, 03-31 → median halfway between the two 01-03.
    expect(day.median).toBe("2024-01-03 00:00:00");
    expect(day.histogram!.reduce((n, b) => n + b.count, 0)).toBe(4);
    const at = byName(profile.columns, "ts");
    expect(at.min).toBe("2024-01-01 10:00:00");
    expect(at.max).toBe("2024-02-01 00:00:00");
    const tag = byName(profile.columns, "tag");
    expect(tag.top).toEqual([
      { value: "a", count: 2 },
      { value: "b", count: 1 },
      { value: "c", count: 1 },
    ]);
    const x = byName(profile.columns, "x");
    expect(x.nulls).toBe(1);
    // The histogram covers the finite values only: 1.5 and 4.5.
    expect(x.histogram!.reduce((n, b) => n + b.count, 0)).toBe(2);
    expect(x.histogram![0]!.lo).toBe(1.5);
    expect(x.histogram!.at(-1)!.hi).toBe(4.5);
  });

  test("profileTable on an empty table reports zero rows and no null share", async () => {
    await engine.exec("CREATE TABLE empty_t (a INTEGER, b VARCHAR)");
    const profile = await profileTable(engine, "empty_t");
    expect(profile.rows).toBe(0);
    expect(profile.columns.map((c) => [c.name, c.nulls, c.nullPercent, c.distinct])).toEqual([
      ["a", 0, 0, 0],
      ["b", 0, 0, 0],
    ]);
    expect(profile.columns[0]!.histogram).toBeUndefined();
    expect(profile.columns[1]!.top).toEqual([]);
  });
});
