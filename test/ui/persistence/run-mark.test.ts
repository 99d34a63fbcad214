/**
 * The "was running" marks (src/ui/persistence/run-mark.ts) on a Storage: set at run start, cleared
 * at settle, and the ones left by tabs that are gone reported as unfinished runs.
 */
import { expect, test } from "vitest";
import { clearRunning, markRunning, unfinishedRuns } from "../../../src/ui/persistence/run-mark.ts";

/** The Web Storage interface over a Map: what the module needs of localStorage, with real semantics. */
class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  clear(): void {
    this.#items.clear();
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, String(value));
  }
}

const KEY = "url:https://a.org/notebooks/rfm.md";

test("unfinishedRuns reports the marks of slots no open tab holds", () => {
  const storage = new MemoryStorage();
  markRunning(storage, KEY, "crashed-tab");
  markRunning(storage, KEY, "open-tab");
  markRunning(storage, "url:https://a.org/notebooks/other.md", "elsewhere");
  expect(unfinishedRuns(storage, KEY, new Set(["open-tab"]))).toEqual(["crashed-tab"]);
  expect(unfinishedRuns(storage, "url:https://a.org/notebooks/none.md", new Set())).toEqual([]);
});

test("clearRunning forgets the slots' marks, and the whole entry when none is left", () => {
  const storage = new MemoryStorage();
  markRunning(storage, KEY, "a");
  markRunning(storage, KEY, "b");
  clearRunning(storage, KEY, ["a"]);
  expect(unfinishedRuns(storage, KEY, new Set())).toEqual(["b"]);
  clearRunning(storage, KEY, ["b"]);
  expect(unfinishedRuns(storage, KEY, new Set())).toEqual([]);
  expect(storage.length).toBe(0);
});

test.each(["not json", "[1,2]", "null"])("unfinishedRuns reads a damaged record (%j) as no marks", (value) => {
  const storage = new MemoryStorage();
  storage.setItem("segbook:running", value);
  expect(unfinishedRuns(storage, KEY, new Set())).toEqual([]);
  markRunning(storage, KEY, "a");
  expect(unfinishedRuns(storage, KEY, new Set())).toEqual(["a"]);
});
