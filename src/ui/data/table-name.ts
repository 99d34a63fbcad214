/**
 * The table name a dropped file gets: its base name made into a plain SQL identifier
 * (`Mall_Customers.csv` -> `mall_customers`), numbered when the name is taken.
 */
import { isSqlIdentifier } from "../../notebook/index.ts";

/** A lower-case identifier from a file name or URL: letters, digits and `_`, not starting with a digit. */
export function baseTableName(fileName: string): string {
  const last = fileName.split(/[\\/]/).pop() ?? fileName;
  const stem = last.replace(/(\.(gz))?$/i, "").replace(/\.[^.]*$/, "");
  let name = stem
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (name === "") name = "data";
  if (/^[0-9]/.test(name)) name = `t_${name}`;
  return isSqlIdentifier(name) ? name : `${name}_data`;
}

/**
 * A table name for `fileName` not in `taken` (compared case-insensitively, as DuckDB does):
 * the base name, else `name_2`, `name_3`, ....
 */
export function uniqueTableName(fileName: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((t) => t.toLowerCase()));
  const base = baseTableName(fileName);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}
