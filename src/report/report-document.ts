/**
 * The notebook as a standalone HTML report, written the same way by the browser (File → Export HTML
 * report) and by `segbook run --out`: the same document the workbench's report view shows. Its title,
 * then each cell in order: Markdown rendered, outputs (tables, charts, inputs with their values), a
 * failed step as one compact line. No code, and nothing for cells that show nothing. No scripts; the
 * page prints on light paper.
 *
 * The report is inert wherever it is opened: markup from the notebook is sanitized (value-html.ts),
 * and the page carries a Content-Security-Policy ({@link REPORT_CSP}) that forbids scripts, loads from
 * anywhere (images only as `data:`), forms and `<base>`, so even markup that slipped through could
 * neither run nor send anything.
 */
import type { Cell } from "../notebook/model.ts";
import type { CellState } from "../runtime/index.ts";
import { escapeHtml, valueHtml, type ValueHtmlOptions } from "./value-html.ts";

/** What the report needs of a notebook and its run. */
export interface ReportInput extends ValueHtmlOptions {
  /** Required here: markup from the notebook passes through it (see src/report/sanitize-html.ts). */
  sanitize: (html: string) => string;
  /** The notebook's title (front matter or first heading). */
  title: string;
  cells: readonly Cell[];
  /** The latest run state of a cell; undefined for one that never ran. */
  stateOf: (id: string) => CellState | undefined;
  /** When the report was made (shown at the top). */
  now?: Date;
}

/**
 * The report's Content-Security-Policy (a `<meta>` tag, the first thing in `<head>`): nothing runs,
 * nothing loads but `data:` images and the page's own `<style>`, forms post nowhere, no `<base>`.
 * @example
 * html.includes(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`); // true
 */
export const REPORT_CSP =
  "default-src 'none'; script-src 'none'; object-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src 'none'; connect-src 'none'; media-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'";

const STYLE = `
:root{color-scheme:light;--text:#1f2328;--muted:#6a737d;--border:#d8dee4;--light:#eef1f4;--surface:#f6f8fa}
body{font:16px/1.65 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:52rem;margin:2.5rem auto;padding:0 1.5rem;color:var(--text);background:#fff}
header.report{border-bottom:1px solid var(--border);margin-bottom:2rem;padding-bottom:.6rem;color:var(--muted);font-size:13px;display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap}
header.report .title{font-weight:600;color:var(--text)}
section.cell{margin:0 0 1rem}
.markdown :is(p,ul,ol,blockquote){max-width:44rem}
.markdown :is(h1,h2,h3){line-height:1.25;margin:1.6em 0 .5em}
section.cell:first-of-type .markdown>:first-child{margin-top:0}
.output{margin:0 0 1rem;overflow-x:auto}
.output svg,.output img{max-width:100%;height:auto}
.output svg text{white-space:pre}
.markdown,.output{overflow-wrap:anywhere;contain:paint}
table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums}
td,th{border-bottom:1px solid var(--light);padding:3px 10px;text-align:left;vertical-align:top}
thead th{border-bottom:1px solid var(--border);background:var(--surface);vertical-align:bottom}
td.num{text-align:right;white-space:nowrap}td.null{color:var(--muted)}
td.mark{text-align:center;font-weight:700}td.mark.pass{color:#1a7f37}td.mark.fail{color:#b42318}td.mark.unmeasured{color:var(--muted)}
.scorecard-flags{font-size:14px;margin:.5rem 0 0;padding-left:1.2rem}
table.record th{font-weight:600;color:var(--muted);padding-left:0}
caption{text-align:left;color:var(--muted);font-size:12px;padding-bottom:4px}
.table-name{font-family:ui-monospace,monospace;color:var(--text)}
.column-type{display:block;font-weight:400;color:var(--muted);font-size:11px;font-family:ui-monospace,monospace}
.segbook-input{font-size:14px}.segbook-input label{color:var(--muted);margin-right:.4rem}.segbook-input output{font-weight:600}
pre.value{font:13px/1.45 ui-monospace,monospace;white-space:pre-wrap;margin:0}
.failed{padding:.35rem .7rem;border-radius:6px;font-size:13px;background:#fef3f2;color:#b42318;border:1px solid #fecdca;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
@media print{body{margin:0;max-width:none}.output:has(svg,img){break-inside:avoid}.markdown :is(h1,h2,h3){break-after:avoid}thead{display:table-header-group}tr{break-inside:avoid}}
`;

/** The first line of an error message: what a reader needs to see that a step failed. */
function firstLine(message: string): string {
  return message.split("\n").find((line) => line.trim() !== "") ?? message;
}

/** The HTML of one cell, or "" when it shows nothing (a cell that only defines names, blocked, not run). */
async function cellHtml(cell: Cell, state: CellState | undefined, options: ValueHtmlOptions): Promise<string> {
  if (state?.status === "error" && state.error) {
    const message = firstLine(state.error.message);
    return `<div class="failed" role="alert" title="${escapeHtml(state.error.message)}"><strong>Error: this step failed</strong> · ${escapeHtml(message)}</div>`;
  }
  if (cell.kind === "md") {
    // Before its first run a Markdown cell still reads well as its text.
    const value = state?.hasValue ? state.value : { kind: "markdown", parts: [cell.source], values: [] };
    return valueHtml(value, { ...options, labels: state?.tableLabels });
  }
  if (state?.status === "blocked") return "";
  const values = [...(state?.displays ?? []), ...(state?.hasValue ? [state.value] : [])];
  const parts = await Promise.all(values.map((v) => valueHtml(v, { ...options, labels: state?.tableLabels })));
  return parts
    .filter((html) => html !== "")
    .map((html) => `<div class="output">${html}</div>`)
    .join("\n");
}

/**
 * The report page for a notebook and its run state.
 * @example
 * const html = await reportDocument({ title: nb.title, cells: nb.cells, stateOf: (id) => nb.state(id), sanitize: sanitizeMarkup });
 */
export async function reportDocument(input: ReportInput): Promise<string> {
  const { title, cells, stateOf, now = new Date(), ...options } = input;
  const sections: string[] = [];
  for (const cell of cells) {
    const state = stateOf(cell.id);
    const html = await cellHtml(cell, state, options);
    if (html === "") continue;
    const kind = cell.kind === "md" ? "md" : "code";
    const name = cell.name ? ` data-cell-name="${escapeHtml(cell.name)}"` : "";
    sections.push(`<section class="cell ${kind}"${name}>${html}</section>`);
  }
  const heading = escapeHtml(title || "Segbook report");
  const date = now.toISOString().slice(0, 16).replace("T", " ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${heading}</title><style>${STYLE}</style></head>
<body>
<header class="report"><span class="title">${heading}</span><span>Report made with Segbook · ${escapeHtml(date)} UTC</span></header>
<main>
${sections.join("\n")}
</main>
</body></html>
`;
}
