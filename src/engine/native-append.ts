/**
 * Inserting an apache-arrow table into native DuckDB (@duckdb/node-api has no Arrow scan): the
 * table is created with the DuckDB types duckdb-wasm's Arrow insert gives the same Arrow types
 * (Dictionary -> its value type, Null -> INTEGER, Timestamp<SECOND> -> TIMESTAMP_S, ...) and filled
 * through an appender, one data chunk at a time.
 */
import { DataType, Type, TimeUnit, util, type Data, type Field, type Table } from "apache-arrow";
import {
  DuckDBBlobValue,
  DuckDBDataChunk,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTimeValue,
  arrayValue,
  listValue,
  mapValue,
  structValue,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from "@duckdb/node-api";
import { quoteIdentifier } from "./sql-text.ts";

/** Rows per appended chunk: DuckDB's standard vector size. */
const CHUNK_ROWS = 2048;
const MS_PER_DAY = 86_400_000;

function unsupported(type: DataType): Error {
  return new Error(
    `insertArrow: the native engine cannot store Arrow ${String(type)} columns; convert the column first`,
  );
}

/** The DuckDB column type for an Arrow type, as duckdb-wasm's Arrow insert chooses it. */
export function duckdbTypeSql(type: DataType): string {
  if (DataType.isDictionary(type)) return duckdbTypeSql(type.dictionary);
  if (DataType.isInt(type)) {
    const names: Record<number, string> = { 8: "TINYINT", 16: "SMALLINT", 32: "INTEGER", 64: "BIGINT" };
    return (type.isSigned ? "" : "U") + names[type.bitWidth]!;
  }
  if (DataType.isFloat(type)) return type.precision === 2 ? "DOUBLE" : "FLOAT";
  if (DataType.isDecimal(type)) return `DECIMAL(${type.precision},${type.scale})`;
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return "VARCHAR";
  if (DataType.isBinary(type) || DataType.isLargeBinary(type)) return "BLOB";
  if (DataType.isBool(type)) return "BOOLEAN";
  if (DataType.isDate(type)) return "DATE";
  if (DataType.isTime(type)) return "TIME";
  if (DataType.isInterval(type)) return "INTERVAL";
  if (DataType.isNull(type)) return "INTEGER";
  if (DataType.isTimestamp(type)) {
    if (type.timezone) return "TIMESTAMPTZ";
    return ["TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP", "TIMESTAMP_NS"][type.unit]!;
  }
  if (DataType.isList(type)) return `${duckdbTypeSql(type.children[0]!.type)}[]`;
  if (DataType.isFixedSizeList(type)) return `${duckdbTypeSql(type.children[0]!.type)}[${type.listSize}]`;
  if (DataType.isStruct(type)) {
    return `STRUCT(${type.children.map((f: Field) => `${quoteIdentifier(f.name)} ${duckdbTypeSql(f.type)}`).join(", ")})`;
  }
  if (DataType.isMap(type)) {
    const [key, value] = type.children[0]!.type.children as Field[];
    return `MAP(${duckdbTypeSql(key!.type)}, ${duckdbTypeSql(value!.type)})`;
  }
  throw unsupported(type);
}

const decoder = new TextDecoder();

function readInt128(words: Uint32Array, index: number): bigint {
  let value = 0n;
  for (let word = 3; word >= 0; word--) value = (value << 32n) | BigInt(words[index * 4 + word]!);
  return BigInt.asIntN(128, value);
}

function timestampValue(raw: bigint, unit: TimeUnit, zoned: boolean): DuckDBValue {
  if (zoned) {
    const factors = [1_000_000n, 1000n, 1n];
    return new DuckDBTimestampTZValue(unit === TimeUnit.NANOSECOND ? raw / 1000n : raw * factors[unit]!);
  }
  switch (unit) {
    case TimeUnit.SECOND:
      return new DuckDBTimestampSecondsValue(raw);
    case TimeUnit.MILLISECOND:
      return new DuckDBTimestampMillisecondsValue(raw);
    case TimeUnit.NANOSECOND:
      return new DuckDBTimestampNanosecondsValue(raw);
    default:
      return new DuckDBTimestampValue(raw);
  }
}

function intervalValue(data: Data, j: number): DuckDBValue {
  const words = data.values as Int32Array;
  switch ((data.type as unknown as { unit: number }).unit) {
    case 0: // YEAR_MONTH
      return new DuckDBIntervalValue(words[j]!, 0, 0n);
    case 1: // DAY_TIME: days and milliseconds
      return new DuckDBIntervalValue(0, words[j * 2]!, BigInt(words[j * 2 + 1]!) * 1000n);
    default: {
      const nanos = new BigInt64Array(words.buffer, words.byteOffset + j * 16 + 8, 1)[0]!;
      return new DuckDBIntervalValue(words[j * 4]!, words[j * 4 + 1]!, nanos / 1000n);
    }
  }
}

/** The node-api value of row `j` of an Arrow data chunk (recursing into nested types). */
function valueAt(data: Data, j: number): DuckDBValue {
  if (!data.getValid(j)) return null;
  // The switch on typeId tells which of these parameters the type has.
  const type = data.type as DataType & {
    unit: number;
    precision: number;
    scale: number;
    timezone?: string | null;
    listSize: number;
  };
  switch (type.typeId) {
    case Type.Int:
      return data.values[j] as number | bigint;
    case Type.Float:
      // Float16 is stored as raw half-precision bits.
      return type.precision === 0 ? util.uint16ToFloat64(data.values[j] as number) : (data.values[j] as number);
    case Type.Bool:
      return ((data.values[(data.offset + j) >> 3] >> ((data.offset + j) & 7)) & 1) === 1;
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Binary:
    case Type.LargeBinary: {
      const offsets = data.valueOffsets;
      const bytes = (data.values as Uint8Array).subarray(Number(offsets[j]), Number(offsets[j + 1]));
      return type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8
        ? decoder.decode(bytes)
        : new DuckDBBlobValue(bytes.slice());
    }
    case Type.Decimal:
      return new DuckDBDecimalValue(readInt128(data.values as Uint32Array, j), type.precision, type.scale);
    case Type.Date: {
      if (type.unit === 0) return new DuckDBDateValue(data.values[j] as number);
      // DateMillisecond: a 64-bit millisecond count.
      const millis = Number(
        new BigInt64Array((data.values as Int32Array).buffer, data.values.byteOffset + j * 8, 1)[0],
      );
      return new DuckDBDateValue(Math.floor(millis / MS_PER_DAY));
    }
    case Type.Time: {
      const raw = BigInt(data.values[j] as number | bigint);
      const factors = [1_000_000n, 1000n, 1n];
      return new DuckDBTimeValue(type.unit === TimeUnit.NANOSECOND ? raw / 1000n : raw * factors[type.unit]!);
    }
    case Type.Timestamp:
      return timestampValue(BigInt(data.values[j] as bigint), type.unit, Boolean(type.timezone));
    case Type.Interval:
      return intervalValue(data, j);
    case Type.Null:
      return null;
    case Type.Dictionary: {
      const index = Number(data.values[j]);
      return data.dictionary!.get(index) as DuckDBValue;
    }
    case Type.List: {
      const child = data.children[0]!;
      const items: DuckDBValue[] = [];
      for (let k = data.valueOffsets[j]!; k < data.valueOffsets[j + 1]!; k++) items.push(valueAt(child, k));
      return listValue(items);
    }
    case Type.FixedSizeList: {
      const size = type.listSize as number;
      const child = data.children[0]!;
      const items: DuckDBValue[] = [];
      for (let k = 0; k < size; k++) items.push(valueAt(child, (data.offset + j) * size + k - child.offset));
      return arrayValue(items);
    }
    case Type.Struct: {
      const entries: Record<string, DuckDBValue> = {};
      (type.children as Field[]).forEach((field, k) => (entries[field.name] = valueAt(data.children[k]!, j)));
      return structValue(entries);
    }
    case Type.Map: {
      const entries = data.children[0]!;
      const pairs = [];
      for (let k = data.valueOffsets[j]!; k < data.valueOffsets[j + 1]!; k++) {
        pairs.push({ key: valueAt(entries.children[0]!, k), value: valueAt(entries.children[1]!, k) });
      }
      return mapValue(pairs);
    }
    default:
      throw unsupported(type);
  }
}

/** Every row of one column, as node-api values. */
function columnValues(table: Table, index: number): DuckDBValue[] {
  const values: DuckDBValue[] = new Array<DuckDBValue>(table.numRows);
  let row = 0;
  for (const data of table.getChildAt(index)!.data) {
    for (let j = 0; j < data.length; j++) values[row++] = valueAt(data, j);
  }
  return values;
}

/**
 * Creates table `name` (which must not exist) with the Arrow table's columns and rows.
 * @param connection the native connection to create it on
 */
export async function insertArrowNative(connection: DuckDBConnection, name: string, table: Table): Promise<void> {
  const fields = table.schema.fields;
  if (fields.length === 0) throw new Error(`insertArrow: "${name}" has no columns`);
  const columns = fields.map((field) => `${quoteIdentifier(field.name)} ${duckdbTypeSql(field.type as DataType)}`);
  await connection.run(`CREATE TABLE ${quoteIdentifier(name)} (${columns.join(", ")})`);
  if (table.numRows === 0) return;
  const appender = await connection.createAppender(name);
  try {
    const types: DuckDBType[] = fields.map((_, i) => appender.columnType(i));
    const all = fields.map((_, i) => columnValues(table, i));
    for (let start = 0; start < table.numRows; start += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, table.numRows - start);
      const chunk = DuckDBDataChunk.create(types, rows);
      all.forEach((values, i) => chunk.setColumnValues(i, values.slice(start, start + rows)));
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
