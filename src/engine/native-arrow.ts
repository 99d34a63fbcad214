/**
 * Native DuckDB results (@duckdb/node-api data chunks) as apache-arrow tables with the same Arrow
 * types duckdb-wasm's Arrow export gives for the same DuckDB types, so the native engine's query
 * results are indistinguishable from the wasm engine's (BIGINT -> Int64, DATE -> Date32<DAY>,
 * DECIMAL/HUGEINT -> Decimal128, UUID -> Utf8, ENUM -> Dictionary, ...).
 */
import {
  Binary,
  Bool,
  DataType,
  DateDay,
  Decimal,
  Dictionary,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  Interval,
  IntervalUnit,
  List,
  Map_,
  Schema,
  Struct,
  Table,
  TimeMicrosecond,
  Timestamp,
  TimeUnit,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  makeData,
  makeVector,
  type Data,
  RecordBatch,
} from "apache-arrow";
import {
  DuckDBTypeId,
  type DuckDBArrayType,
  type DuckDBDecimalType,
  type DuckDBEnumType,
  type DuckDBListType,
  type DuckDBMapType,
  type DuckDBMaterializedResult,
  type DuckDBStructType,
  type DuckDBType,
  type DuckDBValue,
} from "@duckdb/node-api";

/** Values of one column (or nested child), one per row, null for SQL NULL. */
type Values = readonly DuckDBValue[];

type FixedArray =
  Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;
type FixedArrayConstructor = new (length: number) => FixedArray;

const NUMBER_TYPES: Partial<Record<DuckDBTypeId, [() => DataType, FixedArrayConstructor]>> = {
  [DuckDBTypeId.TINYINT]: [() => new Int8(), Int8Array],
  [DuckDBTypeId.SMALLINT]: [() => new Int16(), Int16Array],
  [DuckDBTypeId.INTEGER]: [() => new Int32(), Int32Array],
  [DuckDBTypeId.UTINYINT]: [() => new Uint8(), Uint8Array],
  [DuckDBTypeId.USMALLINT]: [() => new Uint16(), Uint16Array],
  [DuckDBTypeId.UINTEGER]: [() => new Uint32(), Uint32Array],
  [DuckDBTypeId.FLOAT]: [() => new Float32(), Float32Array],
  [DuckDBTypeId.DOUBLE]: [() => new Float64(), Float64Array],
};

/** DuckDB timestamp kinds: Arrow unit and the bigint field of the node-api value holding it. */
const TIMESTAMPS: Partial<Record<DuckDBTypeId, [TimeUnit, string, string | undefined]>> = {
  [DuckDBTypeId.TIMESTAMP]: [TimeUnit.MICROSECOND, "micros", undefined],
  [DuckDBTypeId.TIMESTAMP_S]: [TimeUnit.SECOND, "seconds", undefined],
  [DuckDBTypeId.TIMESTAMP_MS]: [TimeUnit.MILLISECOND, "millis", undefined],
  [DuckDBTypeId.TIMESTAMP_NS]: [TimeUnit.NANOSECOND, "nanos", undefined],
  // duckdb-wasm (no ICU) reports TIMESTAMPTZ in UTC; native results follow it.
  [DuckDBTypeId.TIMESTAMP_TZ]: [TimeUnit.MICROSECOND, "micros", "UTC"],
};

function unsupported(type: DuckDBType): Error {
  return new Error(
    `query: the native engine cannot return ${type.toString()} columns as Arrow; ` +
      `cast the column, e.g. CAST(x AS VARCHAR)`,
  );
}

/** The Arrow type duckdb-wasm uses for a DuckDB type. */
export function arrowTypeOf(type: DuckDBType): DataType {
  const number = NUMBER_TYPES[type.typeId];
  if (number) return number[0]();
  const timestamp = TIMESTAMPS[type.typeId];
  if (timestamp) return new Timestamp(timestamp[0], timestamp[2] ?? null);
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return new Bool();
    case DuckDBTypeId.BIGINT:
      return new Int64();
    case DuckDBTypeId.UBIGINT:
      return new Uint64();
    case DuckDBTypeId.HUGEINT:
      return new Decimal(0, 38, 128);
    case DuckDBTypeId.DECIMAL: {
      const { width, scale } = type as DuckDBDecimalType;
      return new Decimal(scale, width, 128);
    }
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.UUID:
      return new Utf8();
    case DuckDBTypeId.BLOB:
      return new Binary();
    case DuckDBTypeId.DATE:
      return new DateDay();
    case DuckDBTypeId.TIME:
      return new TimeMicrosecond();
    case DuckDBTypeId.INTERVAL:
      return new Interval(IntervalUnit.MONTH_DAY_NANO);
    case DuckDBTypeId.SQLNULL:
      // duckdb-wasm exports an untyped NULL column as Int32.
      return new Int32();
    case DuckDBTypeId.LIST:
      return new List(new Field("l", arrowTypeOf((type as DuckDBListType).valueType), true));
    case DuckDBTypeId.ARRAY: {
      const array = type as DuckDBArrayType;
      return new FixedSizeList(array.length, new Field("", arrowTypeOf(array.valueType), true));
    }
    case DuckDBTypeId.STRUCT: {
      const struct = type as DuckDBStructType;
      return new Struct(struct.entryNames.map((name, i) => new Field(name, arrowTypeOf(struct.entryTypes[i]!), true)));
    }
    case DuckDBTypeId.MAP: {
      const map = type as DuckDBMapType;
      const entries = new Struct([
        new Field("key", arrowTypeOf(map.keyType), false),
        new Field("value", arrowTypeOf(map.valueType), true),
      ]);
      return new Map_(new Field("entries", entries, false), false);
    }
    case DuckDBTypeId.ENUM: {
      const values = (type as DuckDBEnumType).values.length;
      const indices = values <= 0xff ? new Uint8() : values <= 0xffff ? new Uint16() : new Uint32();
      return new Dictionary(new Utf8(), indices);
    }
    default:
      throw unsupported(type);
  }
}

function validity(values: Values): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null) nullCount++;
    else nullBitmap[i >> 3]! |= 1 << (i & 7);
  }
  return { nullBitmap, nullCount };
}

/** Two's-complement little-endian 128-bit words of a bigint, as Arrow's Decimal128 stores it. */
function writeInt128(target: Uint32Array, index: number, value: bigint): void {
  let rest = BigInt.asUintN(128, value);
  for (let word = 0; word < 4; word++) {
    target[index * 4 + word] = Number(rest & 0xffffffffn);
    rest >>= 32n;
  }
}

function bytesData(type: Utf8 | Binary, values: Values, toBytes: (value: DuckDBValue) => Uint8Array): Data {
  const chunks: Uint8Array[] = new Array<Uint8Array>(values.length);
  const valueOffsets = new Int32Array(values.length + 1);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const bytes = value === null || value === undefined ? new Uint8Array(0) : toBytes(value);
    chunks[i] = bytes;
    total += bytes.length;
    valueOffsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  for (let i = 0; i < values.length; i++) data.set(chunks[i]!, valueOffsets[i]!);
  return makeData({ type, length: values.length, ...validity(values), valueOffsets, data } as never);
}

function bigintField(value: DuckDBValue, field: string): bigint {
  return (value as unknown as Record<string, bigint>)[field]!;
}

/** Offsets of list-like values and their items flattened, nulls counting as empty lists. */
function flatten(values: Values, itemsOf: (value: DuckDBValue) => readonly DuckDBValue[]) {
  const valueOffsets = new Int32Array(values.length + 1);
  const items: DuckDBValue[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== null && value !== undefined) for (const item of itemsOf(value)) items.push(item);
    valueOffsets[i + 1] = items.length;
  }
  return { valueOffsets, items };
}

const encoder = new TextEncoder();

/** Builds one Arrow column (or child) from node-api values of a DuckDB type. */
export function arrowData(type: DuckDBType, arrowType: DataType, values: Values): Data {
  const length = values.length;
  const number = NUMBER_TYPES[type.typeId];
  if (number) {
    const array = new number[1](length);
    for (let i = 0; i < length; i++) array[i] = (values[i] as number | null) ?? 0;
    return makeData({ type: arrowType, length, ...validity(values), data: array } as never);
  }
  const timestamp = TIMESTAMPS[type.typeId];
  if (timestamp || type.typeId === DuckDBTypeId.TIME) {
    const field = timestamp?.[1] ?? "micros";
    const array = new BigInt64Array(length);
    for (let i = 0; i < length; i++) if (values[i] !== null) array[i] = bigintField(values[i]!, field);
    return makeData({ type: arrowType, length, ...validity(values), data: array } as never);
  }
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN: {
      const data = new Uint8Array(Math.ceil(length / 8));
      for (let i = 0; i < length; i++) if (values[i] === true) data[i >> 3]! |= 1 << (i & 7);
      return makeData({ type: arrowType, length, ...validity(values), data } as never);
    }
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT: {
      const array = type.typeId === DuckDBTypeId.BIGINT ? new BigInt64Array(length) : new BigUint64Array(length);
      for (let i = 0; i < length; i++) array[i] = (values[i] as bigint | null) ?? 0n;
      return makeData({ type: arrowType, length, ...validity(values), data: array } as never);
    }
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.DECIMAL: {
      const array = new Uint32Array(length * 4);
      for (let i = 0; i < length; i++) {
        const value = values[i];
        if (value === null || value === undefined) continue;
        writeInt128(array, i, typeof value === "bigint" ? value : bigintField(value, "value"));
      }
      return makeData({ type: arrowType, length, ...validity(values), data: array } as never);
    }
    case DuckDBTypeId.VARCHAR:
      return bytesData(arrowType as Utf8, values, (value) => encoder.encode(value as string));
    case DuckDBTypeId.UUID:
      return bytesData(arrowType as Utf8, values, (value) => encoder.encode(String(value)));
    case DuckDBTypeId.BLOB:
      return bytesData(arrowType as Binary, values, (value) => (value as unknown as { bytes: Uint8Array }).bytes);
    case DuckDBTypeId.DATE: {
      const array = new Int32Array(length);
      for (let i = 0; i < length; i++) if (values[i] !== null) array[i] = (values[i] as { days: number }).days;
      return makeData({ type: arrowType, length, ...validity(values), data: array } as never);
    }
    case DuckDBTypeId.INTERVAL: {
      // MONTH_DAY_NANO: months, days and the nanoseconds as a little-endian int64, per value.
      const array = new Int32Array(length * 4);
      const nanos = new BigInt64Array(array.buffer);
      for (let i = 0; i < length; i++) {
        const value = values[i] as { months: number; days: number; micros: bigint } | null;
        if (value === null) continue;
        array[i * 4] = value.months;
        array[i * 4 + 1] = value.days;
        nanos[i * 2 + 1] = value.micros * 1000n;
      }
      return makeData({ type: arrowType, length, ...validity(values), data: array } as never);
    }
    case DuckDBTypeId.SQLNULL:
      return makeData({
        type: arrowType,
        length,
        nullCount: length,
        nullBitmap: new Uint8Array(Math.ceil(length / 8)),
      });
    case DuckDBTypeId.LIST: {
      const list = arrowType as List;
      const { valueOffsets, items } = flatten(values, (value) => (value as { items: DuckDBValue[] }).items);
      const child = arrowData((type as DuckDBListType).valueType, list.children[0]!.type, items);
      return makeData({ type: list, length, ...validity(values), valueOffsets, child });
    }
    case DuckDBTypeId.ARRAY: {
      const array = type as DuckDBArrayType;
      const fixed = arrowType as FixedSizeList;
      const items: DuckDBValue[] = [];
      for (const value of values) {
        const inner = value === null ? [] : (value as { items: DuckDBValue[] }).items;
        for (let k = 0; k < array.length; k++) items.push(inner[k] ?? null);
      }
      const child = arrowData(array.valueType, fixed.children[0]!.type, items);
      return makeData({ type: fixed, length, ...validity(values), child });
    }
    case DuckDBTypeId.STRUCT: {
      const struct = type as DuckDBStructType;
      const children = struct.entryNames.map((name, k) =>
        arrowData(
          struct.entryTypes[k]!,
          (arrowType as Struct).children[k]!.type,
          values.map((value) =>
            value === null ? null : ((value as { entries: Record<string, DuckDBValue> }).entries[name] ?? null),
          ),
        ),
      );
      return makeData({ type: arrowType as Struct, length, ...validity(values), children });
    }
    case DuckDBTypeId.MAP: {
      const map = type as DuckDBMapType;
      const mapType = arrowType as Map_;
      const entryType = mapType.children[0]!.type;
      const { valueOffsets, items } = flatten(values, (value) =>
        (value as { entries: { key: DuckDBValue; value: DuckDBValue }[] }).entries.map((entry) => entry as never),
      );
      const pairs = items as unknown as { key: DuckDBValue; value: DuckDBValue }[];
      const keys = arrowData(
        map.keyType,
        entryType.children[0]!.type,
        pairs.map((pair) => pair.key),
      );
      const vals = arrowData(
        map.valueType,
        entryType.children[1]!.type,
        pairs.map((pair) => pair.value),
      );
      const child = makeData({ type: entryType, length: pairs.length, nullCount: 0, children: [keys, vals] });
      return makeData({ type: mapType, length, ...validity(values), valueOffsets, child });
    }
    case DuckDBTypeId.ENUM: {
      const enumType = type as DuckDBEnumType;
      const dictionaryType = arrowType as Dictionary;
      const indices = new (dictionaryType.indices.ArrayType as FixedArrayConstructor)(length);
      for (let i = 0; i < length; i++) {
        const value = values[i];
        if (value !== null) indices[i] = enumType.valueIndexes[value as string]!;
      }
      const dictionary = makeVector(bytesData(new Utf8(), enumType.values, (value) => encoder.encode(value as string)));
      return makeData({ type: dictionaryType, length, ...validity(values), data: indices, dictionary } as never);
    }
    default:
      throw unsupported(type);
  }
}

/**
 * A materialized native result as an Arrow table whose schema matches duckdb-wasm's for the same
 * query (field names, Arrow types, all fields nullable).
 */
export function resultToArrow(result: DuckDBMaterializedResult): Table {
  const names = result.columnNames();
  const types = result.columnTypes();
  const arrowTypes = types.map(arrowTypeOf);
  const schema = new Schema(names.map((name, i) => new Field(name, arrowTypes[i]!, true)));
  const batches: RecordBatch[] = [];
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const length = chunk.rowCount;
    if (length === 0) continue;
    const children = types.map((type, i) => arrowData(type, arrowTypes[i]!, chunk.getColumnValues(i)));
    const data = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children });
    batches.push(new RecordBatch(schema, data));
  }
  return batches.length > 0 ? new Table(schema, batches) : new Table(schema);
}
