/**
 * One cell value as static HTML for a report, with no DOM of its own: tables (table handles, Arrow
 * tables, arrays of plain objects) as HTML tables of their first rows with formatted values; Markdown
 * rendered with its interpolated values filled in; charts and other markup (anything with
 * `outerHTML`: a DOM node in the browser, linkedom's in Node) as markup; an Inputs control as its
 * label and current value; plain objects as a two-column table; the rest through `inspect`.
 *
 * Markup from a notebook (Markdown's HTML, a value's `outerHTML`, the scorecard) is never inserted as
 * it came: it passes through the one sanitizer (src/report/sanitize-html.ts), which keeps charts as
 * inert SVG; without a sanitizer it is written as escaped text.
 */
import type { PrivacySettings } from "../notebook/model.ts";
import { isMarkdownValue, isTableHandle, renderMarkdown } from "../runtime/index.ts";
import { maskValue, personalColumns } from "../seg/privacy.ts";
import { isExportResult } from "../seg/export-result.ts";
import type { ExportResult } from "../seg/export.ts";
import { fileSize, privacyNotes } from "../seg/export-summary.ts";
import type { ScorecardResult } from "../seg/scorecard.ts";
import { renderScorecard } from "../seg/scorecard-view.ts";
import { resultKindOf } from "../seg/seg-result.ts";
import { exactText, formatValue } from "../format/format-value.ts";
import { isArrowTable } from "../engine/is-arrow-table.ts";

/** Text of a scalar as every output shows it (src/format); undefined for objects and arrays. */
function formatScalar(value: unknown, type?: string): string | undefined {
  const scalar =
    value == null || value instanceof Date || ["number", "bigint", "string", "boolean"].includes(typeof value);
  return scalar ? formatValue(value, { type }) : undefined;
}

/** How many rows a report table shows. */
export const REPORT_ROWS = 50;

/** What the environment lends the report writer. */
export interface ValueHtmlOptions {
  /** `privacy.personal` columns are masked in every table (see src/seg/privacy.ts). */
  privacy?: PrivacySettings;
  /**
   * Makes markup written by a notebook safe to embed: src/report/sanitize-html.ts over the browser's
   * parser or linkedom's. Default: the markup is shown as escaped text, never inserted.
   */
  sanitize?: (html: string) => string;
  /** Text of a value nothing else here shows (util.inspect in Node); default: JSON. */
  inspect?: (value: unknown) => string;
  /** Where views built as DOM (the scorecard) are made: the page's document, or linkedom's in Node. */
  document?: Document;
  /** The user's names for tables a cell made (`__segbook_t3` -> `rfm`; see runtime/table-labels.ts). */
  labels?: Readonly<Record<string, string>>;
}

/**
 * Escapes text for HTML content and attribute values.
 * @example
 * escapeHtml('a < "b"'); // "a &lt; &quot;b&quot;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`);
}

/** Internal table names (unnamed results) mean nothing to a reader. */
const isInternalName = (name: string | undefined) => !name || name.startsWith("__segbook");

interface Column {
  name: string;
  type?: string;
}

/** A table cell: formatted, numbers right-aligned, the exact value on hover when formatting changed it. */
function cellHtml(value: unknown, type: string | undefined, inspect: (value: unknown) => string): string {
  const text = formatScalar(value, type) ?? inspect(value);
  // The exact value on hover when formatting changed more than the thousands separators.
  const full = exactText(value);
  const exact = full !== text && full !== text.replaceAll(",", "") ? full : undefined;
  const numeric = typeof value === "number" || typeof value === "bigint";
  const attrs = `${numeric ? ' class="num"' : value == null ? ' class="null"' : ""}${exact ? ` title="${escapeHtml(exact)}"` : ""}`;
  return `<td${attrs}>${escapeHtml(text)}</td>`;
}

/**
 * A table's size as a caption says it.
 * @example
 * sizeText(2000, 9); // "2,000 rows × 9 columns"
 */
export function sizeText(rows: number, columns: number): string {
  const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
  return `${plural(rows, "row")} × ${plural(columns, "column")}`;
}

/** Rows as an HTML table; `total` rows exist in all (the caption says so when only some are shown). */
function tableHtml(
  columns: readonly Column[],
  rows: readonly Record<string, unknown>[],
  total: number,
  name: string | undefined,
  options: ValueHtmlOptions,
): string {
  const inspect = options.inspect ?? jsonText;
  const personal = new Set(
    personalColumns(
      options.privacy,
      columns.map((c) => c.name),
    ),
  );
  const head = columns
    .map(
      (c) =>
        `<th>${escapeHtml(c.name)}${c.type ? `<span class="column-type">${escapeHtml(c.type.toLowerCase())}</span>` : ""}</th>`,
    )
    .join("");
  const body = rows
    .map(
      (row) =>
        `<tr>${columns.map((c) => cellHtml(personal.has(c.name) ? maskValue(row[c.name]) : row[c.name], c.type, inspect)).join("")}</tr>`,
    )
    .join("\n");
  const label = name && !isInternalName(name) ? name : name ? options.labels?.[name] : undefined;
  const caption = `${label ? `${escapeHtml(label)} · ` : ""}${sizeText(total, columns.length)}${
    rows.length < total ? `, first ${rows.length.toLocaleString("en-US")} shown` : ""
  }`;
  return `<table class="data"><caption>${caption}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A plain object, also one made in another realm (a `segbook run` cell's sandbox): its prototype's is null. */
const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || (Object.getPrototypeOf(proto) === null && !Array.isArray(value));
};

/** Something with markup of its own: a DOM element (browser or linkedom) or a headless control. */
const hasMarkup = (value: unknown): value is { outerHTML: string } =>
  typeof value === "object" && value !== null && typeof (value as { outerHTML?: unknown }).outerHTML === "string";

/**
 * An Observable Inputs control in the browser (a `<form>` whose `value` is the chosen value): its
 * markup would show the value it started with, so the report writes its label and current value.
 */
function inputControl(value: unknown): { label: string; value: unknown } | undefined {
  const element = value as { tagName?: unknown; value?: unknown; querySelector?: (s: string) => unknown };
  if (typeof element?.tagName !== "string" || element.tagName.toLowerCase() !== "form" || !("value" in element))
    return undefined;
  const label = element.querySelector?.("label") as { textContent?: string } | null | undefined;
  return { label: label?.textContent?.trim() ?? "", value: element.value };
}

function jsonText(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    return text ?? String(value);
  } catch {
    return String(value);
  }
}

/** A short text for a value inside a key/value table: scalars formatted, collections summarised. */
function summaryText(value: unknown, inspect: (value: unknown) => string): string {
  const scalar = formatScalar(value);
  if (scalar !== undefined) return scalar;
  if (isTableHandle(value)) return `table of ${value.numRows.toLocaleString("en-US")} rows`;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    const shown = items.slice(0, 12).map((v) => formatScalar(v) ?? inspect(v));
    return `[${shown.join(", ")}${items.length > 12 ? `, … ${items.length} in all` : ""}]`;
  }
  return inspect(value);
}

/** A `seg.export` result: what was exported and where (never the file's bytes), with its privacy notes. */
function exportHtml({ manifest, file, manifestFile }: ExportResult): string {
  const where = file.location ? `written to ${escapeHtml(file.location)}` : "prepared, not written";
  const notes = privacyNotes(manifest)
    .map((n) => `<li>${escapeHtml(n)}</li>`)
    .join("");
  return `<div class="export"><p>Export <code>${escapeHtml(file.name)}</code>: ${manifest.rows.toLocaleString("en-US")} rows, ${fileSize(file.bytes.byteLength)}, ${where}; manifest <code>${escapeHtml(manifestFile.name)}</code></p>${notes ? `<ul>${notes}</ul>` : ""}</div>`;
}

/**
 * The HTML of one value for a report; "" for undefined.
 * @example
 * await valueHtml(await db.table("segments"), { privacy }); // "<table class=\"data\"><caption>…"
 */
export async function valueHtml(value: unknown, options: ValueHtmlOptions = {}): Promise<string> {
  const inspect = options.inspect ?? jsonText;
  const sanitize = options.sanitize ?? ((html: string) => `<pre class="value">${escapeHtml(html)}</pre>`);
  if (value === undefined) return "";
  if (options.document && resultKindOf(value) === "scorecard" && isTableHandle(value)) {
    // A scorecard is a table, shown as the same table of marks and flag sentences as the workbench shows.
    const card = value as ScorecardResult;
    const data = { rows: await card.rows(), checks: card.info?.checks ?? [], flags: card.info?.flags ?? [] };
    return sanitize(renderScorecard(options.document, data).outerHTML);
  }
  if (isTableHandle(value)) {
    return tableHtml(value.columns, await value.rows(REPORT_ROWS), value.numRows, value.name, options);
  }
  if (isArrowTable(value)) {
    const rows = value
      .slice(0, REPORT_ROWS)
      .toArray()
      .map((row) => ({ ...row.toJSON() }));
    const columns = value.schema.fields.map((f) => ({ name: f.name }));
    return tableHtml(columns, rows, value.numRows, undefined, options);
  }
  if (isExportResult(value)) return exportHtml(value);
  if (isMarkdownValue(value)) {
    const { html, slots } = renderMarkdown(value);
    // Slot markers survive sanitizing as plain spans; the values put in them are made safe on their own.
    let out = sanitize(html);
    for (const [i, v] of slots) {
      const filled = await valueHtml(v, options);
      // A function, so `$&` or `$'` in a value's text is not read as a replacement pattern.
      out = out.replace(`<span data-segbook-slot="${i}"></span>`, () => filled);
    }
    return `<div class="markdown">${out}</div>`;
  }
  const control = inputControl(value);
  if (control) {
    return `<div class="segbook-input"><label>${escapeHtml(control.label)}</label> <output>${escapeHtml(summaryText(control.value, inspect))}</output></div>`;
  }
  if (hasMarkup(value)) return sanitize(value.outerHTML);
  const scalar = formatScalar(value);
  if (scalar !== undefined) return `<p class="value">${escapeHtml(scalar)}</p>`;
  if (Array.isArray(value) && value.length > 0 && value.every(isPlainObject)) {
    const names = [...new Set(value.flatMap((row) => Object.keys(row)))];
    return tableHtml(
      names.map((name) => ({ name })),
      value.slice(0, REPORT_ROWS),
      value.length,
      undefined,
      options,
    );
  }
  if (isPlainObject(value)) {
    // A record (one customer, say) masks its personal fields as a table masks its personal columns.
    const personal = new Set(personalColumns(options.privacy, Object.keys(value)));
    const rows = Object.entries(value)
      .map(([key, v]) => [key, personal.has(key) ? maskValue(v) : v] as const)
      .map(
        ([key, v]) =>
          `<tr><th scope="row">${escapeHtml(key)}</th><td${typeof v === "number" ? ' class="num"' : ""}>${escapeHtml(summaryText(v, inspect))}</td></tr>`,
      )
      .join("\n");
    return `<table class="record"><tbody>${rows}</tbody></table>`;
  }
  return `<pre class="value">${escapeHtml(summaryText(value, inspect))}</pre>`;
}
