/**
 * JSON inserts on native DuckDB with the column types duckdb-wasm's insertJSONFromPath gives (its
 * own JSON analyzer, not read_json): whole numbers become the smallest of INTEGER, UINTEGER or
 * BIGINT that holds them, numbers inside lists and structs DOUBLE, time-of-day strings stay
 * VARCHAR and all-null keys INTEGER. read_json's detected types are adjusted to that, then the file
 * is read again with the adjusted types, so the text of string columns is never re-formatted.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { quoteIdentifier, quoteString } from "./sql-text.ts";

const INTEGER_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const NESTED_NUMBERS =
  /\b(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT)\b/g;

/** The type to read a key as, from read_json's detected type. */
function readType(detected: string): string {
  if (INTEGER_TYPES.test(detected)) return "HUGEINT";
  if (detected === "JSON") return "INTEGER";
  if (/^TIME( WITH TIME ZONE)?$/.test(detected) || detected === "UUID") return "VARCHAR";
  if (/[[(]/.test(detected)) return detected.replace(NESTED_NUMBERS, "DOUBLE").replace(/\bTIME\b/g, "VARCHAR");
  return detected;
}

/** The integer type duckdb-wasm picks for whole numbers between `min` and `max`. */
function integerType(min: bigint, max: bigint): string {
  if (min >= -(2n ** 31n) && max < 2n ** 31n) return "INTEGER";
  if (min >= 0n && max < 2n ** 32n) return "UINTEGER";
  if (min >= -(2n ** 63n) && max < 2n ** 63n) return "BIGINT";
  return min >= 0n && max < 2n ** 64n ? "UBIGINT" : "HUGEINT";
}

/**
 * Creates table `tableName` from a file holding one JSON array of objects (see json-source.ts),
 * found by DuckDB under `fileName`.
 */
export async function insertJsonNative(connection: DuckDBConnection, fileName: string, tableName: string) {
  const source = `read_json(${quoteString(fileName)}, format = 'array'`;
  const detected = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source})`)).getRowObjects();
  const columns = detected.map((row) => ({ name: String(row.column_name), type: readType(String(row.column_type)) }));
  const typed = columns.map((column) => `${quoteString(column.name)}: ${quoteString(column.type)}`).join(", ");
  const table = quoteIdentifier(tableName);
  await connection.run(`CREATE TABLE ${table} AS SELECT * FROM ${source}, columns = {${typed}})`);
  const integers = columns.filter((column) => column.type === "HUGEINT");
  if (integers.length === 0) return;
  const ranges = integers.map((c) => `min(${quoteIdentifier(c.name)}), max(${quoteIdentifier(c.name)})`);
  const [row] = (await connection.runAndReadAll(`SELECT ${ranges.join(", ")} FROM ${table}`)).getRows();
  for (const [i, column] of integers.entries()) {
    const [min, max] = [row![i * 2], row![i * 2 + 1]];
    const type = min === null || max === null ? "INTEGER" : integerType(BigInt(min as bigint), BigInt(max as bigint));
    await connection.run(`ALTER TABLE ${table} ALTER ${quoteIdentifier(column.name)} TYPE ${type}`);
  }
}
