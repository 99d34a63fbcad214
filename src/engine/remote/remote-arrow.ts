/**
 * A remote engine's typed rows as an Arrow table, so they go into local DuckDB with
 * `engine.insertArrow` as one columnar batch (fast even for a million rows, types kept). The remote
 * type names are mapped by their family (ClickHouse's names today; other adapters use the same words
 * or map theirs first); anything unknown becomes text, never a failure.
 */
import {
  Bool,
  DateDay,
  Float64,
  Int32,
  Int64,
  Table,
  TimestampMicrosecond,
  Uint64,
  Utf8,
  vectorFromArray,
  type DataType,
  type Vector,
} from "apache-arrow";
import type { RemoteColumn, RemoteResult } from "./remote-engine.ts";

type Family = "int32" | "int64" | "uint64" | "float" | "bool" | "date" | "timestamp" | "text";

/**
 * The Arrow family a remote column type maps to, wrappers (`Nullable(…)`, `LowCardinality(…)`) removed.
 * @example remoteTypeFamily("Nullable(UInt64)") // "int64"
 */
export function remoteTypeFamily(type: string): Family {
  let t = type.trim();
  for (;;) {
    const inner = /^(?:Nullable|LowCardinality|SimpleAggregateFunction\([^,]+,)\((.*)\)$/.exec(t);
    if (!inner) break;
    t = inner[1]!.trim();
  }
  if (/^(U?Int(8|16)|Int32)$/i.test(t)) return "int32";
  // UInt32 does not fit Int32; 64-bit integers stay exact (BIGINT, UBIGINT).
  if (/^(UInt32|Int64|BIGINT|INTEGER|INT)$/i.test(t)) return "int64";
  if (/^UInt64$/i.test(t)) return "uint64";
  if (/^(Float(32|64)|DOUBLE|REAL|Decimal.*|NUMERIC.*)$/i.test(t)) return "float";
  if (/^(Bool|Boolean)$/i.test(t)) return "bool";
  if (/^(Date|Date32)$/i.test(t)) return "date";
  if (/^(DateTime.*|TIMESTAMP.*)$/i.test(t)) return "timestamp";
  return "text";
}

const ARROW_TYPES: Record<Family, () => DataType> = {
  int32: () => new Int32(),
  int64: () => new Int64(),
  uint64: () => new Uint64(),
  float: () => new Float64(),
  bool: () => new Bool(),
  date: () => new DateDay(),
  timestamp: () => new TimestampMicrosecond(),
  text: () => new Utf8(),
};

/** One value as the column's Arrow family takes it (adapters may hand 64-bit integers as text). */
function convert(family: Family, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (family) {
    case "int32":
      return Number(value);
    case "int64":
    case "uint64":
      return typeof value === "bigint" ? value : BigInt(typeof value === "number" ? Math.trunc(value) : String(value));
    case "float":
      return Number(value);
    case "bool":
      return value === true || value === 1 || value === "1" || value === "true";
    case "date":
    case "timestamp":
      return value instanceof Date
        ? value
        : new Date(typeof value === "number" ? value : `${String(value).replace(" ", "T")}Z`);
    case "text":
      return typeof value === "string" ? value : value instanceof Date ? value.toISOString() : String(value);
  }
}

/**
 * The result as an Arrow table, one typed column per remote column.
 * @example await engine.insertArrow("customers", remoteResultToArrow(await warehouse.query("SELECT …")));
 */
export function remoteResultToArrow(result: Pick<RemoteResult, "columns" | "rows">): Table {
  const vectors: Record<string, Vector> = {};
  result.columns.forEach((column: RemoteColumn, i) => {
    const family = remoteTypeFamily(column.type);
    const values = result.rows.map((row) => convert(family, row[i]));
    vectors[column.name] = vectorFromArray(values, ARROW_TYPES[family]()) as Vector;
  });
  return new Table(vectors);
}
