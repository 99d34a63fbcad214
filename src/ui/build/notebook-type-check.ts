/**
 * Type-checks a notebook's TS cells with the runtime's scoping: a cell is a function body of its own
 * (compile-code.ts), so its top-level names are its own (a cell's `const top` is not the DOM's
 * `window.top`) and are seen by every other cell as that cell's outputs; the notebook's tables (data
 * sources and named SQL cells) are table handles; the builtins come from the generated declarations
 * (cell-types.ts). Each cell is a module that exports its outputs (appended after its last line, so
 * line numbers stay the author's) and every output is a global typed from that export. The editor's
 * compiler options and ignored diagnostics apply (cell-check-options.ts). JS cells contribute their
 * outputs but are not checked, as in the editor. Node-only: for tests and tooling, not the site.
 */
import ts from "typescript";
import { parse } from "../../notebook/parse.ts";
import { CELL_COMPILER_OPTIONS, IGNORED_DIAGNOSTICS } from "../editor/cell-check-options.ts";
import { notebookDeclarations } from "../editor/workbench-types.ts";
import { compileCode } from "../../runtime/compile-code.ts";

/** One type error in a cell, located in the notebook file. */
export interface CellTypeError {
  /** 1-based position of the cell among the notebook's cells. */
  cell: number;
  /** 1-based line and column in the notebook file. */
  line: number;
  column: number;
  /** TypeScript's error code, e.g. 2353 for an unknown property. */
  code: number;
  message: string;
}

/** The module of the notebook's tables (data sources and named SQL cells), as table handles. */
const TABLES = "/segbook/tables.ts";

const OPTIONS: ts.CompilerOptions = {
  ...CELL_COMPILER_OPTIONS,
  lib: CELL_COMPILER_OPTIONS.lib.map((name) => `lib.${name}.d.ts`),
  types: [],
  // Cells are modules here (see above), with top-level await as in the runtime.
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  noEmit: true,
};

/** Parsed files shared between checks: the libraries and the declarations are the same each time. */
const parsed = new Map<string, ts.SourceFile>();

function sourceFile(name: string, text: string, target: ts.ScriptTarget): ts.SourceFile {
  const key = `${name}\0${text.length}`;
  const known = parsed.get(key);
  if (known && known.text === text) return known;
  const file = ts.createSourceFile(name, text, target, true);
  if (name.endsWith(".d.ts")) parsed.set(key, file);
  return file;
}

/**
 * The type errors of `notebookText`'s TS cells against `declarations` (generateCellTypes' text);
 * empty when every cell type-checks.
 *
 * @example
 * const errors = typeCheckNotebook(fs.readFileSync("notebooks/rfm.md", "utf8"), generateCellTypes(root).text);
 * // [{ cell: 4, line: 37, column: 42, code: 2353, message: "Object literal may only specify known properties, …" }]
 */
export function typeCheckNotebook(notebookText: string, declarations: string): CellTypeError[] {
  const { notebook, sourceLines } = parse(notebookText);
  const tables = [
    ...Object.keys(notebook.frontMatter.data),
    ...notebook.cells.flatMap((c) => (c.kind === "sql" && c.name ? [c.name] : [])),
  ];
  // Every name a cell can reach and the module that defines it: first the tables, then each cell's
  // outputs (a name defined twice is a graph error the runtime reports; the first one wins here).
  const cells = notebook.cells.flatMap((cell, index) =>
    cell.kind === "ts" || cell.kind === "js"
      ? [
          {
            cell,
            index,
            file: `/segbook/cell-${index + 1}.${cell.kind}`,
            outputs: compileCode(cell.source, cell.kind).outputs,
          },
        ]
      : [],
  );
  const definedIn = new Map<string, string>();
  for (const name of tables) if (!definedIn.has(name)) definedIn.set(name, TABLES);
  for (const { file, outputs } of cells)
    for (const name of outputs) if (!definedIn.has(name)) definedIn.set(name, file);

  const files = new Map<string, string>([
    ["/segbook/cell-types.d.ts", declarations],
    [TABLES, `${notebookDeclarations(tables, []).replace(/^declare /gm, "export declare ")}\nexport {};`],
  ]);
  for (const { cell, file, outputs } of cells) {
    const own = new Set(outputs);
    const imports = new Map<string, string[]>();
    for (const [name, from] of definedIn) {
      if (own.has(name) || from === file) continue;
      imports.set(from, [...(imports.get(from) ?? []), name]);
    }
    // After the source, so line and column numbers stay the author's: imports are hoisted, and
    // module-scope bindings shadow the DOM's globals as the runtime's parameters do.
    const tail = [...imports].map(([from, names]) => `import { ${names.join(", ")} } from "${from}";`);
    files.set(file, [cell.source, `;export { ${outputs.join(", ")} };`, ...tail].join("\n"));
  }
  const cellOf = new Map(cells.filter(({ cell }) => cell.kind === "ts").map(({ file, index }) => [file, index]));

  const host = ts.createCompilerHost(OPTIONS);
  const readLibrary = host.getSourceFile.bind(host);
  const exists = host.fileExists.bind(host);
  const directoryExists = host.directoryExists?.bind(host);
  host.fileExists = (name) => files.has(name) || exists(name);
  // Without this, module resolution gives up on "/segbook/…" before asking for the file.
  host.directoryExists = (name) => name === "/segbook" || (directoryExists?.(name) ?? true);
  host.getSourceFile = (name, target) => {
    const text = files.get(name);
    if (text !== undefined) return sourceFile(name, text, ts.ScriptTarget.ESNext);
    const file = parsed.get(name) ?? readLibrary(name, target);
    if (file) parsed.set(name, file);
    return file;
  };
  const program = ts.createProgram([...files.keys()], OPTIONS, host);

  const errors: CellTypeError[] = [];
  for (const [name, index] of cellOf) {
    const file = program.getSourceFile(name)!;
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    for (const d of diagnostics) {
      if (IGNORED_DIAGNOSTICS.includes(d.code)) continue;
      const at = file.getLineAndCharacterOfPosition(d.start ?? 0);
      errors.push({
        cell: index + 1,
        line: sourceLines[notebook.cells[index]!.id]! + at.line,
        column: at.character + 1,
        code: d.code,
        message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
      });
    }
  }
  return errors;
}
