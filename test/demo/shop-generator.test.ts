/**
 * The shop generator: the committed notebook data is exactly its output, it is deterministic per
 * seed, and the planted segments show in the rows the way segments.ts documents them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import {
  columnsOf,
  DEFAULT_SHOP_SEED,
  generateShop,
  generateShopCsv,
  SEGMENTS,
  SHOP_TABLE_NAMES,
  type CellValue,
  type ShopTable,
} from "../../src/demo/index.ts";

const committed = path.resolve(import.meta.dirname, "../../notebooks/data/shop");
/** The size the committed files were generated with: `segbook generate --customers 2000 --seed 42`. */
const COMMITTED = { customers: 2000, seed: DEFAULT_SHOP_SEED };

type Rows = Record<ShopTable, Record<string, CellValue>[]>;

function collect(customers: number, seed: number): Rows {
  const rows = Object.fromEntries(SHOP_TABLE_NAMES.map((t) => [t, []])) as unknown as Rows;
  generateShop(
    { customers, seed },
    {
      row(table, values) {
        const columns = columnsOf(table);
        rows[table].push(Object.fromEntries(columns.map((c, i) => [c, values[i]!])));
      },
    },
  );
  return rows;
}

const shop = collect(COMMITTED.customers, COMMITTED.seed);
const files = generateShopCsv(COMMITTED);

describe("generateShopCsv", () => {
  test.each(SHOP_TABLE_NAMES)(
    "generateShopCsv(2000 customers, seed 42) reproduces notebooks/data/shop/%s.csv",
    (table) => {
      expect(files[table] === readFileSync(path.join(committed, `${table}.csv`), "utf8")).toBe(true);
    },
  );

  test("generateShopCsv(options) is deterministic per seed", () => {
    expect(generateShopCsv({ customers: 50, seed: 7 })).toEqual(generateShopCsv({ customers: 50, seed: 7 }));
    expect(generateShopCsv({ customers: 50, seed: 7 }).orders).not.toBe(
      generateShopCsv({ customers: 50, seed: 8 }).orders,
    );
  });

  test("generateShopCsv keeps customer k the same whatever the number of customers", () => {
    const small = generateShopCsv({ customers: 30, seed: 3, accounts: 0 });
    const large = generateShopCsv({ customers: 60, seed: 3, accounts: 0 });
    expect(large.customers.startsWith(small.customers)).toBe(true);
    expect(large.orders.startsWith(small.orders)).toBe(true);
  });
});

describe("generateShop", () => {
  test.each([
    [{ customers: 0 }, /customers must be an integer >= 1, got 0/],
    [{ customers: 1.5 }, /customers must be an integer >= 1, got 1.5/],
    [{ customers: 10, seed: -1 }, /seed must be an integer >= 0, got -1/],
  ])("generateShop(%j) fails naming the option", (options, message) => {
    expect(() => generateShop(options, { row: () => {} })).toThrow(message);
  });

  test("generateShop returns the row counts it wrote", () => {
    const counts = generateShop(COMMITTED, { row: () => {} });
    expect(counts).toEqual({
      customers: shop.customers.length,
      orders: shop.orders.length,
      accounts: shop.accounts.length,
      accountOrders: shop.account_orders.length,
    });
    expect(shop.truth.length).toBe(shop.customers.length);
    expect(shop.account_truth.length).toBe(shop.accounts.length);
  });

  test("generateShop plants every segment at about its documented share", () => {
    const counts = new Map<string, number>();
    for (const row of shop.truth)
      counts.set(row.true_segment as string, (counts.get(row.true_segment as string) ?? 0) + 1);
    for (const spec of SEGMENTS) {
      expect(Math.abs(counts.get(spec.name)! / shop.truth.length - spec.share), spec.name).toBeLessThan(0.03);
    }
  });

  test("generateShop: orders stay in 2023-2024, lapsed customers stop by March 2024, new explorers start after signup", () => {
    const segmentOf = new Map(shop.truth.map((r) => [r.customer_id, r.true_segment]));
    const signup = new Map(shop.customers.map((r) => [r.customer_id, r.signup_date as string]));
    for (const order of shop.orders) {
      const date = order.order_date as string;
      expect(date >= "2023-01-01" && date <= "2024-12-31").toBe(true);
      const segment = segmentOf.get(order.customer_id);
      if (segment === "lapsed") expect(date < "2024-03-01").toBe(true);
      if (segment === "new_explorers") expect(date >= signup.get(order.customer_id)!).toBe(true);
      expect(order.amount).toBeCloseTo(
        (order.quantity as number) * (order.unit_price as number) * (1 - (order.discount as number)),
        1,
      );
    }
    expect(new Set(shop.orders.map((o) => o.customer_id)).size).toBe(shop.customers.length);
  });

  test("generateShop: survey answers exist exactly for respondents (about 40%), e-mail consent only with an e-mail", () => {
    const attitudes = [
      "price_sensitivity",
      "eco_conscious",
      "brand_loyalty",
      "convenience",
      "novelty",
      "top_interest",
      "primary_need",
    ];
    let respondents = 0;
    for (const c of shop.customers) {
      if (c.survey_respondent) respondents++;
      for (const a of attitudes) expect(c[a] === null, `${a} of customer ${c.customer_id}`).toBe(!c.survey_respondent);
      if (c.email === null) expect(c.email_consent).toBe(false);
      else expect(c.email).toMatch(/^[a-z]+\.[a-z]+\d+@example\.com$/);
    }
    expect(respondents / shop.customers.length).toBeGreaterThan(0.33);
    expect(respondents / shop.customers.length).toBeLessThan(0.47);
  });

  test("generateShop: garden demand peaks in local summer, so six months apart by hemisphere", () => {
    const hemisphere = new Map(shop.customers.map((c) => [c.customer_id, c.hemisphere]));
    const garden = { north: new Array(12).fill(0), south: new Array(12).fill(0) };
    for (const o of shop.orders) {
      if (o.category !== "garden_outdoor") continue;
      garden[hemisphere.get(o.customer_id) as "north" | "south"][Number((o.order_date as string).slice(5, 7)) - 1]++;
    }
    const peak = (counts: number[]) => counts.indexOf(Math.max(...counts));
    expect([4, 5, 6, 7]).toContain(peak(garden.north)); // May-August
    expect([10, 11, 0, 1]).toContain(peak(garden.south)); // November-February
  });

  test("generateShop: accounts grow with their planted size segment", () => {
    const employees = new Map(shop.accounts.map((a) => [a.account_id, a.employees as number]));
    const bounds: Record<string, [number, number]> = {
      enterprise: [500, 50_000],
      mid_market: [50, 499],
      small_business: [10, 49],
      micro: [1, 9],
    };
    for (const row of shop.account_truth) {
      const [lo, hi] = bounds[row.true_segment as string]!;
      const n = employees.get(row.account_id)!;
      expect(n >= lo && n <= hi, `${row.true_segment} with ${n} employees`).toBe(true);
    }
  });
});
