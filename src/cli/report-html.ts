/**
 * The HTML report `segbook run --out DIR` writes (report.html), so a CI job's result can be read
 * without opening the workbench. The document itself is src/report/report-document.ts, the same one
 * the browser's File → Export HTML report writes; here Node lends it util.inspect for plain values and
 * linkedom's parser for the one sanitizer (node-sanitize.ts).
 */
import { inspect } from "node:util";
import { parseHTML } from "linkedom";
import type { Notebook, PrivacySettings } from "../notebook/model.ts";
import { notebookTitle } from "../notebook/title.ts";
import type { Session } from "../runtime/index.ts";
import { reportDocument } from "../report/report-document.ts";
import { valueHtml as reportValueHtml } from "../report/value-html.ts";
import { nodeSanitize } from "./node-sanitize.ts";

/** A document for views built as DOM (the scorecard): linkedom's, as Node has none. */
const nodeDocument = () => parseHTML("<!doctype html><html><body></body></html>").document as unknown as Document;

const inspectValue = (value: unknown) => inspect(value, { depth: 3, maxArrayLength: 50, breakLength: 100 });

/**
 * HTML for one value as the report shows it; columns named in the notebook's `privacy.personal` are
 * masked (see src/seg/privacy.ts).
 * @example
 * await valueHtml(await db.table("segments"), notebook.frontMatter.privacy);
 */
export function valueHtml(value: unknown, privacy?: PrivacySettings): Promise<string> {
  return reportValueHtml(value, { privacy, inspect: inspectValue, document: nodeDocument(), sanitize: nodeSanitize });
}

/**
 * The whole notebook as one HTML page: title, Markdown, outputs, no code.
 * @example
 * await writeFile("report.html", await reportHtml(notebook, session));
 */
export function reportHtml(notebook: Notebook, session: Session): Promise<string> {
  return reportDocument({
    title: notebookTitle(notebook),
    cells: notebook.cells,
    stateOf: (id) => session.state(id),
    privacy: notebook.frontMatter.privacy,
    inspect: inspectValue,
    document: nodeDocument(),
    sanitize: nodeSanitize,
  });
}
