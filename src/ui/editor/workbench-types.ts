/**
 * What the TypeScript language service in the editor knows about one notebook: the tables it names
 * (data sources and named SQL cells), each a `TableHandle<Row>` whose row type lists the table's
 * columns from the live DuckDB schema. The builtins every cell has (`seg`, `db`, `sql`, …) are not
 * here: they are generated from the source at build time (src/ui/build/cell-types.ts). Types only
 * help the author: the runtime strips them, so a wrong type never stops a cell. Pure text building,
 * no Monaco here (the unit tests read it directly).
 */

/** A table as the engine lists it: its name and columns with DuckDB types. */
export interface TableSchema {
  name: string;
  columns: readonly { name: string; type: string }[];
}

const NUMBER =
  /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL.*|NUMERIC.*)$/;

/** The TS type of a DuckDB column type as rows() returns it (see src/engine/arrow-values.ts). */
export function tsTypeOf(duckdbType: string): string {
  const type = duckdbType.trim().toUpperCase();
  if (type.endsWith("[]")) return `${tsTypeOf(duckdbType.trim().slice(0, -2))}[]`;
  if (NUMBER.test(type)) return "number";
  if (type === "VARCHAR" || type === "TEXT" || type === "UUID" || type === "TIME" || type.startsWith("ENUM")) {
    return "string";
  }
  if (type === "BOOLEAN" || type === "BOOL") return "boolean";
  if (type === "DATE" || type.startsWith("TIMESTAMP")) return "Date";
  if (type === "BLOB") return "Uint8Array";
  return "any";
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A row type literal for a table's columns, e.g. `{ customer_id: number; segment: string }`. */
export function rowType(columns: TableSchema["columns"]): string {
  if (columns.length === 0) return "Record<string, any>";
  const fields = columns.map(
    (c) => `${IDENTIFIER.test(c.name) ? c.name : JSON.stringify(c.name)}: ${tsTypeOf(c.type)}`,
  );
  return `{ ${fields.join("; ")} }`;
}

/**
 * Declarations of the notebook's table names: each a `TableHandle` of its row type when the engine
 * has the table, of any row until it has run. Names that are not identifiers cannot be TS names.
 */
export function notebookDeclarations(names: readonly string[], tables: readonly TableSchema[]): string {
  const byName = new Map(tables.map((t) => [t.name, t]));
  return names
    .filter((name) => IDENTIFIER.test(name))
    .map((name) => {
      const table = byName.get(name);
      return `declare const ${name}: TableHandle<${table ? rowType(table.columns) : "Record<string, any>"}>;`;
    })
    .join("\n");
}
