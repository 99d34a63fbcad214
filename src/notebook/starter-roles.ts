/**
 * Which column of a data file plays which part in a segmentation: the customer id, the purchase date,
 * the amount (or quantity and unit price), the invoice, and the numeric measures worth clustering on.
 * Judged from names and DuckDB types alone (plus distinct counts when a profile gives them), so the
 * starter notebook (starter.ts) is written with the file's real columns. Pure.
 */
import { isNumericType } from "../engine/column-types.ts";

/** What the starter needs to know of a column: DuckDB's name and type, and profile figures if known. */
export interface StarterColumn {
  name: string;
  /** DuckDB type as DESCRIBE reports it, e.g. `BIGINT`, `DOUBLE`, `TIMESTAMP`, `VARCHAR`. */
  type: string;
  /** Distinct non-null values (from a profile); lets low-cardinality codes stay out of clustering. */
  distinct?: number;
  /** Null values (from a profile). */
  nulls?: number;
}

/** The columns found for each part; absent when the file has none. */
export interface ColumnRoles {
  customer?: StarterColumn;
  date?: StarterColumn;
  /** A ready amount column (revenue, sales, total, …). */
  amount?: StarterColumn;
  /** Quantity and unit price: the amount is their product. */
  quantity?: StarterColumn;
  price?: StarterColumn;
  invoice?: StarterColumn;
  /** Numeric measures to cluster on: not ids, codes, dates, quantities of a transaction file. */
  measures: StarterColumn[];
  /** Text or code columns with few values: profiled per segment as shares. */
  categories: StarterColumn[];
}

const TEMPORAL = /^(DATE|TIMESTAMP)/i;
const TEXT = /^(VARCHAR|TEXT|STRING|BOOLEAN)/i;

/** Whether a DuckDB type is a number (src/engine/column-types.ts). @example isNumericType("DECIMAL(18,3)") // true */
export { isNumericType };

/** Whether a DuckDB type is a date or timestamp. @example isTemporalType("TIMESTAMP WITH TIME ZONE") // true */
export function isTemporalType(type: string): boolean {
  return TEMPORAL.test(type.trim());
}

/** Names compared without case, spaces, `_` or `-`: `Customer ID`, `customer_id` and `CustomerID` are one. */
function squash(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.()]+/g, "");
}

const CUSTOMER = /^(customer|client|cust|user|member|account|buyer|shopper|person|household)(id|no|number|key|code)?$/;
const ID = /(^|[^a-z])id$|^id$/i;
const INVOICE = /^(invoice|order|transaction|receipt|basket|bill)(id|no|number|key)?$/;
const AMOUNT =
  /^(amount|revenue|sales|total|totalamount|spend|spent|value|ordervalue|monetary|price|totalprice|netamount|grossamount|dollars|sum)$/;
const AMOUNT_PART = /(amount|revenue|sales|spend|total)/;
/** Scores and ratios mention spend or sales without being money (`Spending Score (1-100)`). */
const NOT_MONEY = /(score|rank|rate|ratio|pct|percent|share|index)/;
const QUANTITY = /^(quantity|qty|units|count|items|numitems)$/;
const UNIT_PRICE = /^(unitprice|price|priceeach|itemprice|unitcost)$/;

/** Most distinct values for a numeric column to count as a code (channel, region, rating) rather than a measure. */
const MAX_CODE_VALUES = 10;
/** Most distinct values for a text column to be profiled as shares. */
const MAX_CATEGORY_VALUES = 20;

function first(columns: readonly StarterColumn[], test: (c: StarterColumn, key: string) => boolean) {
  return columns.find((c) => test(c, squash(c.name)));
}

/**
 * Finds the columns a starter notebook builds on.
 * @example
 * columnRoles([{name: "CustomerID", type: "DOUBLE"}, {name: "InvoiceDate", type: "TIMESTAMP"},
 *   {name: "Quantity", type: "BIGINT"}, {name: "UnitPrice", type: "DOUBLE"}])
 * // {customer: CustomerID, date: InvoiceDate, quantity: Quantity, price: UnitPrice, measures: [...], ...}
 */
export function columnRoles(columns: readonly StarterColumn[]): ColumnRoles {
  const customer =
    first(columns, (c, key) => CUSTOMER.test(key)) ??
    first(columns, (c, key) => key.includes("customer") && (ID.test(c.name) || /id$/.test(key)));
  const date =
    first(columns, (c, key) => isTemporalType(c.type) && /(date|time|day|at)$/.test(key)) ??
    first(columns, (c) => isTemporalType(c.type));
  const numeric = (c: StarterColumn) => isNumericType(c.type);
  const amount =
    first(columns, (c, key) => numeric(c) && AMOUNT.test(key) && !UNIT_PRICE.test(key)) ??
    first(columns, (c, key) => numeric(c) && AMOUNT_PART.test(key) && !NOT_MONEY.test(key));
  const quantity = first(columns, (c, key) => numeric(c) && QUANTITY.test(key));
  const price = first(columns, (c, key) => numeric(c) && UNIT_PRICE.test(key));
  const invoice = first(columns, (c, key) => c !== customer && INVOICE.test(key));

  const isId = (c: StarterColumn) => c === customer || c === invoice || ID.test(c.name) || /id$/.test(squash(c.name));
  const isCode = (c: StarterColumn) => c.distinct !== undefined && c.distinct <= MAX_CODE_VALUES;
  const measures = columns.filter((c) => numeric(c) && !isId(c) && !isCode(c));
  const categories = columns.filter(
    (c) =>
      !isId(c) &&
      ((TEXT.test(c.type) &&
        (c.distinct === undefined ? /^BOOLEAN/i.test(c.type) : c.distinct <= MAX_CATEGORY_VALUES)) ||
        (numeric(c) && isCode(c))),
  );
  return {
    ...(customer && { customer }),
    ...(date && { date }),
    ...(amount && { amount }),
    ...(quantity && !amount && price && { quantity, price }),
    ...(invoice && { invoice }),
    measures,
    categories,
  };
}

/** Whether the roles allow RFM: a customer, a date and an amount (or quantity × price). */
export function canRfm(roles: ColumnRoles): boolean {
  return Boolean(roles.customer && roles.date && (roles.amount || (roles.quantity && roles.price)));
}
