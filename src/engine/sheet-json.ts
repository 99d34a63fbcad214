/**
 * Turning a spreadsheet's rows (as read-excel-file gives them: string, number, boolean, Date or
 * null) into a JSON array of objects that Engine.loadFile reads as a typed table: the first row
 * names the columns, numbers stay numbers, booleans stay booleans, dates at midnight become DATE
 * and other dates TIMESTAMP. A column mixing kinds is kept as text.
 */

/**
 * A cell value as spreadsheet readers return it: string, number, boolean, Date or null. Typed
 * `unknown` because read-excel-file declares its Date cells as `typeof Date`; anything else is text.
 */
export type SheetCell = unknown;

/** What {@link sheetToJson} made. */
export interface SheetJson {
  /** UTF-8 JSON array of objects, for `loadFile(name, {kind: "bytes", bytes, fileName: "x.json"})`. */
  bytes: Uint8Array;
  /** Column names, in sheet order (blank headers become `column2`, repeats `name_2`). */
  columns: string[];
  numRows: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function dateText(date: Date, dateOnly: boolean): string {
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  if (dateOnly) return day;
  const ms = date.getUTCMilliseconds();
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${day} ${time}${ms ? `.${pad(ms, 3)}` : ""}`;
}

function isMidnight(date: Date): boolean {
  return (
    date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0 && !date.getUTCMilliseconds()
  );
}

function kindOf(value: SheetCell): "number" | "boolean" | "date" | "text" | "empty" {
  if (value === null || value === undefined || value === "") return "empty";
  if (value instanceof Date) return "date";
  if (typeof value === "number") return Number.isFinite(value) ? "number" : "text";
  if (typeof value === "boolean") return "boolean";
  return "text";
}

/** Column names from the header row: trimmed text, blanks named by position, repeats numbered. */
function columnNames(header: readonly SheetCell[], width: number): string[] {
  const seen = new Map<string, number>();
  return Array.from({ length: width }, (_, c) => {
    const cell = header[c];
    const raw = cell instanceof Date ? dateText(cell, isMidnight(cell)) : String((cell as unknown) ?? "").trim();
    const base = raw === "" ? `column${c + 1}` : raw;
    const count = (seen.get(base.toLowerCase()) ?? 0) + 1;
    seen.set(base.toLowerCase(), count);
    return count === 1 ? base : `${base}_${count}`;
  });
}

/**
 * Converts sheet rows (first row = header) to JSON for loadFile. Rows whose cells are all empty
 * are dropped. Throws a message naming the sheet when it has no header or no data rows.
 * @example const { bytes } = sheetToJson(await readSheet(file), "Sheet1");
 */
export function sheetToJson(rows: readonly (readonly SheetCell[])[], sheetName: string): SheetJson {
  const nonEmpty = rows.filter((row) => row.some((cell) => kindOf(cell) !== "empty"));
  if (nonEmpty.length === 0) throw new Error(`sheet "${sheetName}" is empty; put column names in its first row`);
  const width = Math.max(...nonEmpty.map((row) => row.length));
  const columns = columnNames(nonEmpty[0]!, width);
  const data = nonEmpty.slice(1);
  if (data.length === 0) {
    throw new Error(`sheet "${sheetName}" has column names but no data rows below them`);
  }
  const kinds = columns.map((_, c) => {
    const found = new Set(data.map((row) => kindOf(row[c])).filter((k) => k !== "empty"));
    return found.size === 1 ? [...found][0]! : found.size === 0 ? "empty" : "text";
  });
  const dateOnly = columns.map((_, c) => data.every((row) => !(row[c] instanceof Date) || isMidnight(row[c] as Date)));
  const objects = data.map((row) => {
    const object: Record<string, string | number | boolean | null> = {};
    columns.forEach((name, c) => {
      const cell = row[c];
      if (kindOf(cell) === "empty") object[name] = null;
      else if (cell instanceof Date) object[name] = dateText(cell, dateOnly[c]!);
      else if (kinds[c] === "text") object[name] = String(cell);
      else object[name] = cell as number | boolean;
    });
    return object;
  });
  return { bytes: new TextEncoder().encode(JSON.stringify(objects)), columns, numRows: objects.length };
}
