/**
 * One entry point that compiles any saved cell: TS/JS to a function body, SQL to text parts and
 * parameters, Markdown to literal parts and values.
 */
import type { Cell } from "../notebook/model.ts";
import type { Compiled, CompiledMarkdown, CompiledSql, CompileError } from "./compiled.ts";
import { compileCode, expressionInputs } from "./compile-code.ts";
import { isCompileError, readInterpolation, splitParts, valuesBody, type Interpolation } from "./interpolation.ts";
import { scanSql } from "./sql-scan.ts";
import { DEFAULT_REMOTE_MAX_ROWS, readCellAttributes } from "../notebook/info-string.ts";

/** Compiles a saved cell. Never throws: problems are returned in `error`. */
export function compileCell(cell: Pick<Cell, "kind" | "source" | "name" | "attrs">): Compiled {
  switch (cell.kind) {
    case "ts":
    case "js":
      return compileCode(cell.source, cell.kind);
    case "sql":
      return compileSql(cell.source, cell.name, cell.attrs);
    case "md":
      return compileMarkdown(cell.source);
  }
}

/**
 * Compiles a SQL cell: `${}` values become bound parameters, never spliced text. With `engine=NAME`
 * among its fence attributes it is a remote cell (see remote-cell.ts).
 */
export function compileSql(source: string, name?: string, attrs?: string): CompiledSql {
  const outputs = name ? [name] : [];
  const scan = scanSql(source);
  const base = { kind: "sql" as const, outputs, parts: [source], paramsBody: "", tableRefs: [], isQuery: scan.isQuery };
  const withName = name === undefined ? {} : { name };
  const { attributes, errors } = readCellAttributes("sql", attrs);
  // A cell meant for the warehouse must never fall back to running on local tables.
  if (errors.length)
    return { ...base, ...withName, inputs: [], error: { message: errors.join("; "), line: 1, column: 1 } };
  const remote: Pick<CompiledSql, "remote"> = attributes.engine
    ? { remote: { connection: attributes.engine, maxRows: attributes.maxRows ?? DEFAULT_REMOTE_MAX_ROWS } }
    : {};
  if (scan.error) return { ...base, ...withName, inputs: [], error: scan.error };
  // A remote cell that is one `${…}` and nothing else runs the SQL text that expression gives (e.g. a
  // model's `toSQL`): the one place text, not a parameter, is sent, and only when it is the whole query.
  const only = scan.interpolations.length === 1 ? scan.interpolations[0]! : undefined;
  if (attributes.engine && only && source.trim() === source.slice(only.start, only.end)) {
    remote.remote!.generated = true;
  } else if (attributes.engine && !scan.isQuery) {
    const error: CompileError = {
      message: `a SQL cell with engine=${attributes.engine} must be a query (SELECT, WITH, …): Segbook only reads from a connection, it never changes the warehouse`,
      line: 1,
      column: 1,
    };
    return { ...base, ...withName, inputs: [], error };
  } else if (name && !scan.isQuery) {
    const error: CompileError = {
      message: `SQL cell "${name}" must be a query (SELECT, WITH, FROM, VALUES, …) because its result becomes the table "${name}"; remove the name to run a statement`,
      line: 1,
      column: 1,
    };
    return { ...base, ...withName, inputs: [], error };
  }
  const analysis = expressionInputs(scan.interpolations.map((i) => i.expression));
  if ("error" in analysis) return { ...base, ...withName, inputs: [], error: analysis.error };
  return {
    ...base,
    ...withName,
    ...remote,
    inputs: analysis.inputs,
    parts: splitParts(source, scan.interpolations),
    paramsBody: valuesBody(scan.interpolations),
    // A remote cell's FROM names the server's tables: a local table of the same name is no input.
    tableRefs: attributes.engine ? [] : scan.tableRefs.filter((t) => t !== name),
  };
}

/**
 * Finds `${}` in Markdown outside code: fenced blocks and inline code spans show `${x}` literally, so
 * a notebook can document the syntax.
 */
function markdownInterpolations(source: string): Interpolation[] | CompileError {
  const found: Interpolation[] = [];
  let fence: string | undefined;
  let i = 0;
  while (i < source.length) {
    const lineStart = i === 0 || source[i - 1] === "\n";
    if (lineStart) {
      const lineEnd = source.indexOf("\n", i);
      const line = source.slice(i, lineEnd < 0 ? source.length : lineEnd);
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence !== undefined) {
        if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker)
          fence = undefined;
        i = lineEnd < 0 ? source.length : lineEnd + 1;
        continue;
      }
      if (marker) {
        fence = marker;
        i = lineEnd < 0 ? source.length : lineEnd + 1;
        continue;
      }
    }
    const c = source[i]!;
    if (c === "\\") {
      i += 2;
    } else if (c === "`") {
      let n = 1;
      while (source[i + n] === "`") ++n;
      const run = "`".repeat(n);
      let close = source.indexOf(run, i + n);
      while (close >= 0 && source[close + n] === "`") close = source.indexOf(run, close + n + 1);
      i = close < 0 ? i + n : close + n;
    } else if (c === "$" && source[i + 1] === "{") {
      const interpolation = readInterpolation(source, i);
      if (isCompileError(interpolation)) return interpolation;
      found.push(interpolation);
      i = interpolation.end;
    } else {
      ++i;
    }
  }
  return found;
}

/** Compiles a Markdown cell. */
export function compileMarkdown(source: string): CompiledMarkdown {
  const interpolations = markdownInterpolations(source);
  if (isCompileErrorList(interpolations)) {
    return { kind: "md", inputs: [], outputs: [], parts: [source], valuesBody: "", error: interpolations };
  }
  const analysis = expressionInputs(interpolations.map((i) => i.expression));
  if ("error" in analysis) {
    return { kind: "md", inputs: [], outputs: [], parts: [source], valuesBody: "", error: analysis.error };
  }
  return {
    kind: "md",
    inputs: analysis.inputs,
    outputs: [],
    parts: splitParts(source, interpolations),
    valuesBody: valuesBody(interpolations),
  };
}

function isCompileErrorList(value: Interpolation[] | CompileError): value is CompileError {
  return !Array.isArray(value);
}
