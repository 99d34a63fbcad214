/**
 * `segbook run`'s sanitizer: the same one as the workbench's (src/report/sanitize-html.ts), over
 * linkedom's HTML parser, as Node has none. linkedom runs no scripts and loads nothing.
 */
import { parseHTML } from "linkedom";
import { REPORT_SANITIZE, createSanitizer, type MarkupNode, type Sanitize } from "../report/sanitize-html.ts";

/**
 * Markup a notebook wrote, made safe for report.html (see src/report/sanitize-html.ts): images only
 * as `data:` (a report loads nothing from anywhere).
 * @example
 * nodeSanitize('<a href="javascript:alert(1)">x</a>'); // "<a>x</a>"
 */
export const nodeSanitize: Sanitize = createSanitizer((html) => {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const box = document.createElement("div");
  box.innerHTML = html;
  return box as unknown as MarkupNode;
}, REPORT_SANITIZE);
