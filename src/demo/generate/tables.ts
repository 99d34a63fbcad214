/**
 * The generated tables and their columns, in file order. One schema serves the CSV writer (header
 * line) and the Parquet writer (column types), so both formats hold the same data.
 */

/** Column value types; `date` values are "YYYY-MM-DD" strings, `bigint` ones may pass 2^31 (still JS numbers). */
export type ColumnType = "int" | "bigint" | "double" | "string" | "bool" | "date";

/** A value in a generated row; null is an empty CSV field / a Parquet null. */
export type CellValue = string | number | boolean | null;

/** The tables the generator writes, each to `<name>.csv` or `<name>.parquet`. */
export const SHOP_TABLES = {
  customers: {
    customer_id: "int",
    signup_date: "date",
    age: "int",
    gender: "string",
    income_band: "string",
    education: "string",
    occupation: "string",
    household_size: "int",
    country: "string",
    region: "string",
    city: "string",
    hemisphere: "string",
    urban_rural: "string",
    acquisition_channel: "string",
    device: "string",
    os: "string",
    browser: "string",
    app_user: "bool",
    email: "string",
    email_consent: "bool",
    sms_consent: "bool",
    survey_respondent: "bool",
    price_sensitivity: "int",
    eco_conscious: "int",
    brand_loyalty: "int",
    convenience: "int",
    novelty: "int",
    top_interest: "string",
    primary_need: "string",
  },
  orders: {
    order_id: "int",
    customer_id: "int",
    order_date: "date",
    channel: "string",
    category: "string",
    quantity: "int",
    unit_price: "double",
    discount: "double",
    amount: "double",
    returned: "bool",
  },
  truth: { customer_id: "int", true_segment: "string" },
  accounts: {
    account_id: "int",
    customer_since: "date",
    industry: "string",
    employees: "int",
    annual_revenue: "bigint",
    region: "string",
  },
  account_orders: {
    order_id: "int",
    account_id: "int",
    order_date: "date",
    category: "string",
    quantity: "int",
    unit_price: "double",
    discount: "double",
    amount: "double",
  },
  account_truth: { account_id: "int", true_segment: "string" },
} as const satisfies Record<string, Record<string, ColumnType>>;

/** The name of a generated table. */
export type ShopTable = keyof typeof SHOP_TABLES;

/** Table names in the order the files are listed. */
export const SHOP_TABLE_NAMES = Object.keys(SHOP_TABLES) as ShopTable[];

/** Column names of a table, in file order. */
export function columnsOf(table: ShopTable): string[] {
  return Object.keys(SHOP_TABLES[table]);
}

/** Receives generated rows, each a list of values in the table's column order. */
export interface ShopSink {
  row(table: ShopTable, values: readonly CellValue[]): void;
}
