/**
 * A small SQL tokenizer for SQL cells: it finds `${}` interpolations outside string literals, the
 * table names the query reads (so SQL cells depend on the cells and data sources that make those
 * tables) and whether the text is a query. It is deliberately conservative: a name it cannot place
 * in a FROM/JOIN position is not a dependency.
 */
import type { CompileError } from "./compiled.ts";
import { isCompileError, readInterpolation, type Interpolation } from "./interpolation.ts";
import { positionOf } from "./parse-js.ts";

type Token =
  | { type: "word"; text: string; upper: string }
  | { type: "quoted"; text: string }
  | { type: "punct"; text: string }
  | { type: "param" };

/** What scanning a SQL cell finds. */
export interface SqlScan {
  interpolations: Interpolation[];
  tableRefs: string[];
  isQuery: boolean;
  /** The first keyword, upper-cased (e.g. `SELECT`, `DESCRIBE`), or "" for empty text. */
  firstKeyword: string;
  error?: CompileError;
}

const QUERY_KEYWORDS = new Set(["SELECT", "WITH", "FROM", "VALUES", "TABLE", "PIVOT", "UNPIVOT"]);
/** Statements that return rows but cannot stand in `CREATE TABLE … AS`; they are wrapped. */
export const WRAPPED_QUERY_KEYWORDS = new Set(["DESCRIBE", "SUMMARIZE", "SHOW"]);
const CLAUSE_END = new Set([
  "WHERE",
  "GROUP",
  "HAVING",
  "ORDER",
  "LIMIT",
  "OFFSET",
  "QUALIFY",
  "WINDOW",
  "UNION",
  "EXCEPT",
  "INTERSECT",
  "SELECT",
  "ON",
  "USING",
  "RETURNING",
  "SET",
  "VALUES",
  "USING",
  "SAMPLE",
]);

/** Tokenizes SQL; `${}` interpolations become `param` tokens. */
function tokenize(source: string): { tokens: Token[]; interpolations: Interpolation[]; error?: CompileError } {
  const tokens: Token[] = [];
  const interpolations: Interpolation[] = [];
  let i = 0;
  const fail = (at: number, message: string) => ({
    tokens,
    interpolations,
    error: { message, ...positionOf(source, at) },
  });
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      ++i;
    } else if (c === "-" && source[i + 1] === "-") {
      const end = source.indexOf("\n", i);
      i = end < 0 ? source.length : end + 1;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      if (end < 0) return fail(i, "unterminated /* comment; close it with */");
      i = end + 2;
    } else if (c === "'" || c === '"') {
      // Strings and quoted identifiers; a doubled quote is an escaped quote.
      let j = i + 1;
      for (;;) {
        if (j >= source.length) {
          return fail(
            i,
            c === "'"
              ? "unterminated string literal: add the closing '"
              : 'unterminated quoted identifier: add the closing "',
          );
        }
        if (source.startsWith("${", j)) {
          return fail(
            j,
            "${…} inside a quoted SQL string is not interpolated: write it outside the quotes, where it becomes a bound parameter (e.g. name = ${name})",
          );
        }
        if (source[j] === c) {
          if (source[j + 1] === c) j += 2;
          else break;
        } else ++j;
      }
      if (c === '"') tokens.push({ type: "quoted", text: source.slice(i + 1, j).replaceAll('""', '"') });
      else tokens.push({ type: "punct", text: "'" });
      i = j + 1;
    } else if (c === "$" && source[i + 1] === "{") {
      const interpolation = readInterpolation(source, i);
      if (isCompileError(interpolation)) return { tokens, interpolations, error: interpolation };
      interpolations.push(interpolation);
      tokens.push({ type: "param" });
      i = interpolation.end;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < source.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(source[j]!)) ++j;
      const text = source.slice(i, j);
      tokens.push({ type: "word", text, upper: text.toUpperCase() });
      i = j;
    } else {
      tokens.push({ type: "punct", text: c });
      ++i;
    }
  }
  return { tokens, interpolations };
}

function nameOf(token: Token | undefined): string | undefined {
  if (!token) return undefined;
  if (token.type === "word") return token.text;
  if (token.type === "quoted") return token.text;
  return undefined;
}

/** Scans a SQL cell's text. */
export function scanSql(source: string): SqlScan {
  const { tokens, interpolations, error } = tokenize(source);
  const first = tokens.find((t) => !(t.type === "punct" && t.text === "("));
  const firstKeyword = first?.type === "word" ? first.upper : "";
  const isQuery = QUERY_KEYWORDS.has(firstKeyword) || WRAPPED_QUERY_KEYWORDS.has(firstKeyword);
  if (error) return { interpolations, tableRefs: [], isQuery, firstKeyword, error };

  const ctes = new Set<string>();
  const refs: string[] = [];
  let depth = 0;
  // Paren depths at which a FROM list is open (a comma there introduces another table).
  const fromDepths: number[] = [];
  const readTable = (at: number) => {
    // A dotted name (schema.table) names its last part; `name(` is a table function, not a table.
    let j = at;
    let name = nameOf(tokens[j]);
    if (name === undefined) return;
    while (
      tokens[j + 1]?.type === "punct" &&
      (tokens[j + 1] as { text: string }).text === "." &&
      nameOf(tokens[j + 2])
    ) {
      j += 2;
      name = nameOf(tokens[j]);
    }
    const next = tokens[j + 1];
    if (next?.type === "punct" && next.text === "(") return;
    if (name !== undefined) refs.push(name);
  };
  for (let k = 0; k < tokens.length; ++k) {
    const t = tokens[k]!;
    if (t.type === "punct") {
      if (t.text === "(") ++depth;
      else if (t.text === ")") {
        --depth;
        while (fromDepths.length && fromDepths[fromDepths.length - 1]! > depth) fromDepths.pop();
      } else if (t.text === "," && fromDepths[fromDepths.length - 1] === depth) readTable(k + 1);
      continue;
    }
    if (t.type !== "word") continue;
    // `name AS (` after WITH or a comma defines a common table expression, which shadows tables.
    const next = tokens[k + 1];
    if (next?.type === "word" && next.upper === "AS" && tokens[k + 2]?.type === "punct") {
      const prev = tokens[k - 1];
      if (
        prev &&
        ((prev.type === "word" && (prev.upper === "WITH" || prev.upper === "RECURSIVE")) ||
          (prev.type === "punct" && prev.text === ","))
      ) {
        ctes.add(t.text);
      }
    }
    // `SUMMARIZE t` and `DESCRIBE t` read table t (but `SUMMARIZE SELECT …` is a query, scanned as one).
    const next1 = tokens[k + 1];
    if (
      k === 0 &&
      (t.upper === "SUMMARIZE" || t.upper === "DESCRIBE") &&
      !(next1?.type === "word" && QUERY_KEYWORDS.has(next1.upper))
    ) {
      readTable(k + 1);
    }
    if (t.upper === "FROM" || t.upper === "JOIN" || t.upper === "INTO" || t.upper === "UPDATE") {
      if (fromDepths[fromDepths.length - 1] !== depth) fromDepths.push(depth);
      readTable(k + 1);
    } else if (CLAUSE_END.has(t.upper) && fromDepths[fromDepths.length - 1] === depth) {
      fromDepths.pop();
    }
  }
  const tableRefs = [...new Set(refs.filter((r) => !ctes.has(r)))];
  return { interpolations, tableRefs, isQuery, firstKeyword };
}
