/**
 * Every keyboard shortcut of the notebook, in one table: the help dialog lists this table and the key
 * handlers match against it, so the two cannot drift apart.
 *
 * Modes work like Jupyter's: in edit mode keys go to the cell's editor; Esc leaves it for command
 * mode, where the selected cell has a focus ring and single letters act on cells. SQL is `Q` (for
 * "query"), not Jupyter's `S`, because `S` means save in Jupyter and would surprise its users.
 */

/** What a shortcut does. */
export type ShortcutAction =
  | "runAndNext"
  | "runInPlace"
  | "commandMode"
  | "editMode"
  | "insertAbove"
  | "insertBelow"
  | "deleteCell"
  | "undoDelete"
  | "toMarkdown"
  | "toTypeScript"
  | "toSql"
  | "selectPrevious"
  | "selectNext"
  | "moveUp"
  | "moveDown"
  | "duplicate"
  | "toggleCode"
  | "toggleOutput"
  | "showDependencies"
  | "runAll"
  | "toggleView"
  | "help";

/** Where a shortcut works. */
export type ShortcutMode = "edit" | "command";

/** One row of the table. */
export interface Shortcut {
  action: ShortcutAction;
  /** Key combinations that trigger it; a space separates the keys of a sequence ("D D"). */
  keys: readonly string[];
  modes: readonly ShortcutMode[];
  description: string;
}

/**
 * The table. Combos: modifiers `Mod` (Ctrl, or Cmd on a Mac), `Shift`, `Alt`, then a key as in
 * KeyboardEvent.key, letters upper-case.
 */
export const SHORTCUTS: readonly Shortcut[] = [
  {
    action: "runAndNext",
    keys: ["Shift+Enter"],
    modes: ["edit", "command"],
    description: "Run the cell, select the next",
  },
  { action: "runInPlace", keys: ["Mod+Enter"], modes: ["edit", "command"], description: "Run the cell, stay on it" },
  { action: "commandMode", keys: ["Escape"], modes: ["edit"], description: "Leave the editor (command mode)" },
  { action: "editMode", keys: ["Enter"], modes: ["command"], description: "Edit the selected cell" },
  { action: "selectPrevious", keys: ["ArrowUp", "K"], modes: ["command"], description: "Select the cell above" },
  { action: "selectNext", keys: ["ArrowDown", "J"], modes: ["command"], description: "Select the cell below" },
  { action: "insertAbove", keys: ["A"], modes: ["command"], description: "Insert a TypeScript cell above" },
  { action: "insertBelow", keys: ["B"], modes: ["command"], description: "Insert a TypeScript cell below" },
  { action: "deleteCell", keys: ["D D"], modes: ["command"], description: "Delete the cell" },
  { action: "undoDelete", keys: ["Z", "Mod+Z"], modes: ["command"], description: "Undo the last delete" },
  { action: "toMarkdown", keys: ["M"], modes: ["command"], description: "Make the cell Markdown" },
  { action: "toTypeScript", keys: ["Y"], modes: ["command"], description: "Make the cell TypeScript" },
  { action: "toSql", keys: ["Q"], modes: ["command"], description: "Make the cell SQL (Q for query)" },
  { action: "moveUp", keys: ["Alt+ArrowUp"], modes: ["command"], description: "Move the cell up" },
  { action: "moveDown", keys: ["Alt+ArrowDown"], modes: ["command"], description: "Move the cell down" },
  { action: "duplicate", keys: ["C"], modes: ["command"], description: "Duplicate the cell" },
  { action: "toggleCode", keys: ["H"], modes: ["command"], description: "Collapse or expand the code" },
  { action: "toggleOutput", keys: ["O"], modes: ["command"], description: "Collapse or expand the output" },
  {
    action: "showDependencies",
    keys: ["I"],
    modes: ["command"],
    description: "Show what the cell reads and who reads it",
  },
  { action: "runAll", keys: ["Shift+R"], modes: ["command"], description: "Run all cells" },
  {
    action: "toggleView",
    keys: ["R"],
    modes: ["command"],
    description: "Switch between the notebook and the report view (R for report)",
  },
  { action: "help", keys: ["?"], modes: ["command"], description: "Show this list of shortcuts" },
];

/**
 * What the keys do in the report view, which shows no code and no cell actions: a key that edits,
 * moves or deletes cells would change what the reader cannot see, so only these work there.
 */
export const REPORT_VIEW_ACTIONS: ReadonlySet<ShortcutAction> = new Set(["toggleView", "runAll", "help"]);

/** The modifier state and key of one key press (a KeyboardEvent is one). */
export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

interface Combo {
  key: string;
  mod: boolean;
  shift: boolean;
  alt: boolean;
}

function parseCombo(text: string): Combo {
  const parts = text.split("+");
  // "Shift++" never occurs; a bare "+" key is not used by the table.
  const key = parts.pop()!;
  return { key, mod: parts.includes("Mod"), shift: parts.includes("Shift"), alt: parts.includes("Alt") };
}

/** Symbols typed with Shift on common layouts: their Shift state is not part of the combo. */
const SHIFTED_SYMBOLS = new Set(["?"]);

function matches(combo: Combo, press: KeyPress): boolean {
  const key = press.key.length === 1 ? press.key.toUpperCase() : press.key;
  if (key !== combo.key) return false;
  if (combo.mod !== (press.ctrlKey || press.metaKey) || combo.alt !== press.altKey) return false;
  return SHIFTED_SYMBOLS.has(combo.key) || combo.shift === press.shiftKey;
}

/** What a key press means, given the keys of an unfinished sequence before it. */
export type KeyMatch =
  | { kind: "action"; action: ShortcutAction }
  /** The press starts a sequence (the first D of "D D"): pass it back as `prefix` with the next press. */
  | { kind: "prefix"; prefix: string }
  | { kind: "none" };

/**
 * Finds the shortcut a key press triggers in `mode`. `prefix` is what an earlier press returned as a
 * prefix (sequences must be pressed back to back; the caller forgets the prefix after a pause).
 */
export function matchShortcut(press: KeyPress, mode: ShortcutMode, prefix?: string): KeyMatch {
  for (const shortcut of SHORTCUTS) {
    if (!shortcut.modes.includes(mode)) continue;
    for (const keys of shortcut.keys) {
      const steps = keys.split(" ");
      const last = parseCombo(steps[steps.length - 1]!);
      if (steps.length === 2 && prefix === steps[0] && matches(last, press)) {
        return { kind: "action", action: shortcut.action };
      }
      if (steps.length === 1 && matches(last, press)) return { kind: "action", action: shortcut.action };
    }
  }
  for (const shortcut of SHORTCUTS) {
    if (!shortcut.modes.includes(mode)) continue;
    for (const keys of shortcut.keys) {
      const steps = keys.split(" ");
      if (steps.length === 2 && matches(parseCombo(steps[0]!), press)) return { kind: "prefix", prefix: steps[0]! };
    }
  }
  return { kind: "none" };
}

/** How a combo reads in the help dialog on this platform ("Mod" becomes Ctrl or ⌘). */
export function keyLabel(keys: string, isMac: boolean): string {
  const names: Record<string, string> = {
    Mod: isMac ? "⌘" : "Ctrl",
    ArrowUp: "↑",
    ArrowDown: "↓",
    Escape: "Esc",
    Alt: isMac ? "⌥" : "Alt",
  };
  return keys
    .split(" ")
    .map((step) =>
      step
        .split("+")
        .map((part) => names[part] ?? part)
        .join("+"),
    )
    .join(" then ");
}

/** The shortcuts of one mode, for editors that bind keys themselves (Monaco). */
export function shortcutsFor(mode: ShortcutMode): Shortcut[] {
  return SHORTCUTS.filter((s) => s.modes.includes(mode));
}
