/**
 * The notebook as on screen: the committed cells (what ran) with the text in every cell's editor,
 * typed but perhaps never run. Save, Download, share links and the autosave all write this one text,
 * so nothing the user can see is left out of a file; the autosave also keeps which cells were only
 * typed, so recovery shows them as edited rather than running them.
 */
import { serialize, type Cell, type Notebook } from "../../notebook/index.ts";
import type { DraftEntry } from "./store.ts";

/** What is on screen, as the autosave keeps it. */
export interface ScreenVersion {
  /** The notebook with every editor's text: what Save, Download and share links write. */
  text: string;
  /** The notebook as committed (what ran); equal to `text` when nothing is only typed. */
  committed: string;
  /** Cells whose editor text differs from their committed source, by position. */
  drafts: DraftEntry[];
  /** How many cells there are (see draftsFor). */
  cellCount: number;
}

/**
 * The cells as on screen: each with the text in its editor (the same object when not edited).
 *
 * @example
 * reportHtml(title, screenCells(nb.cells, (cell) => nb.editors.text(cell)), state, document);
 */
export function screenCells(cells: readonly Cell[], textOf: (cell: Cell) => string): Cell[] {
  return cells.map((cell) => {
    const text = textOf(cell);
    return text === cell.source ? cell : { ...cell, source: text };
  });
}

/**
 * Serializes the notebook as on screen. `textOf` gives a cell's editor text (its source when not edited).
 *
 * @example
 * const screen = screenVersion(nb.notebook, (cell) => nb.editors.text(cell));
 * downloadFile("notebook.md", screen.text, "text/markdown");
 */
export function screenVersion(notebook: Notebook, textOf: (cell: Cell) => string): ScreenVersion {
  const cells = notebook.cells;
  const shown = screenCells(cells, textOf);
  const drafts: DraftEntry[] = [];
  shown.forEach((cell, index) => {
    if (cell !== cells[index]) drafts.push({ index, kind: cell.kind, source: cell.source });
  });
  const committed = serialize(notebook);
  return {
    text: drafts.length ? serialize({ ...notebook, cells: shown }) : committed,
    committed,
    drafts,
    cellCount: cells.length,
  };
}

/**
 * The drafts of a saved version placed on the cells parsed from its committed text (cell id to
 * editor text), or undefined when they do not line up (a different number of cells, or a cell of
 * another kind at a draft's position): the caller then opens the on-screen text itself, so no typed
 * text is ever put into the wrong cell or lost.
 *
 * @example
 * const drafts = draftsFor(parse(entry.committed).notebook.cells, entry.drafts, cellCount);
 */
export function draftsFor(
  cells: readonly Cell[],
  drafts: readonly DraftEntry[],
  expectedCells: number,
): Record<string, string> | undefined {
  if (cells.length !== expectedCells) return undefined;
  const byId: Record<string, string> = {};
  for (const draft of drafts) {
    const cell = cells[draft.index];
    if (!cell || cell.kind !== draft.kind) return undefined;
    byId[cell.id] = draft.source;
  }
  return byId;
}
