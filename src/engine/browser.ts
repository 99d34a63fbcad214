/**
 * The browser engine: duckdb-wasm's AsyncDuckDB in its own Web Worker. Import it from
 * "src/engine/browser.ts" directly; index.ts does not re-export it, because its Vite `?url` imports
 * only work in a Vite build (not in Node).
 *
 * The worker and its wasm are started by browser-boot.ts (eh or mvp bundle), possibly long before
 * this module loads.
 */
import { AsyncDuckDB, DuckDBDataProtocol, VoidLogger } from "@duckdb/duckdb-wasm";
import { bootDuckdb, type DuckdbBoot } from "./browser-boot.ts";
import type { Engine } from "./engine.ts";
import type { EngineDriver, SourceReader } from "./driver.ts";
import { createEngineCore } from "./engine-core.ts";
import { fetchBytes } from "./fetch-bytes.ts";
import type { ParquetWasmModule } from "./parquet-wasm-load.ts";
import { REGISTERED_FILE_DIRECTORY } from "./load.ts";
import parquetWasmUrl from "parquet-wasm/esm/parquet_wasm_bg.wasm?url";

/** Options for {@link createBrowserEngine}. */
export interface BrowserEngineOptions {
  /** Base that relative `url` sources resolve against (default: `document.baseURI`). */
  baseUrl?: string;
  /**
   * A worker already started by {@link bootDuckdb} (the page starts it before this module has
   * loaded); without it one is started now. The engine owns it from here on.
   */
  boot?: DuckdbBoot;
  /**
   * Memory budget for loads in bytes (memory-budget.ts); default 3/4 of DuckDB's memory limit, or
   * half the device's memory when the browser tells it and that is less.
   */
  memoryBudget?: number;
}

/**
 * parquet-wasm's browser build with its wasm served by this site (a Vite asset, fetched at the first
 * Parquet file, never from elsewhere).
 */
let parquetWasm: Promise<ParquetWasmModule> | undefined;
function loadParquetWasm(): Promise<ParquetWasmModule> {
  parquetWasm ??= import("parquet-wasm/esm").then(async (module) => {
    await module.default({ module_or_path: parquetWasmUrl });
    return module;
  });
  // A failed download may succeed when asked again.
  parquetWasm.catch(() => (parquetWasm = undefined));
  return parquetWasm;
}

/** The default budget: the device's memory (Chrome tells it, rounded) is the tighter limit on devices of 4 GB or less. */
function deviceBudget(): number | undefined {
  const gigabytes = (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;
  return typeof gigabytes === "number" && gigabytes > 0 && gigabytes <= 4 ? (gigabytes * 2 ** 30) / 2 : undefined;
}

function browserReader(options: BrowserEngineOptions): SourceReader {
  return {
    readPath(path) {
      return Promise.reject(
        new Error(
          `loadFile: path sources ("${path}") only work in Node; in the browser pass ` +
            `{kind: "url", url} or {kind: "file", file, fileName}`,
        ),
      );
    },
    async readUrl(url) {
      const base = options.baseUrl ?? globalThis.document?.baseURI ?? globalThis.location?.href;
      let resolved: URL;
      try {
        resolved = new URL(url, base);
      } catch {
        throw new Error(`loadFile: "${url}" is not a valid URL`);
      }
      return fetchBytes(resolved, url);
    },
    remoteUrl(url) {
      const base = options.baseUrl ?? globalThis.document?.baseURI ?? globalThis.location?.href;
      try {
        const resolved = new URL(url, base);
        return resolved.protocol === "http:" || resolved.protocol === "https:" ? resolved.href : null;
      } catch {
        return null;
      }
    },
  };
}

/**
 * Starts DuckDB in a Web Worker and wraps it as an {@link Engine}. Extension autoloading is switched
 * off before anything else runs, so nothing is ever downloaded besides the bundled wasm.
 */
export async function createBrowserEngine(options: BrowserEngineOptions = {}): Promise<Engine> {
  const boot = options.boot ?? bootDuckdb();
  try {
    await boot.instantiated;
  } catch (error) {
    boot.worker.terminate();
    throw error;
  }
  // Attached only now: the boot's own answer must not reach AsyncDuckDB as an unknown response.
  const db = new AsyncDuckDB(new VoidLogger(), boot.worker);
  try {
    await db.open({});
  } catch (error) {
    await db.terminate();
    throw error;
  }
  const conn = await db.connectInternal();
  const driver: EngineDriver = {
    // One directory for every registered file: the sandbox's lock allows exactly it (docs/sandbox.md).
    fileDirectory: REGISTERED_FILE_DIRECTORY,
    // AsyncDuckDB transfers the buffers it posts to the worker.
    takesBuffers: true,
    query: (sql) => db.runQuery(conn, sql),
    async prepareQuery(sql, params) {
      const statement = await db.createPrepared(conn, sql);
      try {
        return await db.runPrepared(conn, statement, params);
      } finally {
        await db.closePrepared(conn, statement);
      }
    },
    registerBuffer: (fileName, bytes) => db.registerFileBuffer(fileName, bytes),
    // BROWSER_FILEREADER reads slices of the File on demand instead of copying it into the worker.
    registerFileHandle: (fileName, file) =>
      db.registerFileHandle(fileName, file, DuckDBDataProtocol.BROWSER_FILEREADER, true),
    insertArrow: (tableName, ipc) => db.insertArrowFromIPCStream(conn, ipc, { name: tableName }),
    appendArrow: (tableName, ipc) => db.insertArrowFromIPCStream(conn, ipc, { name: tableName, create: false }),
    insertJSON: (fileName, tableName) => db.insertJSONFromPath(conn, fileName, { name: tableName }),
    dropFile: async (fileName) => {
      await db.dropFile(fileName);
    },
    version: () => db.getVersion(),
    async close() {
      await db.disconnect(conn);
      await db.terminate();
    },
  };
  const memoryBudget = options.memoryBudget ?? deviceBudget();
  return createEngineCore(driver, browserReader(options), {
    parquetWasm: loadParquetWasm,
    ...(memoryBudget !== undefined && { memoryBudget }),
  });
}
