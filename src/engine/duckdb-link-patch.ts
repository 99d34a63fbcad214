/**
 * Lazy dynamic linking for duckdb-wasm's emscripten glue: a few exact text replacements applied to a
 * copy of its JavaScript bundles (never to node_modules) by the Node engine (node.ts, at load) and the
 * site's build (src/ui/build/duckdb-worker-plugin.ts).
 *
 * Why: DuckDB's wasm is an emscripten MAIN_MODULE that exports all of its ~75,000 symbols, and the glue
 * links every one of them at each start (emscripten issue #22739): `relocateExports` → `updateGOT` makes
 * a `WebAssembly.Global` and a table slot (`addFunction`) per export, `mergeLibSymbols` copies them all
 * into the import table, `reportUndefinedSymbols` walks the resulting GOT, and
 * `applySignatureConversions` copies the exports object once more. CPU profiles of a start (on a busy
 * 2-core machine) put 0.7-1.4 s of the DuckDB worker's thread in Chromium, and 0.7-0.9 s in Node, in
 * those functions; with this patch 0.1-0.2 s. Only two things need that work:
 * - the GOT entries the main module imports itself (a few hundred, created while it instantiates):
 *   they are filled at once, exactly as before;
 * - side modules (`dlopen`, `loadDynamicLibrary`, extensions) and `dlsym`, which resolve against the
 *   full GOT and import table: the rest of the work runs, unchanged, before the first of them.
 *
 * Each replacement must match exactly once per copy of the glue in a file (the Node bundle holds two:
 * mvp and eh); when duckdb-wasm's text changes, {@link linkLazily} throws naming the version and the
 * replacement instead of shipping an unpatched (or half-patched) bundle.
 */

/** One exact replacement in the glue, with why it is there. */
interface Replacement {
  /** What the replacement does (in error messages). */
  name: string;
  find: string;
  replace: string;
}

/**
 * The helpers the replacements call, inserted before the glue's `var GOT={}` (module scope of each
 * copy). `segbookDeferGOT` is a marker passed to `relocateExports` for the main module only.
 */
const HELPERS = [
  "var segbookMainExports=null,segbookDeferGOT={};",
  // At instantiation: the GOT entries the main module imports (they exist already: GOTHandler made them)
  // get their values now; the dynCall_ exports go on Module as registerDynCallSymbols does, since
  // dynCallLegacy looks them up there; everything else waits for segbookLinkMain.
  "function segbookLinkMainLazily(exports){var imported={};",
  'for(var name in GOT){name in exports&&(imported[name]=exports[name]);"orig$"+name in exports&&(imported["orig$"+name]=exports["orig$"+name])}',
  "segbookUpdateGOT(imported);",
  'for(var name in exports)name.startsWith("dynCall_")&&!Module.hasOwnProperty(name)&&(Module[name]=exports[name]);',
  "segbookMainExports=exports}",
  // Before any side module or symbol lookup: the rest of the main module's linking, as upstream does it.
  'function segbookLinkMain(){var exports=segbookMainExports;exports&&(segbookMainExports=null,segbookUpdateGOT(exports),mergeLibSymbols(exports,"main"))}',
].join("");

/** A function declaration `name` made to finish the main module's linking before it runs. */
function linkFirst(name: string): Replacement {
  return {
    name: `link the main module before ${name}`,
    find: `function ${name}(`,
    replace: `function ${name}(...args){return segbookLinkMain(),segbook${name}(...args)}function segbook${name}(`,
  };
}

/** The replacements, in the order they apply. */
const REPLACEMENTS: Replacement[] = [
  { name: "insert the lazy-linking helpers", find: "var GOT={}", replace: `${HELPERS}var GOT={}` },
  {
    name: "keep updateGOT from linking every main-module export",
    find: "updateGOT=",
    replace:
      "updateGOT=(exports,replace)=>replace===segbookDeferGOT||segbookUpdateGOT(exports,replace),segbookUpdateGOT=",
  },
  {
    name: "mark the main module's relocation",
    find: "wasmExports=relocateExports(wasmExports,1024)",
    replace: "wasmExports=relocateExports(wasmExports,1024,segbookDeferGOT)",
  },
  {
    name: "link the main module lazily",
    find: 'mergeLibSymbols(wasmExports,"main")',
    replace: "segbookLinkMainLazily(wasmExports)",
  },
  {
    name: "link the main module before loadWebAssemblyModule",
    find: "loadWebAssemblyModule=",
    replace:
      "loadWebAssemblyModule=(...args)=>(segbookLinkMain(),segbookLoadWebAssemblyModule(...args)),segbookLoadWebAssemblyModule=",
  },
  linkFirst("loadDynamicLibrary"),
  linkFirst("__dlsym_js"),
  linkFirst("__dlsym_catchup_js"),
  {
    // The converted exports shadow the originals on an object inheriting from them, instead of a copy
    // of all 75,000 properties; the glue only reads wasmExports by name.
    name: "convert signatures without copying the exports",
    find: "function applySignatureConversions(e){e=Object.assign({},e);",
    replace: "function applySignatureConversions(e){e=Object.create(e);",
  },
];

/** Occurrences of `find` in `text`. */
function occurrences(text: string, find: string): number {
  let count = 0;
  for (let at = text.indexOf(find); at >= 0; at = text.indexOf(find, at + find.length)) count++;
  return count;
}

/**
 * `source` (one of duckdb-wasm's bundles) with the main module linked lazily. `copies` is how many
 * copies of emscripten's glue the file holds (1 for a browser worker, 2 for the Node blocking bundle);
 * every replacement must match exactly that often. Throws an Error naming `file`, duckdb-wasm's
 * `version` and the replacement when one does not.
 *
 * @example
 * const patched = linkLazily(readFileSync(worker, "utf8"), { file: "duckdb-browser-eh.worker.js", version: "1.32.0" });
 */
export function linkLazily(
  source: string,
  { file, version, copies = 1 }: { file: string; version: string; copies?: number },
): string {
  // A second pass would wrap the wrappers (its anchors are still there): refuse it.
  if (source.includes("segbookLinkMain")) throw new Error(`${file} is already linked lazily`);
  let text = source;
  for (const { name, find, replace } of REPLACEMENTS) {
    const found = occurrences(text, find);
    if (found !== copies) {
      throw new Error(
        `duckdb-wasm ${version}: cannot ${name} in ${file}: expected ${JSON.stringify(find)} ${copies} time(s), found ${found}. ` +
          "Its emscripten glue changed: update src/engine/duckdb-link-patch.ts for this version (or drop the patch if upstream links lazily).",
      );
    }
    text = text.split(find).join(replace);
  }
  return text;
}

/**
 * The texts {@link linkLazily} looks for, for tests.
 * @example LINK_PATCH_ANCHORS.includes("var GOT={}"); // true
 */
export const LINK_PATCH_ANCHORS: readonly string[] = REPLACEMENTS.map((r) => r.find);
