/**
 * "Export HTML report": the notebook as the page shows it (each code cell's source, its problem and
 * its outputs; Markdown rendered) in one standalone HTML file with no scripts. Outputs are copied
 * from the page's DOM, so charts and tables look as they do on screen; everything passes through
 * DOMPurify, because a notebook's outputs may hold markup written by whoever shared it.
 */
import DOMPurify from "dompurify";
import type { Cell } from "../../notebook/index.ts";
import type { CellState } from "../../runtime/index.ts";
import { isTableHandle } from "../../runtime/sql-bind.ts";
import { exactText, formatValue } from "../../format/format-value.ts";
import { fromArrow, fromHandle, isArrowTable, type TableData } from "../render/table-data.ts";

const escape = (text: string) =>
  text.replace(/[&<>"]/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`);

/** Sanitized markup of an element's content; SVG (Plot charts) is kept, scripts and handlers are not. */
function cleanHtml(element: Element | null | undefined): string {
  if (!element) return "";
  return DOMPurify.sanitize(element.innerHTML, { USE_PROFILES: { html: true, svg: true, svgFilters: true } });
}

/**
 * A table result as a plain HTML table of its first rows: the page shows a virtualized grid, which
 * holds only the rows on screen and means nothing without the page's script.
 */
async function tableHtml(data: TableData): Promise<string> {
  const rows = await data.preview();
  const head = data.columns
    .map((c) => `<th>${escape(c.name)}<span class="column-type">${escape(c.type)}</span></th>`)
    .join("");
  const body = rows
    .map((row) => `<tr>${data.columns.map((c) => cellHtml(row[c.name], c.type, c.name)).join("")}</tr>`)
    .join("\n");
  const shown = rows.length < data.numRows ? ` (first ${rows.length} shown)` : "";
  const size = `${data.numRows.toLocaleString("en-US")} ${data.numRows === 1 ? "row" : "rows"} × ${data.columns.length} columns`;
  const caption = `${data.name ? `${escape(data.name)} · ` : ""}${size}${shown}`;
  return `<table><caption>${caption}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** One table cell: the readable text, the full value in its title, numbers right-aligned. */
function cellHtml(value: unknown, type: string, column: string): string {
  const text = formatValue(value, { type, column });
  const exact = exactText(value);
  const title = exact !== text ? ` title="${escape(exact)}"` : "";
  const kind =
    value == null ? ` class="null"` : typeof value === "number" || typeof value === "bigint" ? ` class="num"` : "";
  return `<td${kind}${title}>${escape(text)}</td>`;
}

/** One output: tables from the data itself, anything else (charts, inspected values) as on screen. */
async function outputHtml(value: unknown, element: Element | undefined): Promise<string> {
  try {
    if (isTableHandle(value)) return await tableHtml(fromHandle(value));
    if (isArrowTable(value)) return await tableHtml(fromArrow(value));
  } catch (error) {
    return `<p class="problem">Could not read the table: ${escape(error instanceof Error ? error.message : String(error))}</p>`;
  }
  return cleanHtml(element);
}

const STYLE = `
body{font:15px/1.55 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1.5rem;color:#1d232b;background:#fff}
section{margin:0 0 1.25rem}
pre.code{background:#f4f5f7;padding:.6rem .8rem;border-radius:6px;overflow:auto;font:13px/1.45 ui-monospace,monospace}
.kind{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#667085;font-weight:600}
.problem{padding:.5rem .75rem;border-radius:6px;font-size:13px;background:#fdecec;color:#b00020}
.output{overflow-x:auto;margin-top:.5rem}
table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #ddd;padding:2px 8px;text-align:left;vertical-align:top}
caption{text-align:left;color:#667085;font-size:12px;padding-bottom:4px}
td.num{text-align:right;font-variant-numeric:tabular-nums}td.null{color:#667085;font-style:italic}
.column-type{display:block;font-weight:400;color:#667085;font-size:11px}
footer{margin-top:3rem;color:#667085;font-size:12px}
`;

/**
 * The report for `cells`: sources and run states from the notebook, charts and other outputs as
 * rendered under `root` (each cell an element with `data-cell-id`).
 * @example
 * downloadFile("report.html", await reportHtml(nb.title, nb.cells, (id) => nb.state(id), document), "text/html");
 */
export async function reportHtml(
  title: string,
  cells: readonly Cell[],
  stateOf: (id: string) => CellState | undefined,
  root: ParentNode,
  now = new Date(),
): Promise<string> {
  const parts: string[] = [];
  for (const cell of cells) {
    const element = root.querySelector(`[data-cell-id="${CSS.escape(cell.id)}"]`);
    const state = stateOf(cell.id);
    const status = state?.status ?? "stale";
    const problem = element?.querySelector(".problem")?.textContent?.replace(/\s+/g, " ").trim();
    if (cell.kind === "md") {
      const rendered = element?.querySelector(".markdown");
      parts.push(
        `<section class="md">${rendered ? cleanHtml(rendered) : `<pre>${escape(cell.source)}</pre>`}</section>`,
      );
      continue;
    }
    // The page renders displays first, then the value, one `.output` each.
    const values = [...(state?.displays ?? []), ...(state?.hasValue ? [state.value] : [])];
    const elements = [...(element?.querySelectorAll(".outputs > .output") ?? [])];
    const outputs = await Promise.all(values.map((v, i) => outputHtml(v, elements[i])));
    const name = cell.name ? ` ${escape(cell.name)}` : "";
    parts.push(
      `<section data-cell-status="${escape(status)}"><div class="kind">${cell.kind}${name} · ${escape(status)}</div>` +
        `<pre class="code"><code>${escape(cell.source)}</code></pre>` +
        (problem ? `<div class="problem">${escape(problem)}</div>` : "") +
        outputs.map((html) => `<div class="output">${html}</div>`).join("") +
        `</section>`,
    );
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title || "Segbook report")}</title><style>${STYLE}</style></head>
<body>
${parts.join("\n")}
<footer>Exported from Segbook on ${escape(now.toISOString())}.</footer>
</body></html>
`;
}
