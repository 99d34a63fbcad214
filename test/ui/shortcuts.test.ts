/**
 * The shortcut table and its matcher: every listed key combination triggers its own action (so the
 * help dialog, which lists the table, cannot promise a key that does nothing), sequences need both
 * presses, and modes are kept apart.
 */
import { describe, expect, test } from "vitest";
import { SHORTCUTS, keyLabel, matchShortcut, type KeyPress } from "../../src/ui/shortcuts.ts";

function press(combo: string, mac = false): KeyPress {
  const parts = combo.split("+");
  const key = parts.pop()!;
  const mod = parts.includes("Mod");
  return {
    key: key.length === 1 && !parts.includes("Shift") ? key.toLowerCase() : key,
    shiftKey: parts.includes("Shift") || key === "?",
    ctrlKey: mod && !mac,
    metaKey: mod && mac,
    altKey: parts.includes("Alt"),
  };
}

describe("matchShortcut", () => {
  const rows = SHORTCUTS.flatMap((s) => s.modes.flatMap((mode) => s.keys.map((keys) => ({ s, mode, keys }))));
  test.each(rows.map((r) => [r.keys, r.mode, r.s.action, r]))("%s in %s mode triggers %s", (_k, _m, _a, row) => {
    const { s, mode, keys } = row as (typeof rows)[number];
    const steps = keys.split(" ");
    let prefix: string | undefined;
    for (const step of steps.slice(0, -1)) {
      const first = matchShortcut(press(step), mode);
      expect(first.kind).toBe("prefix");
      if (first.kind === "prefix") prefix = first.prefix;
    }
    expect(matchShortcut(press(steps.at(-1)!), mode, prefix)).toEqual({ kind: "action", action: s.action });
  });

  test("Mod means Cmd on a Mac too", () => {
    expect(matchShortcut(press("Mod+Enter", true), "edit")).toEqual({ kind: "action", action: "runInPlace" });
  });

  test("a single D waits for the second; D then another key does nothing", () => {
    expect(matchShortcut(press("D"), "command")).toEqual({ kind: "prefix", prefix: "D" });
    expect(matchShortcut(press("X"), "command", "D")).toEqual({ kind: "none" });
  });

  test("letters do nothing in edit mode (they are typing)", () => {
    for (const letter of ["A", "B", "D", "M", "Y", "Q", "J", "K"]) {
      expect(matchShortcut(press(letter), "edit")).toEqual({ kind: "none" });
    }
  });

  test("a modifier that the combo does not name stops the match", () => {
    expect(matchShortcut(press("Mod+A"), "command")).toEqual({ kind: "none" });
    expect(matchShortcut(press("Shift+A"), "command")).toEqual({ kind: "none" });
  });

  test("no key combination is bound to two actions in the same mode", () => {
    const seen = new Map<string, string>();
    for (const s of SHORTCUTS)
      for (const mode of s.modes)
        for (const keys of s.keys) {
          const key = `${mode}:${keys}`;
          expect(seen.get(key), key).toBeUndefined();
          seen.set(key, s.action);
        }
  });
});

describe("keyLabel", () => {
  test.each([
    ["Mod+Enter", false, "Ctrl+Enter"],
    ["Mod+Enter", true, "⌘+Enter"],
    ["D D", false, "D then D"],
    ["Alt+ArrowUp", false, "Alt+↑"],
    ["Escape", false, "Esc"],
  ])("keyLabel(%s, mac=%s) is %s", (keys, mac, expected) => {
    expect(keyLabel(keys, mac)).toBe(expected);
  });
});
