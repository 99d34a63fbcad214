/**
 * Markdown values: what a Markdown cell and the `md` template produce. The runtime keeps the literal
 * parts and the interpolated values apart; rendering to HTML happens here without a DOM, and the UI
 * (or the CLI report) fills in values that are nodes or tables.
 */
import { Marked } from "marked";
import { inlineValueText } from "../format/format-value.ts";

/** A Markdown template with its interpolated values. */
export interface MarkdownValue {
  readonly kind: "markdown";
  readonly parts: readonly string[];
  readonly values: readonly unknown[];
}

/** Whether a value is a {@link MarkdownValue}. */
export function isMarkdownValue(value: unknown): value is MarkdownValue {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "markdown";
}

/** The `md` tagged template available in TS cells. */
export function md(strings: TemplateStringsArray | readonly string[], ...values: unknown[]): MarkdownValue {
  return { kind: "markdown", parts: [...strings], values };
}

const marked = new Marked({ gfm: true, async: false });

/** Backslash-escapes every ASCII punctuation character so a value shows as the text it is. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

function isInline(value: unknown): value is string | number | bigint | boolean | Date | null | undefined {
  return value == null || ["string", "number", "bigint", "boolean"].includes(typeof value) || value instanceof Date;
}

/**
 * Text of a primitive value as it appears in Markdown: numbers and dates formatted for reading
 * (src/format/format-value.ts), e.g. `0.363992`, `1,234,568`, `2010-12-01 08:26`.
 */
export function inlineText(value: string | number | bigint | boolean | Date | null | undefined): string {
  return inlineValueText(value);
}

/**
 * Renders a Markdown value to HTML (not sanitized: the UI sanitizes before it inserts). Primitive
 * values become escaped text; any other value becomes an empty `<span data-segbook-slot="i">` that the
 * caller fills (a DOM node, a table, an inspector).
 */
export function renderMarkdown(value: MarkdownValue): { html: string; slots: Map<number, unknown> } {
  const slots = new Map<number, unknown>();
  let text = value.parts[0] ?? "";
  value.values.forEach((v, i) => {
    if (isInline(v)) text += escapeMarkdown(inlineText(v));
    else {
      slots.set(i, v);
      text += `<span data-segbook-slot="${i}"></span>`;
    }
    text += value.parts[i + 1] ?? "";
  });
  return { html: marked.parse(text) as string, slots };
}
