/** The realistic shop generator with planted segments (customers, orders, B2B accounts, ground truth). */
export { generateShop, defaultAccounts, DEFAULT_SHOP_SEED, type ShopCounts, type ShopOptions } from "./shop.ts";
export { csvHeader, csvLine, generateShopCsv } from "./csv.ts";
export {
  columnsOf,
  SHOP_TABLE_NAMES,
  SHOP_TABLES,
  type CellValue,
  type ColumnType,
  type ShopSink,
  type ShopTable,
} from "./tables.ts";
export { SEGMENTS, type Activity, type SegmentSpec } from "./segments.ts";
export { ACCOUNT_SEGMENTS } from "./accounts.ts";
export { SHOP_PERIOD } from "./calendar.ts";
