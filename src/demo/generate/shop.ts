/**
 * The deterministic shop generator: customers with planted segments, their orders, the ground truth,
 * and a B2B slice of accounts with theirs. Rows go to a sink as they are made (a customer and its
 * orders, then the next), so ten million orders never sit in memory.
 *
 * Every customer and account draws from its own mulberry32 stream seeded from (seed, id): the same
 * seed gives byte-identical files, and customer 17 is the same customer whether 100 or 1,000,000
 * are generated. Orders come grouped by customer, then by date; order ids count up in that order.
 */
import { hashString, mulberry32 } from "../../random/index.ts";
import { generateAccount } from "./accounts.ts";
import { generateCustomer } from "./customer.ts";
import { weightedIndex } from "./draw.ts";
import { generateOrders } from "./orders.ts";
import { SEGMENTS } from "./segments.ts";
import type { ShopSink } from "./tables.ts";

/** Options of {@link generateShop}. */
export interface ShopOptions {
  /** Number of customers (about 11.6 orders each, so 870,000 customers make about 10M orders). */
  customers: number;
  /** Seed of every random draw (default 42). */
  seed?: number;
  /** Number of B2B accounts (default: a tenth of the customers, at least 20). */
  accounts?: number;
}

/** Rows written per table. */
export interface ShopCounts {
  customers: number;
  orders: number;
  accounts: number;
  accountOrders: number;
}

/** The seed the committed notebook data is generated with. */
export const DEFAULT_SHOP_SEED = 42;

const SHARES = SEGMENTS.map((s) => s.share);

function checkCount(name: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new Error(`generateShop: ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** The number of accounts generated for `customers` customers when none is given. */
export function defaultAccounts(customers: number): number {
  return Math.max(20, Math.round(customers / 10));
}

/**
 * Generates the shop into `sink`: per customer its `customers` row, its `truth` row and its `orders`;
 * then per account its `accounts` row, its `account_truth` row and its `account_orders`.
 *
 * @example
 * const counts = generateShop({ customers: 2000, seed: 42 }, { row: (table, values) => rows[table].push(values) });
 */
export function generateShop(options: ShopOptions, sink: ShopSink): ShopCounts {
  const customers = checkCount("customers", options?.customers, 1);
  const seed = checkCount("seed", options.seed ?? DEFAULT_SHOP_SEED, 0) >>> 0;
  const accounts = checkCount("accounts", options.accounts ?? defaultAccounts(customers), 0);
  let orderId = 1;
  for (let id = 1; id <= customers; ++id) {
    const random = mulberry32(hashString(`customer ${id}`, seed));
    const spec = SEGMENTS[weightedIndex(random, SHARES)]!;
    const customer = generateCustomer(random, id, spec);
    sink.row("customers", customer.values);
    sink.row("truth", [id, spec.name]);
    orderId += generateOrders(random, id, customer, spec, orderId, sink);
  }
  let accountOrderId = 1;
  for (let id = 1; id <= accounts; ++id) {
    const random = mulberry32(hashString(`account ${id}`, seed));
    accountOrderId += generateAccount(random, id, accountOrderId, sink);
  }
  return { customers, orders: orderId - 1, accounts, accountOrders: accountOrderId - 1 };
}
