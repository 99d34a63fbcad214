/**
 * Grid sources over tables already in memory: an Arrow table (a cell's result that is not a DuckDB
 * table, e.g. the output of an unnamed non-query statement) or an array of plain objects. Filters and sort have the same meaning as in
 * SQL (see grid-filter.ts) but run in JavaScript over an index permutation: only the filtered and
 * sorted columns are converted, and rows are built for the visible page only. No Parquet download:
 * the Parquet encoder reads from DuckDB.
 */
import { DataType, type Table as ArrowTable } from "apache-arrow";
import type { ColumnInfo } from "../../engine/engine.ts";
import { toPlainValue } from "../../engine/arrow-values.ts";
import { csvField, csvHeader, neutralizeFormula } from "../../seg/export-encode.ts";
import { formatCell } from "../render/table-data.ts";
import type { CompareOp, GridFilter } from "./grid-filter.ts";
import type { GridResult, GridRow, GridSource } from "./grid-source.ts";
import type { GridView } from "./grid-sql.ts";

/** DuckDB's name for an Arrow type, so filters parse the same way as for DuckDB tables. */
export function duckTypeOfArrow(type: DataType): string {
  if (DataType.isInt(type)) {
    const names: Record<number, string> = { 8: "TINYINT", 16: "SMALLINT", 32: "INTEGER", 64: "BIGINT" };
    return `${type.isSigned ? "" : "U"}${names[type.bitWidth] ?? "BIGINT"}`;
  }
  if (DataType.isFloat(type)) return type.precision === 2 ? "DOUBLE" : "FLOAT";
  if (DataType.isDecimal(type)) return `DECIMAL(${type.precision},${type.scale})`;
  if (DataType.isBool(type)) return "BOOLEAN";
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return "VARCHAR";
  if (DataType.isDate(type)) return "DATE";
  if (DataType.isTimestamp(type)) return "TIMESTAMP";
  return String(type);
}

/** Orders two non-null cell values the way DuckDB orders values of one type. */
export function compareValues(a: unknown, b: unknown): number {
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  const comparable = (v: unknown) => typeof v === "number" || typeof v === "bigint" || typeof v === "boolean";
  if ((comparable(x) && comparable(y)) || (typeof x === "string" && typeof y === "string")) {
    return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
  }
  const [s, t] = [formatCell(a), formatCell(b)];
  return s < t ? -1 : s > t ? 1 : 0;
}

const OPS: Record<CompareOp, (order: number) => boolean> = {
  "=": (o) => o === 0,
  "!=": (o) => o !== 0,
  "<": (o) => o < 0,
  "<=": (o) => o <= 0,
  ">": (o) => o > 0,
  ">=": (o) => o >= 0,
};

/** A filter as a predicate on one cell value (the in-memory twin of grid-sql's filterCondition). */
export function filterPredicate(filter: GridFilter): (value: unknown) => boolean {
  switch (filter.kind) {
    case "null":
      return (value) => (value == null) !== filter.negate;
    case "contains": {
      const text = filter.text.toLowerCase();
      return (value) => value != null && formatCell(value).toLowerCase().includes(text);
    }
    case "compare": {
      const test = OPS[filter.op];
      // A bare date or timestamp is UTC, as DuckDB's TIMESTAMP (no time zone) is read here.
      const operand = filter.cast
        ? new Date(`${filter.value as string}${filter.cast === "DATE" ? "" : "Z"}`)
        : filter.value;
      return (value) => value != null && test(compareValues(value, operand));
    }
  }
}

/**
 * A grid source over an Arrow table.
 * @example const source = arrowGridSource(await db.query("SELECT 1 AS x").arrow());
 */
export function arrowGridSource(table: ArrowTable, name?: string): GridSource {
  const fields = table.schema.fields;
  const columns: ColumnInfo[] = fields.map((f) => ({ name: f.name, type: duckTypeOfArrow(f.type as DataType) }));
  const vectors = fields.map((_, i) => table.getChildAt(i)!);
  const cell = (column: number, row: number) =>
    toPlainValue(vectors[column]!.get(row), fields[column]!.type as DataType);
  return memoryGridSource(columns, table.numRows, cell, name);
}

/** Whether a value is a plain object (`{…}` or Object.create(null)), not a class instance, array or date. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Whether a value is a non-empty array whose items are all plain objects, i.e. rows of a table. */
export function isArrayOfObjects(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 && value.every(isPlainObject);
}

/** The DuckDB type name that describes every non-null value of a column of JS values. */
export function typeOfValues(values: readonly unknown[]): string {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return "NULL";
  if (present.every((v) => typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v)))) return "BIGINT";
  if (present.every((v) => typeof v === "number" || typeof v === "bigint")) return "DOUBLE";
  if (present.every((v) => typeof v === "boolean")) return "BOOLEAN";
  if (present.every((v) => v instanceof Date))
    return present.every((v) => (v as Date).getTime() % 86_400_000 === 0) ? "DATE" : "TIMESTAMP";
  if (present.every((v) => typeof v === "string")) return "VARCHAR";
  return "JSON";
}

/**
 * A grid source over an array of plain objects (`[{a: 1, b: "x"}, …]`): the columns are every key,
 * in the order first seen; each column's type is what describes all its values.
 * @example const source = objectsGridSource([{segment: "A", size: 120}, {segment: "B", size: 80}]);
 */
export function objectsGridSource(rows: readonly Record<string, unknown>[], name?: string): GridSource {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of rows)
    for (const key of Object.keys(row))
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
  const columns: ColumnInfo[] = names.map((n) => ({ name: n, type: typeOfValues(rows.map((r) => r[n])) }));
  const cell = (column: number, row: number) => rows[row]![names[column]!] ?? null;
  return memoryGridSource(columns, rows.length, cell, name);
}

/** A grid source over any in-memory table: `cell(column, row)` gives one plain value. */
function memoryGridSource(
  columns: readonly ColumnInfo[],
  numRows: number,
  cell: (column: number, row: number) => unknown,
  name: string | undefined,
): GridSource {
  const columnValues = (name: string): unknown[] => {
    const index = columns.findIndex((c) => c.name === name);
    if (index < 0) throw new Error(`grid: no column ${JSON.stringify(name)}`);
    return Array.from({ length: numRows }, (_, row) => cell(index, row));
  };
  const rowAt = (row: number): GridRow => Object.fromEntries(columns.map((c, i) => [c.name, cell(i, row)]));
  return {
    name,
    columns,
    numRows,
    formats: ["csv"],
    async open(view: GridView): Promise<GridResult> {
      let order = Array.from({ length: numRows }, (_, i) => i);
      for (const [column, filter] of Object.entries(view.filters)) {
        const values = columnValues(column);
        const keep = filterPredicate(filter);
        order = order.filter((row) => keep(values[row]));
      }
      if (view.sort) {
        const values = columnValues(view.sort.column);
        const sign = view.sort.direction === "asc" ? 1 : -1;
        // Array sort is stable: equal values keep the table's order, as rowid does in SQL.
        order.sort((a, b) => {
          const [x, y] = [values[a], values[b]];
          if (x == null || y == null) return (x == null ? 1 : 0) - (y == null ? 1 : 0);
          return sign * compareValues(x, y);
        });
      }
      return {
        numRows: order.length,
        rows: async (offset, limit) => order.slice(offset, offset + limit).map(rowAt),
        async download() {
          const lines = [columns.map((c) => csvHeader(c.name)).join(",")];
          for (const row of order) {
            lines.push(columns.map((_, i) => csvField(cellText(cell(i, row)))).join(","));
          }
          return new Blob([lines.join("\n") + "\n"], { type: "text/csv" });
        },
        release: async () => {},
      };
    },
  };
}

/** A value's CSV text; text values (never numbers) have spreadsheet formulas neutralized. */
function cellText(value: unknown): string | null {
  if (value == null) return null;
  return typeof value === "string" ? neutralizeFormula(formatCell(value)) : formatCell(value);
}
