/**
 * Converting Arrow values (as DuckDB returns them) to plain JavaScript values.
 *
 * Conventions, shared by TableHandle.rows() and TableHandle.column():
 * - BIGINT/UBIGINT (and HUGEINT) become numbers when they are safe integers, otherwise stay bigint;
 * - DATE and TIMESTAMP become JS `Date` objects (DATE at UTC midnight; TIMESTAMP values are UTC wall
 *   time, truncated to milliseconds);
 * - DECIMAL becomes a (floating-point) number;
 * - TIME becomes its text, e.g. `"01:02:03"` or `"01:02:03.5"`;
 * - LIST becomes an array, STRUCT and MAP plain objects (converted recursively);
 * - strings, booleans, floats, small integers and BLOBs (`Uint8Array`) are returned as Arrow gives them.
 */
import { DataType, util } from "apache-arrow";
import type { Decimal, Field, Struct, Vector } from "apache-arrow";
import type { ColumnValues } from "./table-handle-types.ts";

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A bigint as a number when it is a safe integer, otherwise unchanged. */
export function toSafeNumber(value: bigint): number | bigint {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

function formatTime(micros: bigint): string {
  const pad = (n: bigint) => n.toString().padStart(2, "0");
  const seconds = micros / 1_000_000n;
  const fraction = micros % 1_000_000n;
  const text = `${pad(seconds / 3600n)}:${pad((seconds / 60n) % 60n)}:${pad(seconds % 60n)}`;
  return fraction === 0n ? text : `${text}.${fraction.toString().padStart(6, "0").replace(/0+$/, "")}`;
}

function timeToMicros(value: unknown, unit: number): bigint {
  // TimeUnit: 0 = s, 1 = ms, 2 = µs, 3 = ns.
  const raw = typeof value === "bigint" ? value : BigInt(Math.round(Number(value)));
  if (unit === 0) return raw * 1_000_000n;
  if (unit === 1) return raw * 1000n;
  if (unit === 3) return raw / 1000n;
  return raw;
}

/** One Arrow value of type `type` as a plain JS value (see the module comment). */
export function toPlainValue(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  if (DataType.isInt(type)) return typeof value === "bigint" ? toSafeNumber(value) : value;
  if (DataType.isDate(type) || DataType.isTimestamp(type)) return new Date(value as number);
  if (DataType.isDecimal(type)) {
    const scale = (type as Decimal).scale;
    const bigint = util.bigNumToBigInt(value as Parameters<typeof util.bigNumToBigInt>[0]);
    if (scale === 0) return toSafeNumber(bigint);
    return util.bigNumToNumber(value as Parameters<typeof util.bigNumToNumber>[0], scale);
  }
  if (DataType.isTime(type)) return formatTime(timeToMicros(value, type.unit));
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) {
    const childType = type.children[0]!.type as DataType;
    return Array.from(value as Iterable<unknown>, (item) => toPlainValue(item, childType));
  }
  if (DataType.isStruct(type)) {
    const row = value as Record<string, unknown>;
    const object: Record<string, unknown> = {};
    for (const field of (type as Struct).children as Field[]) {
      object[field.name] = toPlainValue(row[field.name], field.type as DataType);
    }
    return object;
  }
  if (DataType.isMap(type)) {
    // Arrow's MapRow iterates [key, value] pairs; keys become object keys (as strings).
    const entryType = type.children[0]!.type as Struct;
    const [keyField, valueField] = entryType.children as Field[];
    const object: Record<string, unknown> = {};
    for (const [key, item] of value as Iterable<[unknown, unknown]>) {
      object[String(toPlainValue(key, keyField!.type as DataType))] = toPlainValue(item, valueField!.type as DataType);
    }
    return object;
  }
  if (DataType.isDictionary(type)) return toPlainValue(value, type.dictionary as DataType);
  if (typeof value === "bigint") return toSafeNumber(value);
  return value;
}

function isSmallNumeric(type: DataType): boolean {
  if (DataType.isInt(type)) return type.bitWidth <= 32;
  // Arrow's Float16 arrays hold raw half-precision bits, so they take the general path.
  return DataType.isFloat(type) && type.precision !== 0;
}

/**
 * A whole column as {@link ColumnValues}: a typed array when the column is numeric and has no nulls
 * (BIGINT as Float64Array when every value is a safe integer, else BigInt64Array; DECIMAL as
 * Float64Array), otherwise a plain array of converted values with `null` for nulls.
 */
export function columnValues(vector: Vector, type: DataType): ColumnValues {
  if (vector.nullCount === 0) {
    if (isSmallNumeric(type)) return vector.toArray() as ColumnValues;
    if (DataType.isInt(type) && type.bitWidth === 64) {
      const raw = vector.toArray() as BigInt64Array | BigUint64Array;
      if (raw.every((value) => value >= MIN_SAFE && value <= MAX_SAFE)) {
        return Float64Array.from(raw, (value) => Number(value));
      }
      if (type.isSigned) return raw as BigInt64Array;
    }
    if (DataType.isDecimal(type)) {
      const out = new Float64Array(vector.length);
      for (let i = 0; i < out.length; i++) out[i] = Number(toPlainValue(vector.get(i), type));
      return out;
    }
  }
  const out: unknown[] = new Array(vector.length);
  for (let i = 0; i < out.length; i++) out[i] = toPlainValue(vector.get(i), type);
  return out;
}
