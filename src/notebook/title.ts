import type { Notebook } from "./model.ts";
import { closesFence, readOpeningFence } from "./fences.ts";

/** The title shown when neither the front matter nor a heading gives one. */
export const UNTITLED = "Untitled";

const ATX = /^ {0,3}#{1,6}(?:[ \t]+(.*))?$/;
const SETEXT = /^ {0,3}(?:=+|-+)[ \t]*$/;
// Lines that cannot be the text of a setext heading (they start another kind of block).
const NOT_PARAGRAPH = /^(?: {0,3}(?:[#>*+`~-]|\d+[.)]|<)| {4}|[ \t]*$)/;

/** The notebook's title: the front matter `title`, else the first Markdown heading, else "Untitled". */
export function notebookTitle(nb: Notebook): string {
  const fromFrontMatter = nb.frontMatter.title?.trim();
  if (fromFrontMatter) return fromFrontMatter;
  for (const cell of nb.cells) {
    if (cell.kind !== "md") continue;
    const heading = firstHeading(cell.source);
    if (heading) return heading;
  }
  return UNTITLED;
}

/** The text of the first ATX (`# x`) or setext (`x` over `===`) heading outside code fences. */
function firstHeading(markdown: string): string | null {
  const lines = markdown.split("\n");
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (fence !== null) {
      if (closesFence(line, fence)) fence = null;
      continue;
    }
    const open = readOpeningFence(line);
    if (open) {
      fence = open.fence;
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      // Optional closing hashes ("# Title ##") are not part of the text.
      const text = (atx[1] ?? "").replace(/(?:^|[ \t]+)#+[ \t]*$/, "").trim();
      if (text) return text;
      continue;
    }
    const prev = lines[i - 1];
    if (i > 0 && prev !== undefined && SETEXT.test(line) && !NOT_PARAGRAPH.test(prev)) {
      return prev.trim();
    }
  }
  return null;
}
