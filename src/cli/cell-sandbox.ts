/**
 * Least privilege for cell code in `segbook run`: TS/JS cells run in a `node:vm` context of their own,
 * whose global holds the language (Math, JSON, Promise, Intl, …) and a few harmless web APIs (console,
 * timers, URL, TextEncoder, crypto.getRandomValues, …) and nothing else: no `process`, `require`,
 * `import()`, `fetch`, `WebSocket`, `Worker`. A cell reaches data only through what the runtime passes
 * it (db, sql, seg, aq, Plot, display, …), as in the browser.
 *
 * Why a vm context and not (only) Node's permission model: the permission model of Node 20 has no
 * network restriction at all, and `segbook run` starts through tsx, whose loader needs worker threads
 * and esbuild's child process, so `--experimental-permission` cannot even start the CLI without
 * `--allow-child-process`, which voids it. A vm context removes the capabilities themselves (network
 * included) for cell code, while the app's own sanctioned routes (data loading, remote SQL cells over
 * `fetch`, `--out` writes) run in the host realm unchanged.
 *
 * A vm context alone is no boundary when host objects leak in: they do (every builtin is one), so
 * {@link sealFunctionConstructors} removes the path from a host object to the host's Function
 * constructor (`db.constructor.constructor("return process")()`), dynamic `import()` has no callback
 * (it fails in cell code, in its `eval` and in its `Function`), and Arquero's `load*` helpers, which
 * read files and URLs, are replaced (see {@link sandboxLibraries}). Timers a cell starts are the
 * host's, tracked, and cleared when the run closes, so none outlives it. The engine cells hold
 * (`db.engine`) loads only the run's own data sources (host-lock.ts).
 *
 * Known limits (why this is least privilege, not a process boundary): cells share the Node process
 * and its heap with the runtime. The language's intrinsics are frozen, but the classes of the
 * libraries cells are given (Arquero tables, Plot, linkedom, table handles) are not: a cell can
 * change their methods and so see or alter what the run computes with them, which it can already
 * read. A flaw in V8's or Node's vm isolation would give cell code the process's rights; so would a
 * host object that holds a capability as a property (the one known, `db.engine`, is wrapped). A
 * `while (true) {}` holds the run until `--cell-timeout`. When the CLI runs compiled (no tsx loader),
 * running `segbook run` under `node --experimental-permission` (reads: the package, the notebook's
 * folder and data; writes: --out; no child processes) would add a process-level boundary for files
 * and processes beneath this one; Node 20's permission model has no network restriction.
 */
import vm from "node:vm";
import { webcrypto } from "node:crypto";
import type { CellHost } from "../runtime/host.ts";
import { sealFunctionConstructors } from "./seal-realm.ts";

const FIX = "cells run without host access in segbook run; pass --allow-host-access for a trusted notebook";

/**
 * Names a cell may try for host access: each is a global of the context whose read throws this
 * message, so `process.env`, `globalThis.process` and `typeof fetch` all fail saying why.
 */
const REFUSED: Record<string, string> = {
  process: "the process (environment, files, exit)",
  require: "Node modules (require)",
  module: "Node modules (module)",
  global: "the host's global object",
  Buffer: "Node's Buffer",
  fetch: "the network (fetch)",
  XMLHttpRequest: "the network (XMLHttpRequest)",
  WebSocket: "the network (WebSocket)",
  EventSource: "the network (EventSource)",
  Worker: "worker threads (Worker)",
  SharedWorker: "worker threads (SharedWorker)",
  BroadcastChannel: "other threads (BroadcastChannel)",
};

/**
 * The message a sandboxed cell gets for reaching `name` (a {@link REFUSED} global or `import()`).
 * @example refusedMessage("process") // "segbook run: cells cannot reach the process (environment, files, exit); …"
 */
export function refusedMessage(name: string): string {
  const what = REFUSED[name] ?? name;
  return `segbook run: cells cannot reach ${what}; ${FIX}`;
}

/** A {@link CellHost} whose cells run in a sandbox; `dispose` clears the timers cells left. */
export interface SandboxHost extends CellHost {
  /** Clears every timer cell code started and refuses new ones (the run is over). */
  dispose(): void;
}

/** The file name cell code carries in stack traces. */
const FILENAME = "segbook-cell";

/**
 * Same layout as `new AsyncFunction(...names, body)` (see host.ts), so the cell's line 1 (after the
 * compiler's `"use strict"` line) is line 4 of the script.
 */
const BODY_LINE_OFFSET = 3;

/**
 * Makes the sandbox. The first call seals the host realm's function constructors for the rest of
 * the process (see seal-realm.ts).
 * @example
 * const host = createSandboxHost();
 * new Session({engine, host, libraries: sandboxLibraries(nodeLibraries())});
 * // … after the run: host.dispose();
 */
export function createSandboxHost(): SandboxHost {
  sealFunctionConstructors();
  const context = vm.createContext(Object.create(null) as object, {
    name: "segbook cell sandbox",
    // eval/Function inside the context compile in the context: they reach nothing more than the cell.
    codeGeneration: { strings: true, wasm: true },
  });
  const timers = new Map<number, { clear: () => void }>();
  let nextTimer = 1;
  let disposed = false;
  const schedule = (
    set: (run: () => void, ms: number) => NodeJS.Timeout | NodeJS.Immediate,
    clear: (handle: never) => void,
    repeat: boolean,
    callback: unknown,
    ms: unknown,
    args: unknown[],
  ): number => {
    if (typeof callback !== "function") throw new TypeError("segbook run: a timer needs a function");
    if (disposed) return 0;
    const id = nextTimer++;
    const handle = set(
      () => {
        if (!repeat) timers.delete(id);
        (callback as (...a: unknown[]) => void)(...args);
      },
      Number(ms) || 0,
    );
    timers.set(id, { clear: () => clear(handle as never) });
    return id;
  };
  const cancel = (id: unknown) => {
    const timer = timers.get(Number(id));
    timer?.clear();
    timers.delete(Number(id));
  };
  // The host side of the few web APIs cells get; the context's own code below wraps them, so cell
  // code holds context functions (no host function object is a global of the context).
  const bridge = {
    log: (level: "log" | "info" | "warn" | "error" | "debug", args: unknown[]) => console[level](...args),
    setTimeout: (fn: unknown, ms: unknown, args: unknown[]) => schedule(setTimeout, clearTimeout, false, fn, ms, args),
    setInterval: (fn: unknown, ms: unknown, args: unknown[]) =>
      schedule(setInterval, clearInterval, true, fn, ms, args),
    setImmediate: (fn: unknown, args: unknown[]) =>
      schedule((run) => setImmediate(run), clearImmediate, false, fn, 0, args),
    clear: cancel,
    queueMicrotask: (fn: () => void) => queueMicrotask(fn),
    structuredClone: (value: unknown) => structuredClone(value),
    now: () => performance.now(),
    getRandomValues: <T extends ArrayBufferView>(array: T) => webcrypto.getRandomValues(array as never) as T,
    randomUUID: () => webcrypto.randomUUID(),
    refused: (name: string) => {
      throw new ReferenceError(refusedMessage(name));
    },
  };
  const install = new vm.Script(
    `(function (bridge, refused, values) {
      "use strict";
      const g = globalThis;
      const define = (name, value) => Object.defineProperty(g, name, { value, writable: true, configurable: true });
      const c = {};
      for (const level of ["log", "info", "warn", "error", "debug"]) c[level] = (...args) => bridge.log(level, args);
      define("console", c);
      define("setTimeout", (fn, ms, ...args) => bridge.setTimeout(fn, ms, args));
      define("setInterval", (fn, ms, ...args) => bridge.setInterval(fn, ms, args));
      define("setImmediate", (fn, ...args) => bridge.setImmediate(fn, args));
      define("clearTimeout", (id) => bridge.clear(id));
      define("clearInterval", (id) => bridge.clear(id));
      define("clearImmediate", (id) => bridge.clear(id));
      define("queueMicrotask", (fn) => bridge.queueMicrotask(() => fn()));
      define("structuredClone", (value) => bridge.structuredClone(value));
      define("performance", { now: () => bridge.now() });
      define("crypto", { getRandomValues: (a) => bridge.getRandomValues(a), randomUUID: () => bridge.randomUUID() });
      for (const [name, value] of Object.entries(values)) define(name, value);
      for (const name of refused) {
        Object.defineProperty(g, name, { get: () => bridge.refused(name), configurable: false });
      }
    })`,
    { filename: "segbook-sandbox-setup" },
  ).runInContext(context) as (bridge: unknown, refused: string[], values: Record<string, unknown>) => void;
  // Plain classes with no I/O, shared as they are (their constructors are sealed like every host
  // function). The data classes are the host's own, not the context's, so a Date or Float64Array a
  // cell makes passes the runtime's and libraries' `instanceof` checks (seg, SQL parameters, formats).
  install(bridge, Object.keys(REFUSED), {
    Date,
    Map,
    Set,
    WeakMap,
    WeakSet,
    ArrayBuffer,
    DataView,
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    atob,
    btoa,
    AbortController,
    AbortSignal,
    Event,
    EventTarget,
  });
  const globalNames = new Set(vm.runInContext("Object.getOwnPropertyNames(globalThis)", context) as string[]);
  const cache = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return {
    evaluate(body, names, args) {
      const key = `${names.join(",")}\n${body}`;
      let fn = cache.get(key);
      if (!fn) {
        // No importModuleDynamically: import() in cell code (and in its eval/Function) rejects.
        const script = new vm.Script(`(async function anonymous(${names.join(",")}\n) {\n${body}\n})`, {
          filename: FILENAME,
        });
        fn = script.runInContext(context) as (...args: unknown[]) => Promise<unknown>;
        if (cache.size > 500) cache.clear();
        cache.set(key, fn);
      }
      return fn(...args).catch((error: unknown) => {
        throw clearImportError(error);
      });
    },
    isGlobal: (name) => globalNames.has(name),
    errorLocation,
    dispose() {
      disposed = true;
      for (const timer of timers.values()) timer.clear();
      timers.clear();
    },
  };
}

/** Node's "dynamic import callback" errors, said as what they mean for a cell. */
function clearImportError(error: unknown): unknown {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "string" || !code.startsWith("ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING")) return error;
  const clear = new Error(`segbook run: cells cannot import modules (import()); ${FIX}`, { cause: error });
  clear.stack = `${clear.message}\n${String((error as Error).stack ?? "")
    .split("\n")
    .slice(1)
    .join("\n")}`;
  return clear;
}

/**
 * The cell line and column of an error thrown by sandboxed cell code, from the first frame of the
 * cell's script in its stack.
 * @example errorLocation(new Error("x")) // {line, column} when thrown from a cell, else undefined
 */
export function errorLocation(error: unknown): { line: number; column: number } | undefined {
  const stack = (error as { stack?: unknown })?.stack;
  if (typeof stack !== "string") return undefined;
  const match = new RegExp(`${FILENAME}:(\\d+):(\\d+)`).exec(stack);
  if (!match) return undefined;
  const line = Number(match[1]) - BODY_LINE_OFFSET;
  return line >= 1 ? { line, column: Number(match[2]) } : undefined;
}

/** Arquero's helpers that read a file path or URL themselves (in Node: node:fs or fetch). */
const ARQUERO_LOADERS = ["load", "loadArrow", "loadCSV", "loadFixed", "loadJSON"];

/**
 * The shared libraries as sandboxed cells get them: Arquero without its `load*` helpers (they read
 * any file or URL from the host); `aq.fromCSV(text)` and the rest stay. Data comes in through the
 * front matter or `--data`.
 * @example new Session({engine, host: createSandboxHost(), libraries: sandboxLibraries(nodeLibraries(document))})
 */
export function sandboxLibraries(libraries: Record<string, unknown>): Record<string, unknown> {
  const aq = libraries.aq as Record<string, unknown> | undefined;
  if (!aq) return libraries;
  const refuse = (name: string) => () => {
    throw new Error(
      `segbook run: aq.${name} reads files and URLs itself, which cells cannot; name the data in the front matter or pass --data, or pass --allow-host-access for a trusted notebook`,
    );
  };
  const safe: Record<string, unknown> = { ...aq };
  for (const name of ARQUERO_LOADERS) if (name in aq) safe[name] = refuse(name);
  return { ...libraries, aq: safe };
}
