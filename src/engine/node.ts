/**
 * The Node engine: duckdb-wasm's blocking Node bundle in this thread (used by the `segbook` CLI and
 * the tests). Import it from "src/engine/node.ts" directly; index.ts does not re-export it so that
 * browser bundles never pull in node:fs.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Engine } from "./engine.ts";
import type { EngineDriver, SourceReader } from "./driver.ts";
import { blockingBundle } from "./duckdb-node-bundle.ts";
import { createEngineCore } from "./engine-core.ts";
import type { ParquetWasmModule } from "./parquet-wasm-load.ts";
import { REGISTERED_FILE_DIRECTORY } from "./load.ts";
import { fetchBytes } from "./fetch-bytes.ts";
import { localFileError, openLocalFile } from "./local-file.ts";

/**
 * duckdb-wasm's blocking bundle, required as the CommonJS module it is (imported as an ES module, Node
 * would first scan its 1.2 MB of code for export names, about 0.1 s of the main thread at every engine
 * start), with its main module linked lazily (duckdb-node-bundle.ts).
 */
const { createDuckDB, NODE_RUNTIME, VoidLogger } = blockingBundle();

/** Options for {@link createNodeEngine}. */
export interface NodeEngineOptions {
  /** Directory that relative `path` sources resolve against (default: the current directory). */
  baseDir?: string;
  /** Base that relative `url` sources resolve against (default: `baseDir` as a file: URL). */
  baseUrl?: string;
  /** Memory budget for loads in bytes (memory-budget.ts); default 3/4 of DuckDB's memory limit. */
  memoryBudget?: number;
}

/** parquet-wasm's Node build, which reads its wasm from node_modules; loaded at the first Parquet file. */
let parquetWasm: Promise<ParquetWasmModule> | undefined;
function loadParquetWasm(): Promise<ParquetWasmModule> {
  parquetWasm ??= import("parquet-wasm/node") as Promise<ParquetWasmModule>;
  return parquetWasm;
}

async function readLocalFile(absolute: string, shownAs: string): Promise<Uint8Array> {
  try {
    const buffer = await readFile(absolute);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw localFileError(error, absolute, shownAs);
  }
}

/** `url` resolved against `base` when it is an http(s) URL, else null. */
function httpUrl(url: string, base: string | undefined): string | null {
  try {
    const resolved = new URL(url, base);
    return resolved.protocol === "http:" || resolved.protocol === "https:" ? resolved.href : null;
  } catch {
    return null;
  }
}

/**
 * How Node engines read `path` and `url` sources: paths against `baseDir`, file:/http(s): URLs
 * against `baseUrl`, with messages naming the source. Shared by the native engine (native.ts).
 */
export function nodeReader(options: NodeEngineOptions): SourceReader {
  const baseDir = path.resolve(options.baseDir ?? process.cwd());
  const baseUrl = options.baseUrl ?? pathToFileURL(baseDir + path.sep).href;
  return {
    readPath: (file) => readLocalFile(path.resolve(baseDir, file), file),
    openPath: (file) => openLocalFile(path.resolve(baseDir, file), file),
    remoteUrl: (url) => httpUrl(url, baseUrl),
    async readUrl(url) {
      let resolved: URL;
      try {
        resolved = new URL(url, baseUrl);
      } catch {
        throw new Error(`loadFile: "${url}" is not a valid URL`);
      }
      if (resolved.protocol === "file:") return readLocalFile(fileURLToPath(resolved), url);
      if (resolved.protocol === "http:" || resolved.protocol === "https:") return fetchBytes(resolved, url);
      throw new Error(
        `loadFile: unsupported URL scheme "${resolved.protocol}" in "${url}"; use file:, http: or https:`,
      );
    },
  };
}

/** duckdb-wasm's bindings as far as {@link shareCompiledModule} touches them (protected in its types). */
interface NodeBindingsInternals {
  mainModulePath: string;
  instantiateWasm(
    imports: WebAssembly.Imports,
    done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
  ): unknown;
}

/** Compiled duckdb-wasm modules by file: compiled once per process. */
const compiledModules = new Map<string, Promise<WebAssembly.Module>>();

/**
 * Makes `db` instantiate a module compiled once per process instead of compiling its wasm file (34 MB)
 * again: a second engine in the same process (a test file, a benchmark, a tool opening several) then
 * skips about half a second of compile and shares V8's optimised code. Does what duckdb-wasm's own
 * instantiateWasm does, with the compile cached: its JS glue reads the runtime from DUCKDB_RUNTIME.
 */
function shareCompiledModule(db: object): void {
  const bindings = db as NodeBindingsInternals;
  const file = bindings.mainModulePath;
  bindings.instantiateWasm = (imports, done) => {
    const runtime: Record<string, unknown> = {};
    for (const name of Object.getOwnPropertyNames(NODE_RUNTIME)) {
      if (name !== "constructor") runtime[name] = Object.getOwnPropertyDescriptor(NODE_RUNTIME, name)!.value;
    }
    (globalThis as { DUCKDB_RUNTIME?: unknown }).DUCKDB_RUNTIME = runtime;
    let compiled = compiledModules.get(file);
    if (!compiled) {
      compiled = readFile(file).then((bytes) => WebAssembly.compile(bytes));
      compiledModules.set(file, compiled);
      // A failed compile is not kept: the next engine tries again.
      compiled.catch(() => compiledModules.delete(file));
    }
    void compiled.then(async (module) => done(await WebAssembly.instantiate(module, imports), module));
    return [];
  };
}

/**
 * Opens an in-memory DuckDB with duckdb-wasm's blocking Node bundle (no worker, no threads) and wraps
 * it as an {@link Engine}. Extension autoloading is switched off before anything else runs.
 */
export async function createNodeEngine(options: NodeEngineOptions = {}): Promise<Engine> {
  const require = createRequire(import.meta.url);
  const bundles = {
    mvp: { mainModule: require.resolve("@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm"), mainWorker: "" },
    eh: { mainModule: require.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm"), mainWorker: "" },
  };
  const db = await createDuckDB(bundles, new VoidLogger(), NODE_RUNTIME);
  shareCompiledModule(db);
  await db.instantiate(() => undefined);
  db.open({});
  const connection = db.connect();
  const conn = connection.useUnsafe((_bindings, id) => id);
  const driver: EngineDriver = {
    // One directory for every registered file: the sandbox's lock allows exactly it (docs/sandbox.md).
    fileDirectory: REGISTERED_FILE_DIRECTORY,
    takesBuffers: false,
    query: (sql) => db.runQuery(conn, sql),
    prepareQuery(sql, params) {
      const statement = db.createPrepared(conn, sql);
      try {
        return db.runPrepared(conn, statement, params);
      } finally {
        db.closePrepared(conn, statement);
      }
    },
    registerBuffer: (fileName, bytes) => db.registerFileBuffer(fileName, bytes),
    insertArrow: (tableName, ipc) => db.insertArrowFromIPCStream(conn, ipc, { name: tableName }),
    appendArrow: (tableName, ipc) => db.insertArrowFromIPCStream(conn, ipc, { name: tableName, create: false }),
    insertJSON: (fileName, tableName) => db.insertJSONFromPath(conn, fileName, { name: tableName }),
    dropFile: (fileName) => db.dropFile(fileName),
    version: () => db.getVersion(),
    close() {
      connection.close();
      db.dropFiles();
    },
  };
  return createEngineCore(driver, nodeReader(options), {
    parquetWasm: loadParquetWasm,
    ...(options.memoryBudget !== undefined && { memoryBudget: options.memoryBudget }),
  });
}
