/**
 * Compiles a TS/JS cell into an async function body plus its inputs and outputs. Types are stripped
 * (sucrase), never checked, so a type error can never stop a cell from running.
 */
import type { Node, Pattern, Program, Statement, ImportDeclaration } from "acorn";
import { simple } from "acorn-walk";
import { transform } from "sucrase";
import type { CompiledCode, CompileError } from "./compiled.ts";
import { findDeclarations, findReferences, patternIdentifiers } from "./references.ts";
import { parseProgram, positionOf, toCompileError } from "./parse-js.ts";
import { TICK_NAME } from "./loop-guard.ts";
import { VIEW_AS_NAME } from "./view.ts";

/** Strips TypeScript syntax, keeping line numbers so errors point at the author's lines. */
export function stripTypes(source: string): string {
  return transform(source, {
    transforms: ["typescript"],
    disableESTransforms: true,
    // Cells are not modules: keep imports as written so they can be rewritten to dynamic imports.
    keepUnusedImports: true,
  }).code;
}

function failed(error: CompileError): CompiledCode {
  return { kind: "code", inputs: [], outputs: [], body: "", hasValue: false, error };
}

function errorAt(js: string, node: { start: number }, message: string): CompileError {
  const { line, column } = positionOf(js, node.start);
  return { message, line, column };
}

/** Compiles a cell's source. `lang` "ts" strips types first; "js" is taken as it is. */
export function compileCode(source: string, lang: "ts" | "js"): CompiledCode {
  const strip = (text: string) => (lang === "ts" ? stripTypes(text) : text);
  let js = source;
  let program: Program | undefined;
  let firstError: CompileError | undefined;
  try {
    js = strip(source);
    try {
      program = parseProgram(js);
    } catch (error) {
      firstError = toCompileError(error, "zero-based");
    }
  } catch (error) {
    // sucrase counts columns from 1, acorn from 0.
    firstError = toCompileError(error, "one-based");
  }
  // `{a: 1}` is a block with a label to a parser; like Observable, a cell that is one expression is
  // taken as that expression, so an object literal displays as an object.
  const single = program?.body.length === 1 ? program.body[0] : undefined;
  if (!program || single?.type === "BlockStatement") {
    try {
      const wrapped = strip(`(${source}\n)`);
      const candidate = parseProgram(wrapped);
      if (candidate.body.length === 1 && candidate.body[0]!.type === "ExpressionStatement") {
        js = wrapped;
        program = candidate;
      }
    } catch {
      // Not an expression either: report the error of the cell as written.
    }
  }
  if (!program) return failed(firstError ?? { message: "cannot parse the cell", line: 1, column: 1 });

  const problem = checkProgram(js, program);
  if (problem) return failed(problem);

  const references = findReferences(program);
  const assignment = findExternalAssignment(js, program, references);
  if (assignment) return failed(assignment);

  const outputs = [...new Set(findDeclarations(program))];
  const inputs = [...new Set(references.map((r) => r.name))];
  const { body, hasValue } = buildBody(js, program, outputs);
  return { kind: "code", inputs, outputs, body, hasValue };
}

/** Rejects syntax that has no meaning in a cell, with the fix in the message. */
function checkProgram(js: string, program: Program): CompileError | undefined {
  for (const statement of program.body) {
    const type = statement.type as string;
    if (type === "ExportNamedDeclaration" || type === "ExportDefaultDeclaration" || type === "ExportAllDeclaration") {
      return errorAt(
        js,
        statement,
        "export is not needed in a cell: its top-level declarations are already visible to every other cell; remove `export`",
      );
    }
  }
  return undefined;
}

/**
 * A cell may not assign to a variable it does not declare: that would be hidden state shared between
 * cells (or an implicit global). Observable reports the same error.
 */
function findExternalAssignment(
  js: string,
  program: Program,
  references: { start: number }[],
): CompileError | undefined {
  const free = new Set(references.map((r) => r.start));
  let found: CompileError | undefined;
  const check = (target: Node) => {
    if (found) return;
    for (const id of patternIdentifiers(target as Pattern)) {
      if (free.has(id.start)) {
        found = errorAt(
          js,
          id,
          `Assignment to external variable '${id.name}': a cell can only assign variables it declares; declare a new one with const or let`,
        );
        return;
      }
    }
  };
  simple(program, {
    AssignmentExpression(node) {
      check((node as unknown as { left: Node }).left);
    },
    UpdateExpression(node) {
      check((node as unknown as { argument: Node }).argument);
    },
    ForInStatement(node) {
      check((node as unknown as { left: Node }).left);
    },
    ForOfStatement(node) {
      check((node as unknown as { left: Node }).left);
    },
  });
  return found;
}

/** `import {a as b} from "x"` becomes `const {a: b} = await import("x")`. */
function importToDynamic(js: string, statement: ImportDeclaration): string {
  const from = js.slice(statement.source.start, statement.source.end);
  const named: string[] = [];
  let namespace: string | undefined;
  for (const s of statement.specifiers) {
    if (s.type === "ImportNamespaceSpecifier") namespace = s.local.name;
    else if (s.type === "ImportDefaultSpecifier") named.push(`default: ${s.local.name}`);
    else {
      const imported = s.imported.type === "Identifier" ? s.imported.name : JSON.stringify(s.imported.value);
      named.push(imported === s.local.name ? imported : `${imported}: ${s.local.name}`);
    }
  }
  const parts: string[] = [];
  if (namespace) parts.push(`const ${namespace} = await import(${from});`);
  if (named.length) parts.push(`const {${named.join(", ")}} = await import(${from});`);
  if (!parts.length) parts.push(`await import(${from});`);
  return parts.join(" ");
}

function isDirective(statement: Statement): boolean {
  return statement.type === "ExpressionStatement" && "directive" in statement && !!statement.directive;
}

type Edit = { start: number; end: number; text: string };

/**
 * A call to the run's tick at the top of every loop body (see loop-guard.ts), so a runaway loop can be
 * stopped. Inserted on the loop's own line, so line numbers in errors stay the author's.
 */
function loopTicks(js: string, program: Program): Edit[] {
  const edits: Edit[] = [];
  const guard = (node: Node) => {
    const loop = node as unknown as { start: number; body: Node };
    const call = `${TICK_NAME}(${positionOf(js, loop.start).line});`;
    const body = loop.body;
    if (body.type === "BlockStatement") edits.push({ start: body.start + 1, end: body.start + 1, text: ` ${call}` });
    else {
      edits.push({ start: body.start, end: body.start, text: `{${call} ` });
      edits.push({ start: body.end, end: body.end, text: "}" });
    }
  };
  simple(program, {
    WhileStatement: guard,
    DoWhileStatement: guard,
    ForStatement: guard,
    ForInStatement: guard,
    ForOfStatement: guard,
  });
  return edits;
}

/**
 * `const k = view(input)` at the top level binds output `k` to the input (see view.ts): the callee
 * becomes `__segbook_view_as("k", view)`. Only insertions, on the declaration's own line.
 */
function viewBindings(program: Program): Edit[] {
  const edits: Edit[] = [];
  for (const statement of program.body) {
    if (statement.type !== "VariableDeclaration") continue;
    for (const declarator of statement.declarations) {
      let init = declarator.init;
      if (init?.type === "AwaitExpression") init = init.argument;
      if (declarator.id.type !== "Identifier" || init?.type !== "CallExpression") continue;
      const callee = init.callee;
      if (callee.type !== "Identifier" || callee.name !== "view") continue;
      edits.push({
        start: callee.start,
        end: callee.start,
        text: `${VIEW_AS_NAME}(${JSON.stringify(declarator.id.name)}, `,
      });
      edits.push({ start: callee.end, end: callee.end, text: ")" });
    }
  }
  return edits;
}

/** Builds the function body by splicing the stripped source; line structure is preserved. */
function buildBody(js: string, program: Program, outputs: string[]): { body: string; hasValue: boolean } {
  const edits: Edit[] = [...loopTicks(js, program), ...viewBindings(program)];
  for (const statement of program.body) {
    if (statement.type === "ImportDeclaration") {
      edits.push({ start: statement.start, end: statement.end, text: importToDynamic(js, statement) });
    }
  }
  const values = `{${outputs.join(", ")}}`;
  const last = program.body[program.body.length - 1];
  let hasValue = false;
  let tail = `\nreturn {values: ${values}, value: undefined};`;
  if (last && last.type === "ExpressionStatement" && !isDirective(last)) {
    hasValue = true;
    // Insertions around the expression (not a replacement of it), so loop ticks inside it survive.
    const { start, end } = last.expression;
    // The ranges before and after the expression hold only parentheses and the semicolon.
    edits.push({ start: last.start, end: start, text: `return {values: ${values}, value: (` });
    edits.push({ start: end, end: last.end, text: `\n)};` });
    tail = "";
  }
  // Right to left, so earlier offsets stay valid; stable, so equal positions keep their order.
  edits.sort((a, b) => b.start - a.start);
  let body = js;
  for (const edit of edits) body = body.slice(0, edit.start) + edit.text + body.slice(edit.end);
  return { body: `"use strict";\n${body}${tail}`, hasValue };
}

/**
 * Free variables of a list of interpolated expressions (SQL and Markdown cells), with the same checks
 * as a code cell. Returns the inputs or a CompileError (located in the joined expression text).
 */
export function expressionInputs(expressions: string[]): { inputs: string[] } | { error: CompileError } {
  if (expressions.length === 0) return { inputs: [] };
  const js = `[${expressions.map((e) => `(${e}\n)`).join(",")}]`;
  let program: Program;
  try {
    program = parseProgram(js);
  } catch (error) {
    return { error: toCompileError(error, "zero-based") };
  }
  const references = findReferences(program);
  const assignment = findExternalAssignment(js, program, references);
  if (assignment) return { error: assignment };
  return { inputs: [...new Set(references.map((r) => r.name))] };
}
