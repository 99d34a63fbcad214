/**
 * Excel workbooks in the browser: sheet names, and one sheet as JSON for Engine.loadFile. The
 * reader (read-excel-file's browser entry) is loaded only when a workbook is first opened; the
 * conversion is src/engine/workbook.ts, the one `segbook run` uses too.
 */
import {
  isWorkbook,
  workbookReadError,
  workbookSheetJson,
  type WorkbookSheet,
  type WorkbookSheetJson,
} from "../../engine/workbook.ts";

export { isWorkbook };

async function readAll(blob: Blob, fileName: string): Promise<WorkbookSheet[]> {
  const { default: readExcelFile } = await import("read-excel-file/browser");
  try {
    return await readExcelFile(blob);
  } catch (error) {
    throw workbookReadError(fileName, error);
  }
}

/** The workbook's sheet names, in order. */
export async function sheetNames(blob: Blob, fileName = "workbook.xlsx"): Promise<string[]> {
  return (await readAll(blob, fileName)).map((s) => s.sheet);
}

/** One sheet (the first when `sheet` is not given) as JSON bytes, plus the names of all sheets. */
export async function readSheetJson(blob: Blob, fileName: string, sheet?: string): Promise<WorkbookSheetJson> {
  return workbookSheetJson(await readAll(blob, fileName), fileName, sheet);
}
