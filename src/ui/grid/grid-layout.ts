/**
 * Sizes of the data grid. Rows have one fixed height (the virtual scroll math needs it). Columns
 * start with a width estimated from their type and header, then take the width of their content once
 * the first page has arrived ({@link measuredWidths}: the widest formatted value or header, within
 * sane bounds), and keep it while scrolling, so nothing jumps and no ordinary value is cut off.
 */
import type { ColumnInfo } from "../../engine/engine.ts";
import { formatValue } from "../../format/format-value.ts";
import { typeFamily, type TypeFamily } from "./grid-filter.ts";

/** Height of one row in CSS pixels (matches the grid's line height and padding). */
export const ROW_HEIGHT = 26;

/** Rows drawn above and below the visible ones, so a small scroll never shows a blank row. */
export const OVERSCAN = 8;

/** Rows the grid is tall at most before it scrolls. */
export const MAX_VISIBLE_ROWS = 14;

const BASE_WIDTH: Record<TypeFamily, number> = { number: 96, date: 100, timestamp: 170, boolean: 76, text: 180 };

/** Width in CSS pixels of a column: enough for typical values of its type and for its header. */
export function columnWidth(column: ColumnInfo): number {
  // Header: the name (~7.5 px a character at 13 px), or the type below it, plus padding and sort mark.
  const header = Math.max(column.name.length * 7.5, column.type.length * 6.5) + 34;
  return Math.round(Math.min(320, Math.max(BASE_WIDTH[typeFamily(column.type)], header)));
}

/** Width of the row-number column for up to `numRows` rows (digits plus thousands separators). */
export function rowNumberWidth(numRows: number): number {
  return Math.max(40, numRows.toLocaleString("en-US").length * 8 + 16);
}

/** Narrowest and widest a measured column gets, in CSS pixels (wider text is cut with an ellipsis). */
export const MIN_COLUMN_WIDTH = 56;
export const MAX_COLUMN_WIDTH = 480;

/** Horizontal padding of a cell (0.4rem each side) plus a pixel or two for rounding. */
const CELL_PADDING = 16;
/** Room for the sort mark (` ▲`) after a header's name. */
const SORT_MARK = 16;

/** Width in CSS pixels of `text` in one of the grid's fonts (a canvas in the page; a stub in tests). */
export type MeasureText = (text: string, font: "cell" | "header" | "type") => number;

/**
 * Column widths that fit the content: for each column the widest of its header name (with the sort
 * mark), its type, its filter box's placeholder and the formatted values of `rows`, plus padding, between {@link MIN_COLUMN_WIDTH}
 * and {@link MAX_COLUMN_WIDTH}.
 * @example measuredWidths(columns, firstPage, (text) => text.length * 7)
 */
export function measuredWidths(
  columns: readonly ColumnInfo[],
  rows: readonly Record<string, unknown>[],
  measure: MeasureText,
  placeholder: (type: string) => string = () => "",
): number[] {
  return columns.map((column) => {
    let widest = Math.max(
      measure(column.name, "header") + SORT_MARK,
      measure(column.type, "type"),
      // The filter box's hint (e.g. "> 2020-01-31"), plus the box's own padding and border.
      measure(placeholder(column.type), "type") + 12,
    );
    for (const row of rows) {
      const text = formatValue(row[column.name], { type: column.type, column: column.name });
      widest = Math.max(widest, measure(text, "cell"));
    }
    return Math.ceil(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, widest + CELL_PADDING)));
  });
}

/** The CSS `grid-template-columns` of every grid line: row number, then each column's width. */
export function gridTemplate(widths: readonly number[], numRows: number): string {
  return [rowNumberWidth(numRows), ...widths].map((w) => `${w}px`).join(" ");
}

/** Total width of a grid line in CSS pixels. */
export function gridWidth(widths: readonly number[], numRows: number): number {
  return widths.reduce((sum, w) => sum + w, rowNumberWidth(numRows));
}
