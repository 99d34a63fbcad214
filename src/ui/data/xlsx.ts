/**
 * Excel workbooks in the browser: sheet names, and one sheet as JSON for Engine.loadFile. The
 * reader (read-excel-file's browser entry) is loaded only when a workbook is first opened.
 */
import { sheetToJson, type SheetJson } from "../../engine/sheet-json.ts";

/** Whether a file name is an Excel workbook this app reads. */
export function isWorkbook(fileName: string): boolean {
  return /\.xlsx$/i.test(fileName);
}

async function readAll(blob: Blob) {
  const { default: readExcelFile } = await import("read-excel-file/browser");
  try {
    return await readExcelFile(blob);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`could not read the Excel workbook: ${message}; save it as .xlsx (not .xls) and try again`, {
      cause: error,
    });
  }
}

/** The workbook's sheet names, in order. */
export async function sheetNames(blob: Blob): Promise<string[]> {
  return (await readAll(blob)).map((s) => s.sheet);
}

/** One sheet (the first when `sheet` is not given) as JSON bytes, plus the names of all sheets. */
export async function readSheetJson(
  blob: Blob,
  sheet?: string,
): Promise<SheetJson & { sheet: string; sheets: string[] }> {
  const sheets = await readAll(blob);
  const chosen = sheet === undefined ? sheets[0] : sheets.find((s) => s.sheet === sheet);
  if (!chosen) {
    const names = sheets.map((s) => `"${s.sheet}"`).join(", ");
    throw new Error(`the workbook has no sheet "${sheet ?? ""}"; its sheets are ${names || "none"}`);
  }
  const json = sheetToJson(chosen.data, chosen.sheet);
  return { ...json, sheet: chosen.sheet, sheets: sheets.map((s) => s.sheet) };
}
