/**
 * Preparing bound parameters for duckdb-wasm, which sends them to DuckDB as JSON.
 */
import type { SqlParam } from "./engine.ts";

/** A parameter value as duckdb-wasm can carry it (JSON-serializable). */
export type WireParam = string | number | boolean | null;

/**
 * Converts one parameter to what duckdb-wasm can send:
 * - numbers bind as DOUBLE (duckdb-wasm binds every JS number as DOUBLE; integers stay exact up
 *   to 2^53, and DuckDB casts them where the context needs an integer);
 * - bigints within ±(2^53 - 1) become numbers; larger ones are sent as their decimal string, which
 *   DuckDB casts exactly where the context is an integer (`WHERE id = ?`, `?::BIGINT`) — JSON has no
 *   64-bit integers, so `SELECT ? + 1` with such a value needs an explicit `?::BIGINT`;
 * - Dates become ISO-8601 UTC strings (`2024-01-02T03:04:05.000Z`), which DuckDB casts to
 *   TIMESTAMP or DATE where the context asks for one;
 * - strings, booleans and null pass through.
 */
export function toWireParam(value: SqlParam, index: number): WireParam {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (!Number.isFinite(value)) {
        throw new Error(`query: parameter ${index + 1} is ${value}; bind null or a finite number`);
      }
      return value;
    case "bigint":
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value.toString();
    default:
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) {
          throw new Error(`query: parameter ${index + 1} is an invalid Date`);
        }
        return value.toISOString();
      }
      throw new Error(
        `query: parameter ${index + 1} has unsupported type ${typeof value}; ` +
          `bind a string, number, bigint, boolean, Date or null`,
      );
  }
}

/** Converts all parameters (see {@link toWireParam}). */
export function toWireParams(params: readonly SqlParam[]): WireParam[] {
  return params.map((value, index) => toWireParam(value, index));
}
