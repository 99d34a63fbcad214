/**
 * The B2B slice: business accounts (industry, employees, revenue, region) and their orders, with
 * planted size segments. Firmographic notebooks segment these by what a company is (size, sector)
 * and check how that lines up with what it buys.
 *
 * | segment          | share | employees | orders / year | typical order                          |
 * | ---------------- | ----- | --------- | ------------- | -------------------------------------- |
 * | `enterprise`     | 10%   | 500+      | ~30           | large IT and furniture, contract rates |
 * | `mid_market`     | 25%   | 50-499    | ~12           | mixed, often discounted                |
 * | `small_business` | 40%   | 10-49     | ~6            | office supplies, small quantities      |
 * | `micro`          | 25%   | 1-9       | ~2.5          | a few supplies, list price             |
 */
import { dayOf, isoOf, PERIOD_DAYS } from "./calendar.ts";
import { cents, clamp, logNormal, pickWeighted, poisson, weightedIndex, type Uniform } from "./draw.ts";
import type { ShopSink } from "./tables.ts";

/** Industries with their typical revenue per employee (USD). */
const INDUSTRIES: readonly [name: string, revenuePerEmployee: number, weight: number][] = [
  ["retail", 250_000, 3],
  ["hospitality", 80_000, 2],
  ["healthcare", 150_000, 2],
  ["education", 90_000, 1.5],
  ["technology", 400_000, 2],
  ["manufacturing", 300_000, 2],
  ["professional_services", 200_000, 2.5],
  ["construction", 220_000, 1.5],
];

const REGIONS = ["North America", "Europe", "Asia Pacific", "Latin America", "Africa"];
const REGION_WEIGHTS = [40, 30, 18, 8, 4];

/** B2B product categories with median unit price (USD). */
const B2B_CATEGORIES: readonly [name: string, price: number][] = [
  ["office_supplies", 25],
  ["it_equipment", 420],
  ["furniture", 280],
  ["cleaning", 30],
  ["breakroom", 18],
  ["packaging", 40],
];

interface AccountSpec {
  name: string;
  share: number;
  employees: readonly [median: number, min: number, max: number];
  ordersPerYear: number;
  quantity: number;
  /** Category weights in B2B_CATEGORIES order. */
  categories: readonly number[];
  discountRate: number;
  discount: readonly [min: number, max: number];
}

/** The planted account segments. */
export const ACCOUNT_SEGMENTS: readonly AccountSpec[] = [
  {
    name: "enterprise",
    share: 0.1,
    employees: [2500, 500, 50_000],
    ordersPerYear: 30,
    quantity: 30,
    categories: [2, 4, 3, 2, 1.5, 1.5],
    discountRate: 0.95,
    discount: [0.12, 0.22],
  },
  {
    name: "mid_market",
    share: 0.25,
    employees: [150, 50, 499],
    ordersPerYear: 12,
    quantity: 10,
    categories: [3, 2.5, 1.5, 2, 1.5, 1.5],
    discountRate: 0.6,
    discount: [0.05, 0.12],
  },
  {
    name: "small_business",
    share: 0.4,
    employees: [20, 10, 49],
    ordersPerYear: 6,
    quantity: 4,
    categories: [5, 1.2, 0.6, 2, 2, 1.5],
    discountRate: 0.25,
    discount: [0.03, 0.08],
  },
  {
    name: "micro",
    share: 0.25,
    employees: [4, 1, 9],
    ordersPerYear: 2.5,
    quantity: 2,
    categories: [6, 0.8, 0.3, 1, 1.5, 1],
    discountRate: 0.1,
    discount: [0.02, 0.05],
  },
];

const SHARES = ACCOUNT_SEGMENTS.map((s) => s.share);
const SINCE_EARLIEST = dayOf("2015-01-01");

/**
 * Writes account `id` (its row, its truth row and its orders, ids from `firstOrderId` on) and
 * returns how many orders it wrote.
 */
export function generateAccount(random: Uniform, id: number, firstOrderId: number, sink: ShopSink): number {
  const spec = ACCOUNT_SEGMENTS[weightedIndex(random, SHARES)]!;
  const [industry, perEmployee] = pickWeighted(
    random,
    INDUSTRIES,
    INDUSTRIES.map((i) => i[2]),
  );
  const employees = Math.round(clamp(logNormal(random, spec.employees[0], 0.6), spec.employees[1], spec.employees[2]));
  const revenue = Math.round((employees * logNormal(random, perEmployee, 0.3)) / 1000) * 1000;
  const since = SINCE_EARLIEST + Math.floor(random() * (PERIOD_DAYS.end - 120 - SINCE_EARLIEST));
  sink.row("accounts", [id, isoOf(since), industry, employees, revenue, pickWeighted(random, REGIONS, REGION_WEIGHTS)]);
  sink.row("account_truth", [id, spec.name]);

  const from = Math.max(since, PERIOD_DAYS.start);
  const span = PERIOD_DAYS.end - from + 1;
  const count = Math.max(1, poisson(random, (spec.ordersPerYear * span * logNormal(random, 1, 0.3)) / 365.25));
  const days = Array.from({ length: count }, () => from + Math.floor(random() * span)).sort((a, b) => a - b);
  const weights = spec.categories;
  days.forEach((day, k) => {
    const [category, price] = pickWeighted(random, B2B_CATEGORIES, weights);
    const quantity = Math.max(1, Math.round(logNormal(random, spec.quantity, 0.5)));
    const unitPrice = cents(Math.max(1, logNormal(random, price, 0.3)));
    const discount =
      random() < spec.discountRate ? cents(spec.discount[0] + random() * (spec.discount[1] - spec.discount[0])) : 0;
    sink.row("account_orders", [
      firstOrderId + k,
      id,
      isoOf(day),
      category,
      quantity,
      unitPrice,
      discount,
      cents(quantity * unitPrice * (1 - discount)),
    ]);
  });
  return count;
}
