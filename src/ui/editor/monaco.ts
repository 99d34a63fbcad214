/**
 * Monaco, set up for notebook cells. Only ever loaded through {@link loadMonaco} (a dynamic import),
 * so the editor and its workers stay out of the first-paint bundle. Only the editor core, its
 * features and the four languages cells use are imported, not every language Monaco ships.
 */
import * as monaco from "monaco-editor/editor";
import "monaco-editor/features/register.all";
import "monaco-editor/languages/definitions/typescript/register";
import "monaco-editor/languages/definitions/javascript/register";
import "monaco-editor/languages/definitions/sql/register";
import "monaco-editor/languages/definitions/markdown/register";
import {
  javascriptDefaults,
  ScriptTarget,
  typescriptDefaults,
} from "monaco-editor/languages/features/typescript/register";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import TsWorker from "monaco-editor/language/typescript/ts.worker?worker";
import type { CellKind } from "../../notebook/index.ts";

export { monaco };

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    return label === "typescript" || label === "javascript" ? new TsWorker() : new EditorWorker();
  },
};

/** The Monaco language of a cell kind. */
export const LANGUAGES: Record<CellKind, string> = { ts: "typescript", js: "javascript", sql: "sql", md: "markdown" };

// Builtins every TS cell can use (src/runtime/builtins.ts), declared loosely: the runtime strips
// types, so type errors can never stop a cell; declarations only keep obvious names from squiggling.
const BUILTINS = `
declare const db: any;
declare function sql(strings: TemplateStringsArray, ...values: any[]): Promise<any>;
declare function display<T>(value: T): T;
declare function random(): number;
declare const invalidation: Promise<void>;
declare const seed: number;
declare function md(strings: TemplateStringsArray, ...values: any[]): any;
declare const aq: any;
declare const Plot: any;
`;

// Each cell is its own script, so their top-level names are shared as globals (cross-cell references
// resolve), but the notebook model makes some checks meaningless:
const IGNORED_DIAGNOSTICS = [
  1375, // top-level await: cells are async function bodies
  1378, // top-level await target
  1108, // return outside a function (bodies are functions)
  2451, // redeclared block-scoped variable: a graph error the runtime reports better
  2300, // duplicate identifier: same
  7027, // unreachable code
];

for (const defaults of [typescriptDefaults, javascriptDefaults]) {
  defaults.setCompilerOptions({
    target: ScriptTarget.ESNext,
    allowNonTsExtensions: true,
    allowJs: true,
    strict: false,
    noImplicitAny: false,
    lib: ["esnext", "dom"],
  });
  defaults.setDiagnosticsOptions({
    noSemanticValidation: false,
    noSyntaxValidation: false,
    diagnosticCodesToIgnore: IGNORED_DIAGNOSTICS,
  });
  defaults.addExtraLib(BUILTINS, "inmemory://segbook/builtins.d.ts");
}

/** Declares the notebook's data tables and named SQL results (handles in TS scope) as `any`. */
export function declareNotebookNames(names: readonly string[]): void {
  const text = names.map((name) => `declare const ${name}: any;`).join("\n");
  for (const defaults of [typescriptDefaults, javascriptDefaults])
    defaults.addExtraLib(text, "inmemory://segbook/notebook.d.ts");
}
