/**
 * Scope analysis over an ESTree program: which names a cell declares at its top level (its outputs)
 * and which names it reads without declaring (its inputs). This is the heart of "no hidden state":
 * the dependency graph is derived from the code, never declared by hand.
 */
import type { Node, Pattern, Program, Identifier } from "acorn";
import { ancestor } from "acorn-walk";

/** Where an identifier is referenced, for error messages. */
export interface Reference {
  name: string;
  start: number;
  end: number;
}

type AnyNode = Node & Record<string, unknown>;

/** Identifiers bound (or, in an assignment, written) by a pattern: `a`, `{b, c: [d]}`, `...e`, `f = 1`. */
export function patternIdentifiers(pattern: Pattern, into: Identifier[] = []): Identifier[] {
  switch (pattern.type) {
    case "Identifier":
      into.push(pattern);
      break;
    case "ObjectPattern":
      for (const p of pattern.properties) {
        patternIdentifiers(p.type === "RestElement" ? p.argument : p.value, into);
      }
      break;
    case "ArrayPattern":
      for (const e of pattern.elements) if (e) patternIdentifiers(e, into);
      break;
    case "RestElement":
      patternIdentifiers(pattern.argument, into);
      break;
    case "AssignmentPattern":
      patternIdentifiers(pattern.left, into);
      break;
    case "MemberExpression":
      // Only reachable in assignment targets (`a.b = 1`), which bind and write no variable.
      break;
  }
  return into;
}

/** Names bound by a pattern. */
export function patternNames(pattern: Pattern, into: string[] = []): string[] {
  for (const id of patternIdentifiers(pattern)) into.push(id.name);
  return into;
}

/**
 * Top-level declarations of a program: `const`/`let`/`var` (destructuring included), functions,
 * classes and import specifiers. Order is source order; duplicates are kept so the caller can report
 * them.
 */
export function findDeclarations(program: Program): string[] {
  const names: string[] = [];
  for (const statement of program.body) {
    switch (statement.type) {
      case "VariableDeclaration":
        for (const d of statement.declarations) patternNames(d.id, names);
        break;
      case "FunctionDeclaration":
      case "ClassDeclaration":
        if (statement.id) names.push(statement.id.name);
        break;
      case "ImportDeclaration":
        for (const s of statement.specifiers) names.push(s.local.name);
        break;
      default:
        break;
    }
  }
  return names;
}

function isScope(node: AnyNode): boolean {
  return (
    node.type === "FunctionExpression" ||
    node.type === "FunctionDeclaration" ||
    node.type === "ArrowFunctionExpression" ||
    node.type === "Program" ||
    node.type === "ClassExpression" ||
    node.type === "ClassDeclaration"
  );
}

function isBlockScope(node: AnyNode): boolean {
  return (
    isScope(node) ||
    node.type === "BlockStatement" ||
    node.type === "ForInStatement" ||
    node.type === "ForOfStatement" ||
    node.type === "ForStatement" ||
    node.type === "SwitchStatement" ||
    node.type === "StaticBlock"
  );
}

/**
 * Collects the names declared in each scope node, then reports identifiers that no enclosing scope
 * declares. Program-scope declarations are treated like any other scope, so a cell's own top-level
 * names are never its inputs.
 */
export function findReferences(program: Program): Reference[] {
  const locals = new Map<Node, Set<string>>();
  const declare = (scope: Node, name: string) => {
    let set = locals.get(scope);
    if (!set) locals.set(scope, (set = new Set()));
    set.add(name);
  };
  const declarePattern = (scope: Node, pattern: Pattern) => {
    for (const name of patternNames(pattern)) declare(scope, name);
  };
  const nearest = (parents: AnyNode[], test: (n: AnyNode) => boolean): AnyNode => {
    for (let i = parents.length - 1; i >= 0; --i) if (test(parents[i]!)) return parents[i]!;
    return parents[0]!;
  };

  const declareFunction = (node: AnyNode) => {
    const fn = node as unknown as { params: Pattern[]; id?: Identifier | null; type: string };
    for (const p of fn.params) declarePattern(node, p);
    // A named function expression can refer to itself by name.
    if (fn.type === "FunctionExpression" && fn.id) declare(node, fn.id.name);
  };

  ancestor(program, {
    VariableDeclaration(node, _state, parents) {
      const decl = node as unknown as { kind: string; declarations: { id: Pattern }[] };
      const scope =
        decl.kind === "var"
          ? nearest(parents as AnyNode[], isScope)
          : nearest(parents.slice(0, -1) as AnyNode[], isBlockScope);
      for (const d of decl.declarations) declarePattern(scope, d.id);
    },
    FunctionDeclaration(node, _state, parents) {
      const fn = node as unknown as { id: Identifier | null };
      if (fn.id) declare(nearest(parents.slice(0, -1) as AnyNode[], isBlockScope), fn.id.name);
      declareFunction(node as unknown as AnyNode);
    },
    FunctionExpression(node) {
      declareFunction(node as unknown as AnyNode);
    },
    ArrowFunctionExpression(node) {
      declareFunction(node as unknown as AnyNode);
    },
    ClassDeclaration(node, _state, parents) {
      const cls = node as unknown as { id: Identifier | null };
      if (cls.id) declare(nearest(parents.slice(0, -1) as AnyNode[], isBlockScope), cls.id.name);
    },
    ClassExpression(node) {
      const cls = node as unknown as { id: Identifier | null };
      if (cls.id) declare(node, cls.id.name);
    },
    CatchClause(node) {
      // Declared on the clause itself so the parameter's own identifiers count as bound too.
      const clause = node as unknown as { param: Pattern | null };
      if (clause.param) declarePattern(node, clause.param);
    },
    ImportDeclaration(node, _state, parents) {
      const imp = node as unknown as { specifiers: { local: Identifier }[] };
      for (const s of imp.specifiers) declare(parents[0]!, s.local.name);
    },
  });

  const references: Reference[] = [];
  const seen = new Set<Identifier>();
  const isDeclared = (name: string, parents: AnyNode[]) => {
    for (let i = parents.length - 1; i >= 0; --i) {
      if (locals.get(parents[i]!)?.has(name)) return true;
    }
    return false;
  };
  const visit = (node: Node, parents: Node[]) => {
    const id = node as Identifier;
    if (seen.has(id)) return;
    seen.add(id);
    if (!isReference(id, parents[parents.length - 2] as AnyNode | undefined)) return;
    if (isDeclared(id.name, parents as AnyNode[])) return;
    // `arguments` is implicitly bound inside every non-arrow function.
    if (
      id.name === "arguments" &&
      parents.some((p) => isScope(p as AnyNode) && p.type !== "ArrowFunctionExpression" && p.type !== "Program")
    )
      return;
    references.push({ name: id.name, start: id.start, end: id.end });
  };
  ancestor(program, { Identifier: visit, VariablePattern: visit } as never);
  return references;
}

/** Whether an identifier node is a variable reference (not a property key, label, or binding). */
function isReference(node: Identifier, parent: AnyNode | undefined): boolean {
  if (!parent) return true;
  switch (parent.type) {
    case "MemberExpression":
      return parent.object === node || parent.computed === true;
    case "Property":
      // `{a}` shorthand in an expression reads `a`; a key in `{a: 1}` does not.
      if (parent.shorthand === true) return parent.value === node;
      return parent.value === node || parent.computed === true;
    case "PropertyDefinition":
    case "MethodDefinition":
      return parent.computed === true && parent.key === node ? true : parent.value === node;
    case "LabeledStatement":
    case "BreakStatement":
    case "ContinueStatement":
      return false;
    case "ImportSpecifier":
    case "ImportDefaultSpecifier":
    case "ImportNamespaceSpecifier":
    case "ExportSpecifier":
      return false;
    case "MetaProperty":
      return false;
    default:
      return true;
  }
}
