/** Types of bin/cli-build.js (plain JavaScript: it runs before anything could compile TypeScript). */

/** The repository root (bin/..). */
export const ROOT: string;
/** Where the compiled command goes, relative to the root: "build/cli". */
export const OUT_DIR: string;
/**
 * Whether the compiled command in `root`/build/cli matches the sources.
 * @example if (buildState() !== "fresh") await buildCli();
 */
export function buildState(root?: string): "fresh" | "stale" | "missing";
/**
 * Bundles the command into `root`/build/cli and records its inputs; returns the seconds it took.
 * @example const seconds = await buildCli();
 */
export function buildCli(root?: string): Promise<number>;
/**
 * Packages left in node_modules (wasm, native bindings, build tools); every other package is bundled.
 * @example EXTERNAL_PACKAGES.includes("@duckdb/duckdb-wasm"); // true
 */
export const EXTERNAL_PACKAGES: readonly string[];
/**
 * The file whose stat stands for bundled input `file` in inputs.json: a package's package.json.
 * @example stampedInput("node_modules/d3-array/src/bisect.js") // "node_modules/d3-array/package.json"
 */
export function stampedInput(file: string): string;
