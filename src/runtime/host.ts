/**
 * Where cell code runs is a seam. The runtime hands a compiled body and its arguments to a host; the
 * in-process host below runs it in the current realm (Node, or the page). A host that runs cells in a
 * worker or sandboxed iframe (so a runaway cell can be stopped by tearing it down) implements the
 * same interface.
 */

/** Runs compiled cell bodies. */
export interface CellHost {
  /** Evaluates an async function `body` whose parameters are `names`, called with `args`. */
  evaluate(body: string, names: readonly string[], args: readonly unknown[]): Promise<unknown>;
  /** Whether a name not defined by any cell or builtin is a global of the host (e.g. `Math`). */
  isGlobal(name: string): boolean;
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<unknown>;

/** Runs cells in the current realm, caching compiled functions by their source. */
export function createInProcessHost(): CellHost {
  const cache = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return {
    evaluate(body, names, args) {
      const key = `${names.join(",")}\n${body}`;
      let fn = cache.get(key);
      if (!fn) {
        fn = new AsyncFunction(...names, body);
        // Bounded so editing a cell many times does not grow memory without limit.
        if (cache.size > 500) cache.clear();
        cache.set(key, fn);
      }
      return fn(...args);
    },
    isGlobal: (name) => name in globalThis,
  };
}
