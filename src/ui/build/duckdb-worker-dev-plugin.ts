/**
 * The dev server serves duckdb-wasm's worker script (which DuckDB's boot script loads with
 * importScripts) through its transform pipeline, which reads the script's source map; that map
 * names about a hundred sources outside the package (DuckDB's own build tree), and Vite prints one
 * warning for each when the page first starts DuckDB. This plugin serves the script without its
 * `sourceMappingURL` line in dev, so `npm run dev` stays quiet. The build copies the file untouched.
 */
import fs from "node:fs";
import type { Plugin } from "vite";

/** duckdb-wasm's browser worker scripts (eh, mvp, coi). */
const DUCKDB_WORKER = /[\\/]@duckdb[\\/]duckdb-wasm[\\/]dist[\\/]duckdb-browser-[\w-]+\.worker\.js$/;

/**
 * The plugin (dev server only).
 *
 * @example
 * // vite.config.ts
 * plugins: [duckdbWorkerDevPlugin()];
 */
export function duckdbWorkerDevPlugin(): Plugin {
  return {
    name: "segbook-duckdb-worker-dev",
    apply: "serve",
    load(id) {
      const file = id.split("?")[0]!;
      if (!DUCKDB_WORKER.test(file)) return null;
      const code = fs.readFileSync(file, "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
      return { code, map: null };
    },
  };
}
