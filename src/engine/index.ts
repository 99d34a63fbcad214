/**
 * The engine folder's shared exports: types, table handles, SQL quoting and load helpers.
 *
 * The two engine factories are NOT exported here, on purpose:
 * - `createNodeEngine` — import from "src/engine/node.ts" (uses node:fs; must stay out of browser
 *   bundles);
 * - `createBrowserEngine` — import from "src/engine/browser.ts" (uses Vite `?url` imports of the
 *   duckdb-wasm files, which do not resolve in Node).
 */
export type {
  ColumnInfo,
  CsvOptions,
  Engine,
  FileFormat,
  FileSource,
  LoadOptions,
  LoadResult,
  SqlParam,
} from "./engine.ts";
export type { ColumnValues, TableHandle } from "./table-handle-types.ts";
export { arrowRows, arrowToArquero, createTableHandle } from "./table-handle.ts";
export { columnValues, toPlainValue, toSafeNumber } from "./arrow-values.ts";
export { INTERNAL_NAME_PREFIX, isIdentifier, quoteIdentifier, quoteString, tableNameProblem } from "./sql-text.ts";
export { readCsvCall, resolveFormat, sourceFileName } from "./load.ts";
export { Sha256, sha256Blob, sha256Bytes } from "./sha256.ts";
export { parquetToArrow } from "./parquet-to-arrow.ts";
export type { EngineDriver, MaybePromise, SourceReader } from "./driver.ts";
export { createEngineCore, STARTUP_SQL } from "./engine-core.ts";
