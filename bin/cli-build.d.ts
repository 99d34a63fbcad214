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
