/**
 * The Engine, written once over an {@link EngineDriver}: node.ts and browser.ts only supply the
 * driver and the source reader, so both engines share every rule and message.
 */
import { Table, tableToIPC } from "apache-arrow";
import type { Table as ArrowTable } from "apache-arrow";
import type {
  ColumnInfo,
  CsvOptions,
  CsvSniff,
  Engine,
  FileSource,
  LoadOptions,
  LoadResult,
  SqlParam,
} from "./engine.ts";
import type { EngineDriver, SourceReader } from "./driver.ts";
import { describeRelation, dropIfExists, swapIn, type RunSql } from "./catalog.ts";
import { duckdbMessage, queryError } from "./errors.ts";
import { extensionStatementProblem } from "./extension-guard.ts";
import { forgetViewFile, loadFile, type LoadContext } from "./load-file.ts";
import type { ParquetWasmLoader } from "./parquet-wasm-load.ts";
import { resolveFormat, sourceFileName } from "./load.ts";
import { exactParams } from "./params.ts";
import { decodeIpc } from "./decode-ipc.ts";
import { sniffCsv } from "./sniff-csv.ts";
import { INTERNAL_NAME_PREFIX, tableNameProblem } from "./sql-text.ts";

/**
 * Statements run right after opening. Extension autoloading defaults to on in DuckDB; with it off,
 * nothing ever tries the network and a missing extension fails at once with a clear error.
 */
export const STARTUP_SQL = "SET autoinstall_known_extensions = false; SET autoload_known_extensions = false;";

function checkName(method: string, name: string): void {
  const problem = tableNameProblem(name);
  if (problem) {
    throw new Error(
      `${method}: invalid table name ${JSON.stringify(name)}: ${problem}; use a name such as "customers"`,
    );
  }
}

/** What a platform adds to the core besides its driver and reader. */
export interface EngineCoreOptions {
  /** parquet-wasm for this platform (Parquet is read by hyparquet without it). */
  parquetWasm?: ParquetWasmLoader;
  /** The memory budget for loads in bytes (memory-budget.ts); default 3/4 of DuckDB's memory limit. */
  memoryBudget?: number;
}

/**
 * Builds an Engine over a driver whose database is open. Calls run one at a time, in call order,
 * because a load is several statements (stage, swap, describe) that must not interleave.
 */
export async function createEngineCore(
  driver: EngineDriver,
  reader: SourceReader,
  options: EngineCoreOptions = {},
): Promise<Engine> {
  let closed = false;
  let tail: Promise<unknown> = Promise.resolve();
  let lastId = 0;
  const viewFiles = new Map<string, string>();

  const run: RunSql = async (sql, params) => {
    const bytes = params && params.length > 0 ? await driver.prepareQuery(sql, params) : await driver.query(sql);
    return decodeIpc(bytes);
  };
  const ctx: LoadContext = {
    driver,
    reader,
    run,
    nextId: () => ++lastId,
    viewFiles,
    ...(options.parquetWasm && { parquetWasm: options.parquetWasm }),
    ...(options.memoryBudget !== undefined && { memoryBudget: options.memoryBudget }),
  };

  function serialized<T>(method: string, task: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new Error(`${method}: the engine is closed; create a new one`));
    const result = tail.then(task, task);
    tail = result.catch(() => undefined);
    return result;
  }

  function guarded(sql: string): void {
    if (typeof sql !== "string") throw new Error("query: sql must be a string");
    const problem = extensionStatementProblem(sql);
    if (problem) throw new Error(problem);
  }

  await run(STARTUP_SQL);

  const engine: Engine = {
    query(sql: string, params: readonly SqlParam[] = []): Promise<ArrowTable> {
      return serialized("query", async () => {
        guarded(sql);
        const exact = exactParams(sql, params);
        try {
          return await run(exact.sql, exact.wire);
        } catch (error) {
          throw queryError(error);
        }
      });
    },

    exec(sql: string): Promise<void> {
      return serialized("exec", async () => {
        guarded(sql);
        try {
          await run(sql);
        } catch (error) {
          throw queryError(error);
        }
      });
    },

    loadFile(name: string, source: FileSource, options?: LoadOptions): Promise<LoadResult> {
      return serialized("loadFile", async () => {
        checkName("loadFile", name);
        return loadFile(ctx, name, source, options);
      });
    },

    sniffCsv(source: FileSource, options: { format?: "csv" | "tsv"; csv?: CsvOptions } = {}): Promise<CsvSniff> {
      return serialized("sniffCsv", async () => {
        const format = resolveFormat(sourceFileName(source), options.format);
        if (format !== "csv" && format !== "tsv") {
          throw new Error(`sniffCsv: "${sourceFileName(source)}" is a ${format} file; only CSV/TSV files are sniffed`);
        }
        return sniffCsv(ctx, source, format, options.csv);
      });
    },

    insertArrow(name: string, table: ArrowTable): Promise<void> {
      return serialized("insertArrow", async () => {
        checkName("insertArrow", name);
        if (!(table instanceof Table)) {
          throw new Error(`insertArrow: "${name}" needs an apache-arrow Table (from the "apache-arrow" package)`);
        }
        const staging = `${INTERNAL_NAME_PREFIX}staging_${ctx.nextId()}`;
        try {
          await driver.insertArrow(staging, tableToIPC(table, "stream"));
          await swapIn(run, name, staging, "table");
        } catch (error) {
          await dropIfExists(run, staging).catch(() => undefined);
          throw new Error(`insertArrow: could not create "${name}": ${duckdbMessage(error)}`, { cause: error });
        }
        await forgetViewFile(ctx, name);
      });
    },

    describe(name: string): Promise<ColumnInfo[]> {
      return serialized("describe", async () => {
        try {
          return await describeRelation(run, name);
        } catch (error) {
          throw new Error(`describe: cannot describe "${name}": ${duckdbMessage(error)}`, { cause: error });
        }
      });
    },

    version(): Promise<string> {
      return serialized("version", async () => driver.version());
    },

    close(): Promise<void> {
      if (closed) return Promise.resolve();
      const done = serialized("close", async () => {
        await driver.close();
      });
      closed = true;
      return done;
    },
  };
  return engine;
}
