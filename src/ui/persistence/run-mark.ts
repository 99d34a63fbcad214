/**
 * "This notebook was running": a mark in localStorage per notebook and tab slot, set while the
 * notebook's cells run and cleared when they settle. A tab that crashed (a cell that exhausted the
 * heap) or was closed mid-run leaves its mark behind, so the next open asks before running the same
 * cells again instead of crashing again. localStorage because it is written synchronously: the mark
 * is down before the first cell starts, whatever happens to the tab after.
 *
 * It is a safety net against accidents, not a security boundary: cells in the page can clear it.
 */

const STORAGE_KEY = "segbook:running";

/** notebook identity key -> slot -> when its run began (ms since the epoch). */
type Marks = Record<string, Record<string, number>>;

function read(storage: Storage): Marks {
  try {
    const value: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? "{}");
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Marks) : {};
  } catch {
    return {};
  }
}

function write(storage: Storage, marks: Marks): void {
  try {
    if (Object.keys(marks).length) storage.setItem(STORAGE_KEY, JSON.stringify(marks));
    else storage.removeItem(STORAGE_KEY);
  } catch {
    // Storage full or denied: the net is missing this time, the notebook itself is unaffected.
  }
}

/**
 * Marks notebook `key` as running in tab slot `slot` (before its cells start).
 *
 * @example
 * markRunning(localStorage, "url:https://a.org/notebooks/rfm.md", slot);
 */
export function markRunning(storage: Storage, key: string, slot: string, now = Date.now()): void {
  const marks = read(storage);
  marks[key] = { ...marks[key], [slot]: now };
  write(storage, marks);
}

/**
 * Clears the marks of notebook `key` in `slots` (its run settled, or the user chose to run it again).
 *
 * @example
 * clearRunning(localStorage, key, [slot]);
 */
export function clearRunning(storage: Storage, key: string, slots: readonly string[]): void {
  const marks = read(storage);
  const left = { ...marks[key] };
  for (const slot of slots) delete left[slot];
  if (Object.keys(left).length) marks[key] = left;
  else delete marks[key];
  write(storage, marks);
}

/**
 * The slots that marked notebook `key` as running and are not `live` (held by an open tab): runs
 * that a crashed or closed tab never finished.
 *
 * @example
 * const crashed = unfinishedRuns(localStorage, key, await liveSlots(key) ?? new Set());
 * if (crashed.length) nb.trusted = false;
 */
export function unfinishedRuns(storage: Storage, key: string, live: ReadonlySet<string>): string[] {
  return Object.keys(read(storage)[key] ?? {}).filter((slot) => !live.has(slot));
}
