/**
 * What the page needs to run a notebook but not to show one: the runtime (with its cell compiler,
 * sucrase and acorn), the libraries cells get (Arquero, Plot), the `seg` library and the DuckDB client.
 * They arrive by import() right after the entry chunk, so first paint waits only for the shell, the
 * notebook parser and Markdown; DuckDB's worker starts from the entry chunk, before any of them.
 */
import { bootDuckdb, type DuckdbBoot } from "../engine/browser-boot.ts";
import type { Engine } from "../engine/engine.ts";
import { loadRichOutput } from "./render/rich-output-loader.ts";
import { memoryBudgetFromSearch } from "./memory-budget-url.ts";

/** The modules a running notebook needs, loaded together. */
export interface RuntimeModules {
  Session: typeof import("../runtime/session.ts").Session;
  aq: typeof import("arquero");
  Plot: typeof import("@observablehq/plot");
  createWorkerKernels: typeof import("./worker-kernels.ts").createWorkerKernels;
  segLibrary: typeof import("../seg/library.ts").segLibrary;
  browserRunawayPolicy: typeof import("./runaway.ts").browserRunawayPolicy;
}

let runtime: Promise<RuntimeModules> | undefined;

/** Loads the runtime and the cells' libraries (once; later calls share the first load). */
export function loadRuntime(): Promise<RuntimeModules> {
  runtime ??= Promise.all([
    import("../runtime/session.ts"),
    import("arquero"),
    import("@observablehq/plot"),
    import("./worker-kernels.ts"),
    import("./runaway.ts"),
    import("../seg/library.ts"),
    // Not used here: loaded with the runtime so cell values (tables, inspector) render at once.
    loadRichOutput(),
  ]).then(([session, aq, Plot, kernels, runaway, seg]) => ({
    Session: session.Session,
    aq,
    Plot,
    createWorkerKernels: kernels.createWorkerKernels,
    browserRunawayPolicy: runaway.browserRunawayPolicy,
    segLibrary: seg.segLibrary,
  }));
  // A failed load (a network error) may succeed when asked again.
  runtime.catch(() => (runtime = undefined));
  return runtime;
}

/** The boot {@link bootEarly} started, until the first notebook takes it. */
let early: DuckdbBoot | undefined;

/**
 * Starts DuckDB's worker and the wasm's download and compile now, for the first notebook the page
 * opens: the entry chunk calls it before mounting anything, so the longest step of the start does not
 * wait for the app to render, read its settings or fetch the notebook. Booting runs nothing of a
 * notebook; an untrusted one still waits (NotebookState gives its session no cells until trusted).
 *
 * @example
 * bootEarly(); // in main.ts, first
 * const engine = await startBrowserEngine(); // later, takes the early boot
 */
export function bootEarly(): void {
  early ??= bootDuckdb();
}

/**
 * Starts the engine: DuckDB's worker and its wasm start at once (before DuckDB's client library, which
 * comes with Arrow, has loaded), so their download and compile overlap with loading everything else.
 * The boot {@link bootEarly} started is taken when there is one.
 */
export async function startBrowserEngine(): Promise<Engine> {
  const boot = early ?? bootDuckdb();
  early = undefined;
  let createBrowserEngine: typeof import("../engine/browser.ts").createBrowserEngine;
  try {
    ({ createBrowserEngine } = await import("../engine/browser.ts"));
  } catch (error) {
    boot.worker.terminate();
    throw error;
  }
  const memoryBudget = memoryBudgetFromSearch(globalThis.location?.search ?? "");
  return createBrowserEngine({ boot, ...(memoryBudget !== undefined && { memoryBudget }) });
}
