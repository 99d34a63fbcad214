/**
 * Preparing a JSON file for duckdb-wasm's built-in insertJSONFromPath (read_json is an extension, so
 * it is never used). insertJSONFromPath wants one JSON array of objects; it does not keep the key
 * order and reads date strings as TIMESTAMP_S, so the file is also checked and described here.
 */

/** What {@link prepareJson} learned about a JSON file. */
export interface PreparedJson {
  /** A JSON array of objects, ready to register as a file for insertJSONFromPath. */
  arrayBytes: Uint8Array;
  /** Keys in order of first appearance: the table's column order. */
  columns: string[];
  /** Keys whose non-null values are all `YYYY-MM-DD` strings (they become DATE columns). */
  dateColumns: Set<string>;
  numRows: number;
  /** What was assumed about rows of different shapes (keys missing, values of mixed types). */
  notes: string[];
}

/** A JSON value's kind, for finding keys whose values are of more than one kind. */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  return value === null ? "null" : typeof value;
}

/**
 * Rows of mixed shapes: a key holding values of several kinds (`1` and `"2"`) would make the JSON
 * insert fail, so its values become text (objects and arrays as JSON) with a note; keys missing from
 * some rows read as NULL there, also with a note. Returns the rewritten rows when anything changed.
 */
function reconcileShapes(rows: Record<string, unknown>[], columns: string[], notes: string[]): boolean {
  let changed = false;
  for (const key of columns) {
    const kinds = new Set<string>();
    let missing = 0;
    for (const row of rows) {
      if (!(key in row)) missing++;
      else if (row[key] !== null) kinds.add(kindOf(row[key]));
    }
    if (kinds.size > 1) {
      changed = true;
      for (const row of rows) {
        const value = row[key];
        if (value !== null && value !== undefined) row[key] = typeof value === "string" ? value : JSON.stringify(value);
      }
      notes.push(`key ${key}: values of mixed types (${[...kinds].join(", ")}): all read as text (VARCHAR)`);
    }
    if (missing > 0) notes.push(`key ${key}: missing in ${missing} of ${rows.length} rows: read as NULL there`);
  }
  return changed;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function describeRows(rows: unknown[], fileName: string, where: (index: number) => string) {
  const columns: string[] = [];
  const seen = new Set<string>();
  const notDate = new Set<string>();
  rows.forEach((row, index) => {
    if (row === null || typeof row !== "object" || Array.isArray(row)) {
      throw new Error(
        `loadFile: "${fileName}" ${where(index)} is not a JSON object; ` +
          `JSON files must hold an array of objects or one object per line (NDJSON)`,
      );
    }
    for (const [key, value] of Object.entries(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
      if (value !== null && !(typeof value === "string" && DATE_ONLY.test(value))) notDate.add(key);
    }
  });
  return { columns, dateColumns: new Set(columns.filter((key) => !notDate.has(key))) };
}

/**
 * Checks and describes a JSON file: either one array of objects, or NDJSON (one object per line;
 * this is what a file whose first character is not `[` is taken to be). Throws a message naming the
 * file (and the line, for NDJSON) when the JSON is invalid or holds no rows.
 */
export function prepareJson(bytes: Uint8Array, fileName: string): PreparedJson {
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, "");
  let rows: unknown[];
  let arrayBytes = bytes;
  let describe: (index: number) => string;
  if (text.trimStart().startsWith("[")) {
    try {
      rows = JSON.parse(text) as unknown[];
    } catch (error) {
      throw new Error(`loadFile: "${fileName}" is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    if (!Array.isArray(rows)) throw new Error(`loadFile: "${fileName}" is not a JSON array`);
    describe = (index) => `item ${index + 1}`;
  } else {
    const lines = text.split(/\r?\n/);
    const lineNumbers: number[] = [];
    const kept: string[] = [];
    rows = [];
    lines.forEach((line, index) => {
      if (line.trim() === "") return;
      try {
        rows.push(JSON.parse(line));
      } catch (error) {
        throw new Error(
          `loadFile: "${fileName}" line ${index + 1} is not valid JSON (${(error as Error).message}); ` +
            `JSON files must hold an array of objects or one object per line (NDJSON)`,
          { cause: error },
        );
      }
      kept.push(line);
      lineNumbers.push(index + 1);
    });
    arrayBytes = new TextEncoder().encode(`[${kept.join(",\n")}]`);
    describe = (index) => `line ${lineNumbers[index]}`;
  }
  if (rows.length === 0) {
    throw new Error(`loadFile: "${fileName}" holds no rows, so there are no columns to make a table from`);
  }
  const { columns, dateColumns } = describeRows(rows, fileName, describe);
  if (columns.length === 0) {
    throw new Error(`loadFile: "${fileName}" has only empty objects, so there are no columns`);
  }
  const notes: string[] = [];
  if (reconcileShapes(rows as Record<string, unknown>[], columns, notes)) {
    arrayBytes = new TextEncoder().encode(JSON.stringify(rows));
  }
  return { arrayBytes, columns, dateColumns, numRows: rows.length, notes };
}
