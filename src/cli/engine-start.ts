/**
 * Opening `segbook run`'s engine, and opening it early: main.ts starts it as soon as the arguments
 * are checked, before the run's other modules (runtime, seg, sandbox, report writers) load, so
 * duckdb-wasm's compile (about a second of CPU, on V8's background threads) overlaps that loading
 * and the notebook's parse instead of following them. runNotebookFile takes the early engine when
 * its kind matches, else opens one itself (tests, other callers).
 */
import type { Engine } from "../engine/engine.ts";

/** The engines `segbook run` can use. */
export type EngineKind = "wasm" | "native";

let early: { kind: EngineKind; engine: Promise<Engine> } | undefined;

/**
 * Opens an engine of that kind (each module imported only when asked for).
 * @example const engine = await openEngine("native");
 */
export async function openEngine(kind: EngineKind = "wasm"): Promise<Engine> {
  if (kind === "native") return (await import("../engine/native.ts")).createNativeEngine();
  return (await import("../engine/node.ts")).createNodeEngine();
}

/**
 * Starts opening the run's engine now, for {@link takeEarlyEngine}. A failure surfaces where the
 * run takes it, never as an unhandled rejection.
 * @example startEngineEarly(args.engine); return (await import("./run-command.ts")).runCommand(args);
 */
export function startEngineEarly(kind: EngineKind = "wasm"): void {
  const engine = openEngine(kind);
  engine.catch(() => undefined);
  early = { kind, engine };
}

/**
 * The engine {@link startEngineEarly} started, once, when it is of `kind`; undefined otherwise.
 * @example const engine = await (takeEarlyEngine("wasm") ?? openEngine("wasm"));
 */
export function takeEarlyEngine(kind: EngineKind = "wasm"): Promise<Engine> | undefined {
  if (!early || early.kind !== kind) return undefined;
  const { engine } = early;
  early = undefined;
  return engine;
}
