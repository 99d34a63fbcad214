/** Reading a clustering result's labels table back as an array, for comparisons in tests. */
import type { TableHandle } from "../../../src/engine/table-handle-types.ts";

/**
 * The `cluster` column of a labels table, in row order, as numbers.
 * @example expect(await clustersOf(km)).toEqual(await clustersOf(again));
 */
export async function clustersOf(table: TableHandle): Promise<number[]> {
  return Array.from(await table.column("cluster"), Number);
}
