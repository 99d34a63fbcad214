/**
 * "Export HTML report": the report view as one standalone HTML file with no scripts. The document is
 * src/report/report-document.ts, the same one `segbook run --out` writes; here everything a notebook
 * wrote as markup (Markdown's HTML, charts) passes through DOMPurify, because a notebook's outputs may
 * hold markup written by whoever shared it.
 */
import DOMPurify from "dompurify";
import type { Cell, PrivacySettings } from "../../notebook/index.ts";
import type { CellState } from "../../runtime/index.ts";
import { reportDocument } from "../../report/report-document.ts";

/** Markup made safe; SVG (Plot charts) is kept, scripts and handlers are not. */
const sanitize = (html: string) =>
  DOMPurify.sanitize(html, { USE_PROFILES: { html: true, svg: true, svgFilters: true } });

/**
 * The report of the notebook on screen.
 * @example
 * downloadFile("report.html", await reportHtml(nb.title, nb.cells, (id) => nb.state(id)), "text/html");
 */
export function reportHtml(
  title: string,
  cells: readonly Cell[],
  stateOf: (id: string) => CellState | undefined,
  privacy?: PrivacySettings,
  now = new Date(),
): Promise<string> {
  return reportDocument({ title, cells, stateOf, privacy, sanitize, now, document });
}
