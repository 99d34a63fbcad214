/**
 * A panic inside a wasm-bindgen library (parquet-wasm) while it serves a promise is thrown from a
 * callback nobody awaits: it surfaces as an uncaught `WebAssembly.RuntimeError` (the page's `error`
 * event, Node's `uncaughtException`) and the promise it was serving never settles. A load waiting on
 * it would hang for ever. The guard turns such a panic into a rejection the load can report.
 */

/** What {@link wasmPanicGuard} gives: races a promise against a panic, and its own removal. */
export interface WasmPanicGuard {
  /** `promise`, or a rejection with the `WebAssembly.RuntimeError` reported while it was pending. */
  race<T>(promise: Promise<T>): Promise<T>;
  /** Stops listening (always call it, in a `finally`). */
  dispose(): void;
}

interface NodeProcessLike {
  on(event: "uncaughtException", listener: (error: unknown) => void): unknown;
  off(event: "uncaughtException", listener: (error: unknown) => void): unknown;
}

/**
 * Listens for uncaught `WebAssembly.RuntimeError`s until disposed.
 * @example
 * const guard = wasmPanicGuard();
 * try { batch = await guard.race(reader.read()); } finally { guard.dispose(); }
 */
export function wasmPanicGuard(): WasmPanicGuard {
  let panic: WebAssembly.RuntimeError | undefined;
  const waiting = new Set<(error: WebAssembly.RuntimeError) => void>();
  const report = (error: WebAssembly.RuntimeError) => {
    panic = error;
    for (const reject of waiting) reject(error);
  };
  const onError = (event: ErrorEvent) => {
    if (!(event.error instanceof WebAssembly.RuntimeError)) return;
    event.preventDefault();
    report(event.error);
  };
  const processLike = (globalThis as { process?: NodeProcessLike }).process;
  const onUncaught = (error: unknown) => {
    if (error instanceof WebAssembly.RuntimeError) return report(error);
    // Not ours: with this listener attached Node would swallow it; let it crash the process as usual.
    processLike?.off("uncaughtException", onUncaught);
    setTimeout(() => {
      throw error;
    });
  };
  const target = (globalThis as { addEventListener?: typeof addEventListener }).addEventListener;
  // Node has both (a global EventTarget since 15); only the page's reports uncaught errors there.
  const inPage = typeof target === "function" && processLike === undefined;
  if (inPage) globalThis.addEventListener("error", onError);
  else processLike?.on("uncaughtException", onUncaught);
  return {
    race<T>(promise: Promise<T>): Promise<T> {
      if (panic) return Promise.reject(panic);
      let reject!: (error: WebAssembly.RuntimeError) => void;
      const panicked = new Promise<never>((_, r) => (reject = r));
      waiting.add(reject);
      return Promise.race([promise, panicked]).finally(() => waiting.delete(reject));
    },
    dispose() {
      if (inPage) globalThis.removeEventListener("error", onError);
      else processLike?.off("uncaughtException", onUncaught);
    },
  };
}
