/**
 * Reading a Parquet file into an Arrow table with hyparquet (pure JS), because duckdb-wasm's
 * read_parquet lives in an extension that Segbook never downloads.
 *
 * Type mapping (Parquet -> Arrow -> DuckDB):
 * - BOOLEAN -> Bool -> BOOLEAN; INT32 (and INT_8/16, UINT_8/16/32) -> the matching Int -> INTEGER etc.;
 *   INT64 -> Int64 (BigInt64Array) -> BIGINT; UINT_64 -> UBIGINT; FLOAT -> FLOAT; DOUBLE -> DOUBLE;
 * - DATE -> DateDay -> DATE; TIMESTAMP millis/micros (and INT96) -> Timestamp(µs) -> TIMESTAMP,
 *   nanos -> Timestamp(ns) -> TIMESTAMP_NS. Timestamps adjusted to UTC also become plain TIMESTAMP
 *   (UTC wall time), since duckdb-wasm has no ICU for TIMESTAMPTZ arithmetic;
 * - TIME -> Time(µs) -> TIME; strings, ENUM, JSON and UUID -> Utf8 -> VARCHAR; unannotated
 *   BYTE_ARRAY and other FIXED_LEN_BYTE_ARRAY -> Binary -> BLOB;
 * - DECIMAL -> DOUBLE by DuckDB's own cast (decimal-double.ts); FLOAT16 -> FLOAT;
 * - nested columns (LIST, MAP, STRUCT) -> their JSON text (VARCHAR); values inside keep Parquet's
 *   physical form (dates as day numbers, timestamps as integers).
 * Compression: uncompressed and Snappy (DuckDB's and pyarrow's default) only; hyparquet needs an
 * extra package for gzip/zstd/brotli/lz4.
 */
import { parquetMetadata, parquetMetadataAsync, parquetRead, parquetSchema } from "hyparquet";
import type { AsyncBuffer, FileMetaData, SchemaTree } from "hyparquet";
import {
  Binary,
  Bool,
  DateDay,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  makeBuilder,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimeMicrosecond,
  TimestampMicrosecond,
  TimestampNanosecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
} from "apache-arrow";
import type { Data, DataType } from "apache-arrow";
import { unknownColumnsMessage } from "./closest-name.ts";
import { decimalToDouble } from "./decimal-double.ts";

type TypedArrayConstructor =
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

/** How one top-level Parquet column becomes Arrow: a fixed-width typed array or a builder. */
interface ColumnPlan {
  type: DataType;
  /** Typed-array storage for fixed-width types; absent for builder-made types. */
  storage?: TypedArrayConstructor;
  /** Converts one decoded (non-null) hyparquet value to what the storage or builder takes. */
  convert: (value: unknown) => unknown;
  /** Plain text or bytes (not nested data shown as JSON): eligible for the direct Utf8/Binary layout. */
  bytes?: true;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const identity = (value: unknown) => value;
const toBigInt = (value: unknown) => (typeof value === "bigint" ? value : BigInt(value as number));
const toNumber = (value: unknown) => Number(value);

function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "bigint" ? (Number.isSafeInteger(Number(item)) ? Number(item) : String(item)) : item,
  );
}

function fixed(type: DataType, storage: TypedArrayConstructor, convert = identity): ColumnPlan {
  return { type, storage, convert };
}

function timestampPlan(unit: "MILLIS" | "MICROS" | "NANOS"): ColumnPlan {
  if (unit === "NANOS") return fixed(new TimestampNanosecond(), BigInt64Array, toBigInt);
  const factor = unit === "MILLIS" ? 1000n : 1n;
  return fixed(new TimestampMicrosecond(), BigInt64Array, (value) => toBigInt(value) * factor);
}

function timePlan(unit: "MILLIS" | "MICROS" | "NANOS"): ColumnPlan {
  const convert =
    unit === "MILLIS"
      ? (value: unknown) => toBigInt(value) * 1000n
      : unit === "NANOS"
        ? (value: unknown) => toBigInt(value) / 1000n
        : toBigInt;
  return fixed(new TimeMicrosecond(), BigInt64Array, convert);
}

function integerPlan(bitWidth: number, signed: boolean): ColumnPlan {
  if (bitWidth === 8) return signed ? fixed(new Int8(), Int8Array) : fixed(new Uint8(), Uint8Array);
  if (bitWidth === 16) {
    return signed ? fixed(new Int16(), Int16Array) : fixed(new Uint16(), Uint16Array);
  }
  if (bitWidth === 32) {
    return signed ? fixed(new Int32(), Int32Array) : fixed(new Uint32(), Uint32Array);
  }
  return signed ? fixed(new Int64(), BigInt64Array, toBigInt) : fixed(new Uint64(), BigUint64Array, toBigInt);
}

/** A DECIMAL column's precision and scale, from its logical type or its converted-type fields. */
function decimalOf(column: SchemaTree): { precision: number; scale: number } {
  const { logical_type: logical, precision, scale } = column.element;
  if (logical?.type === "DECIMAL") return { precision: logical.precision, scale: logical.scale };
  return { precision: precision ?? 38, scale: scale ?? 0 };
}

/**
 * The metadata with the DECIMAL annotations of top-level flat columns removed, so that hyparquet
 * hands over their raw unscaled integers (its own `unscaled * 10 ** -scale` differs from DuckDB's
 * cast, e.g. 0.35000000000000003 for 0.35); planColumn converts them as DuckDB does.
 */
function rawDecimals(metadata: FileMetaData): FileMetaData {
  const flat = new Set(
    parquetSchema(metadata)
      .children.filter((c) => c.children.length === 0)
      .map((c) => c.element),
  );
  const schema = metadata.schema.map((element) => {
    const decimal = element.converted_type === "DECIMAL" || element.logical_type?.type === "DECIMAL";
    if (!flat.has(element) || !decimal) return element;
    const { converted_type: _converted, logical_type: _logical, ...raw } = element;
    return raw;
  });
  return { ...metadata, schema };
}

/** The Arrow plan for one top-level column of the Parquet schema. */
function planColumn(column: SchemaTree): ColumnPlan {
  const { type, converted_type: converted, logical_type: logical } = column.element;
  if (column.children.length > 0) return { type: new Utf8(), convert: jsonText };
  if (converted === "DECIMAL" || logical?.type === "DECIMAL") {
    // The raw unscaled values (see rawDecimals) cast as DuckDB casts DECIMAL to DOUBLE.
    const { precision, scale } = decimalOf(column);
    return fixed(new Float64(), Float64Array, (value) =>
      decimalToDouble(value as number | bigint | Uint8Array, precision, scale),
    );
  }
  if (logical?.type === "FLOAT16") return fixed(new Float32(), Float32Array, toNumber);
  if (converted === "DATE" || logical?.type === "DATE") return fixed(new DateDay(), Int32Array);
  if (logical?.type === "TIMESTAMP") return timestampPlan(logical.unit);
  if (converted === "TIMESTAMP_MILLIS") return timestampPlan("MILLIS");
  if (converted === "TIMESTAMP_MICROS") return timestampPlan("MICROS");
  if (type === "INT96") {
    return fixed(new TimestampMicrosecond(), BigInt64Array, (nanos) => toBigInt(nanos) / 1000n);
  }
  if (logical?.type === "TIME") return timePlan(logical.unit);
  if (converted === "TIME_MILLIS") return timePlan("MILLIS");
  if (converted === "TIME_MICROS") return timePlan("MICROS");
  if (logical?.type === "INTEGER") return integerPlan(logical.bitWidth, logical.isSigned);
  const intWidth = /^(U?)INT_(8|16|32|64)$/.exec(converted ?? "");
  if (intWidth) return integerPlan(Number(intWidth[2]), intWidth[1] !== "U");
  switch (type) {
    case "BOOLEAN":
      return { type: new Bool(), convert: identity };
    case "INT32":
      return integerPlan(32, true);
    case "INT64":
      return integerPlan(64, true);
    case "FLOAT":
      return fixed(new Float32(), Float32Array);
    case "DOUBLE":
      return fixed(new Float64(), Float64Array);
    case "FIXED_LEN_BYTE_ARRAY":
      // UUIDs arrive as text from hyparquet; other fixed-length bytes stay binary.
      return logical?.type === "UUID"
        ? { type: new Utf8(), convert: String }
        : { type: new Binary(), convert: identity };
    default: {
      // BYTE_ARRAY: text when annotated as such (as native DuckDB reads it), otherwise bytes.
      const text =
        converted === "UTF8" ||
        converted === "ENUM" ||
        converted === "JSON" ||
        logical?.type === "STRING" ||
        logical?.type === "ENUM" ||
        logical?.type === "JSON";
      return text
        ? {
            type: new Utf8(),
            convert: (value) => (value instanceof Uint8Array ? decoder.decode(value) : String(value)),
            bytes: true,
          }
        : { type: new Binary(), convert: identity, bytes: true };
    }
  }
}

/**
 * The Arrow type this reader gives one top-level column of the file (see the module comment): the
 * WebAssembly reader (parquet-wasm-load.ts) casts to the same types, so both paths agree.
 * @example
 * arrowTypeOf(parquetSchema(metadata).children[0]!).toString(); // "Int32"
 */
export function arrowTypeOf(column: SchemaTree): DataType {
  return planColumn(column).type;
}

/** Builds one Arrow Data chunk (the whole column) from decoded values with nulls. */
function buildColumn(plan: ColumnPlan, values: unknown[]): Data {
  const length = values.length;
  if (plan.storage) {
    const data = new plan.storage(length);
    const validity = new Uint8Array(Math.ceil(length / 8));
    let nullCount = 0;
    for (let i = 0; i < length; i++) {
      const value = values[i];
      if (value === null || value === undefined) {
        nullCount++;
      } else {
        (data as unknown as unknown[])[i] = plan.convert(value);
        validity[i >> 3]! |= 1 << (i & 7);
      }
    }
    return makeData({
      type: plan.type,
      length,
      nullCount,
      data,
      nullBitmap: nullCount > 0 ? validity : undefined,
    } as Parameters<typeof makeData>[0]);
  }
  if (plan.bytes && (plan.type instanceof Utf8 || plan.type instanceof Binary)) {
    const direct = variableWidthColumn(plan.type, values);
    if (direct) return direct;
  }
  const builder = makeBuilder({ type: plan.type, nullValues: [null, undefined] });
  for (const value of values) builder.append(value === null || value === undefined ? null : plan.convert(value));
  return builder.finish().flush();
}

/**
 * Text and binary columns built directly in Arrow's layout (offsets plus concatenated UTF-8 bytes)
 * rather than through Arrow's builder, which was most of the time of a Parquet load. Text that
 * hyparquet already decoded (dictionary columns) is encoded once per distinct value. Returns
 * undefined for a value of another kind or a column past 32-bit offsets; the builder handles those.
 */
function variableWidthColumn(type: Utf8 | Binary, values: unknown[]): Data | undefined {
  const length = values.length;
  const encoded: (Uint8Array | null)[] = new Array(length);
  const cache = new Map<string, Uint8Array>();
  let total = 0;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    let bytes: Uint8Array | null;
    if (value === null || value === undefined) bytes = null;
    else if (value instanceof Uint8Array) bytes = value;
    else if (typeof value === "string" && type instanceof Utf8) {
      bytes = cache.get(value) ?? encoder.encode(value);
      // Categorical text repeats: remember a bounded number of encodings.
      if (cache.size < 65_536) cache.set(value, bytes);
    } else return undefined;
    encoded[i] = bytes;
    total += bytes?.length ?? 0;
  }
  if (total > 0x7fffffff) return undefined;
  const offsets = new Int32Array(length + 1);
  const data = new Uint8Array(total);
  const validity = new Uint8Array(Math.ceil(length / 8));
  let nullCount = 0;
  let position = 0;
  for (let i = 0; i < length; i++) {
    const bytes = encoded[i];
    if (bytes === null || bytes === undefined) {
      nullCount++;
    } else {
      data.set(bytes, position);
      position += bytes.length;
      validity[i >> 3]! |= 1 << (i & 7);
    }
    offsets[i + 1] = position;
  }
  return makeData({
    type,
    length,
    nullCount,
    valueOffsets: offsets,
    data,
    nullBitmap: nullCount > 0 ? validity : undefined,
  } as Parameters<typeof makeData>[0]);
}

// Keep dates and timestamps as Parquet's raw integers so no precision is lost on the way to Arrow.
const RAW_PARSERS = {
  timestampFromMilliseconds: identity,
  timestampFromMicroseconds: identity,
  timestampFromNanoseconds: identity,
  dateFromDays: identity,
  jsonFromBytes: (bytes: Uint8Array) => bytes && decoder.decode(bytes),
};

/** Options for {@link parquetToArrow}. */
export interface ParquetReadOptions {
  /** Read only these columns, in this order (all columns when absent). */
  columns?: readonly string[];
}

/**
 * Reads a Parquet file into an Arrow table (see the module comment for types): its bytes, or an
 * AsyncBuffer (e.g. hyparquet's asyncBufferFromUrl) from which only the footer and the chunks of
 * the wanted columns are read. Throws hyparquet's error for malformed or unsupported files, and a
 * message naming the missing column when `columns` names one the file lacks.
 */
export async function parquetToArrow(
  source: Uint8Array | AsyncBuffer,
  options: ParquetReadOptions = {},
): Promise<Table> {
  const file: AsyncBuffer | ArrayBuffer =
    source instanceof Uint8Array
      ? (source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength) as ArrayBuffer)
      : source;
  // Over HTTP the footer is found with one small fetch from the end (hyparquet's default is 512 KB).
  const metadata =
    file instanceof ArrayBuffer
      ? parquetMetadata(file)
      : await parquetMetadataAsync(file, { initialFetchSize: 1 << 16 });
  const all = parquetSchema(metadata).children;
  const wanted = options.columns;
  const missing = wanted?.filter((name) => !all.some((c) => c.element.name === name)) ?? [];
  if (missing.length > 0) {
    throw new Error(
      unknownColumnsMessage(
        missing,
        all.map((c) => c.element.name),
      ),
    );
  }
  const columns = wanted ? wanted.map((name) => all.find((c) => c.element.name === name)!) : all;
  const numRows = Number(metadata.num_rows);
  const values = new Map<string, unknown[]>(columns.map((c) => [c.element.name, new Array(numRows).fill(null)]));
  await parquetRead({
    file,
    metadata: rawDecimals(metadata),
    ...(wanted ? { columns: [...wanted] } : {}),
    parsers: RAW_PARSERS,
    // Unannotated BYTE_ARRAY stays binary (BLOB), as in native DuckDB.
    utf8: false,
    onChunk: ({ columnName, columnData, rowStart, rowEnd }) => {
      const target = values.get(columnName);
      if (!target) return;
      const end = Math.min(rowEnd, numRows);
      for (let row = rowStart; row < end; row++) target[row] = columnData[row - rowStart];
    },
  });
  const fields: Field[] = [];
  const children: Data[] = [];
  for (const column of columns) {
    const plan = planColumn(column);
    fields.push(new Field(column.element.name, plan.type, true));
    children.push(buildColumn(plan, values.get(column.element.name)!));
  }
  const struct = makeData({ type: new Struct(fields), length: numRows, nullCount: 0, children });
  return new Table([new RecordBatch(new Schema(fields), struct)]);
}
