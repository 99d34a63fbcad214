/**
 * `segbook run` reads Excel workbooks as the browser does: read-excel-file (its Node entry) gives
 * the sheets, src/engine/workbook.ts picks the front matter's `sheet` and converts it to JSON, and
 * the notebook's sha256 check uses the workbook's own hash, as in the browser.
 */
import { readFile } from "node:fs/promises";
import type { FileSource } from "../engine/engine.ts";
import { sourceFileName } from "../engine/load.ts";
import { sha256Bytes } from "../engine/sha256.ts";
import { workbookReadError, workbookSheetJson } from "../engine/workbook.ts";
import type { ResolvedData } from "../runtime/index.ts";

async function workbookBytes(source: FileSource): Promise<Uint8Array> {
  if (source.kind === "path") {
    try {
      return new Uint8Array(await readFile(source.path));
    } catch (error) {
      throw new Error(`loadFile: cannot read "${source.path}": ${(error as Error).message}; check the path`, {
        cause: error,
      });
    }
  }
  if (source.kind === "url") {
    const response = await fetch(source.url);
    if (!response.ok) throw new Error(`loadFile: HTTP ${response.status} for ${source.url}`);
    return new Uint8Array(await response.arrayBuffer());
  }
  throw new Error(`loadFile: a workbook is read from a path or URL in segbook run, not from ${source.kind}`);
}

/**
 * Data source `name`'s workbook as loadFile input: sheet `sheet` (default: the first) as JSON bytes
 * named `<name>.json`, and the workbook's sha256.
 * @example await resolveWorkbook("sales", { kind: "path", path: "data/sales.xlsx" }, "Q3")
 */
export async function resolveWorkbook(name: string, source: FileSource, sheet?: string): Promise<ResolvedData> {
  const fileName = sourceFileName(source);
  const bytes = await workbookBytes(source);
  // Loaded only when a notebook reads a workbook: every other run starts without the reader.
  const { default: readExcelFile } = await import("read-excel-file/node");
  let sheets;
  try {
    sheets = await readExcelFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw workbookReadError(fileName, error);
  }
  const json = workbookSheetJson(sheets, fileName, sheet);
  return {
    source: { kind: "bytes", bytes: json.bytes, fileName: `${name}.json` },
    sha256: await sha256Bytes(bytes),
  };
}
