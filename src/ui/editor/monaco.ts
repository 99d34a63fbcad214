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
import { javascriptDefaults, typescriptDefaults } from "monaco-editor/languages/features/typescript/register";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import TsWorker from "monaco-editor/language/typescript/ts.worker?worker";
import type { CellKind } from "../../notebook/index.ts";
import CELL_TYPES from "virtual:segbook/cell-types";
import { notebookDeclarations, type TableSchema } from "./workbench-types.ts";
import { CELL_COMPILER_OPTIONS, IGNORED_DIAGNOSTICS } from "./cell-check-options.ts";
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

for (const defaults of [typescriptDefaults, javascriptDefaults]) {
  defaults.setCompilerOptions({
    ...CELL_COMPILER_OPTIONS,
    lib: [...CELL_COMPILER_OPTIONS.lib],
    allowNonTsExtensions: true,
  });
  defaults.setDiagnosticsOptions({
    noSemanticValidation: false,
    noSyntaxValidation: false,
    diagnosticCodesToIgnore: [...IGNORED_DIAGNOSTICS],
  });
  // What every TS cell sees, generated from the source at build time (src/ui/build/cell-types.ts):
  // `seg`, table handles, the builtins, and Arquero's and Plot's own declarations. Only for the
  // author: the runtime strips types, so a type error shows as a squiggle but never stops a cell.
  defaults.addExtraLib(CELL_TYPES, "inmemory://segbook/cell-types.d.ts");
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
