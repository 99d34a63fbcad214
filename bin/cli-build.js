/**
 * Builds the `segbook` command: src/cli/main.ts and the kernel thread (src/cli/kernel-thread.ts)
 * bundled by esbuild into build/cli/ as plain ES modules, so a start does not transpile TypeScript.
 * `npm ci` builds it (the `prepare` script), so does `npm run build`; `node bin/cli-build.js` by hand.
 *
 * - Pure JavaScript packages are bundled with the sources: a run loaded about 900 files from
 *   node_modules one by one (Plot and d3, Arrow, Arquero, linkedom, the @stdlib functions), and
 *   Node's module loader spent about half a second of the main thread resolving, reading and
 *   linking them before the notebook could start; a few chunks cost a fraction of that. The packages
 *   that find their own files where npm put them (duckdb-wasm's .wasm, parquet-wasm, native
 *   DuckDB's binding) or load on their own stay external (EXTERNAL_PACKAGES), imported from
 *   node_modules exactly as from the sources.
 * - Code splitting keeps every dynamic `import()` a chunk of its own, loaded only when reached: what
 *   `--help` loads is main.ts and its few static imports (see src/cli/main.ts).
 * - build/cli/ is two folders below the root like src/cli/, so a path the sources resolve against
 *   `import.meta.url` (`../../package.json`) resolves to the same file compiled.
 * - inputs.json records, for each source file in the bundle, its size and modification time (for a
 *   bundled package, its package.json's: see stampedInput). The bin compares them at each start (a
 *   stat per file, a few milliseconds in all) and rebuilds when any differs, so an edited source or an
 *   updated package is never run stale. It is written last: no inputs.json, no build.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root (bin/..). */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Where the compiled command goes, relative to the root. */
export const OUT_DIR = "build/cli";
const STAMP = "inputs.json";
/** Bumped when the layout of the build changes, so an older build counts as stale. */
const FORMAT = 2;
/**
 * Packages left in node_modules: they find their own files (wasm, native bindings) where npm put
 * them, or are build and development tools loaded on their own.
 * @example EXTERNAL_PACKAGES.includes("@duckdb/duckdb-wasm"); // true
 */
export const EXTERNAL_PACKAGES = ["@duckdb/duckdb-wasm", "@duckdb/node-api", "parquet-wasm", "esbuild", "tsx", "chdb"];
/** Files that shape the output besides the bundled sources. */
const BUILD_INPUTS = ["bin/cli-build.js", "tsconfig.json"];

/**
 * Whether the compiled command in `root`/build/cli matches the sources: "fresh", "stale" (a source
 * changed, was added to or removed from the bundle's imports, or the build is of an older format) or
 * "missing" (never built, or a build did not finish).
 * @example if (buildState() !== "fresh") await buildCli();
 */
export function buildState(root = ROOT) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(path.join(root, OUT_DIR, STAMP), "utf8"));
  } catch {
    return "missing";
  }
  if (stamp.format !== FORMAT || typeof stamp.inputs !== "object") return "stale";
  for (const [file, [mtimeMs, size]] of Object.entries(stamp.inputs)) {
    let stat;
    try {
      stat = statSync(path.join(root, file));
    } catch {
      return "stale";
    }
    if (stat.mtimeMs !== mtimeMs || stat.size !== size) return "stale";
  }
  return "fresh";
}

/**
 * Writes `file` whole or not at all: another `segbook` starting meanwhile (tests start several at
 * once) never imports half a file.
 */
function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

/**
 * The file whose stat stands for bundled input `file`: a package's files are represented by its
 * package.json, which npm rewrites whenever it installs another version, so a start stats one file
 * per package instead of each of its (hundreds of) modules.
 * @example stampedInput("node_modules/d3-array/src/bisect.js") // "node_modules/d3-array/package.json"
 */
export function stampedInput(file) {
  const parts = file.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return file;
  const name = parts[at + 1]?.startsWith("@") ? 2 : 1;
  return [...parts.slice(0, at + 1 + name), "package.json"].join("/");
}

/**
 * Bundles the command into `root`/build/cli and records its inputs; returns the seconds it took.
 * Throws esbuild's error (with file and line) when a source does not compile.
 * @example const seconds = await buildCli(); // 0.4
 */
export async function buildCli(root = ROOT) {
  // Imported here: a start with a fresh build must not pay for loading esbuild.
  const { build } = await import("esbuild");
  const started = Date.now();
  const out = path.join(root, OUT_DIR);
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: "src/cli/main.ts", "kernel-thread": "src/cli/kernel-thread.ts" },
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: EXTERNAL_PACKAGES,
    // Bundled CommonJS packages call require(): ES module output has none, so each file makes one.
    banner: {
      js: 'import { createRequire as __segbookRequire } from "node:module"; const require = __segbookRequire(import.meta.url);',
    },
    // Function and class names as in the sources (messages and reports may show them).
    keepNames: true,
    // Stack traces map to the sources with `node --enable-source-maps bin/segbook.js`.
    sourcemap: "linked",
    chunkNames: "[name]-[hash]",
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  mkdirSync(out, { recursive: true });
  // Chunks before the entries that import them; inputs.json last of all.
  const entries = new Set(["main.js", "kernel-thread.js"].map((f) => path.join(out, f)));
  const files = [...result.outputFiles].sort((a, b) => Number(entries.has(a.path)) - Number(entries.has(b.path)));
  for (const file of files) writeAtomically(file.path, file.contents);
  // Chunks of earlier builds (their names hold a content hash) are no longer imported by anything.
  const written = new Set(files.map((f) => path.basename(f.path)));
  for (const name of readdirSync(out)) {
    if (name !== STAMP && !written.has(name) && !name.endsWith(".tmp")) rmSync(path.join(out, name), { force: true });
  }
  const inputs = {};
  const sources = new Set(Object.keys(result.metafile.inputs).map(stampedInput));
  for (const file of [...sources, ...BUILD_INPUTS]) {
    const stat = statSync(path.join(root, file));
    // Changed while the build ran: maybe after esbuild read it, so count it as changed (-1 never matches).
    inputs[file] = [stat.mtimeMs > started ? -1 : stat.mtimeMs, stat.size];
  }
  writeAtomically(path.join(out, STAMP), `${JSON.stringify({ format: FORMAT, inputs }, null, 1)}\n`);
  return Math.round((Date.now() - started) / 100) / 10;
}

// `node bin/cli-build.js`: build now (the prepare and build scripts).
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const seconds = await buildCli();
  console.log(`built the segbook command into ${OUT_DIR}/ in ${seconds} s`);
}
