import ts from "typescript";
import path from "node:path";
import fs from "node:fs";
const root = "/work/wt-types";
let t0 = performance.now();
const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.AMD, moduleResolution: ts.ModuleResolutionKind.Node10,
  declaration: true, emitDeclarationOnly: true, outFile: "/tmp/types-proto/out.d.ts", allowImportingTsExtensions: true,
  skipLibCheck: true, types: [], lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"], rootDir: root, strict: true,
  noResolve: false,
};
const host = ts.createCompilerHost(options);
const KEEP = /^(arquero|@observablehq\/plot|@uwdata\/flechette)(\/|$)/;
host.resolveModuleNames = (names, containing) => names.map((n) => {
  if (!n.startsWith(".") && !KEEP.test(n)) return undefined;
  return ts.resolveModuleName(n, containing, options, host).resolvedModule;
});
const program = ts.createProgram([path.join(root, "src/ui/editor/cell-scope.ts"), path.join(root, "src/ui/types/observablehq-inputs.d.ts")], options, host);
console.log("program ms", performance.now() - t0, program.getSourceFiles().length); t0 = performance.now();
let out = "";
const r = program.emit(undefined, (name, text) => { out = text; });
console.log("emit ms", performance.now() - t0, r.diagnostics.length);
console.log(program.getSourceFiles().filter(f => !f.isDeclarationFile).length, "source files;", out.length, "chars");
fs.writeFileSync("/tmp/types-proto/out.d.ts", out);
