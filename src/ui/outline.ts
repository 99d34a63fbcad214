/**
 * The notebook's outline: the ATX headings (`# Title`, `## Part`) of its Markdown cells, in order.
 * Pure, so it is tested in Node; the side panel renders it.
 */
import type { Cell } from "../notebook/index.ts";

/** One heading of the outline. */
export interface OutlineEntry {
  /** The Markdown cell the heading is in. */
  cellId: string;
  /** 1 for `#`, up to 6. */
  level: number;
  /** The heading text without the #s, emphasis markers or a closing run of #s. */
  text: string;
}

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Headings of every Markdown cell; headings inside fenced code blocks are not headings. */
export function outlineOf(cells: readonly Cell[]): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  for (const cell of cells) {
    if (cell.kind !== "md") continue;
    let fence: string | undefined;
    for (const line of cell.source.split("\n")) {
      const fenceMatch = FENCE.exec(line);
      if (fenceMatch) {
        const marker = fenceMatch[1]!;
        if (fence === undefined) fence = marker;
        else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
        continue;
      }
      if (fence !== undefined) continue;
      const match = HEADING.exec(line);
      if (!match) continue;
      const text = match[2]!.replace(/[*_`]/g, "").trim();
      if (text) entries.push({ cellId: cell.id, level: match[1]!.length, text });
    }
  }
  return entries;
}
