/**
 * What the TypeScript language service in the editor knows about a notebook: the builtins every TS
 * cell has (src/runtime/builtins.ts) and the tables the notebook names (data sources and named SQL
 * cells), each a `TableHandle<Row>` whose row type lists the table's columns from the live DuckDB
 * schema. Types only help the author: the runtime strips them, so a wrong type never stops a cell.
 * Pure text building, no Monaco here (the unit tests read it directly).
 */

/** A table as the engine lists it: its name and columns with DuckDB types. */
export interface TableSchema {
  name: string;
  columns: readonly { name: string; type: string }[];
}

/**
 * The names `seg` has in a cell, with the declaration of each (hand-kept: a unit test compares the
 * names with `createSeg` so a new function cannot be forgotten here).
 */
export const SEG_DECLARATIONS: Record<string, string> = {
  rfm: "rfm(orders: TableInput, options: SegOptions): Promise<any>",
  tiers: "tiers(table: TableInput, options: SegOptions): Promise<any>",
  segments: "segments(table: TableInput, definitions: any, options?: SegOptions): Promise<any>",
  overlap: "overlap(table: TableInput, definitions: any, options?: SegOptions): Promise<any>",
  featureMatrix: "featureMatrix(table: TableInput, options: SegOptions): Promise<any>",
  explain: "explain(table: TableInput, options: SegOptions): Promise<any>",
  stability: "stability(table: TableInput, options: SegOptions): Promise<any>",
  migration: "migration(before: TableInput, after: TableInput, options: SegOptions): Promise<any>",
  compareLabels: "compareLabels(before: TableInput, after: TableInput, options: SegOptions): Promise<any>",
  scorecard: "scorecard(table: TableInput, options: SegOptions): Promise<any>",
  kmeans: "kmeans(table: TableInput, options: SegOptions): Promise<any>",
  chooseK: "chooseK(table: TableInput, options: SegOptions): Promise<any>",
  gmm: "gmm(table: TableInput, options: SegOptions): Promise<any>",
  kprototypes: "kprototypes(table: TableInput, options: SegOptions): Promise<any>",
  assign: "assign(table: TableInput, options: SegOptions): Promise<TableHandle & { info: any; warnings: string[] }>",
  restoreModel: "restoreModel(json: any): Promise<any>",
  profile: "profile(table: TableInput, options: SegOptions): Promise<any>",
  export: "export(table: TableInput, fileName: string, options?: SegOptions): Promise<any>",
  pca: "pca(table: TableInput, options: SegOptions): Promise<any>",
  abtest: "abtest(table: TableInput, options: SegOptions): Promise<any>",
  clv: "clv(orders: TableInput, options: SegOptions): Promise<any>",
  silhouetteScore:
    "silhouetteScore(input: TableInput | { matrix: ArrayLike<number>; n: number; d: number }, options: SegOptions): Promise<number>",
  calinskiHarabasz:
    "calinskiHarabasz(input: TableInput | { matrix: ArrayLike<number>; n: number; d: number }, options: SegOptions): Promise<number>",
  daviesBouldin:
    "daviesBouldin(input: TableInput | { matrix: ArrayLike<number>; n: number; d: number }, options: SegOptions): Promise<number>",
  adjustedRandIndex:
    "adjustedRandIndex(input: TableInput | { labels: ArrayLike<unknown> }, options: SegOptions): Promise<number>",
  sampleSize: "sampleSize(options: SegOptions): number",
  charts: `charts: {
    rfmGrid(data: any, options?: SegOptions): Promise<Element>;
    profileHeatmap(data: any, options?: SegOptions): Promise<Element>;
    segmentSizes(data: any, options: SegOptions): Promise<Element>;
    clusterScatter(data: any, options: SegOptions): Promise<Element>;
    migration(data: any, options?: SegOptions): Promise<Element>;
  }`,
  seed: "readonly seed: number",
};

/** Declarations of every builtin, as one global script for the TS language service. */
export const WORKBENCH_DECLARATIONS = `
/** A column's name and DuckDB type (e.g. "BIGINT", "VARCHAR", "DATE"). */
interface ColumnInfo { name: string; type: string }
/** A named DuckDB table seen from TypeScript; data stays in DuckDB until a method asks for it. */
interface TableHandle<Row = Record<string, any>> {
  readonly kind: "table";
  /** The table's name in DuckDB. */
  readonly name: string;
  /** Row count when the handle was made. */
  readonly numRows: number;
  /** Columns with their DuckDB types. */
  readonly columns: readonly ColumnInfo[];
  /** Rows as plain objects (the first \`limit\` when given). */
  rows(limit?: number): Promise<Row[]>;
  /** One column: a typed array for numeric columns without nulls, otherwise an array. */
  column<K extends keyof Row & string>(name: K): Promise<Row[K][] | Float64Array | Int32Array | BigInt64Array>;
  /** The whole table as Arrow. */
  arrow(): Promise<any>;
  /** The whole table as an Arquero table. */
  arquero(): Promise<any>;
}
/** A value bound to a \`?\` parameter. */
type SqlParam = string | number | bigint | boolean | null | Date;
/** A table handle or the name of a table in DuckDB. */
type TableInput = TableHandle<any> | string;
/** Options of a \`seg\` function (see the README's \`seg\` table). */
type SegOptions = Record<string, any>;
/** The database as a cell sees it; results become tables owned by the cell. */
declare const db: {
  /** Runs a query with optional bound parameters; the result is a table handle. */
  query<Row = Record<string, any>>(sql: string, params?: readonly SqlParam[]): Promise<TableHandle<Row>>;
  /** Runs statements for their effect (CREATE, INSERT, ...). */
  exec(sql: string): Promise<void>;
  /** A handle on an existing table or view. */
  table<Row = Record<string, any>>(name: string): Promise<TableHandle<Row>>;
  readonly engine: any;
};
/** \`sql\\\`select ... \${x}\\\`\`: runs a query (interpolations are bound parameters) into a table handle. */
declare function sql<Row = Record<string, any>>(strings: TemplateStringsArray, ...values: unknown[]): Promise<TableHandle<Row>>;
/** Shows a value in the cell's output and returns it. */
declare function display<T>(value: T): T;
/** Markdown from a template; interpolated values are rendered in place. */
declare function md(strings: TemplateStringsArray, ...values: unknown[]): { kind: "markdown"; parts: string[]; values: unknown[] };
/** A seeded random number in [0, 1), the same on every run of the same cell. */
declare function random(): number;
/** Resolves when the cell re-runs or is removed: release what the run started. */
declare const invalidation: Promise<void>;
/** The notebook's seed. */
declare const seed: number;
/** Shows an input in the cell and returns its value; \`const k = view(input)\` re-runs k's readers when it changes. */
declare function view<T>(input: { value: T; addEventListener(type: "input", listener: () => void): void }): T;
/** A control: a form element whose \`value\` is the current value. */
interface InputElement<T> extends HTMLElement { value: T }
/** Observable Inputs. */
declare const Inputs: {
  range(extent?: [number, number], options?: { label?: string; value?: number; step?: number; width?: number }): InputElement<number>;
  select<T>(data: Iterable<T>, options?: { label?: string; value?: T; multiple?: boolean | number; format?: (x: T) => string }): InputElement<T>;
  radio<T>(data: Iterable<T>, options?: { label?: string; value?: T | null; format?: (x: T) => string }): InputElement<T | null>;
  checkbox<T>(data: Iterable<T>, options?: { label?: string; value?: T[]; format?: (x: T) => string }): InputElement<T[]>;
  toggle(options?: { label?: string; value?: boolean }): InputElement<boolean>;
  text(options?: { label?: string; value?: string; placeholder?: string }): InputElement<string>;
  textarea(options?: { label?: string; value?: string; placeholder?: string; rows?: number }): InputElement<string>;
  date(options?: { label?: string; value?: Date | string | null; min?: Date | string; max?: Date | string }): InputElement<Date | null>;
  table<T extends object>(data: Iterable<T>, options?: { columns?: (keyof T)[]; value?: T[]; rows?: number; required?: boolean; multiple?: boolean }): InputElement<T[]>;
  [name: string]: any;
};
/** Arquero. */
declare const aq: any;
/** Observable Plot. */
declare const Plot: any;
/** The segmentation library, with the notebook's seed bound. */
declare const seg: {
${Object.values(SEG_DECLARATIONS)
  .map((d) => `  ${d};`)
  .join("\n")}
};
`;

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
