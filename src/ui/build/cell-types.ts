/**
 * Generates the editor's declarations for TS cells from the TypeScript source, never by hand: one
 * global declaration text with
 *
 * - our modules (everything `src/ui/editor/cell-scope.ts` reaches: `seg`, table handles, the
 *   runtime's builtins), emitted by the TypeScript compiler as `declare module "segbook/…"` blocks;
 * - the packages' own declarations for `aq` (arquero, with @uwdata/flechette) and `Plot`
 *   (@observablehq/plot), wrapped as ambient modules (ambient-modules.ts); Observable Inputs ships
 *   none, so src/ui/types/observablehq-inputs.d.ts (a minimal honest declaration) is used;
 * - `declare module "x";` for every other package a declaration mentions (apache-arrow,
 *   duckdb-wasm, @stdlib/*, d3): their types are `any` in cells rather than megabytes of text;
 * - one global per member of `CellScope` and one global type per other export of cell-scope.ts.
 *
 * Emitting declarations type-checks every file reached (~10 s on a quiet machine), so the result is
 * cached under node_modules/.cache and reused while no input file changed (a few milliseconds).
 * Node-only: used by the Vite plugin (cell-types-plugin.ts) and by the notebook type-check test.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { ambientModule, moduleSpecifiers, renameSpecifiers } from "./ambient-modules.ts";

/** The file whose `CellScope` lists what a cell sees, relative to the project root. */
export const CELL_SCOPE = "src/ui/editor/cell-scope.ts";
/** Global declaration files of ours that cells see (packages that ship no types). */
const GLOBAL_FILES = ["src/ui/types/observablehq-inputs.d.ts"];
/** Packages whose own declarations are inlined; every other package is `any`. */
const INLINED = /^(arquero|@observablehq\/plot|@uwdata\/flechette)(\/|$)/;
/** Prefix of our module names, so they read as Segbook's in hovers and clash with no package. */
const PREFIX = "segbook/";
/** Bump when the cache entry's format changes, so old caches are not reused. */
const FORMAT = 5;
/** The files that make the text (relative to the root): their hashes are part of the cache key. */
const GENERATOR_FILES = ["src/ui/build/cell-types.ts", "src/ui/build/ambient-modules.ts"];

/** What {@link generateCellTypes} returns. */
export interface CellTypes {
  /** The declarations, one global script for the TypeScript service. */
  text: string;
  /** Every file the text was made from (absolute paths): a change to one of them regenerates it. */
  inputs: string[];
  /** Whether the text came from the cache. */
  cached: boolean;
}

interface CacheEntry {
  /** The project the text was generated for (absolute). */
  root: string;
  format: number;
  typescript: string;
  inputs: Record<string, string>;
  text: string;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function fileHash(file: string): string | undefined {
  try {
    // Without a BOM, as the TypeScript compiler reads a file (so the two hashes of one text agree).
    return sha256(fs.readFileSync(file, "utf8").replace(/^\uFEFF/, ""));
  } catch {
    return undefined;
  }
}

/** Where the declarations of the project at `root` are cached. */
export function cacheFile(root: string): string {
  return path.join(root, "node_modules/.cache/segbook-cell-types.json");
}

/**
 * The cached declarations in `file` for the project at `root`, or undefined when there are none,
 * they were made for another project (a node_modules copied from another checkout or worktree
 * brings that checkout's cache, whose inputs are that checkout's files), by another TypeScript or
 * format, or any input file changed since (compared by sha256, not by date: a checkout or a branch
 * switch touches dates without changing content).
 *
 * @example
 * readCache(cacheFile(root), root)?.text // the declarations, or undefined: regenerate
 */
export function readCache(file: string, root: string): CellTypes | undefined {
  try {
    const entry = JSON.parse(fs.readFileSync(file, "utf8")) as CacheEntry;
    if (entry.format !== FORMAT || entry.typescript !== ts.version) return undefined;
    if (entry.root !== path.resolve(root)) return undefined;
    for (const [file, hash] of Object.entries(entry.inputs)) if (fileHash(file) !== hash) return undefined;
    return { text: entry.text, inputs: Object.keys(entry.inputs), cached: true };
  } catch {
    return undefined;
  }
}

/**
 * Writes the cache entry. `hashes` are of the texts the text was made from (read by the compiler),
 * not of the files as they are now: a file saved while generating (an editor, a branch switch) then
 * no longer matches, and the next read regenerates instead of serving declarations of the old text.
 */
function writeCache(root: string, types: CellTypes, hashes: Record<string, string>): void {
  const inputs = Object.fromEntries(types.inputs.map((file) => [file, hashes[file] ?? ""]));
  const entry: CacheEntry = {
    root: path.resolve(root),
    format: FORMAT,
    typescript: ts.version,
    inputs,
    text: types.text,
  };
  try {
    const file = cacheFile(root);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Write then rename: a build and a test generating at once never read half a file.
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(entry));
    fs.renameSync(temporary, file);
  } catch {
    // A read-only checkout just regenerates next time.
  }
}

/**
 * The declarations TS cells are checked against, generated from the source under `root` (cached).
 *
 * @example
 * const { text } = generateCellTypes(process.cwd());
 * monaco.typescript.typescriptDefaults.addExtraLib(text, "inmemory://segbook/cell-types.d.ts");
 */
export function generateCellTypes(root: string): CellTypes {
  const file = cacheFile(root);
  const cached = readCache(file, root);
  if (cached) return cached;
  // Test files run in parallel (and a build may run beside them): one process generates while the
  // others wait for its cache instead of each spending the same seconds of CPU.
  const lock = `${file}.lock`;
  const unlock = takeLock(lock);
  try {
    const fresh = unlock.waited ? readCache(file, root) : undefined;
    if (fresh) return fresh;
    const { hashes, ...types } = generate(root);
    writeCache(root, types, hashes);
    return types;
  } finally {
    unlock.release();
  }
}

/** Longer than any generation takes: a lock this old was left by a process that died. */
const STALE_LOCK_MS = 5 * 60_000;

/** Creates `lock` exclusively, waiting while another process holds it; `waited` says whether one did. */
function takeLock(lock: string): { waited: boolean; release: () => void } {
  let waited = false;
  const release = () => fs.rmSync(lock, { force: true });
  for (;;) {
    try {
      fs.mkdirSync(path.dirname(lock), { recursive: true });
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      return { waited, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return { waited, release: () => {} };
      const since = fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (since === undefined) continue; // released between the two calls
      if (Date.now() - since > STALE_LOCK_MS) fs.rmSync(lock, { force: true });
      waited = true;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

function generate(root: string): CellTypes & { hashes: Record<string, string> } {
  // The generator's own files, before they are used (see writeCache).
  const hashes: Record<string, string> = Object.fromEntries(
    GENERATOR_FILES.map((file) => [path.join(root, file), fileHash(path.join(root, file)) ?? ""]),
  );
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.AMD,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    declaration: true,
    emitDeclarationOnly: true,
    outFile: path.join(root, "cell-types.d.ts"),
    rootDir: path.join(root, "src"),
    allowImportingTsExtensions: true,
    strict: true,
    skipLibCheck: true,
    types: [],
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  };
  const host = ts.createCompilerHost(options);
  // Packages that are not inlined stay unresolved: parsing apache-arrow or duckdb-wasm only to
  // declare them `any` would double the time.
  host.resolveModuleNames = (names, containing) =>
    names.map((name) =>
      name.startsWith(".") || INLINED.test(name)
        ? ts.resolveModuleName(name, containing, options, host).resolvedModule
        : undefined,
    );
  const entry = path.join(root, CELL_SCOPE);
  const globals = GLOBAL_FILES.map((file) => path.join(root, file));
  const program = ts.createProgram([entry, ...globals], options, host);

  let bundle = "";
  const emitted = program.emit(undefined, (_name, text) => (bundle = text), undefined, true);
  const problems = [...ts.getPreEmitDiagnostics(program, program.getSourceFile(entry)), ...emitted.diagnostics];
  if (problems.length || !bundle) {
    const text = ts.formatDiagnostics(problems, {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => root,
      getNewLine: () => "\n",
    });
    // Fails the build (and the notebook type-check test): the editor would otherwise type `seg` wrongly.
    throw new Error(
      `cell types: cannot emit the editor's declarations from ${CELL_SCOPE}; fix these errors (or export the type named):\n${text}`,
    );
  }

  const parts: string[] = [prefixModules(bundle)];
  const libraryFiles = program
    .getSourceFiles()
    .filter(
      (f) => f.isDeclarationFile && !program.isSourceFileDefaultLibrary(f) && f.fileName.includes("/node_modules/"),
    );
  for (const file of libraryFiles)
    parts.push(ambientModule(packageModuleName(file.fileName), file.text, resolver(file)));
  for (const file of globals) parts.push(program.getSourceFile(file)!.text);

  parts.push(untypedPackages(parts.join("\n")));
  parts.push(scopeGlobals(program, entry));
  const sources = program.getSourceFiles().filter((f) => !program.isSourceFileDefaultLibrary(f));
  for (const source of sources) hashes[path.resolve(source.fileName)] = sha256(source.text);
  const inputs = [
    ...sources.map((f) => path.resolve(f.fileName)),
    // The generator itself: a change to how the text is made regenerates it too.
    ...GENERATOR_FILES.map((file) => path.join(root, file)),
  ];
  return { text: parts.join("\n"), inputs, cached: false, hashes };
}

/** `src/seg/namespace` → `segbook/seg/namespace`, in module names and in imports of them. */
function prefixModules(bundle: string): string {
  const file = ts.createSourceFile("bundle.d.ts", bundle, ts.ScriptTarget.Latest, true);
  const ours = new Set(file.statements.filter(ts.isModuleDeclaration).map((m) => (m.name as ts.StringLiteral).text));
  // Module names first (statement order), then the specifiers inside.
  const renamed = renameSpecifiers(file, (s) => (ours.has(s) ? PREFIX + s : undefined));
  return renamed.replace(/^declare module "([^"]+)"/gm, (line, name: string) =>
    ours.has(name) ? `declare module "${PREFIX}${name}"` : line,
  );
}

/** Where a package's declaration file is imported from: its package name for the entry, else the path. */
function packageModuleName(fileName: string): string {
  const after = fileName.slice(fileName.lastIndexOf("/node_modules/") + "/node_modules/".length);
  const parts = after.split("/");
  const packageName = parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  const packageDir = fileName.slice(0, fileName.length - after.length) + packageName;
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as {
    types?: string;
    typings?: string;
  };
  const typesEntry = manifest.types ?? manifest.typings;
  if (typesEntry && path.resolve(packageDir, typesEntry) === path.resolve(fileName)) return packageName;
  return `${packageName}/${path.relative(packageDir, fileName).replace(/\.d\.ts$/, "")}`;
}

/** Resolves the relative specifiers of a package file to the module names of their targets. */
function resolver(file: ts.SourceFile): (specifier: string) => string | undefined {
  return (specifier) => {
    const base = path.resolve(path.dirname(file.fileName), specifier).replace(/\.(js|mjs|d\.ts|ts)$/, "");
    for (const candidate of [`${base}.d.ts`, path.join(base, "index.d.ts")])
      if (fs.existsSync(candidate)) return packageModuleName(candidate);
    return undefined;
  };
}

/** What the declarations use of one package they do not ship: the names, and whether all of it. */
interface PackageUse {
  names: Set<string>;
  /** `import * as x` or `import x = require()`: any member may be used, so only `declare module "x";` fits. */
  whole: boolean;
}

/** The name a specifier imports or re-exports from its module (`A` in `{ A as B }`). */
function importedName(specifier: ts.ImportSpecifier | ts.ExportSpecifier): string {
  return (specifier.propertyName ?? specifier.name).text;
}

/** Collects what `file` uses of each package in `packages`. */
function packageUses(file: ts.SourceFile, packages: Set<string>): Map<string, PackageUse> {
  const uses = new Map([...packages].map((name) => [name, { names: new Set<string>(), whole: false }]));
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const use = ts.isStringLiteral(node.moduleSpecifier) ? uses.get(node.moduleSpecifier.text) : undefined;
      const clause = ts.isImportDeclaration(node) ? node.importClause : undefined;
      const bindings = clause?.namedBindings ?? (ts.isExportDeclaration(node) ? node.exportClause : undefined);
      if (use) {
        if (clause?.name) use.names.add("default");
        if (!bindings) use.whole ||= ts.isExportDeclaration(node);
        else if (ts.isNamedImports(bindings) || ts.isNamedExports(bindings))
          for (const element of bindings.elements) use.names.add(importedName(element));
        else use.whole = true;
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      const use = ts.isStringLiteral(literal) ? uses.get(literal.text) : undefined;
      if (use) {
        const qualifier = node.qualifier;
        if (!qualifier) use.whole = true;
        else use.names.add(ts.isIdentifier(qualifier) ? qualifier.text : leftmost(qualifier));
      }
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      const use = ts.isStringLiteral(expression) ? uses.get(expression.text) : undefined;
      if (use) use.whole = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return uses;
}

function leftmost(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : leftmost(name.left);
}

/**
 * A declaration, all `any`, for every package the text imports but does not ship. A package only
 * imported whole is `declare module "x";`. One whose names are imported gets each name as both an
 * `any` value and an `any` type (generic, for `Vector<T>`): a shorthand module's names are values
 * only, and using one as a type (`import type { Table } from "apache-arrow"`) would be an error.
 */
function untypedPackages(text: string): string {
  const file = ts.createSourceFile("all.d.ts", text, ts.ScriptTarget.Latest, true);
  const declared = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) declared.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  const missing = new Set(moduleSpecifiers(file).map((s) => s.text));
  for (const name of declared) missing.delete(name);
  const uses = packageUses(file, missing);
  const blocks = [...missing].sort().map((name) => {
    const use = uses.get(name)!;
    if (use.whole || use.names.size === 0) return `declare module ${JSON.stringify(name)};`;
    const members = [...use.names]
      .sort()
      .map((member) =>
        member === "default"
          ? "  const _default: any;\n  export default _default;"
          : `  export type ${member}<A = any, B = any, C = any, D = any> = any;\n  export const ${member}: any;`,
      );
    return `declare module ${JSON.stringify(name)} {\n${members.join("\n")}\n}`;
  });
  return `// Packages cells may meet in a type but whose declarations are not shipped: any.\n${blocks.join("\n")}\n`;
}

/** The leading JSDoc of a declaration, as written. */
function jsDocOf(node: ts.Node): string {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  return docs.length ? `${docs[docs.length - 1]!.getText()}\n` : "";
}

/** A global per member of `CellScope`, a global type per other export of cell-scope.ts. */
function scopeGlobals(program: ts.Program, entry: string): string {
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(entry)!;
  const module = `${PREFIX}${path.relative(path.join(path.dirname(entry), "../.."), entry).replace(/\.ts$/, "")}`;
  const lines: string[] = ["// What every TS cell sees (src/ui/editor/cell-scope.ts)."];
  for (const symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(file)!)) {
    const name = symbol.getName();
    if (name === "CellScope") {
      const scope = checker.getDeclaredTypeOfSymbol(symbol);
      for (const member of scope.getProperties()) {
        const declaration = member.declarations![0]!;
        lines.push(
          `${jsDocOf(declaration)}declare const ${member.name}: import("${module}").CellScope["${member.name}"];`,
        );
      }
      continue;
    }
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declaration = target.declarations![0]!;
    const parameters =
      ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration)
        ? (declaration.typeParameters ?? [])
        : [];
    const list = parameters.length ? `<${parameters.map((p) => p.getText()).join(", ")}>` : "";
    const args = parameters.length ? `<${parameters.map((p) => p.name.text).join(", ")}>` : "";
    lines.push(`${jsDocOf(declaration)}type ${name}${list} = import("${module}").${name}${args};`);
  }
  return `${lines.join("\n")}\n`;
}
