/**
 * Encoding a DuckDB table as CSV or Parquet bytes, in JavaScript: duckdb-wasm's `COPY ... TO` writes
 * into its virtual file system, which the Engine interface cannot read back, and COPY to Parquet
 * needs the parquet extension, which Segbook never downloads.
 *
 * CSV (RFC 4180): UTF-8, a header line, `\n` line ends, `,` separators. Every value is DuckDB's own
 * text for it (`CAST(x AS VARCHAR)`: dates `2011-12-09`, timestamps `2011-12-09 12:50:00`, doubles
 * in shortest round-trip form), so CSV text matches what DuckDB shows. A field is quoted (with `"`
 * doubled) when it holds `,` `"` CR or LF or starts/ends with whitespace; NULL is an empty field and
 * an empty string is `""`, so the two stay distinguishable.
 *
 * Spreadsheet formulas are neutralized by default (OWASP "CSV injection"): a text field that starts
 * with `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'`, so Excel, LibreOffice and Google Sheets
 * show it as text instead of evaluating `=HYPERLINK(...)` written by whoever supplied the data. Only
 * text is touched (header names and values of non-numeric columns): `-3.5` in a DOUBLE column stays
 * a number. `formulas: "keep"` writes fields as they are.
 *
 * Parquet (hyparquet-writer, Snappy, all columns OPTIONAL) keeps types: BOOLEAN, TINYINT/SMALLINT/
 * INTEGER (INT32 with INT_8/INT_16), UTINYINT/USMALLINT/UINTEGER (UINT_8/16/32), BIGINT (INT64), FLOAT,
 * DOUBLE, VARCHAR (UTF8), BLOB, DATE and TIMESTAMP (micros; TIMESTAMP_S/MS/NS are stored as micros).
 * DECIMAL, HUGEINT, UBIGINT and UHUGEINT are written as DOUBLE; any other type (TIME, TIMESTAMPTZ,
 * LIST, STRUCT, ...) as its VARCHAR text.
 */
import { parquetWriteBuffer } from "hyparquet-writer";
import type { SchemaElement } from "hyparquet-writer";
import type { ColumnInfo, Engine } from "../engine/engine.ts";
import { quoteIdentifier } from "../engine/sql-text.ts";
import { isNumericType } from "../engine/column-types.ts";

/** What a CSV writer does with text that a spreadsheet would run as a formula (see the module comment). */
export type CsvFormulas = "neutralize" | "keep";

/** First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text a spreadsheet will not evaluate: a leading `'` before a formula-like start, else as is.
 * @example
 * neutralizeFormula("=HYPERLINK(\"http://x\")"); // "'=HYPERLINK(\"http://x\")"
 * neutralizeFormula("plain"); // "plain"
 */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One CSV field of a column of DuckDB type `type`: formula-neutralized when it is text (a column that
 * is not numeric) and `formulas` is "neutralize", then quoted when it needs it.
 * @example
 * csvCell("-3.5", "DOUBLE"); // "-3.5"
 * csvCell("-3.5", "VARCHAR"); // "'-3.5"
 * csvCell("=1+1", "VARCHAR", "keep"); // "=1+1"
 */
export function csvCell(value: string | null, type: string | undefined, formulas: CsvFormulas = "neutralize"): string {
  if (value === null || formulas === "keep" || isNumericType(type)) return csvField(value);
  return csvField(neutralizeFormula(value));
}

/** The header line's field for a column name (names are text, so formulas are neutralized too). */
export function csvHeader(name: string, formulas: CsvFormulas = "neutralize"): string {
  return csvField(formulas === "keep" ? name : neutralizeFormula(name));
}

/** Quotes one CSV field when it needs it (see the module comment). */
export function csvField(value: string | null): string {
  if (value === null) return "";
  if (value === "" || /[",\r\n]/.test(value) || value.trim() !== value) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

/** The table as CSV bytes (UTF-8, header line, `\n` line ends; formulas neutralized unless "keep"). */
export async function encodeCsv(
  engine: Engine,
  tableName: string,
  columns: readonly ColumnInfo[],
  formulas: CsvFormulas = "neutralize",
): Promise<Uint8Array> {
  const select = columns.map((c) => `CAST(${quoteIdentifier(c.name)} AS VARCHAR)`).join(", ");
  const result = await engine.query(`SELECT ${select} FROM ${quoteIdentifier(tableName)}`);
  const vectors = columns.map((_, i) => result.getChildAt(i)!);
  const lines: string[] = [columns.map((c) => csvHeader(c.name, formulas)).join(",")];
  for (let row = 0; row < result.numRows; row++) {
    lines.push(
      vectors
        .map((vector, i) => csvCell((vector.get(row) as string | null) ?? null, columns[i]!.type, formulas))
        .join(","),
    );
  }
  return new TextEncoder().encode(lines.join("\n") + "\n");
}

/** How one DuckDB column is selected and described in the Parquet schema. */
interface ParquetPlan {
  select: (column: string) => string;
  element: Omit<SchemaElement, "name">;
}

const asIs = (column: string) => column;
const OPTIONAL = { repetition_type: "OPTIONAL" } as const;

function parquetPlan(type: string): ParquetPlan {
  const int32 = (converted?: SchemaElement["converted_type"]): ParquetPlan => ({
    select: (column) => `${column}::INTEGER`,
    element: { type: "INT32", ...OPTIONAL, ...(converted ? { converted_type: converted } : {}) },
  });
  switch (type) {
    case "BOOLEAN":
      return { select: asIs, element: { type: "BOOLEAN", ...OPTIONAL } };
    case "TINYINT":
      return int32("INT_8");
    case "SMALLINT":
      return int32("INT_16");
    case "INTEGER":
      return int32();
    case "UTINYINT":
      return int32("UINT_8");
    case "USMALLINT":
      return int32("UINT_16");
    case "UINTEGER":
      return { select: (c) => `${c}::BIGINT`, element: { type: "INT32", converted_type: "UINT_32", ...OPTIONAL } };
    case "BIGINT":
      return { select: asIs, element: { type: "INT64", ...OPTIONAL } };
    case "FLOAT":
      return { select: asIs, element: { type: "FLOAT", ...OPTIONAL } };
    case "DOUBLE":
    case "HUGEINT":
    case "UBIGINT":
    case "UHUGEINT":
      return { select: (c) => `${c}::DOUBLE`, element: { type: "DOUBLE", ...OPTIONAL } };
    case "VARCHAR":
      return { select: asIs, element: { type: "BYTE_ARRAY", converted_type: "UTF8", ...OPTIONAL } };
    case "BLOB":
      return { select: asIs, element: { type: "BYTE_ARRAY", ...OPTIONAL } };
    case "DATE":
      // Days since the epoch, computed by DuckDB so no time zone ever gets involved.
      return {
        select: (c) => `(${c} - DATE '1970-01-01')::INTEGER`,
        element: { type: "INT32", converted_type: "DATE", ...OPTIONAL },
      };
    case "TIMESTAMP":
    case "TIMESTAMP_S":
    case "TIMESTAMP_MS":
    case "TIMESTAMP_NS":
      return {
        select: (c) => `epoch_us(${c}::TIMESTAMP)`,
        element: { type: "INT64", converted_type: "TIMESTAMP_MICROS", ...OPTIONAL },
      };
    default:
      if (/^DECIMAL\(/.test(type)) {
        return { select: (c) => `${c}::DOUBLE`, element: { type: "DOUBLE", ...OPTIONAL } };
      }
      return {
        select: (c) => `CAST(${c} AS VARCHAR)`,
        element: { type: "BYTE_ARRAY", converted_type: "UTF8", ...OPTIONAL },
      };
  }
}

/** The table as Parquet bytes (see the module comment for the type mapping). */
export async function encodeParquet(
  engine: Engine,
  tableName: string,
  columns: readonly ColumnInfo[],
  createdBy: string,
): Promise<Uint8Array> {
  const plans = columns.map((c) => parquetPlan(c.type));
  const select = columns.map((c, i) => `${plans[i]!.select(quoteIdentifier(c.name))} AS c${i}`).join(", ");
  const result = await engine.query(`SELECT ${select} FROM ${quoteIdentifier(tableName)}`);
  const uint32 = (value: unknown) => (value === null ? null : Number(value as bigint));
  const columnData = columns.map((c, i) => {
    const values = Array.from(result.getChildAt(i)!, (value: unknown) => value ?? null);
    // UINTEGER was selected as BIGINT (Arrow has no exact JS number for it otherwise); the writer
    // takes plain numbers up to 2^32 - 1 for UINT_32.
    return { name: c.name, data: plans[i]!.element.converted_type === "UINT_32" ? values.map(uint32) : values };
  });
  const schema: SchemaElement[] = [
    { name: "root", num_children: columns.length },
    ...columns.map((c, i) => ({ name: c.name, ...plans[i]!.element }) as SchemaElement),
  ];
  const buffer = parquetWriteBuffer({ columnData, schema, createdBy });
  return new Uint8Array(buffer);
}
