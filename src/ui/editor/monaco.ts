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
import { notebookDeclarations, WORKBENCH_DECLARATIONS, type TableSchema } from "./workbench-types.ts";
import { registerSqlCompletion } from "./sql-completion.ts";
import { referenceHoverMarkdown, segFunctionAt } from "./reference-link.ts";

export { monaco };

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    return label === "typescript" || label === "javascript" ? new TsWorker() : new EditorWorker();
  },
};

/** The Monaco language of a cell kind. */
export const LANGUAGES: Record<CellKind, string> = { ts: "typescript", js: "javascript", sql: "sql", md: "markdown" };

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
  // Builtins every TS cell can use (workbench-types.ts). Only for the author: the runtime strips
  // types, so a type error shows as a squiggle but can never stop a cell.
  defaults.addExtraLib(WORKBENCH_DECLARATIONS, "inmemory://segbook/builtins.d.ts");
}

// Hovering a `seg` function adds a link to its page in the reference shipped with the site. Registered
// for every language ("*" scores below the TypeScript service's own "typescript"), so Monaco shows it
// after the signature and JSDoc; only TS and JS cells get it.
monaco.languages.registerHoverProvider("*", {
  provideHover(model, position) {
    if (!["typescript", "javascript"].includes(model.getLanguageId())) return null;
    const site = segFunctionAt(model.getLineContent(position.lineNumber), position.column);
    if (!site) return null;
    return {
      range: new monaco.Range(position.lineNumber, site.startColumn, position.lineNumber, site.endColumn),
      contents: [{ value: referenceHoverMarkdown(site.name, document.baseURI) }],
    };
  },
});

/** The engine's tables as last declared; the SQL completion provider reads it on every request. */
let liveTables: readonly TableSchema[] = [];
registerSqlCompletion(monaco, () => liveTables);

// Format on demand with Shift+Alt+F everywhere (Monaco binds Ctrl+Shift+I on Linux instead); TS and JS
// cells format through the TypeScript service, SQL and Markdown have no formatter and stay as written.
monaco.editor.addKeybindingRule({
  keybinding: monaco.KeyMod.Shift | monaco.KeyMod.Alt | monaco.KeyCode.KeyF,
  command: "editor.action.formatDocument",
  when: "editorHasDocumentFormattingProvider && editorTextFocus && !editorReadonly",
});

/**
 * Declares the notebook's data tables and named SQL results (handles in TS scope), typed by the live
 * schema in `tables` (the engine's tables, which also feed SQL completion).
 */
export function declareNotebookNames(names: readonly string[], tables: readonly TableSchema[] = []): void {
  liveTables = tables;
  const text = notebookDeclarations(names, tables);
  for (const defaults of [typescriptDefaults, javascriptDefaults])
    defaults.addExtraLib(text, "inmemory://segbook/notebook.d.ts");
}
