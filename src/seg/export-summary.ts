/**
 * An export described for people, in one place for the workbench's export card and `segbook run`'s
 * export lines: file size, and what the notebook's privacy rules did (from the manifest).
 */
import type { ExportManifest } from "./export.ts";

/**
 * A byte count as people read it.
 * @example
 * fileSize(812); // "812 B"
 * fileSize(186_000); // "182 KB"
 * fileSize(3_565_158); // "3.4 MB"
 */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** `1 segment` / `3 segments`. */
function count(n: number, noun: string): string {
  return `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * What the privacy rules did to an export, one sentence each; empty when the notebook has none.
 * @example
 * privacyNotes(manifest);
 * // ["2 segments below 20 members left out (31 rows)", "Personal columns masked: email, phone"]
 */
export function privacyNotes(manifest: ExportManifest): string[] {
  const privacy = manifest.privacy;
  if (!privacy) return [];
  const notes: string[] = [];
  const s = privacy.suppressed;
  if (s) {
    notes.push(
      s.segments === 0
        ? `No segment below ${s.minSegmentSize} members: nothing left out`
        : `${count(s.segments, "segment")} below ${s.minSegmentSize} members left out (${count(s.members, "row")})`,
    );
  }
  const { columns, masked } = privacy.personal;
  if (columns.length) {
    notes.push(
      masked
        ? `Personal columns masked: ${columns.join(", ")}`
        : `Personal columns NOT masked (includePersonal): ${columns.join(", ")}`,
    );
  } else if (!s) {
    notes.push("Privacy rules applied: nothing to leave out or mask");
  }
  return notes;
}
