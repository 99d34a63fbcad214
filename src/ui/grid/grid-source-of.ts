/**
 * Which grid source shows a cell value: table handles page through the engine they came from; Arrow
 * tables (and handles from elsewhere, read once into Arrow) use the in-memory source.
 */
import type { Table as ArrowTable } from "apache-arrow";
import type { TableHandle } from "../../engine/table-handle-types.ts";
import { engineOfHandle } from "../../engine/table-handle.ts";
import { engineGridSource } from "./engine-grid-source.ts";
import type { GridSource } from "./grid-source.ts";
import { arrowGridSource } from "./memory-grid-source.ts";

/** The grid source of a table handle. */
export function gridSourceOfHandle(handle: TableHandle): GridSource | Promise<GridSource> {
  const engine = engineOfHandle(handle);
  if (engine) return engineGridSource(engine, handle.name, handle.columns, handle.numRows);
  return handle.arrow().then((table) => arrowGridSource(table, handle.name));
}

/** The grid source of an Arrow table. */
export function gridSourceOfArrow(table: ArrowTable): GridSource {
  return arrowGridSource(table);
}
