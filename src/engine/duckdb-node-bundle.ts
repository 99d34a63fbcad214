/**
 * duckdb-wasm's blocking Node bundle, loaded with its main module linked lazily (duckdb-link-patch.ts):
 * the file is read from node_modules, patched in memory (a few milliseconds) and evaluated as the
 * CommonJS module it is, so node_modules itself is never written to.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { compileFunction } from "node:vm";
import { linkLazily } from "./duckdb-link-patch.ts";

/** The Node blocking bundle's exports. */
export type BlockingBundle = typeof import("@duckdb/duckdb-wasm/blocking");

/** Copies of emscripten's glue in the blocking bundle: one for the mvp module, one for eh. */
const GLUE_COPIES = 2;

let loaded: BlockingBundle | undefined;

/**
 * The blocking bundle (loaded once per process), patched. Throws, naming the version, when the installed
 * duckdb-wasm's glue no longer matches the patch.
 *
 * @example
 * const { createDuckDB, NODE_RUNTIME } = blockingBundle();
 */
export function blockingBundle(): BlockingBundle {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const file = require.resolve("@duckdb/duckdb-wasm/blocking");
  const { version } = JSON.parse(readFileSync(path.join(path.dirname(file), "../package.json"), "utf8")) as {
    version: string;
  };
  const source = linkLazily(readFileSync(file, "utf8"), { file: path.basename(file), version, copies: GLUE_COPIES });
  loaded = evaluateBundle(source, file);
  return loaded;
}

/**
 * Evaluates `source` as the CommonJS module at `file`, which is what Node's loader does with a file's
 * text; the module's own require() resolves from `file`'s folder.
 *
 * @example
 * const bundle = evaluateBundle(patchedText, require.resolve("@duckdb/duckdb-wasm/blocking"));
 */
export function evaluateBundle(source: string, file: string): BlockingBundle {
  const module = { exports: {} as BlockingBundle };
  const wrapper = compileFunction(source, ["exports", "require", "module", "__filename", "__dirname"], {
    filename: file,
  }) as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}
