/**
 * Parsing helpers shared by the cell compilers: acorn with the options every cell uses, and
 * conversion of acorn's errors into located {@link CompileError}s.
 */
import { parse, type Options, type Program } from "acorn";
import type { CompileError } from "./compiled.ts";

/** Acorn options for cell code: modern syntax, top-level await, module semantics. */
export const ACORN_OPTIONS: Options = {
  ecmaVersion: "latest",
  sourceType: "module",
  allowAwaitOutsideFunction: true,
  locations: true,
};

/** Parses a whole program (a cell body). Throws acorn's SyntaxError. */
export function parseProgram(source: string): Program {
  return parse(source, ACORN_OPTIONS);
}

/** Line (1-based) and column (1-based) of an offset. */
export function positionOf(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; ++i) {
    if (source[i] === "\n") {
      ++line;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Converts an exception from acorn or sucrase into a CompileError located in the original source.
 * Both attach `loc` with a 1-based line; acorn's column is 0-based and sucrase's 1-based. Their
 * messages end with "(line:col)", which is dropped because the location is carried separately.
 */
export function toCompileError(error: unknown, columns: "zero-based" | "one-based"): CompileError {
  const e = error as { message?: string; loc?: { line: number; column: number } };
  const message = String(e.message ?? error).replace(/\s*\(\d+:\d+\)\s*$/, "");
  const line = e.loc?.line ?? 1;
  const column = (e.loc?.column ?? 0) + (columns === "zero-based" ? 1 : 0);
  return { message, line, column };
}
