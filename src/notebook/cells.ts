import type { Cell, CellKind } from "./model.ts";

let lastId = 0;

/**
 * A new cell id, unique for this page or process ("c1", "c2", ...). Ids are live-only: they are
 * never written to the file, and every parse makes fresh ones.
 */
export function newCellId(): string {
  lastId += 1;
  return `c${lastId}`;
}

/** The optional parts of a cell that {@link createCell} accepts. */
export type CellExtras = Partial<Pick<Cell, "name" | "attrs" | "fence">>;

/** A new cell with a fresh id. Extras that are undefined are left out, so cells compare cleanly. */
export function createCell(kind: CellKind, source: string, extras: CellExtras = {}): Cell {
  const cell: Cell = { id: newCellId(), kind, source };
  if (extras.name !== undefined) cell.name = extras.name;
  if (extras.attrs !== undefined) cell.attrs = extras.attrs;
  if (extras.fence !== undefined) cell.fence = extras.fence;
  return cell;
}

/**
 * A line that splits Markdown into two cells. Serialize writes it between adjacent Markdown cells;
 * it is an HTML comment, so GitHub shows nothing.
 */
export const CELL_SPLIT_MARKER = "<!-- cell -->";
