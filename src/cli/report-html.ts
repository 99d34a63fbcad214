/**
 * A static HTML rendering of a run (code and outputs), written by `segbook run --out DIR` so a CI
 * job's result can be looked at without opening the workbench.
 */
import { inspect } from "node:util";
import type { Notebook, PrivacySettings } from "../notebook/model.ts";
import { exactText, formatValue, isNumericType } from "../format/format-value.ts";
import { INTERNAL_NAME_PREFIX } from "../engine/sql-text.ts";
import { parseHTML } from "linkedom";
import { maskValue, personalColumns } from "../seg/privacy.ts";
import type { ScorecardResult } from "../seg/scorecard.ts";
import { renderScorecard } from "../seg/scorecard-view.ts";
import { resultKindOf } from "../seg/seg-result.ts";
import { isMarkdownValue, isTableHandle, renderMarkdown, type Session } from "../runtime/index.ts";

const escape = (text: string) =>
  text.replace(/[&<>"]/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`);

/**
 * HTML for one value: tables as the first rows, DOM nodes as markup, the rest inspected. Table
 * columns named in the notebook's `privacy.personal` are masked (see src/seg/privacy.ts).
 */
export async function valueHtml(value: unknown, privacy?: PrivacySettings): Promise<string> {
  if (value === undefined) return "";
  if (resultKindOf(value) === "scorecard" && isTableHandle(value)) {
    // The same table of marks and flag sentences as the workbench shows, built in linkedom's document.
    const card = value as ScorecardResult;
    const { document } = parseHTML("<!doctype html><html><body></body></html>");
    const view = renderScorecard(document as unknown as Document, {
      rows: await card.rows(),
      checks: card.checks ?? [],
      flags: card.flags ?? [],
    });
    return view.outerHTML;
  }
  if (isArrayOfObjects(value)) return objectsHtml(value);
  if (isTableHandle(value)) {
    const names = value.columns.map((c) => c.name);
    const personal = new Set(personalColumns(privacy, names));
    const rows = (await value.rows(20)).map((r) =>
      personal.size
        ? Object.fromEntries(Object.entries(r).map(([k, v]) => [k, personal.has(k) ? maskValue(v) : v]))
        : r,
    );
    const head = value.columns.map((c) => `<th>${escape(c.name)}<br><small>${escape(c.type)}</small></th>`).join("");
    const cell = (v: unknown, type: string, column: string) => {
      const text = formatValue(v, { type, column });
      const exact = exactText(v);
      const title = exact !== text ? ` title="${escape(exact)}"` : "";
      const align = isNumericType(type) ? ` class="num"` : "";
      return `<td${align}${title}>${escape(text)}</td>`;
    };
    const body = rows
      .map((r) => `<tr>${value.columns.map((c) => cell(r[c.name], c.type, c.name)).join("")}</tr>`)
      .join("");
    // Tables a cell made (`__segbook_…`) are captioned by their size only: internal names stay inside.
    const name = value.name.startsWith(INTERNAL_NAME_PREFIX) ? "" : `${escape(value.name)} · `;
    const size = `${value.numRows.toLocaleString("en-US")} ${value.numRows === 1 ? "row" : "rows"} × ${value.columns.length} columns`;
    return `<table><caption>${name}${size}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
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

function isArrayOfObjects(value: unknown): value is Record<string, unknown>[] {
  const plain = (v: unknown) =>
    typeof v === "object" && v !== null && [Object.prototype, null].includes(Object.getPrototypeOf(v) as object);
  return Array.isArray(value) && value.length > 0 && value.every(plain);
}

/** An array of plain objects as a table: one column per key, values formatted, numbers right-aligned. */
function objectsHtml(rows: readonly Record<string, unknown>[]): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const shown = rows.slice(0, 50);
  const head = keys.map((k) => `<th>${escape(k)}</th>`).join("");
  const body = shown
    .map(
      (r) =>
        `<tr>${keys
          .map((k) => {
            const v = r[k];
            const num = typeof v === "number" || typeof v === "bigint" ? ` class="num"` : "";
            return `<td${num}>${escape(formatValue(v, { column: k }))}</td>`;
          })
          .join("")}</tr>`,
    )
    .join("");
  const size = `${rows.length.toLocaleString("en-US")} ${rows.length === 1 ? "row" : "rows"} × ${keys.length} columns`;
  return `<table><caption>${size}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
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
td.num{text-align:right;font-variant-numeric:tabular-nums}caption{text-align:left;color:#667085;font-size:12px}
td.mark{text-align:center;font-weight:700}td.mark.pass{color:#2e8b57}td.mark.fail{color:#b42318}td.mark.unmeasured{color:#6a737d}
section[data-cell-status=error],section[data-cell-status=blocked]{border-left:3px solid #b00020;padding-left:.5rem}
</style></head><body>${parts.join("\n")}</body></html>\n`;
}
