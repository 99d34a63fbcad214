/**
 * Cell operations as pure functions over the cells array: each returns a new array and never changes
 * its input, so the notebook state can hand the result to the session and keep the old one for undo.
 * No DOM, no Svelte: unit-tested in Node.
 */
import { createCell, type Cell, type CellKind } from "../notebook/index.ts";

/** A deleted cell and where it stood, enough to put it back. */
export interface DeletedCell {
  cell: Cell;
  index: number;
}

/** Inserts `cell` at `index` (clamped to the array). */
export function insertCell(cells: readonly Cell[], index: number, cell: Cell): Cell[] {
  const at = Math.max(0, Math.min(index, cells.length));
  return [...cells.slice(0, at), cell, ...cells.slice(at)];
}

/** Index of the cell with `id`, or -1. */
export function indexOfCell(cells: readonly Cell[], id: string): number {
  return cells.findIndex((c) => c.id === id);
}

/** Removes the cell with `id`; `deleted` is undefined when there is no such cell. */
export function deleteCell(cells: readonly Cell[], id: string): { cells: Cell[]; deleted?: DeletedCell } {
  const index = indexOfCell(cells, id);
  if (index < 0) return { cells: [...cells] };
  return { cells: cells.filter((c) => c.id !== id), deleted: { cell: cells[index]!, index } };
}

/** Puts a deleted cell back where it was (or at the end if the notebook got shorter). */
export function restoreCell(cells: readonly Cell[], deleted: DeletedCell): Cell[] {
  if (indexOfCell(cells, deleted.cell.id) >= 0) return [...cells];
  return insertCell(cells, deleted.index, deleted.cell);
}

/** Moves the cell with `id` by `delta` places (-1 up, +1 down), stopping at either end. */
export function moveCell(cells: readonly Cell[], id: string, delta: number): Cell[] {
  const from = indexOfCell(cells, id);
  if (from < 0) return [...cells];
  const to = Math.max(0, Math.min(cells.length - 1, from + delta));
  if (to === from) return [...cells];
  const rest = cells.filter((c) => c.id !== id);
  return [...rest.slice(0, to), cells[from]!, ...rest.slice(to)];
}

/**
 * A copy of the cell with a fresh id, placed right after it, holding `source`. A named SQL cell's copy
 * gets a new name (`name_copy`, `name_copy2`, ...): two cells defining one name would both fail.
 */
export function duplicateCell(cells: readonly Cell[], id: string, source: string): { cells: Cell[]; copy?: Cell } {
  const index = indexOfCell(cells, id);
  if (index < 0) return { cells: [...cells] };
  const original = cells[index]!;
  const taken = new Set(cells.flatMap((c) => (c.name ? [c.name] : [])));
  let name = original.name;
  if (name !== undefined) {
    const base = `${name}_copy`;
    name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
  }
  const copy = createCell(original.kind, source, { name, attrs: original.attrs });
  return { cells: insertCell(cells, index + 1, copy), copy };
}

/**
 * Changes the cell's kind, keeping its id and text. A SQL name only means something to SQL cells,
 * and the fence was chosen for the old text, so both go when the kind changes.
 */
export function changeKind(cells: readonly Cell[], id: string, kind: CellKind, source: string): Cell[] {
  return cells.map((c) => {
    if (c.id !== id) return c;
    if (c.kind === kind) return source === c.source ? c : { ...c, source };
    const changed: Cell = { id: c.id, kind, source };
    if (kind === "sql" && c.name !== undefined) changed.name = c.name;
    if (c.attrs !== undefined) changed.attrs = c.attrs;
    return changed;
  });
}

/** The id of the cell `delta` places away from `id`, clamped to the ends; undefined for an empty list. */
export function neighbourId(cells: readonly Cell[], id: string | undefined, delta: number): string | undefined {
  if (!cells.length) return undefined;
  const index = id === undefined ? -1 : indexOfCell(cells, id);
  if (index < 0) return cells[delta < 0 ? cells.length - 1 : 0]!.id;
  return cells[Math.max(0, Math.min(cells.length - 1, index + delta))]!.id;
}

/** The text a new cell of `kind` starts with: empty, so nothing runs that the author did not write. */
export function emptyCell(kind: CellKind): Cell {
  return createCell(kind, "");
}

/**
 * Gives SQL cell `id` the name `name` ("" removes it: the result is then only shown). The name is
 * checked by the caller (checkCellName). Other cells are left as they are.
 * @example renameCell(cells, "c2", "segments")
 */
export function renameCell(cells: readonly Cell[], id: string, name: string): Cell[] {
  return cells.map((c) => {
    if (c.id !== id || c.kind !== "sql" || (c.name ?? "") === name) return c;
    const { name: _old, ...rest } = c;
    return name ? { ...rest, name } : rest;
  });
}
