/**
 * View state of the cell list that is never saved: which cell is selected, whether the keyboard is in
 * a cell's editor (edit mode) or on the cell list (command mode), what is collapsed, which Markdown
 * cells show their editor, and the open dialogs.
 */
import type { ShortcutMode } from "./shortcuts.ts";

/** What is collapsed in one cell. */
export interface Collapsed {
  code?: boolean;
  output?: boolean;
}

/** A short message at the bottom of the page, with an optional action (Undo). */
export interface Toast {
  message: string;
  actionLabel?: string;
  action?: () => void;
}

/** View state of the cells of one notebook. */
export class CellUi {
  /** The selected cell (command mode acts on it). */
  selected = $state<string | undefined>(undefined);
  mode = $state<ShortcutMode>("command");
  /** Per cell id. */
  collapsed = $state<Record<string, Collapsed>>({});
  /** Markdown cells showing their source editor. */
  editingMarkdown = $state<Record<string, boolean>>({});
  /** The cell whose dependency view is open. */
  dependenciesOf = $state<string | undefined>(undefined);
  helpOpen = $state(false);
  toast = $state.raw<Toast | undefined>(undefined);
  /** Bumped to ask the selected cell to take the keyboard focus (see CellView). */
  focusRequest = $state(0);
  /** Asks a cell's editor to take the focus (edit mode); `n` counts requests. */
  editRequest = $state<{ id: string | undefined; n: number }>({ id: undefined, n: 0 });
  #toastTimer: ReturnType<typeof setTimeout> | undefined;

  /** Selects a cell in command mode and moves the keyboard focus to it. */
  select(id: string | undefined, mode: ShortcutMode = "command"): void {
    this.selected = id;
    this.mode = mode;
    this.focusRequest++;
  }

  /** Flips one collapse flag of a cell. */
  toggle(id: string, part: keyof Collapsed): void {
    const current = this.collapsed[id] ?? {};
    this.collapsed[id] = { ...current, [part]: !current[part] };
  }

  /** Shows a toast for a while (an Undo stays longer: it is the way back from a delete). */
  showToast(toast: Toast, ms = toast.action ? 10_000 : 4_000): void {
    clearTimeout(this.#toastTimer);
    this.toast = toast;
    this.#toastTimer = setTimeout(() => (this.toast = undefined), ms);
  }

  /** Hides the toast now. */
  hideToast(): void {
    clearTimeout(this.#toastTimer);
    this.toast = undefined;
  }
}
