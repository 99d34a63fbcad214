/**
 * Streams a generated shop to files, one per table: CSV through a buffered synchronous writer, or
 * Parquet in row groups of 100,000 rows (hyparquet-writer). Memory stays flat whatever the size.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import path from "node:path";
import { fileWriter, ParquetWriter } from "hyparquet-writer";
import {
  csvHeader,
  csvLine,
  generateShop,
  SHOP_TABLE_NAMES,
  SHOP_TABLES,
  type CellValue,
  type ColumnType,
  type ShopCounts,
  type ShopOptions,
  type ShopSink,
  type ShopTable,
} from "../demo/index.ts";

/** Output file formats of `segbook generate`. */
export type ShopFormat = "csv" | "parquet";

interface TableSink {
  row(values: readonly CellValue[]): void;
  close(): void;
}

const FLUSH_AT = 1 << 20;
const ROW_GROUP = 100_000;
const DAY_MS = 86_400_000;

function csvTable(file: string, table: ShopTable): TableSink {
  const fd = openSync(file, "w");
  let buffer = csvHeader(table);
  return {
    row(values) {
      buffer += csvLine(values);
      if (buffer.length > FLUSH_AT) {
        writeSync(fd, buffer);
        buffer = "";
      }
    },
    close() {
      writeSync(fd, buffer);
      closeSync(fd);
    },
  };
}

const PARQUET_TYPES: Record<ColumnType, Record<string, unknown>> = {
  int: { type: "INT32" },
  bigint: { type: "INT64" },
  double: { type: "DOUBLE" },
  string: { type: "BYTE_ARRAY", converted_type: "UTF8" },
  bool: { type: "BOOLEAN" },
  date: { type: "INT32", converted_type: "DATE" },
};

function parquetValue(type: ColumnType, value: CellValue): unknown {
  if (value === null) return null;
  if (type === "date") return Math.round(Date.parse(`${value as string}T00:00:00Z`) / DAY_MS);
  if (type === "bigint") return BigInt(value as number);
  return value;
}

function parquetTable(file: string, table: ShopTable): TableSink {
  const columns = Object.entries(SHOP_TABLES[table]) as [string, ColumnType][];
  const writer = new ParquetWriter({
    writer: fileWriter(file),
    schema: [
      { name: "root", num_children: columns.length },
      ...columns.map(([name, type]) => ({ name, repetition_type: "OPTIONAL", ...PARQUET_TYPES[type] })),
    ] as never,
    createdBy: "segbook generate",
  });
  let data: unknown[][] = columns.map(() => []);
  const flush = () => {
    if (data[0]!.length === 0) return;
    void writer.write({
      columnData: columns.map(([name], j) => ({ name, data: data[j]! as never })),
      rowGroupSize: ROW_GROUP,
    });
    data = columns.map(() => []);
  };
  return {
    row(values) {
      for (let j = 0; j < columns.length; ++j) data[j]!.push(parquetValue(columns[j]![1], values[j]!));
      if (data[0]!.length >= ROW_GROUP) flush();
    },
    close() {
      flush();
      writer.finish();
    },
  };
}

/** The file a table is written to. */
export function shopFile(dir: string, table: ShopTable, format: ShopFormat): string {
  return path.join(dir, `${table}.${format}`);
}

/**
 * Generates a shop into `dir` (created if missing): customers, orders, truth, accounts,
 * account_orders and account_truth, each as `<table>.<format>`. Returns the row counts.
 */
export function writeShopFiles(options: ShopOptions, dir: string, format: ShopFormat = "csv"): ShopCounts {
  mkdirSync(dir, { recursive: true });
  const open = format === "csv" ? csvTable : parquetTable;
  const tables = Object.fromEntries(SHOP_TABLE_NAMES.map((t) => [t, open(shopFile(dir, t, format), t)])) as Record<
    ShopTable,
    TableSink
  >;
  const sink: ShopSink = { row: (table, values) => tables[table].row(values) };
  try {
    return generateShop(options, sink);
  } finally {
    for (const table of SHOP_TABLE_NAMES) tables[table].close();
  }
}
