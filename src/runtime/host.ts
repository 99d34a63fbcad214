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
  /** Where in the cell's own source a thrown error happened, when the host can tell. */
  errorLocation(error: unknown): { line: number; column: number } | undefined;
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<unknown>;

/** A compiled cell body: an async function of the cell's inputs. */
export type CompiledCell = (...args: unknown[]) => Promise<unknown>;

/**
 * `compile` with its results kept by parameter names and body, so re-running a cell does not compile
 * it again. Bounded, so editing a cell many times does not grow memory without limit. Every host
 * (in-process, `segbook run`'s sandbox) compiles through one of these.
 * @example
 * const compile = cachedCompile((names, body) => new AsyncFunction(...names, body));
 * await compile(["x"], "return x + 1")(41); // 42
 */
export function cachedCompile(
  compile: (names: readonly string[], body: string) => CompiledCell,
): (names: readonly string[], body: string) => CompiledCell {
  const cache = new Map<string, CompiledCell>();
  return (names, body) => {
    const key = `${names.join(",")}\n${body}`;
    let fn = cache.get(key);
    if (!fn) {
      fn = compile(names, body);
      if (cache.size > 500) cache.clear();
      cache.set(key, fn);
    }
    return fn;
  };
}

/** Runs cells in the current realm, caching compiled functions by their source. */
export function createInProcessHost(): CellHost {
  const compile = cachedCompile((names, body) => new AsyncFunction(...names, body));
  return {
    evaluate: (body, names, args) => compile(names, body)(...args),
    isGlobal: (name) => name in globalThis,
    errorLocation,
  };
}

/**
 * Line numbers of the body's own code in stack traces of functions built by {@link createInProcessHost}:
 * V8 prints `async function anonymous(params\n) {\n` before the body, and the body starts with the
 * `"use strict"` line the compiler adds, so the cell's line 1 is the function's line 4.
 */
const BODY_LINE_OFFSET = 3;

/**
 * The cell line and column of a runtime error thrown by cell code, read from the first frame of an
 * anonymous (compiled) function in its stack, when there is one.
 */
export function errorLocation(error: unknown): { line: number; column: number } | undefined {
  const stack = (error as { stack?: unknown })?.stack;
  if (typeof stack !== "string") return undefined;
  const match = /(?:<anonymous>|anonymous):(\d+):(\d+)/.exec(stack);
  if (!match) return undefined;
  const line = Number(match[1]) - BODY_LINE_OFFSET;
  return line >= 1 ? { line, column: Number(match[2]) } : undefined;
}
