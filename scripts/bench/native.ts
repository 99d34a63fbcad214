/**
 * Native DuckDB (@duckdb/node-api) on the same machine: the baseline our duckdb-wasm figures are
 * compared with, single-threaded and with all threads.
 */
import { DuckDBInstance } from "@duckdb/node-api";

/** A native connection with `threads` threads. */
export async function nativeConnection(threads: number | "all") {
  const instance = await DuckDBInstance.create(":memory:", threads === "all" ? {} : { threads: String(threads) });
  const connection = await instance.connect();
  return {
    run: async (sql: string) => {
      await connection.run(sql);
    },
    rows: async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjects(),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
