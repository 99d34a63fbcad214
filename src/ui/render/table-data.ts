/**
 * What the data grid needs to know of the tables a cell can produce: whether a value is a bare Arrow
 * table (the result of an unnamed statement that is not a query), and the exact text of a cell.
 */
import { exactText } from "../../format/format-value.ts";

export { isArrowTable } from "../../engine/is-arrow-table.ts";

/**
 * Exact text of one table cell (every digit; for Copy, CSV and filters). What the grid shows is
 * formatValue's text (src/format/format-value.ts).
 * @example formatCell(0.36399217) // => "0.36399217"
 */
export const formatCell = exactText;
