/**
 * What each shortcut action does to the notebook, and the command-mode key dispatcher. Buttons and
 * keys both end up here, so a button and its shortcut cannot behave differently.
 */
import type { NotebookState } from "./notebook-state.svelte.ts";
import { matchShortcut, REPORT_VIEW_ACTIONS, type ShortcutAction, type ShortcutMode } from "./shortcuts.ts";
import { neighbourId } from "./notebook-ops.ts";
import { viewMode } from "./view-mode.svelte.ts";
import type { ViewName } from "./view-url.ts";

/** How long the first key of a sequence ("D D") waits for the second. */
const SEQUENCE_MS = 800;
let prefix: { key: string; at: number } | undefined;

/** Focuses the cell's editor (edit mode); Markdown cells open theirs first. */
export function enterEditMode(nb: NotebookState, id: string): void {
  const cell = nb.cells.find((c) => c.id === id);
  if (!cell) return;
  nb.ui.selected = id;
  nb.ui.mode = "edit";
  if (nb.ui.collapsed[id]?.code) nb.ui.toggle(id, "code");
  if (cell.kind === "md") nb.ui.editingMarkdown[id] = true;
  // The cell's CodeEditor focuses itself when it sees the request (it may not exist yet).
  nb.ui.editRequest = { id, n: nb.ui.editRequest.n + 1 };
}

/**
 * Shows the notebook or the report view. The report hides every editor, so the keyboard leaves any
 * editor first (command mode) rather than typing into a cell nobody can see.
 * @example
 * switchView(nb, "report");
 */
export function switchView(nb: NotebookState, view: ViewName): void {
  if (view === "report") {
    const active = document.activeElement;
    if (active instanceof HTMLElement && active.closest(".editor")) active.blur();
    nb.ui.mode = "command";
    nb.ui.dependenciesOf = undefined;
  }
  viewMode.set(view);
}

/** Does `action` to the cell `id` (the selected one). */
export function runAction(nb: NotebookState, action: ShortcutAction, id: string | undefined): void {
  const ui = nb.ui;
  const index = id === undefined ? -1 : nb.cells.findIndex((c) => c.id === id);
  switch (action) {
    case "help":
      ui.helpOpen = true;
      return;
    case "runAll":
      nb.runAll();
      return;
    case "toggleView":
      switchView(nb, viewMode.report ? "notebook" : "report");
      return;
    case "undoDelete":
      nb.undoDelete();
      return;
    case "selectPrevious":
    case "selectNext": {
      const next = neighbourId(nb.cells, id, action === "selectNext" ? 1 : -1);
      // Focusing the selected cell scrolls it into view (the nearest edge): enough for a step.
      if (next) ui.select(next);
      return;
    }
    case "insertAbove":
    case "insertBelow":
      nb.insertCell(index < 0 ? nb.cells.length : index + (action === "insertBelow" ? 1 : 0), "ts");
      return;
  }
  if (id === undefined || index < 0) return;
  switch (action) {
    case "runAndNext": {
      nb.runCell(id);
      if (nb.ui.editingMarkdown[id]) ui.editingMarkdown[id] = false;
      const next = neighbourId(nb.cells, id, 1);
      ui.select(next ?? id);
      return;
    }
    case "runInPlace":
      nb.runCell(id);
      if (nb.ui.editingMarkdown[id]) ui.editingMarkdown[id] = false;
      ui.select(id);
      return;
    case "commandMode":
      ui.select(id);
      return;
    case "editMode":
      enterEditMode(nb, id);
      return;
    case "deleteCell":
      nb.deleteCell(id);
      ui.showToast({ message: "Cell deleted", actionLabel: "Undo delete", action: () => nb.undoDelete() });
      return;
    case "toMarkdown":
      nb.changeKind(id, "md");
      return;
    case "toTypeScript":
      nb.changeKind(id, "ts");
      return;
    case "toSql":
      nb.changeKind(id, "sql");
      return;
    case "moveUp":
    case "moveDown":
      nb.moveCell(id, action === "moveUp" ? -1 : 1);
      ui.select(id);
      return;
    case "duplicate":
      nb.duplicateCell(id);
      return;
    case "toggleCode":
      ui.toggle(id, "code");
      return;
    case "toggleOutput":
      ui.toggle(id, "output");
      return;
    case "showDependencies":
      ui.dependenciesOf = ui.dependenciesOf === id ? undefined : id;
      return;
  }
}

/**
 * Handles a key press in command mode (focus on a cell, or on nothing). Returns whether it was a
 * shortcut, in which case the event has been consumed.
 */
export function handleCommandKey(nb: NotebookState, event: KeyboardEvent, mode: ShortcutMode = "command"): boolean {
  const now = performance.now();
  const pending = prefix && now - prefix.at < SEQUENCE_MS ? prefix.key : undefined;
  prefix = undefined;
  const match = matchShortcut(event, mode, pending);
  if (match.kind === "none") return false;
  if (match.kind === "action" && viewMode.report && !REPORT_VIEW_ACTIONS.has(match.action)) return false;
  event.preventDefault();
  event.stopPropagation();
  if (match.kind === "prefix") prefix = { key: match.prefix, at: now };
  else runAction(nb, match.action, nb.ui.selected);
  return true;
}
