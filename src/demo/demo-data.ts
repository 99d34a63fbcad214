/**
 * Small, deterministic demo data for the default notebook: customers and their orders, generated
 * from a seed so the committed CSVs can be checked against this code at any time. (The full
 * realistic generator with planted segments is a later piece of work.)
 */
import { mulberry32 } from "../random/index.ts";

/** One generated customer. */
export interface DemoCustomer {
  customer_id: number;
  gender: "female" | "male";
  age: number;
  region: string;
  channel: string;
  signup_date: string;
}

/** One generated order. */
export interface DemoOrder {
  order_id: number;
  customer_id: number;
  order_date: string;
  category: string;
  amount: number;
}

const REGIONS = ["North", "South", "East", "West"];
const CHANNELS = ["web", "store", "app"];
const CATEGORIES = ["home", "garden", "kitchen", "toys", "books"];
const DAY = 86_400_000;
const START = Date.UTC(2023, 0, 1);

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Generates `customers` customers and their orders over two years. Three behaviours are mixed in
 * (frequent big spenders, occasional buyers, one-off buyers) so segments have something to find.
 */
export function generateDemoData(customers = 400, seed = 42): { customers: DemoCustomer[]; orders: DemoOrder[] } {
  const random = mulberry32(seed);
  const people: DemoCustomer[] = [];
  const orders: DemoOrder[] = [];
  for (let id = 1; id <= customers; ++id) {
    const signup = START + Math.floor(random() * 540) * DAY;
    people.push({
      customer_id: id,
      gender: random() < 0.52 ? "female" : "male",
      age: 18 + Math.floor(random() * 57),
      region: pick(random, REGIONS),
      channel: pick(random, CHANNELS),
      signup_date: isoDate(signup),
    });
    const kind = random();
    const [count, basket] =
      kind < 0.15 ? [12 + Math.floor(random() * 20), 120] : kind < 0.6 ? [3 + Math.floor(random() * 6), 60] : [1, 35];
    const span = START + 730 * DAY - signup;
    for (let k = 0; k < count; ++k) {
      const day = signup + Math.floor(random() * (span / DAY)) * DAY;
      const amount = Math.round(basket * (0.4 + 1.2 * random()) * 100) / 100;
      orders.push({
        order_id: 0,
        customer_id: id,
        order_date: isoDate(day),
        category: pick(random, CATEGORIES),
        amount,
      });
    }
  }
  orders.sort((a, b) => a.order_date.localeCompare(b.order_date) || a.customer_id - b.customer_id);
  orders.forEach((o, i) => (o.order_id = i + 1));
  return { customers: people, orders };
}

/** Rows as CSV text with a header; values here never contain commas or quotes. */
export function toCsv<T extends object>(rows: readonly T[]): string {
  if (rows.length === 0) return "";
  const columns = Object.keys(rows[0]!) as (keyof T)[];
  const lines = [columns.join(","), ...rows.map((r) => columns.map((c) => String(r[c])).join(","))];
  return `${lines.join("\n")}\n`;
}
