/**
 * Turns declaration files into `declare module "name" { … }` blocks of one global declaration text,
 * so the editor's TypeScript service gets a package's own types (Arquero, Plot, …) from a single
 * extra lib, with no file system to resolve `./table.js` in. Relative specifiers become module names;
 * everything else is the package's text as shipped, JSDoc included. Node-only (build time).
 */
import ts from "typescript";

/** Maps a relative specifier of the file being wrapped to the module name of its target. */
export type ResolveSpecifier = (specifier: string) => string | undefined;

/** Every string literal in `file` that names a module (imports, exports, `import("…")` types). */
export function moduleSpecifiers(file: ts.SourceFile): ts.StringLiteral[] {
  const found: ts.StringLiteral[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal)) found.push(argument.literal);
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      found.push(node.expression);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** Rewrites the module specifiers of `file` that `rename` maps to another name. */
export function renameSpecifiers(file: ts.SourceFile, rename: (specifier: string) => string | undefined): string {
  const edits: Edit[] = [];
  for (const literal of moduleSpecifiers(file)) {
    const to = rename(literal.text);
    if (to !== undefined)
      edits.push({ start: literal.getStart(file), end: literal.getEnd(), text: JSON.stringify(to) });
  }
  return applyEdits(file.text, edits);
}

/**
 * The declaration file `text` as the ambient module `name`. A file without imports or exports is a
 * global script and is returned as it is. Inside the block `declare` is implied, so the top-level
 * `declare` keywords go (TypeScript rejects them there); `export as namespace` (UMD globals) goes too.
 *
 * @example
 * ambientModule("arquero/dist/types/op/index", text, (s) => resolveFrom("arquero/dist/types/op", s));
 * // 'declare module "arquero/dist/types/op/index" {\nexport { default as op } from "arquero/…";\n}\n'
 */
export function ambientModule(name: string, text: string, resolve: ResolveSpecifier): string {
  const file = ts.createSourceFile(`${name}.d.ts`, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  if (!ts.isExternalModule(file)) return text;
  const edits: Edit[] = [];
  for (const literal of moduleSpecifiers(file)) {
    if (!literal.text.startsWith(".")) continue;
    const to = resolve(literal.text);
    if (to === undefined) throw new Error(`${name}: cannot resolve "${literal.text}"`);
    edits.push({ start: literal.getStart(file), end: literal.getEnd(), text: JSON.stringify(to) });
  }
  for (const statement of file.statements) {
    if (ts.isNamespaceExportDeclaration(statement)) {
      edits.push({ start: statement.getStart(file), end: statement.getEnd(), text: "" });
      continue;
    }
    if (ts.isModuleDeclaration(statement) && statement.flags & ts.NodeFlags.GlobalAugmentation) continue;
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
    for (const modifier of modifiers) {
      if (modifier.kind !== ts.SyntaxKind.DeclareKeyword) continue;
      // The keyword and the space after it.
      const end = /^\s*/.exec(text.slice(modifier.getEnd()))![0].length + modifier.getEnd();
      edits.push({ start: modifier.getStart(file), end, text: "" });
    }
  }
  // `...rest?: T[]` is a grammar error TypeScript forgives only under skipLibCheck (arquero 8's
  // ColumnTable.lookup has one); a rest parameter is optional anyway, so the `?` goes.
  const visit = (node: ts.Node): void => {
    if (ts.isParameter(node) && node.dotDotDotToken && node.questionToken)
      edits.push({ start: node.questionToken.getStart(file), end: node.questionToken.getEnd(), text: "" });
    ts.forEachChild(node, visit);
  };
  visit(file);
  return `declare module ${JSON.stringify(name)} {\n${applyEdits(text, edits)}\n}\n`;
}
