/**
 * The page's `memory-budget` URL parameter (e.g. `?memory-budget=512MB`): the memory a tab's tables
 * may take, for a tab that must leave room for other work or to try a smaller machine's limit. Files
 * whose estimated table would pass it are refused before loading (src/engine/memory-budget.ts).
 */
import { parseByteSize } from "../engine/memory-budget.ts";

/** The URL parameter's name. */
export const MEMORY_BUDGET_PARAM = "memory-budget";

/**
 * The budget in bytes the page's query asks for; undefined when absent or not a size (the engine's
 * default then applies).
 * @example
 * memoryBudgetFromSearch("?notebook=x&memory-budget=512MB"); // 512000000
 */
export function memoryBudgetFromSearch(search: string): number | undefined {
  const value = new URLSearchParams(search).get(MEMORY_BUDGET_PARAM);
  return value === null ? undefined : parseByteSize(value);
}
