/**
 * Preparing bound parameters for duckdb-wasm, which sends them to DuckDB as JSON.
 */
import type { SqlParam } from "./engine.ts";
import { placeholderOffsets } from "./placeholders.ts";

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

/**
 * The statement and parameters to send to duckdb-wasm so every number arrives exactly.
 *
 * duckdb-wasm parses the JSON it is sent with a parser that rounds some doubles: 1086.1200000000001
 * arrives as 1086.12, 123456789.12345679 as 123456789.1234568 — a value on a quantile edge then falls
 * in the wrong bin. So each non-integer number is sent as its shortest round-trip decimal text and its
 * placeholder becomes `CAST(? AS DOUBLE)` (DuckDB's text-to-double cast is exact); the type the query
 * sees is DOUBLE either way. Integers (exact in JSON up to 2^53) and statements that number their
 * parameters (`$1`) go as they are.
 */
export function exactParams(sql: string, params: readonly SqlParam[]): { sql: string; wire: WireParam[] } {
  const wire = toWireParams(params);
  const inexact = (v: WireParam) => typeof v === "number" && !Number.isInteger(v);
  if (!wire.some(inexact)) return { sql, wire };
  const offsets = placeholderOffsets(sql);
  if (!offsets || offsets.length !== wire.length) return { sql, wire };
  let text = "";
  let from = 0;
  offsets.forEach((offset, index) => {
    text += sql.slice(from, offset) + (inexact(wire[index]!) ? "CAST(? AS DOUBLE)" : "?");
    from = offset + 1;
  });
  text += sql.slice(from);
  return { sql: text, wire: wire.map((v) => (inexact(v) ? String(v) : v)) };
}
