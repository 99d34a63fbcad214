/**
 * TableHandle: a named DuckDB table or view seen from TypeScript. Values come back converted as
 * described in arrow-values.ts (safe BIGINTs as numbers, DATE/TIMESTAMP as `Date`).
 */
import { DataType, Float64, Table, tableToIPC, vectorFromArray } from "apache-arrow";
import type { Table as ArrowTable, Vector } from "apache-arrow";
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import type { ColumnInfo, Engine } from "./engine.ts";
import type { ColumnValues, TableHandle } from "./table-handle-types.ts";
import { columnValues, toPlainValue, toSafeNumber } from "./arrow-values.ts";
import { quoteIdentifier } from "./sql-text.ts";

/** Rows of an Arrow table as plain objects (see arrow-values.ts for the conversions). */
export function arrowRows(table: ArrowTable): Record<string, unknown>[] {
  const fields = table.schema.fields;
  const vectors = fields.map((_, i) => table.getChildAt(i)!);
  const rows: Record<string, unknown>[] = new Array(table.numRows);
  for (let row = 0; row < table.numRows; row++) {
    const object: Record<string, unknown> = {};
    fields.forEach((field, i) => {
      object[field.name] = toPlainValue(vectors[i]!.get(row), field.type as DataType);
    });
    rows[row] = object;
  }
  return rows;
}

function isUnsafe64(type: DataType, vector: Vector): boolean {
  if (!DataType.isInt(type) || type.bitWidth !== 64) return false;
  for (const value of vector as Iterable<bigint | null>) {
    if (value !== null && typeof toSafeNumber(value) === "bigint") return true;
  }
  return false;
}

/**
 * An Arrow table as an Arquero table. Arquero 8 reads Arrow through flechette, so the table is
 * passed as IPC bytes; DATE/TIMESTAMP become `Date`s. Flechette turns 64-bit integers into numbers
 * and throws on access for values beyond 2^53, so when a 64-bit column holds such values, that column
 * is read as BigInts (and the other 64-bit columns are first made Float64, so they stay numbers).
 */
export function arrowToArquero(table: ArrowTable): ColumnTable {
  const fields = table.schema.fields;
  const vectors = fields.map((_, i) => table.getChildAt(i)!);
  const unsafe = fields.map((field, i) => isUnsafe64(field.type as DataType, vectors[i]!));
  if (!unsafe.includes(true)) return aq.fromArrow(tableToIPC(table, "stream"));
  const columns: Record<string, Vector> = {};
  fields.forEach((field, i) => {
    const type = field.type as DataType;
    const vector = vectors[i]!;
    columns[field.name] =
      DataType.isInt(type) && type.bitWidth === 64 && !unsafe[i]
        ? vectorFromArray(
            Array.from(vector as Iterable<bigint | null>, (value) => (value === null ? null : Number(value))),
            new Float64(),
          )
        : vector;
  });
  // Arrow's Table({...}) would reorder integer-like keys; select restores the original order.
  const converted = new Table(columns).select(fields.map((field) => field.name));
  return aq.fromArrow(tableToIPC(converted, "stream"), { useBigInt: true });
}

// Which engine a handle reads from: the UI's data grid pages through the same engine. A WeakMap (not
// a public property) keeps the engine out of what cells see on a handle.
const handleEngines = new WeakMap<TableHandle, Engine>();

/**
 * The engine behind a handle made by {@link createTableHandle}, or undefined for any other object
 * that looks like a handle. The workbench's data grid uses it to page, sort and filter in SQL.
 */
export function engineOfHandle(handle: TableHandle): Engine | undefined {
  return handleEngines.get(handle);
}

class EngineTableHandle implements TableHandle {
  readonly kind = "table" as const;

  // The inspector names objects by their class, which minification turns into `$n`.
  get [Symbol.toStringTag](): string {
    return "TableHandle";
  }

  // A true private field: a TypeScript `private` parameter would be an own enumerable property, and
  // cells (and the seg contract's "nothing beyond the handle" check) would see the engine.
  readonly #engine: Engine;

  constructor(
    engine: Engine,
    readonly name: string,
    readonly numRows: number,
    readonly columns: readonly ColumnInfo[],
  ) {
    this.#engine = engine;
  }

  private selectAll(limit?: number): Promise<ArrowTable> {
    const from = `SELECT * FROM ${quoteIdentifier(this.name)}`;
    return this.#engine.query(limit === undefined ? from : `${from} LIMIT ${limit}`);
  }

  async rows(limit?: number): Promise<Record<string, unknown>[]> {
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
      throw new Error(`rows: limit must be a non-negative integer, got ${String(limit)} (table "${this.name}")`);
    }
    return arrowRows(await this.selectAll(limit));
  }

  async column(name: string): Promise<ColumnValues> {
    if (!this.columns.some((column) => column.name === name)) {
      const available = this.columns.map((column) => JSON.stringify(column.name)).join(", ");
      throw new Error(
        `column: table "${this.name}" has no column ${JSON.stringify(name)}; available columns: ${available}`,
      );
    }
    const result = await this.#engine.query(`SELECT ${quoteIdentifier(name)} FROM ${quoteIdentifier(this.name)}`);
    return columnValues(result.getChildAt(0)!, result.schema.fields[0]!.type as DataType);
  }

  arrow(): Promise<ArrowTable> {
    return this.selectAll();
  }

  async arquero(): Promise<ColumnTable> {
    return arrowToArquero(await this.selectAll());
  }
}

/**
 * A handle on table or view `name`: reads its row count and columns once, now; data is fetched
 * when a method asks for it. Fails with DuckDB's message when there is no such table.
 */
export async function createTableHandle(engine: Engine, name: string): Promise<TableHandle> {
  const columns = await engine.describe(name);
  const count = await engine.query(`SELECT count(*) AS n FROM ${quoteIdentifier(name)}`);
  const numRows = Number(count.getChild("n")?.get(0) ?? 0);
  const handle = new EngineTableHandle(engine, name, numRows, columns);
  handleEngines.set(handle, engine);
  return handle;
}
