/**
 * The words the export card and `segbook run` use for an export: its size and what privacy did.
 */
import { describe, expect, it } from "vitest";
import { fileSize, privacyNotes } from "../../src/seg/export-summary.ts";
import type { ExportManifest } from "../../src/seg/export.ts";

const base = { file: "s.csv", rows: 10 } as ExportManifest;
const suppressed = (segments: number, members: number) => ({
  minSegmentSize: 20,
  segments,
  members,
  reason: "segments with fewer than 20 members are suppressed by the notebook's privacy.minSegmentSize",
});

describe("fileSize(bytes)", () => {
  it.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1024, "1 KB"],
    [186_000, "182 KB"],
    [3_565_158, "3.4 MB"],
  ])("fileSize(%d) is %j", (bytes, text) => {
    expect(fileSize(bytes)).toBe(text);
  });
});

describe("privacyNotes(manifest)", () => {
  it.each([
    ["no privacy rules", undefined, []],
    [
      "small segments left out and personal columns masked",
      { suppressed: suppressed(2, 31), personal: { columns: ["email", "phone"], masked: true } },
      ["2 segments below 20 members left out (31 rows)", "Personal columns masked: email, phone"],
    ],
    [
      "one small segment of one member",
      { suppressed: suppressed(1, 1), personal: { columns: [], masked: false } },
      ["1 segment below 20 members left out (1 row)"],
    ],
    [
      "a minimum no segment falls below",
      { suppressed: suppressed(0, 0), personal: { columns: [], masked: false } },
      ["No segment below 20 members: nothing left out"],
    ],
    [
      "personal columns exported on purpose",
      { suppressed: null, personal: { columns: ["email"], masked: false } },
      ["Personal columns NOT masked (includePersonal): email"],
    ],
    [
      "rules that found nothing to do",
      { suppressed: null, personal: { columns: [], masked: false } },
      ["Privacy rules applied: nothing to leave out or mask"],
    ],
  ])("privacyNotes(%s)", (_, privacy, notes) => {
    expect(privacyNotes({ ...base, ...(privacy && { privacy }) })).toEqual(notes);
  });
});
