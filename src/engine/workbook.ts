/**
 * Excel workbooks, the same way in the browser and in `segbook run`: a reader (read-excel-file's
 * browser entry in the page, its Node entry in the CLI) gives every sheet's rows, and this picks
 * the sheet the notebook names and converts it to JSON for Engine.loadFile (see sheet-json.ts).
 */
import { sheetToJson, type SheetCell, type SheetJson } from "./sheet-json.ts";

/** Whether a file name (or path/URL) is an Excel workbook Segbook reads. */
export function isWorkbook(fileName: string): boolean {
  return /\.xlsx$/i.test(fileName.split(/[?#]/)[0]!);
}

/** One sheet as a workbook reader gives it: its name and rows (first row = column names). */
export interface WorkbookSheet {
  sheet: string;
  data: readonly (readonly SheetCell[])[];
}

/** A loaded sheet: the JSON for loadFile, the sheet's name and every sheet's name. */
export type WorkbookSheetJson = SheetJson & { sheet: string; sheets: string[] };

/**
 * Picks sheet `sheet` (the first when undefined) of a read workbook and converts it to JSON.
 * Throws naming the file, the sheet and the sheets there are when it has no such sheet.
 * @example
 * const sheets = await readExcelFile(bytes); // read-excel-file, browser or Node entry
 * const { bytes: json } = workbookSheetJson(sheets, "sales.xlsx", "Q3");
 */
export function workbookSheetJson(
  sheets: readonly WorkbookSheet[],
  fileName: string,
  sheet?: string,
): WorkbookSheetJson {
  const chosen = sheet === undefined ? sheets[0] : sheets.find((s) => s.sheet === sheet);
  if (!chosen) {
    const names = sheets.map((s) => JSON.stringify(s.sheet)).join(", ");
    throw new Error(
      `"${fileName}" has no sheet ${JSON.stringify(sheet ?? "")}; its sheets are ${names || "none"}: ` +
        "choose one in the data panel or name it in the front matter (sheet: ...)",
    );
  }
  const json = sheetToJson(chosen.data, chosen.sheet);
  return { ...json, sheet: chosen.sheet, sheets: sheets.map((s) => s.sheet) };
}

/** The message for a file a workbook reader could not read, naming it and the fix. */
export function workbookReadError(fileName: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(
    `could not read the Excel workbook "${fileName}": ${message}; save it as .xlsx (not .xls) and try again`,
    { cause: error },
  );
}
