import ts from "typescript";
import path from "node:path";
const root = "/work/wt-types";
const t0 = performance.now();
const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.AMD, moduleResolution: ts.ModuleResolutionKind.Node10,
  declaration: true, emitDeclarationOnly: true, outFile: "/tmp/types-proto/out.d.ts", allowImportingTsExtensions: true,
  skipLibCheck: true, types: [], lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"], rootDir: root, strict: true,
  stripInternal: true,
};
const program = ts.createProgram([path.join(root, "src/ui/editor/cell-scope.ts"), path.join(root, "src/ui/types/observablehq-inputs.d.ts")], options);
let out = "";
const r = program.emit(undefined, (name, text) => { out = text; });
console.log("ms", performance.now() - t0, r.diagnostics.map(d => ts.flattenDiagnosticMessageText(d.messageText, "\n")).slice(0, 5));
console.log(program.getSourceFiles().filter(f => !f.isDeclarationFile).length, "source files;", out.length, "chars");
(await import("node:fs")).writeFileSync("/tmp/types-proto/out.d.ts", out);
