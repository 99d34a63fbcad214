/**
 * Refuses INSTALL/LOAD statements before they reach DuckDB: duckdb-wasm would try to download the
 * extension (in Node's blocking bundle `LOAD parquet` simply hangs), and Segbook must work offline.
 */

/**
 * The first words of each statement in `sql`, upper-cased (e.g. `["SELECT", "FORCE INSTALL"]`),
 * skipping strings, quoted identifiers and comments so a `;` inside them does not split statements.
 */
export function statementHeads(sql: string): string[] {
  const heads: string[] = [];
  // The statement's first two tokens: upper-cased words, or "?" for anything else.
  let tokens: string[] = [];
  const push = (token: string) => {
    if (tokens.length < 2) tokens.push(token);
  };
  const endStatement = () => {
    const [first, second] = tokens;
    if (first && first !== "?") heads.push(second && second !== "?" ? `${first} ${second}` : first);
    tokens = [];
  };
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const ch = sql[i]!;
    if (ch === ";") {
      endStatement();
      i++;
    } else if (ch === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? n : end + 1;
    } else if (ch === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? n : end + 2;
    } else if (ch === "'" || ch === '"') {
      // A doubled quote inside is an escaped quote; scanning on from it works the same way.
      const end = sql.indexOf(ch, i + 1);
      i = end === -1 ? n : end + 1;
      push("?");
    } else if (ch === "$" && /^\$[A-Za-z_]*\$/.test(sql.slice(i, i + 66))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 66))![0];
      const end = sql.indexOf(tag, i + tag.length);
      i = end === -1 ? n : end + tag.length;
      push("?");
    } else if (/[A-Za-z_]/.test(ch)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, i + 128))![0];
      push(word.toUpperCase());
      i += word.length;
    } else {
      if (!/\s/.test(ch)) push("?");
      i++;
    }
  }
  endStatement();
  return heads;
}

/**
 * An error message when `sql` contains an INSTALL or LOAD statement (or `UPDATE EXTENSIONS`),
 * otherwise null.
 */
export function extensionStatementProblem(sql: string): string | null {
  for (const head of statementHeads(sql)) {
    const [first, second] = head.split(" ");
    const verb = first === "FORCE" ? second : first;
    if (verb === "INSTALL" || verb === "LOAD" || head === "UPDATE EXTENSIONS") {
      const statement = head === "UPDATE EXTENSIONS" ? head : first === "FORCE" ? `FORCE ${verb}` : verb;
      return (
        `${statement} statements are not allowed: Segbook's DuckDB runs offline without extensions ` +
        `(installing or loading one would try the network). Load Parquet/JSON files with loadFile ` +
        `and use core DuckDB functions.`
      );
    }
  }
  return null;
}
