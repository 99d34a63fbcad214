/**
 * Recognising a `seg.export` result, in a module of its own with no runtime imports, so the page's
 * output renderer (in the entry chunk) can tell one apart without loading the export encoders.
 */
import type { ExportResult, PreparedFile } from "./export.ts";

/**
 * Whether `value` is what `seg.export` returned (checked by shape, so it also holds for a copy).
 * @example
 * if (isExportResult(value)) element.append(exportCard(value, trigger));
 */
export function isExportResult(value: unknown): value is ExportResult {
  if (typeof value !== "object" || value === null) return false;
  const { manifest, file, manifestFile } = value as Partial<ExportResult>;
  const isFile = (f: unknown) =>
    typeof f === "object" &&
    f !== null &&
    typeof (f as PreparedFile).name === "string" &&
    (f as PreparedFile).bytes instanceof Uint8Array;
  return (
    typeof manifest === "object" &&
    manifest !== null &&
    typeof manifest.sha256 === "string" &&
    isFile(file) &&
    isFile(manifestFile)
  );
}
