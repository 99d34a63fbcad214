/**
 * Which engine table a cell's outputs hold: the names users bound table handles to, so tables with
 * internal engine names (`seg` results, `sql\`…\`` and `db.query` results, all `__segbook_tN`) can be
 * shown under the user's own name (the Tables panel, output captions). Pure.
 */
import { isTableHandle } from "./sql-bind.ts";

/** The user's name for an engine table, and the cell (or data node) that binds it. */
export interface TableLabel {
  /** The variable (`top`), or a property path one level down (`clusters.labels`). */
  name: string;
  cellId: string;
}

/**
 * The engine tables a node's output values hold, by engine name: each output that is a table handle,
 * and each table-handle property of a plain object output (`clusters.labels`). The first binding of a
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
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) continue;
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (isTableHandle(inner)) add(inner.name, `${name}.${key}`);
    }
  }
  return labels;
}
