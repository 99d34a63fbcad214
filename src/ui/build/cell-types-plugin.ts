/**
 * A Vite plugin that serves the editor's cell declarations (cell-types.ts, generated from the source)
 * as the module `virtual:segbook/cell-types`, whose default export is the declaration text. Monaco's
 * setup (src/ui/editor/monaco.ts) imports it, so the text lands in Monaco's lazily loaded chunk and
 * never in the first-paint bundle. Works the same under `vite build` and `npm run dev`; in dev, a
 * change to any file the declarations were made from invalidates the module, so the next page load
 * gets fresh types. Generation is cached (see generateCellTypes), so only the first build after a
 * source change pays for it.
 */
import path from "node:path";
import type { Plugin } from "vite";

/** The module monaco.ts imports. */
export const CELL_TYPES_MODULE = "virtual:segbook/cell-types";
const RESOLVED = `\0${CELL_TYPES_MODULE}`;

/**
 * The plugin; `root` is the project root (where `src/` and `node_modules/` are).
 *
 * @example
 * // vite.config.ts
 * plugins: [svelte(), cellTypesPlugin(import.meta.dirname)]
 * // src/ui/editor/monaco.ts
 * import CELL_TYPES from "virtual:segbook/cell-types";
 */
export function cellTypesPlugin(root: string): Plugin {
  let inputs = new Set<string>();
  return {
    name: "segbook-cell-types",
    resolveId(id) {
      return id === CELL_TYPES_MODULE ? RESOLVED : undefined;
    },
    async load(id) {
      if (id !== RESOLVED) return undefined;
      const started = performance.now();
      // Imported here, not at the top: the TypeScript compiler is large, and vitest loads this
      // config for every test run, most of which never ask for the declarations.
      const { generateCellTypes } = await import("./cell-types.ts");
      const types = generateCellTypes(root);
      inputs = new Set(types.inputs.map((file) => path.resolve(file)));
      for (const file of types.inputs) this.addWatchFile(file);
      const ms = Math.round(performance.now() - started);
      this.info(`cell declarations ${types.cached ? "from cache" : "generated"} in ${ms} ms`);
      return `export default ${JSON.stringify(types.text)};`;
    },
    configureServer(server) {
      server.watcher.on("change", (file) => {
        if (!inputs.has(path.resolve(file))) return;
        for (const environment of Object.values(server.environments)) {
          const module = environment.moduleGraph.getModuleById(RESOLVED);
          if (module) environment.moduleGraph.invalidateModule(module);
        }
      });
    },
  };
}
