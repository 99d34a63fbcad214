import type { Cell, Notebook } from "./model.ts";
import { CELL_SPLIT_MARKER } from "./cells.ts";
import { chooseFence } from "./fences.ts";
import { FRONT_MATTER_FENCE, findFrontMatter } from "./front-matter.ts";
import { formatCellInfo } from "./info-string.ts";
import { trimBlankLines } from "./lines.ts";

/**
 * Writes a notebook file: front matter (when `frontMatterSource` is defined), then the cells
 * separated by one blank line, ending with exactly one newline ("" for an empty notebook).
 *
 * - `frontMatter` is not read: it is derived from `frontMatterSource`, which is written verbatim
 *   (edit it with setFrontMatterField / setDataSource).
 * - Markdown cells lose leading and trailing blank lines (they read back as separators), and
 *   Markdown cells that are empty or whitespace-only are dropped.
 * - Adjacent Markdown cells are separated by a `<!-- cell -->` line.
 * - Code cells keep their own fence while no source line could close it, else get the shortest
 *   backtick fence no source line can close. Only SQL cells write a name.
 * - A first Markdown cell that would read back as front matter (starts with a `---` line with
 *   another one below) is preceded by `<!-- cell -->` so it stays Markdown.
 *
 * parse(serialize(nb)) equals nb (ids aside) for every parsed notebook. Hand-built notebooks
 * round-trip as long as they are expressible: Markdown cells without `ts`/`js`/`sql` fences,
 * `<!-- cell -->` lines or unclosed fences in them; SQL names that are valid identifiers; a SQL
 * cell without a name has no attrs starting with an identifier (that word would read back as the
 * name); front matter source without a `---` line; sources with "\n" line endings.
 */
export function serialize(nb: Notebook): string {
  const blocks: string[] = [];
  let previousWasMarkdown = false;
  for (const cell of nb.cells) {
    if (cell.kind === "md") {
      const text = trimBlankLines(normalizeNewlines(cell.source).split("\n")).join("\n");
      if (text === "") continue;
      if (previousWasMarkdown) blocks.push(CELL_SPLIT_MARKER);
      blocks.push(text);
      previousWasMarkdown = true;
    } else {
      blocks.push(writeCodeCell(cell, cell.kind));
      previousWasMarkdown = false;
    }
  }

  let body = blocks.join("\n\n");
  if (nb.frontMatterSource === undefined && findFrontMatter(body.split("\n"))) {
    body = `${CELL_SPLIT_MARKER}\n\n${body}`;
  }

  let text = "";
  if (nb.frontMatterSource !== undefined) {
    const yaml = normalizeNewlines(nb.frontMatterSource);
    const ending = yaml === "" || yaml.endsWith("\n") ? "" : "\n";
    text = `${FRONT_MATTER_FENCE}\n${yaml}${ending}${FRONT_MATTER_FENCE}\n`;
    if (body !== "") text += "\n";
  }
  if (body !== "") text += `${body}\n`;
  return nb.lineEnding === "\r\n" ? text.replace(/\n/g, "\r\n") : text;
}

function writeCodeCell(cell: Cell, kind: Exclude<Cell["kind"], "md">): string {
  const source = normalizeNewlines(cell.source);
  const info = formatCellInfo(kind, cell.name, cell.attrs);
  const fence = chooseFence(cell.fence, source, info);
  return `${fence}${info}\n${source}\n${fence}`;
}

/** The model keeps "\n" line breaks; a stray CRLF from a paste must not end up doubled. */
function normalizeNewlines(text: string): string {
  return text.replace(/\r\n/g, "\n");
}
