/**
 * The native engine: the same Engine as node.ts (engine-core.ts over a driver), but on native DuckDB
 * through `@duckdb/node-api`, for data that outgrows duckdb-wasm (all cores, no 4 GB wasm heap).
 * Results are converted to the Arrow types duckdb-wasm returns (native-arrow.ts) and Arrow inserts
 * get the DuckDB types duckdb-wasm gives them (native-append.ts), so a notebook computes the same
 * values on both. Files are loaded with native DuckDB's own readers where they give the same table
 * (local files read in place, read_csv, read_parquet: see load-parquet-native.ts; JSON made into an
 * array first, then read_json); DuckDB reads "registered" files from a private temporary directory.
 *
 * Import it from "src/engine/native.ts" directly (like node.ts): it loads a native addon.
 */
import { copyFile, mkdtemp, rm, symlink, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { tableFromIPC, tableToIPC } from "apache-arrow";
import {
  BOOLEAN,
  DOUBLE,
  DuckDBInstance,
  SQLNULL,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBMaterializedResult,
  type DuckDBType,
} from "@duckdb/node-api";
import type { Engine } from "./engine.ts";
import type { EngineDriver } from "./driver.ts";
import { createEngineCore } from "./engine-core.ts";
import { insertArrowNative } from "./native-append.ts";
import { resultToArrow } from "./native-arrow.ts";
import { insertJsonNative } from "./native-json.ts";
import { nodeReader, type NodeEngineOptions } from "./node.ts";
import type { WireParam } from "./params.ts";
import { quoteString } from "./sql-text.ts";

/** Options for {@link createNativeEngine}. */
export interface NativeEngineOptions extends NodeEngineOptions {
  /** DuckDB worker threads (default: DuckDB's choice, all cores). */
  threads?: number;
}

/** DuckDB's type for a bound parameter: as duckdb-wasm binds it (every JS number as DOUBLE). */
function paramType(value: WireParam): DuckDBType {
  if (value === null) return SQLNULL;
  if (typeof value === "number") return DOUBLE;
  if (typeof value === "boolean") return BOOLEAN;
  return VARCHAR;
}

/**
 * Runs one or more statements and returns the last one's result, as duckdb-wasm's runQuery does
 * (node-api's `run` would return the first one's).
 */
async function runAll(connection: DuckDBConnection, sql: string): Promise<DuckDBMaterializedResult> {
  const statements = await connection.extractStatements(sql);
  if (statements.count === 0) throw new Error("Parser Error: no statement to run");
  let result: DuckDBMaterializedResult | undefined;
  for (let i = 0; i < statements.count; i++) {
    const prepared = await statements.prepare(i);
    try {
      result = await prepared.run();
    } finally {
      prepared.destroySync();
    }
  }
  return result!;
}

/** DuckDB's error without the private directory, so messages name files as duckdb-wasm's do. */
function withoutDir(error: unknown, dir: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (!message.includes(dir)) return error instanceof Error ? error : new Error(message);
  return new Error(message.replaceAll(dir + path.sep, "").replaceAll(dir, "."), { cause: error });
}

function ipc(result: DuckDBMaterializedResult): Uint8Array {
  return tableToIPC(resultToArrow(result), "stream");
}

/**
 * Opens an in-memory native DuckDB and wraps it as an {@link Engine}. Extension autoloading is
 * switched off as in the wasm engines; parquet and json are compiled into the native library, so
 * `read_parquet`/`read_json` work in SQL here (not in the browser: load files with loadFile).
 * @example
 * const engine = await createNativeEngine({ baseDir: "notebooks" });
 * await engine.loadFile("orders", { kind: "path", path: "data/orders.csv" });
 */
export async function createNativeEngine(options: NativeEngineOptions = {}): Promise<Engine> {
  const config: Record<string, string> = {};
  if (options.threads !== undefined) config.threads = String(options.threads);
  const instance = await DuckDBInstance.create(":memory:", config);
  const connection = await instance.connect();
  // Registered files live here; DuckDB finds them by their bare names through file_search_path,
  // so statements and error messages name them exactly as with duckdb-wasm's virtual files.
  const fileDir = await mkdtemp(path.join(tmpdir(), "segbook-native-"));
  await connection.run(`SET file_search_path = ${quoteString(fileDir)}`);
  const filePath = (fileName: string) => path.join(fileDir, path.basename(fileName));

  const clean = async <T>(task: () => Promise<T>): Promise<T> => {
    try {
      return await task();
    } catch (error) {
      throw withoutDir(error, fileDir);
    }
  };

  const driver: EngineDriver = {
    takesBuffers: false,
    query: (sql) => clean(async () => ipc(await runAll(connection, sql))),
    prepareQuery: (sql, params) =>
      clean(async () => {
        const prepared = await connection.prepare(sql);
        try {
          prepared.bind(params, params.map(paramType));
          return ipc(await prepared.run());
        } finally {
          prepared.destroySync();
        }
      }),
    registerBuffer: (fileName, bytes) => writeFile(filePath(fileName), bytes),
    // A link, not a copy: DuckDB reads the user's file in place under the registered name (a copy
    // only where links are not allowed, e.g. Windows without developer mode).
    registerLocalFile: (fileName, absolutePath) =>
      symlink(absolutePath, filePath(fileName)).catch(() => copyFile(absolutePath, filePath(fileName))),
    readsParquet: true,
    insertArrow: (tableName, stream) => clean(() => insertArrowNative(connection, tableName, tableFromIPC(stream))),
    insertJSON: (fileName, tableName) => clean(() => insertJsonNative(connection, fileName, tableName)),
    dropFile: (fileName) => unlink(filePath(fileName)),
    async version() {
      const result = await connection.runAndReadAll("SELECT version() AS v");
      return String(result.getRows()[0]![0]);
    },
    async close() {
      connection.closeSync();
      instance.closeSync();
      await rm(fileDir, { recursive: true, force: true });
    },
  };
  return createEngineCore(driver, nodeReader(options));
}
