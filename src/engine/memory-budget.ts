/**
 * The tab's memory budget for tables, and the check that refuses a file that will not fit before any
 * of it is loaded (instead of a tab that dies mid-load). duckdb-wasm lives in 32-bit WebAssembly:
 * everything DuckDB holds shares one 4 GiB address space, of which DuckDB allows itself its
 * `memory_limit` (80% of it). A table may take {@link TABLE_SHARE} of that, the rest is left for the
 * queries that run on it; a page can set a smaller budget (e.g. `?memory-budget=512MB`, see
 * README "Data bigger than a tab").
 */
import type { RunSql } from "./catalog.ts";
import type { TableSizeEstimate } from "./table-size.ts";

/** The part of DuckDB's memory limit a load may fill, leaving room for queries on the data. */
export const TABLE_SHARE = 0.75;

const UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
};

/**
 * Parses a size such as `512MB`, `1.5 GiB` or `2000000` (bytes); undefined when it is not one.
 * @example
 * parseByteSize("1.5 GiB"); // 1610612736
 */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?\s*$/i.exec(text);
  if (!match) return undefined;
  const bytes = Number(match[1]) * UNITS[(match[2] ?? "B").toUpperCase()]!;
  return Number.isFinite(bytes) && bytes > 0 ? Math.round(bytes) : undefined;
}

/**
 * A byte count for people: "1.9 GB", "640 MB", "12 kB".
 * @example
 * formatBytes(1_940_000_000); // "1.9 GB"
 */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

/** The budget when none is configured: {@link TABLE_SHARE} of DuckDB's own memory limit. */
async function defaultBudget(run: RunSql): Promise<number | undefined> {
  const limit = await run("SELECT current_setting('memory_limit') AS m");
  const bytes = parseByteSize(String(limit.getChild("m")?.get(0) ?? ""));
  return bytes === undefined ? undefined : bytes * TABLE_SHARE;
}

/** Bytes DuckDB's tables and buffers hold now. */
async function usedBytes(run: RunSql): Promise<number> {
  const result = await run("SELECT coalesce(sum(memory_usage_bytes), 0)::DOUBLE AS used FROM duckdb_memory()");
  return Number(result.getChild("used")?.get(0) ?? 0);
}

/**
 * Throws, naming the file (loaded as `table`), the estimate, the budget and the ways out, when loading a table of
 * `estimate` would take the tab past its budget (`budget` bytes, or {@link TABLE_SHARE} of DuckDB's
 * memory limit when undefined) with what DuckDB already holds. Nothing of the file is loaded yet.
 * @example
 * await checkMemoryBudget(run, "orders", "orders.csv", "csv", estimateCsvTable(prefix, size)!, 512e6);
 */
export async function checkMemoryBudget(
  run: RunSql,
  table: string,
  fileName: string,
  format: "csv" | "parquet",
  estimate: TableSizeEstimate,
  budget: number | undefined,
): Promise<void> {
  const limit = budget ?? (await defaultBudget(run));
  if (limit === undefined) return;
  const used = await usedBytes(run);
  if (estimate.bytes + used <= limit) return;
  const rows = `${format === "csv" ? "about " : ""}${estimate.rows.toLocaleString("en-US")} rows × ${estimate.columns} columns`;
  // What is already loaded is worth naming only when it counts.
  const held = used > limit / 20 ? ` with the ${formatBytes(used)} already loaded` : "";
  const ways =
    format === "parquet"
      ? `load only the columns you need (data.${table}.columns in the front matter, or pick them under ` +
        "the file in the data panel), " +
        "filter or sample the file before loading it, or run the notebook outside the tab with " +
        "`segbook run --engine native`"
      : `save the file as Parquet and load only the columns you need (data.${table}.columns), ` +
        "filter or sample the file before loading it, or run the notebook outside the tab with " +
        "`segbook run --engine native`";
  throw new Error(
    `loadFile: "${fileName}" would take about ${formatBytes(estimate.bytes)} in this tab (${rows}), ` +
      `more than its ${formatBytes(limit)} memory budget${held}; nothing was loaded. Ways out: ${ways}`,
  );
}
