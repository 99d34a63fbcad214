/**
 * Which autosave slots belong to a tab that is still open, through the Web Locks API: a tab holds an
 * exclusive lock named after its notebook and slot for as long as it shows that notebook. A version
 * whose lock nobody holds was left by a closed or crashed tab and may be offered for recovery; one
 * whose lock is held is another tab's live work, never offered and never written over. The browser
 * releases a tab's locks when the tab goes away, crash included, so nothing here can go stale.
 *
 * A BroadcastChannel tells the other tabs when one starts showing a notebook, so they can say "also
 * open in another tab"; a shared lock request on each other tab's slot tells them when it closes.
 *
 * Without Web Locks (an insecure context: plain http on a non-local host) nothing is known to be
 * live: every unsaved version is offered and no tab is reported as "other".
 */

const PREFIX = "segbook-autosave";
const CHANNEL = "segbook-presence";

function lockName(key: string, slot: string): string {
  return JSON.stringify([PREFIX, key, slot]);
}

function slotOf(name: string | undefined, key: string): string | undefined {
  try {
    const parts: unknown = JSON.parse(name ?? "");
    if (Array.isArray(parts) && parts[0] === PREFIX && parts[1] === key && typeof parts[2] === "string") {
      return parts[2];
    }
  } catch {
    // Another library's lock.
  }
  return undefined;
}

function locks(): LockManager | undefined {
  return typeof navigator !== "undefined" ? navigator.locks : undefined;
}

/**
 * Holds the lock of slot `slot` of notebook `key` until the returned function is called. Resolves to
 * undefined when another tab holds it (that slot is live elsewhere: use another).
 *
 * @example
 * const release = await holdSlot("url:https://example.com/n.md", slot);
 * if (!release) slot = newSlotId();
 */
export function holdSlot(key: string, slot: string): Promise<(() => void) | undefined> {
  const manager = locks();
  if (!manager) return Promise.resolve(() => {});
  return new Promise((resolve) => {
    manager
      .request(lockName(key, slot), { ifAvailable: true }, (lock) => {
        if (!lock) return resolve(undefined);
        return new Promise<void>((release) => resolve(() => release()));
      })
      .catch(() => resolve(() => {}));
  });
}

/**
 * The slots of notebook `key` that an open tab (this one included) holds, or undefined when this
 * browser cannot tell (no Web Locks).
 *
 * @example
 * const live = await liveSlots(key);
 * const offered = versions.filter((v) => !live?.has(v.id));
 */
export async function liveSlots(key: string): Promise<Set<string> | undefined> {
  const manager = locks();
  if (!manager) return undefined;
  try {
    const { held = [] } = await manager.query();
    const slots = held.filter((lock) => lock.mode === "exclusive").map((lock) => slotOf(lock.name, key));
    return new Set(slots.filter((slot): slot is string => slot !== undefined));
  } catch {
    return undefined;
  }
}

/**
 * Calls `onClosed` once the tab holding slot `slot` lets it go (closed, crashed, or showing another
 * notebook). A shared request is granted only after the holder's exclusive lock is released, and is
 * let go at once, so it never stops anyone from taking the slot.
 *
 * @example
 * whenReleased(key, otherSlot, controller.signal, () => void recount());
 */
export function whenReleased(key: string, slot: string, signal: AbortSignal, onClosed: () => void): void {
  const manager = locks();
  if (!manager) return;
  manager
    .request(lockName(key, slot), { mode: "shared", signal }, () => {
      onClosed();
    })
    .catch(() => {});
}

/** This tab's line to the others: it says which notebook it opened and hears which they opened. */
export interface PresenceChannel {
  /** Tells the other tabs that this tab now shows notebook `key`. */
  announce(key: string): void;
  close(): void;
}

/**
 * Opens the channel; `onOpened` is called with the key of each notebook another tab opens.
 *
 * @example
 * const channel = presenceChannel((key) => key === this.key && void recount());
 * channel.announce(this.key);
 */
export function presenceChannel(onOpened: (key: string) => void): PresenceChannel {
  if (typeof BroadcastChannel === "undefined") return { announce: () => {}, close: () => {} };
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<{ key?: unknown }>) => {
    if (typeof event.data?.key === "string") onOpened(event.data.key);
  };
  return { announce: (key) => channel.postMessage({ key }), close: () => channel.close() };
}
