/**
 * CSV text for generated rows: a header from the table schema, empty fields for nulls, fields quoted
 * only when they hold a comma, quote or line break. Also the all-in-memory variant for small shops.
 */
import { generateShop, type ShopOptions } from "./shop.ts";
import { columnsOf, SHOP_TABLE_NAMES, type CellValue, type ShopTable } from "./tables.ts";

function field(value: CellValue): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line (with its "\n") for a row. */
export function csvLine(values: readonly CellValue[]): string {
  let line = field(values[0] ?? null);
  for (let i = 1; i < values.length; ++i) line += `,${field(values[i]!)}`;
  return `${line}\n`;
}

/** The header line of a table's CSV file. */
export function csvHeader(table: ShopTable): string {
  return `${columnsOf(table).join(",")}\n`;
}

/**
 * Generates a shop and returns each table as CSV text: for sizes that fit in memory (tests, the
 * committed notebook data). Large shops go through `segbook generate`, which streams to files.
 *
 * @example
 * const files = generateShopCsv({ customers: 2000, seed: 42 });
 * files.orders.split("\n")[0]; // "order_id,customer_id,order_date,…"
 */
export function generateShopCsv(options: ShopOptions): Record<ShopTable, string> {
  const parts = Object.fromEntries(SHOP_TABLE_NAMES.map((t) => [t, [csvHeader(t)]])) as Record<ShopTable, string[]>;
  generateShop(options, { row: (table, values) => parts[table].push(csvLine(values)) });
  return Object.fromEntries(SHOP_TABLE_NAMES.map((t) => [t, parts[t].join("")])) as Record<ShopTable, string>;
}
