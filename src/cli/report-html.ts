/**
 * A static HTML rendering of a run (code and outputs), written by `segbook run --out DIR` so a CI
 * job's result can be looked at without opening the workbench.
 */
import { inspect } from "node:util";
import type { Notebook, PrivacySettings } from "../notebook/model.ts";
import { maskValue, personalColumns } from "../seg/privacy.ts";
import { isMarkdownValue, isTableHandle, renderMarkdown, type Session } from "../runtime/index.ts";
import { isExportResult } from "../seg/export-result.ts";
import { fileSize, privacyNotes } from "../seg/export-summary.ts";

const escape = (text: string) =>
  text.replace(/[&<>"]/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`);

/**
 * HTML for one value: tables as the first rows, DOM nodes as markup, the rest inspected. Table
 * columns named in the notebook's `privacy.personal` are masked (see src/seg/privacy.ts).
 */
export async function valueHtml(value: unknown, privacy?: PrivacySettings): Promise<string> {
  if (value === undefined) return "";
  if (isTableHandle(value)) {
    const names = value.columns.map((c) => c.name);
    const personal = new Set(personalColumns(privacy, names));
    const rows = (await value.rows(20)).map((r) =>
      personal.size
        ? Object.fromEntries(Object.entries(r).map(([k, v]) => [k, personal.has(k) ? maskValue(v) : v]))
        : r,
    );
    const head = value.columns.map((c) => `<th>${escape(c.name)}<br><small>${escape(c.type)}</small></th>`).join("");
    const body = rows
      .map(
        (r) =>
          `<tr>${value.columns.map((c) => `<td>${escape(String(r[c.name] instanceof Date ? (r[c.name] as Date).toISOString() : r[c.name]))}</td>`).join("")}</tr>`,
      )
      .join("");
    return `<table><caption>${value.numRows} rows</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  }
  if (isExportResult(value)) {
    // What was exported and where, not the file's bytes.
    const { manifest, file } = value;
    const where = file.location ? `written to ${escape(file.location)}` : "prepared, not written (run with --out DIR)";
    const notes = privacyNotes(manifest)
      .map((n) => `<li>${escape(n)}</li>`)
      .join("");
    return `<div class="export"><p>Export <code>${escape(file.name)}</code>: ${manifest.rows} rows, ${fileSize(file.bytes.byteLength)}, ${where}; manifest <code>${escape(value.manifestFile.name)}</code></p>${notes ? `<ul>${notes}</ul>` : ""}</div>`;
  }
  if (isMarkdownValue(value)) {
    const { html, slots } = renderMarkdown(value);
    let out = html;
    for (const [i, v] of slots)
      out = out.replace(`<span data-segbook-slot="${i}"></span>`, await valueHtml(v, privacy));
    return out;
  }
  if (typeof value === "object" && value !== null && "outerHTML" in value)
    return String((value as { outerHTML: string }).outerHTML);
  return `<pre>${escape(inspect(value, { depth: 3, maxArrayLength: 50 }))}</pre>`;
}

/** The whole notebook as one HTML page. */
export async function reportHtml(notebook: Notebook, session: Session): Promise<string> {
  const parts: string[] = [];
  const privacy = notebook.frontMatter.privacy;
  for (const cell of notebook.cells) {
    const state = session.state(cell.id);
    const status = state?.status ?? "stale";
    if (cell.kind === "md") {
      parts.push(
        `<section data-cell-status="${status}">${state?.value ? await valueHtml(state.value, privacy) : `<pre>${escape(cell.source)}</pre>`}</section>`,
      );
      continue;
    }
    const outputs = [...(state?.displays ?? []), ...(state?.hasValue ? [state.value] : [])];
    const rendered = (await Promise.all(outputs.map((v) => valueHtml(v, privacy)))).join("\n");
    const error = state?.error ? `<pre class="error">${escape(state.error.message)}</pre>` : "";
    parts.push(
      `<section data-cell-status="${status}"><pre class="code"><code>${escape(cell.source)}</code></pre>${error}${rendered}</section>`,
    );
  }
  const title = escape(notebook.frontMatter.title ?? "Segbook report");
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d232b}
pre.code{background:#f4f5f7;padding:.5rem;border-radius:4px;overflow:auto}.error{color:#b00020}
table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #ddd;padding:2px 8px;text-align:left}
section[data-cell-status=error],section[data-cell-status=blocked]{border-left:3px solid #b00020;padding-left:.5rem}
</style></head><body>${parts.join("\n")}</body></html>\n`;
}
