import type { Cell, FormatIssue, Notebook } from "./model.ts";
import { CELL_SPLIT_MARKER, createCell } from "./cells.ts";
import { closesFence, defaultFence, fenceFits, readOpeningFence, stripIndent } from "./fences.ts";
import { FRONT_MATTER_FENCE, findFrontMatter, readFrontMatter } from "./front-matter.ts";
import { formatCellInfo, readCellAttributes, readCellInfo } from "./info-string.ts";
import { unknownEngineMessage } from "./connections.ts";
import { splitLines, trimBlankLines } from "./lines.ts";

/** What {@link parse} returns. */
export interface ParseResult {
  notebook: Notebook;
  /** Everything that could not be understood; all of it is still kept in the notebook. */
  issues: FormatIssue[];
  /**
   * 1-based file line of each cell's first source line, by cell id, so errors in a cell can be
   * reported against the file (file line = sourceLines[id] + line in cell - 1).
   */
  sourceLines: Record<string, number>;
}

/**
 * Reads a notebook file. Never fails: whatever cannot be understood is kept (as Markdown or as
 * front matter source) and reported in `issues` with its line. A leading UTF-8 byte order mark
 * (Windows editors write one) is dropped, so the first line is still `---` and the front matter
 * (data, seed, privacy) is read: every reader of notebook text (the runner, the app's open and
 * import, the build's notebook index) goes through here.
 */
export function parse(text: string): ParseResult {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const issues: FormatIssue[] = [];
  const { lines, lineEnding } = splitLines(text, issues);
  const notebook: Notebook = { frontMatter: { data: {} }, cells: [] };
  let bodyStart = 0;

  const block = findFrontMatter(lines);
  if (block) {
    notebook.frontMatterSource = block.source;
    const read = readFrontMatter(block.source, 2);
    notebook.frontMatter = read.frontMatter;
    issues.push(...read.issues);
    bodyStart = block.bodyStart;
  } else if (lines[0] === FRONT_MATTER_FENCE) {
    issues.push({
      severity: "warning",
      line: 1,
      message: `"---" on line 1 opens front matter but no later "---" line closes it, so it is read as Markdown; add a closing "---" line if it is meant as front matter`,
    });
  }

  const sourceLines: Record<string, number> = {};
  notebook.cells = readCells(lines, bodyStart, issues, sourceLines);
  if (lineEnding) notebook.lineEnding = lineEnding;
  issues.push(...unknownEngines(notebook, sourceLines));
  issues.sort((a, b) => a.line - b.line);
  return { notebook, issues, sourceLines };
}

/** Splits the body into Markdown and code cells; see the format notes in index.ts. */
function readCells(
  lines: readonly string[],
  start: number,
  issues: FormatIssue[],
  sourceLines: Record<string, number>,
): Cell[] {
  const cells: Cell[] = [];
  let markdown: string[] = [];
  let markdownStart = start;

  const flushMarkdown = (next: number) => {
    const trimmed = trimBlankLines(markdown);
    if (trimmed.length > 0) {
      const cell = createCell("md", trimmed.join("\n"));
      const leading = markdown.findIndex((line) => line === trimmed[0]);
      sourceLines[cell.id] = markdownStart + leading + 1;
      cells.push(cell);
    }
    markdown = [];
    markdownStart = next;
  };

  for (let i = start; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line === CELL_SPLIT_MARKER) {
      flushMarkdown(i + 1);
      continue;
    }
    const open = readOpeningFence(line);
    if (!open) {
      markdown.push(line);
      continue;
    }
    let close = -1;
    for (let j = i + 1; j < lines.length && close < 0; j++) {
      if (closesFence(lines[j] ?? "", open.fence)) close = j;
    }
    const info = readCellInfo(open.info);
    const fileLine = i + 1;

    if (info === null || close < 0) {
      // Ordinary Markdown code, or a cell that never ends: either way its text stays Markdown,
      // verbatim, and nothing inside it is read as cells or split markers.
      const end = close < 0 ? lines.length : close + 1;
      markdown.push(...lines.slice(i, end));
      if (close < 0) issues.push(unclosedIssue(line, open.fence, fileLine, info !== null));
      i = end - 1;
      continue;
    }

    flushMarkdown(close + 1);
    const source = lines
      .slice(i + 1, close)
      .map((code) => stripIndent(code, open.indent))
      .join("\n");
    const cell = createCell(info.kind, source, { name: info.name, attrs: info.attrs });
    const written = formatCellInfo(info.kind, info.name, info.attrs);
    // Keep the fence only when it says something: serialize picks the default one by itself.
    if (fenceFits(open.fence, source, written) && open.fence !== defaultFence(source, written)) {
      cell.fence = open.fence;
    }
    for (const message of info.errors) issues.push({ severity: "error", line: fileLine, message });
    for (const message of info.warnings) issues.push({ severity: "warning", line: fileLine, message });
    sourceLines[cell.id] = fileLine + 1;
    cells.push(cell);
    i = close;
  }
  flushMarkdown(lines.length);
  return cells;
}

/** An error for each SQL cell whose `engine=` names no connection of the front matter. */
function unknownEngines(notebook: Notebook, sourceLines: Record<string, number>): FormatIssue[] {
  const known = Object.keys(notebook.frontMatter.connections ?? {});
  const issues: FormatIssue[] = [];
  for (const cell of notebook.cells) {
    if (cell.kind !== "sql" || !cell.attrs) continue;
    const { engine } = readCellAttributes("sql", cell.attrs).attributes;
    if (engine === undefined || known.includes(engine)) continue;
    issues.push({
      severity: "error",
      line: (sourceLines[cell.id] ?? 2) - 1,
      message: unknownEngineMessage(engine, known),
    });
  }
  return issues;
}

function unclosedIssue(line: string, fence: string, fileLine: number, isCell: boolean): FormatIssue {
  const opened = JSON.stringify(line.trim());
  return isCell
    ? {
        severity: "error",
        line: fileLine,
        message: `code fence ${opened} is never closed, so the rest of the file is kept as Markdown; add a line "${fence}" after the code`,
      }
    : {
        severity: "warning",
        line: fileLine,
        message: `fence ${opened} is never closed, so the rest of the file is Markdown code inside it; add a line "${fence}" where the code ends`,
      };
}
