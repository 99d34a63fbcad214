/**
 * Serves and emits duckdb-wasm's browser worker scripts (eh, mvp) with their main module linked lazily
 * (src/engine/duckdb-link-patch.ts): a patched copy, since node_modules is never written to. The page
 * imports each worker as `?url` (src/engine/browser-boot.ts) and DuckDB's boot script loads it with
 * importScripts:
 * - `vite build`: the `?url` import resolves to an asset this plugin emits with the patched text, in
 *   place of Vite's copy of the file;
 * - dev server: the URL stays Vite's own (it carries a query string already; a second `?` would break
 *   it) and this plugin patches the text when the request reaches the transform pipeline.
 * Either way the script is served without its `sourceMappingURL` line: the map does not match the
 * patched text, and in dev it names about a hundred sources outside the package (DuckDB's own build
 * tree), one warning from Vite for each. A duckdb-wasm whose glue no longer matches the patch fails
 * the build and the dev server's request with a message naming the version.
 */
import fs from "node:fs";
import path from "node:path";
import type { Plugin } from "vite";
import { linkLazily } from "../../engine/duckdb-link-patch.ts";

/** duckdb-wasm's browser worker scripts the site uses (eh, mvp; coi needs cross-origin isolation). */
const DUCKDB_WORKER = /[\\/]@duckdb[\\/]duckdb-wasm[\\/]dist[\\/](duckdb-browser-(?:eh|mvp)\.worker\.js)$/;

/** The worker `file` read, patched and stripped of its source map line. */
function patchedWorker(file: string): string {
  const packageJson = path.join(path.dirname(file), "../package.json");
  const { version } = JSON.parse(fs.readFileSync(packageJson, "utf8")) as { version: string };
  const source = fs.readFileSync(file, "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
  return linkLazily(source, { file: path.basename(file), version });
}

/**
 * The plugin (build and dev server).
 *
 * @example
 * // vite.config.ts
 * plugins: [duckdbWorkerPlugin()];
 */
export function duckdbWorkerPlugin(): Plugin {
  let build = false;
  return {
    name: "segbook-duckdb-worker",
    // Before Vite's asset plugin, which would otherwise answer the `?url` import with the file as is.
    enforce: "pre",
    configResolved(config) {
      build = config.command === "build";
    },
    load(id) {
      const [file = "", query] = id.split("?");
      const worker = DUCKDB_WORKER.exec(file);
      if (!worker) return null;
      if (build) {
        if (query !== "url") return null;
        const reference = this.emitFile({ type: "asset", name: worker[1], source: patchedWorker(file) });
        return `export default import.meta.ROLLUP_FILE_URL_${reference};`;
      }
      // Dev: the `?url` import itself stays Vite's; the script's own request gets the patched text.
      if (query === "url") return null;
      return { code: patchedWorker(file), map: null };
    },
  };
}
