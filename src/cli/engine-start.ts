/**
 * Opening `segbook run`'s engine, and opening it early: main.ts starts it as soon as the arguments
 * are checked, before the run's other modules (runtime, seg, sandbox, report writers) load, so
 * duckdb-wasm's compile (about a second of CPU, on V8's background threads) overlaps that loading
 * and the notebook's parse instead of following them. runNotebookFile takes the early engine when
 * its kind matches, else opens one itself (tests, other callers).
 */
import { setFlagsFromString } from "node:v8";
import type { Engine } from "../engine/engine.ts";

/** The engines `segbook run` can use. */
export type EngineKind = "wasm" | "native";

let early: { kind: EngineKind; engine: Promise<Engine> } | undefined;

/**
 * How many bytes of a wasm function V8 runs in its baseline code (Liftoff) before compiling it again
 * with its optimizing compiler (TurboFan), for a `segbook run` on duckdb-wasm: V8's default,
 * 1,800,000, suits a tab that lives for hours; a run is one short process, in which the default sends
 * thousands of DuckDB's lukewarm functions (each statement's first use) to be optimized, about 0.7 s
 * of CPU on background threads (of a 2.5 s main thread) that only compete with it on a small
 * machine. Five times the default still optimizes a hot loop (a CSV scan, an aggregate) within
 * milliseconds. Measured on the analyst task (scripts/bench/analyst-task.md): background CPU 2.8 s
 * to 2.1 s, main thread unchanged.
 */
export const RUN_WASM_TIERING_BUDGET = 10_000_000;

/**
 * Opens an engine of that kind (each module imported only when asked for).
 * @example const engine = await openEngine("native");
 */
export async function openEngine(kind: EngineKind = "wasm"): Promise<Engine> {
  if (kind === "native") return (await import("../engine/native.ts")).createNativeEngine();
  // Read when V8 compiles the module: set before the engine's module is compiled.
  setFlagsFromString(`--wasm-tiering-budget=${RUN_WASM_TIERING_BUDGET}`);
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
