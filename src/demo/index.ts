/** Deterministic demo data: the small set behind welcome.md and the realistic shop generator. */
export { generateDemoData, toCsv, type DemoCustomer, type DemoOrder } from "./demo-data.ts";
export {
  ACCOUNT_SEGMENTS,
  columnsOf,
  csvHeader,
  csvLine,
  DEFAULT_SHOP_SEED,
  defaultAccounts,
  generateShop,
  generateShopCsv,
  SEGMENTS,
  SHOP_PERIOD,
  SHOP_TABLE_NAMES,
  SHOP_TABLES,
  type Activity,
  type CellValue,
  type ColumnType,
  type SegmentSpec,
  type ShopCounts,
  type ShopOptions,
  type ShopSink,
  type ShopTable,
} from "./generate/index.ts";
