/**
 * measuredWidths: columns fit the widest formatted value or header of the first page, within bounds.
 * The measure is a fixed 7 px per character here (the page uses a canvas in the grid's font).
 */
import { expect, test } from "vitest";
import { MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH, measuredWidths } from "../../../src/ui/grid/grid-layout.ts";

const measure = (text: string) => text.length * 7;

test("measuredWidths fits formatted values, not raw ones", () => {
  const columns = [{ name: "share", type: "DOUBLE" }];
  // 0.36399217462 shows as 0.363992 (8 characters): the column fits that, not the 13 raw digits.
  const [width] = measuredWidths(columns, [{ share: 0.36399217462 }], measure);
  expect(width).toBe(Math.ceil(8 * 7 + 16));
});

test("measuredWidths takes the widest of header, type and values", () => {
  const columns = [
    { name: "InvoiceDate", type: "TIMESTAMP" },
    { name: "a_rather_long_column_name", type: "BIGINT" },
    { name: "x", type: "TIMESTAMP WITH TIME ZONE" },
  ];
  const rows = [{ InvoiceDate: new Date("2010-12-01T08:26:00Z"), a_rather_long_column_name: 1, x: null }];
  const [date, long, tz] = measuredWidths(columns, rows, measure);
  expect(date).toBe("2010-12-01 08:26".length * 7 + 16);
  expect(long).toBe("a_rather_long_column_name".length * 7 + 16 + 16);
  expect(tz).toBe("TIMESTAMP WITH TIME ZONE".length * 7 + 16);
});

test("measuredWidths keeps widths between the minimum and the maximum", () => {
  const columns = [
    { name: "b", type: "BOOL" },
    { name: "text", type: "VARCHAR" },
  ];
  const [narrow, wide] = measuredWidths(columns, [{ b: true, text: "x".repeat(500) }], measure);
  expect(narrow).toBe(MIN_COLUMN_WIDTH);
  expect(wide).toBe(MAX_COLUMN_WIDTH);
});
