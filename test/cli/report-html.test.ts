/**
 * `segbook run --out`'s report.html shows a `seg.export` result as what was exported and where, not
 * as an inspected object full of file bytes.
 */
import { describe, expect, it } from "vitest";
import { valueHtml } from "../../src/cli/report-html.ts";
import type { ExportManifest, ExportResult } from "../../src/seg/export.ts";

function exported(location: string | null): ExportResult {
  const bytes = new TextEncoder().encode("id,segment\n1,a\n2,a\n");
  const manifest = {
    file: "a.csv",
    rows: 2,
    sha256: "x",
    privacy: { suppressed: null, personal: { columns: ["email"], masked: true } },
  } as ExportManifest;
  const file = { name: "a.csv", mimeType: "text/csv", bytes, location };
  return { manifest, file, manifestFile: { ...file, name: "a.csv.manifest.json", location: null } };
}

describe("valueHtml(export result)", () => {
  it.each([
    ["/out/a.csv", "written to /out/a.csv"],
    [null, "prepared, not written"],
  ])("valueHtml(export at %s) names the file, its rows, size and where it went", async (location, where) => {
    const html = await valueHtml(exported(location));
    expect(html).toContain(
      `<p>Export <code>a.csv</code>: 2 rows, 19 B, ${where}; manifest <code>a.csv.manifest.json</code></p>`,
    );
    expect(html).toContain("<li>Personal columns masked: email</li>");
    expect(html).not.toContain("Uint8Array");
  });
});
