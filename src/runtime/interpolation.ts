/**
 * `${expr}` interpolations in SQL and Markdown cells. The expression is found with the JavaScript
 * parser, so braces and strings inside it (`${ {a: "}"}.a }`) never confuse the scanner.
 */
import { parseExpressionAt } from "acorn";
import type { CompileError } from "./compiled.ts";
import { ACORN_OPTIONS, positionOf } from "./parse-js.ts";

/** One interpolation: its expression text and where `${` … `}` sits in the cell source. */
export interface Interpolation {
  expression: string;
  start: number;
  end: number;
}

/**
 * Reads the interpolation whose `${` starts at `start`. Returns the interpolation, or a located
 * error when the expression is not valid JavaScript or the closing brace is missing.
 */
export function readInterpolation(source: string, start: number): Interpolation | CompileError {
  let expressionEnd: number;
  try {
    expressionEnd = parseExpressionAt(source, start + 2, ACORN_OPTIONS).end;
  } catch (error) {
    const where = positionOf(source, start);
    const message = String((error as Error).message).replace(/\s*\(\d+:\d+\)\s*$/, "");
    return { message: `in \${…}: ${message}`, ...where };
  }
  let close = expressionEnd;
  while (close < source.length && /\s/.test(source[close]!)) ++close;
  if (source[close] !== "}") {
    return { message: "unterminated ${…}: expected } after the expression", ...positionOf(source, start) };
  }
  return { expression: source.slice(start + 2, expressionEnd).trim(), start, end: close + 1 };
}

/** Whether a value returned by {@link readInterpolation} is an error. */
export function isCompileError(value: Interpolation | CompileError): value is CompileError {
  return "message" in value;
}

/** Splits `source` into literal parts around the given interpolations (parts = n + 1). */
export function splitParts(source: string, interpolations: Interpolation[]): string[] {
  const parts: string[] = [];
  let at = 0;
  for (const i of interpolations) {
    parts.push(source.slice(at, i.start));
    at = i.end;
  }
  parts.push(source.slice(at));
  return parts;
}

/** Body of an async function that evaluates the expressions and returns their values in order. */
export function valuesBody(interpolations: Interpolation[]): string {
  return `"use strict";\nreturn [${interpolations.map((i) => `(${i.expression}\n)`).join(", ")}];`;
}
