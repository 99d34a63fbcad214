/**
 * Fixed sizes of the data grid. Rows have one fixed height (the virtual scroll math needs it);
 * columns get a width from their type and header text, so no row ever has to be measured.
 */
import type { ColumnInfo } from "../../engine/engine.ts";
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

/** The CSS `grid-template-columns` of every grid line: row number, then each column. */
export function gridTemplate(columns: readonly ColumnInfo[], numRows: number): string {
  return [rowNumberWidth(numRows), ...columns.map(columnWidth)].map((w) => `${w}px`).join(" ");
}

/** Total width of a grid line in CSS pixels. */
export function gridWidth(columns: readonly ColumnInfo[], numRows: number): number {
  return columns.reduce((sum, c) => sum + columnWidth(c), rowNumberWidth(numRows));
}
