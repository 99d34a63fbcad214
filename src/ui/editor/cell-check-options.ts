/**
 * How TS cells are type-checked, shared by the editor (monaco.ts) and the test that checks every
 * shipped notebook (test/ui/build/notebook-type-check.test.ts), so the test sees what the editor shows.
 * Plain data: TypeScript's enum values written out, since Monaco and `typescript` each have their own.
 */

/**
 * Each cell is its own script, so their top-level names are shared as globals (cross-cell
 * references resolve), but the notebook model makes some checks meaningless.
 */
export const IGNORED_DIAGNOSTICS: readonly number[] = [
  1375, // top-level await: cells are async function bodies
  1378, // top-level await target
  1108, // return outside a function (bodies are functions)
  2451, // redeclared block-scoped variable: a graph error the runtime reports better
  2300, // duplicate identifier: same
  7027, // unreachable code
];

/**
 * Compiler options of the cells' TypeScript service. Not strict: cells are sketches, but excess
 * properties and unknown members are still errors, which is what catches a misspelt `seg` option.
 * @example
 * typescriptDefaults.setCompilerOptions({ ...CELL_COMPILER_OPTIONS, allowNonTsExtensions: true });
 */
export const CELL_COMPILER_OPTIONS = {
  /** ESNext (ts.ScriptTarget.ESNext). */
  target: 99,
  allowJs: true,
  strict: false,
  noImplicitAny: false,
  lib: ["esnext", "dom"],
} as const;
