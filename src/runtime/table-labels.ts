/**
 * User-facing names for engine tables. A cell's `db.query`, `sql\`…\`` and `seg` calls make tables
 * named `__segbook_t…` (owned by the cell, dropped when it re-runs); the user knows them by the names
 * they bound them to (`const rfm = await seg.rfm(…)`, `km.labels`). Captions and error messages use
 * these labels, and internal names never reach the user: without a label an error says "the input
 * table" instead.
 */
import { INTERNAL_NAME_PREFIX } from "../engine/sql-text.ts";
import { isTableHandle } from "./sql-bind.ts";

/** Engine table name -> the name the user knows it by. */
export type TableLabels = Record<string, string>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Labels of the tables among named values: a handle bound to `rfm` is labelled `rfm`, a handle in a
 * field of a plain object bound to `km` is labelled `km.labels`. The first name found for a table wins;
 * a handle whose engine name already is the variable's name needs no label.
 * @example tableLabelsOf([["rfm", rfmHandle]]) // => {"__segbook_t11": "rfm"}
 */
export function tableLabelsOf(named: Iterable<readonly [string, unknown]>, into: TableLabels = {}): TableLabels {
  const add = (engineName: string, label: string) => {
    if (engineName !== label && !(engineName in into)) into[engineName] = label;
  };
  for (const [name, value] of named) {
    if (isTableHandle(value)) add(value.name, name);
    else if (isPlainObject(value))
      for (const [key, field] of Object.entries(value)) if (isTableHandle(field)) add(field.name, `${name}.${key}`);
  }
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
