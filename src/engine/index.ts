/**
 * The engine folder's shared exports: types, table handles, SQL quoting and load helpers.
 *
 * The two engine factories are NOT exported here, on purpose:
 * - `createNodeEngine` — import from "src/engine/node.ts" (uses node:fs; must stay out of browser
 *   bundles);
 * - `createBrowserEngine` — import from "src/engine/browser.ts" (uses Vite `?url` imports of the
 *   duckdb-wasm files, which do not resolve in Node);
 * - `createNativeEngine` — import from "src/engine/native.ts" (native DuckDB, a Node addon; only its
 *   options type is exported here).
 */
export type {
  ColumnInfo,
  CsvOptions,
  CsvSniff,
  Engine,
  FileFormat,
  FileSource,
  LoadOptions,
  LoadResult,
  SqlParam,
} from "./engine.ts";
export type { ColumnValues, TableHandle } from "./table-handle-types.ts";
export { arrowRows, arrowToArquero, createTableHandle, engineOfHandle } from "./table-handle.ts";
export { columnValues, toPlainValue, toSafeNumber } from "./arrow-values.ts";
export { INTERNAL_NAME_PREFIX, isIdentifier, quoteIdentifier, quoteString, tableNameProblem } from "./sql-text.ts";
export { readCsvCall, resolveFormat, sourceFileName } from "./load.ts";
export { inThreadHasher, sha256Blob, sha256Bytes, type Sha256Hasher } from "./sha256.ts";
export { parquetToArrow, type ParquetReadOptions } from "./parquet-to-arrow.ts";
export type { NativeEngineOptions } from "./native.ts";
export type { EngineDriver, MaybePromise, SourceReader } from "./driver.ts";
export { createEngineCore, STARTUP_SQL } from "./engine-core.ts";
export { profileKind, type ProfileKind } from "./profile-sql.ts";
export {
  profileTable,
  type ColumnProfile,
  type HistogramBin,
  type ProfileOptions,
  type TableProfile,
} from "./profile.ts";
export { listTables, type TableSummary } from "./schema.ts";
export { sheetToJson, type SheetCell, type SheetJson } from "./sheet-json.ts";
