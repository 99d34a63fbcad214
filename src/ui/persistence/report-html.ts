/**
 * "Export HTML report": the report view as one standalone HTML file with no scripts. The document is
 * src/report/report-document.ts, the same one `segbook run --out` writes; here everything a notebook
 * wrote as markup (Markdown's HTML, charts) passes through the one sanitizer (src/report/sanitize-html.ts),
 * because a notebook's outputs may hold markup written by whoever shared it.
 */
import type { Cell, PrivacySettings } from "../../notebook/index.ts";
import type { CellState } from "../../runtime/index.ts";
import { reportDocument } from "../../report/report-document.ts";
import { sanitizeReportMarkup } from "../render/sanitize-markup.ts";

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
  return reportDocument({ title, cells, stateOf, privacy, sanitize: sanitizeReportMarkup, now, document });
}
