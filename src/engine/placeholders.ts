/**
 * Finding the `?` parameter placeholders of a SQL statement, skipping `?` inside string literals,
 * quoted identifiers, dollar-quoted strings and comments, so the engine can rewrite one placeholder
 * (see params.ts: numbers duckdb-wasm would round are bound as exact text cast to DOUBLE).
 */

/**
 * Offsets of the `?` placeholders in `sql`, in order; `null` when the statement numbers its
 * parameters (`$1`, `?2`), whose order is not the order of appearance.
 */
export function placeholderOffsets(sql: string): number[] | null {
  const offsets: number[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      // A quote ends at the next unpaired quote of the same kind ('' and "" are escapes).
      i += 1;
      while (i < n) {
        if (sql[i] === ch) {
          if (sql[i + 1] === ch) i += 2;
          else break;
        } else i += 1;
      }
      i += 1;
    } else if (ch === "-" && sql[i + 1] === "-") {
      while (i < n && sql[i] !== "\n") i += 1;
    } else if (ch === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (ch === "$") {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end < 0 ? n : end + tag[0].length;
      } else if (/^\$\d/.test(sql.slice(i, i + 2))) {
        return null;
      } else i += 1;
    } else if (ch === "?") {
      if (/\d/.test(sql[i + 1] ?? "")) return null;
      offsets.push(i);
      i += 1;
    } else i += 1;
  }
  return offsets;
}
