/**
 * closestName: the suggestion behind "did you mean …?" in unknown-column errors.
 */
import { expect, test } from "vitest";
import { closestName } from "../../src/format/closest-name.ts";

const columns = ["customer_id", "InvoiceDate", "amount", "Country"];

test.each([
  ["case and underscores differ", "CustomerID", "customer_id"],
  ["a typo", "amuont", "amount"],
  ["a different case", "invoicedate", "InvoiceDate"],
  ["a missing letter", "Contry", "Country"],
  ["nothing close", "revenue", undefined],
  ["a short unrelated name", "id", undefined],
])("closestName: %s", (_name, wanted, expected) => {
  expect(closestName(wanted, columns)).toBe(expected);
});
