/**
 * User-facing names for engine tables. A cell's `db.query`, `sql\`…\`` and `seg` calls make tables
 * named `__segbook_t…` (owned by the cell, dropped when it re-runs); the user knows them by the names
 * they bound them to (`const rfm = await seg.rfm(…)`, `const km = await seg.kmeans(…)`). The Tables panel, captions and
 * error messages use these labels, and internal names never reach the user: without a label an error
 * says "the input table" instead. Pure.
 */
import { INTERNAL_NAME_PREFIX } from "../engine/sql-text.ts";
import { isTableHandle } from "./sql-bind.ts";

/** The user's name for an engine table, and the cell (or data node) that binds it. */
export interface TableLabel {
  /** The variable (`top`), or a property path one level down (`parts.before` of `const parts = {before, after}`). */
  name: string;
  cellId: string;
}

/**
 * The engine tables a node's output values hold, by engine name: each output that is a table handle,
 * and each table-handle property of a plain object output (`parts.before`). The first binding of a
 * table wins (`const b = a` keeps `a`).
 * @example tableLabelsOf("c3", new Map([["top", handleOf("__segbook_t4")]])) // Map {"__segbook_t4" => {name: "top", cellId: "c3"}}
 */
export function tableLabelsOf(cellId: string, values: ReadonlyMap<string, unknown>): Map<string, TableLabel> {
  const labels = new Map<string, TableLabel>();
  const add = (table: string, name: string) => {
    if (!labels.has(table)) labels.set(table, { name, cellId });
  };
  for (const [name, value] of values) {
    if (isTableHandle(value)) {
      add(value.name, name);
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
    // Only plain objects (seg results such as kmeans'): a class instance's properties are its own business.
    // (Of any realm: a cell's objects may come from its sandbox's, whose Object.prototype is another.)
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto !== null && Object.getPrototypeOf(proto) !== null) continue;
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (isTableHandle(inner)) add(inner.name, `${name}.${key}`);
    }
  }
  return labels;
}

/** Engine table name -> the name the user knows it by (for messages and captions). */
export type TableLabels = Record<string, string>;

/**
 * {@link tableLabelsOf} as a plain record of names, added to `into` (entries already there win); a
 * handle whose engine name already is the variable's name needs no label.
 * @example tableLabelRecord([["rfm", rfmHandle]]) // => {"__segbook_t11": "rfm"}
 */
export function tableLabelRecord(named: Iterable<readonly [string, unknown]>, into: TableLabels = {}): TableLabels {
  for (const [table, label] of tableLabelsOf("", new Map(named)))
    if (table !== label.name && !(table in into)) into[table] = label.name;
  return into;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// An internal name, quoted or not: __segbook_t3, "__segbook_t3".
const INTERNAL = `"?${escapeRegExp(INTERNAL_NAME_PREFIX)}[A-Za-z0-9_]+"?`;

/**
 * `message` with every internal table name replaced: by the user's label (quoted) when `labels` has
 * one, otherwise by a neutral phrase. `in table "__segbook_t3"` becomes `in table "rfm"` or `in the
 * input table`; a column qualified by an internal name (`"__segbook_t3.CustomerID"`) loses the qualifier.
 * @example withoutInternalNames('unknown column "x" in table "__segbook_t3"', {}) // => 'unknown column "x" in the input table'
 */
export function withoutInternalNames(message: string, labels: Readonly<TableLabels> = {}): string {
  if (!message.includes(INTERNAL_NAME_PREFIX)) return message;
  const bare = (quoted: string) => quoted.replace(/^"|"$/g, "");
  const labelOf = (quoted: string) => labels[bare(quoted)];
  return (
    message
      // "__segbook_t3.CustomerID" or __segbook_t3.CustomerID: a qualified column.
      .replace(new RegExp(`("?)(${INTERNAL})\\.`, "g"), (_m, open: string, name: string) => {
        const label = labelOf(name);
        return `${open}${label ? `${label}.` : ""}`;
      })
      // table "__segbook_t3", Table with name __segbook_t3: the phrase names the table.
      .replace(new RegExp(`\\b([Tt])able( with name)? (${INTERNAL})`, "g"), (_m, t: string, _w, name: string) => {
        const label = labelOf(name);
        return label ? `${t}able "${label}"` : `${t === "T" ? "The" : "the"} input table`;
      })
      // Anything else: the label, or a neutral phrase.
      .replace(new RegExp(INTERNAL, "g"), (name) => {
        const label = labelOf(name);
        return label ? `"${label}"` : "a table this cell made";
      })
  );
}
