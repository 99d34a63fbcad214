/**
 * The workbench's sanitizer: src/report/sanitize-html.ts over the browser's own HTML parser, run in a
 * document without a window (`createHTMLDocument`), where parsing runs no script and loads no image,
 * so `<img src=x onerror=…>` does nothing even while it is being removed.
 */
import { REPORT_SANITIZE, createSanitizer, type MarkupNode, type Sanitize } from "../../report/sanitize-html.ts";

let inert: Document | undefined;

/** The browser's parser in a document without a window: nothing runs or loads while parsing. */
function parseInert(html: string): MarkupNode {
  inert ??= document.implementation.createHTMLDocument("");
  const template = inert.createElement("template");
  template.innerHTML = html;
  return template.content;
}

/**
 * Markup a notebook wrote, made safe to insert (see src/report/sanitize-html.ts).
 * @example
 * element.innerHTML = sanitizeMarkup('<p style="position:fixed">Hi<img src=x onerror="alert(1)"></p>');
 * // <p>Hi<img src="x"></p>
 */
export const sanitizeMarkup: Sanitize = createSanitizer(parseInert);

/**
 * The same sanitizer for File → Export HTML report: images only as `data:`, as in `segbook run`'s.
 * @example
 * sanitizeReportMarkup('<img src="https://example.com/x.png">'); // "<img>"
 */
export const sanitizeReportMarkup: Sanitize = createSanitizer(parseInert, REPORT_SANITIZE);
