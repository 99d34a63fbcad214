/**
 * Markdown values: what a Markdown cell and the `md` template produce. The runtime keeps the literal
 * parts and the interpolated values apart; rendering to HTML happens here without a DOM, and the UI
 * (or the CLI report) fills in values that are nodes or tables.
 *
 * Rendering is bounded, because Markdown shows before anything runs (the untrusted preview of a
 * share link): text beyond {@link MAX_MARKDOWN_CHARS} is cut with a visible note; emphasis and
 * strikethrough delimiters look for their closer at most {@link DELIMITER_WINDOW} characters ahead
 * (marked scans to the end of the paragraph for each one that cannot close, so `_a_a_a…` was
 * quadratic); block quotes and list items opened on one line are cut to {@link MAX_NESTING} levels;
 * and whatever else nests deep enough to exhaust the stack renders as plain text.
 */
import { Marked, Tokenizer } from "marked";
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

/** Markdown text rendered at most (characters); the rest is cut with a note saying so. */
export const MAX_MARKDOWN_CHARS = 100_000;

/** How far ahead (characters) an emphasis or strikethrough delimiter looks for its closer. */
export const DELIMITER_WINDOW = 1_000;

/** Block quotes and list items opened on one line beyond this many are dropped (marked recurses per level). */
export const MAX_NESTING = 32;

/**
 * Where the container markers (`>`, `- `, `* `, `+ `, `1. `) at the start of `line` end, and after how
 * many of them the cut goes (the position after the {@link MAX_NESTING}th); undefined within bounds.
 */
function excessMarkers(line: string): { keep: number; end: number } | undefined {
  let i = 0;
  let count = 0;
  let keep = 0;
  for (;;) {
    let j = i;
    while (j < line.length && j - i < 4 && (line[j] === " " || line[j] === "\t")) j++;
    const c = line[j];
    if (c === ">") j++;
    else if ((c === "-" || c === "*" || c === "+") && (line[j + 1] === " " || line[j + 1] === "\t")) j += 1;
    else {
      let k = j;
      while (k < line.length && k - j < 9 && line.charCodeAt(k) >= 48 && line.charCodeAt(k) <= 57) k++;
      if (k === j || (line[k] !== "." && line[k] !== ")") || (line[k + 1] !== " " && line[k + 1] !== "\t")) break;
      j = k + 1;
    }
    count++;
    i = j;
    if (count === MAX_NESTING) keep = i;
  }
  return count > MAX_NESTING ? { keep, end: i } : undefined;
}

/**
 * The text with block quotes and list items nested more than {@link MAX_NESTING} deep on one line
 * cut to that depth (`>>>>…` 20,000 deep kept marked busy for minutes, level by level); linear.
 * @example
 * capNesting(">".repeat(100) + " a"); // ">".repeat(32) + " a"
 */
export function capNesting(text: string): string {
  if (!/^[ \t]*(?:[>*+-]|\d+[.)])[^\n]*?(?:[>*+-]|\d+[.)])/m.test(text)) return text;
  return text
    .split("\n")
    .map((line) => {
      const excess = excessMarkers(line);
      return excess ? line.slice(0, excess.keep) + line.slice(excess.end) : line;
    })
    .join("\n");
}

/** Context kept before the window: the delimiter rules look back a few characters. */
const LOOK_BEHIND = 16;

/**
 * Runs a delimiter rule on a window of the text: `src` (the rest of the inline text) cut after
 * {@link DELIMITER_WINDOW} characters, and `masked` (the whole inline text, masked, ending where
 * `src` ends) cut to the same end and a few characters before `src`, so each call costs the window,
 * not the paragraph. The token's `raw` is a prefix of `src`, so the lexer advances as before.
 */
function windowed<T>(src: string, masked: string, rule: (src: string, masked: string) => T): T {
  const shown = Math.min(src.length, DELIMITER_WINDOW);
  const start = Math.max(0, masked.length - src.length - LOOK_BEHIND);
  const end = masked.length - src.length + shown;
  return rule(src.slice(0, shown), masked.slice(start, end));
}

/** A window of the rest of the inline text: what a rule that only reads ahead needs. */
const ahead = (src: string) => (src.length > DELIMITER_WINDOW ? src.slice(0, DELIMITER_WINDOW) : src);

const base = Tokenizer.prototype;

/**
 * marked's inline rules with their look-aheads bounded (see the module comment); each calls marked's
 * own rule on a window. Plain text and GFM's bare URLs and e-mail addresses first look ahead over
 * every character an address may hold (`_`, `*`, `~`, letters…): across `_a_a_a…` that was the rest
 * of the paragraph at each step. Consecutive text tokens are merged by marked, so cutting a text run
 * changes nothing; an "address" longer than the window is not linked.
 */
const boundedTokenizer: Partial<Tokenizer> = {
  inlineText(this: Tokenizer, src: string) {
    return base.inlineText.call(this, ahead(src));
  },
  url(this: Tokenizer, src: string) {
    return base.url.call(this, ahead(src));
  },
  emStrong(this: Tokenizer, src: string, maskedSrc: string, prevChar = "") {
    if (src[0] !== "*" && src[0] !== "_") return undefined;
    return windowed(src, maskedSrc, (s, m) => base.emStrong.call(this, s, m, prevChar));
  },
  del(this: Tokenizer, src: string, maskedSrc: string, prevChar = "") {
    if (src[0] !== "~") return undefined;
    return windowed(src, maskedSrc, (s, m) => base.del.call(this, s, m, prevChar));
  },
};

const marked = new Marked({
  gfm: true,
  async: false,
  tokenizer: boundedTokenizer as Tokenizer,
  // A task list's box as a character: the sanitizer keeps no <input>, and a box a reader cannot tick
  // should not look like one they can.
  renderer: { checkbox: ({ checked }) => (checked ? "☑ " : "☐ ") },
});

/** The note under Markdown cut at {@link MAX_MARKDOWN_CHARS}. */
function truncatedNote(length: number): string {
  return `<p class="markdown-truncated"><em>Markdown truncated: showing the first ${MAX_MARKDOWN_CHARS.toLocaleString("en-US")} of ${length.toLocaleString("en-US")} characters.</em></p>`;
}

/** Escapes text for HTML (the fallback when Markdown cannot be rendered). */
const escapeText = (text: string) =>
  text.replace(/[&<>"]/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`);

/**
 * Markdown text as HTML, bounded in size and work (see the module comment).
 * @example
 * markdownHtml("*hi*"); // "<p><em>hi</em></p>\n"
 * markdownHtml("_a".repeat(1e6)); // the first 100,000 characters, then "Markdown truncated: …"
 */
export function markdownHtml(text: string): string {
  const cut = text.length > MAX_MARKDOWN_CHARS;
  const shown = capNesting(cut ? text.slice(0, MAX_MARKDOWN_CHARS) : text);
  let html: string;
  try {
    html = marked.parse(shown) as string;
  } catch (error) {
    // Nesting deep enough to overflow marked's recursion: the text is still there to read.
    if (!(error instanceof RangeError)) throw error;
    html = `<p class="markdown-too-deep"><em>This Markdown nests too deeply to render; shown as text.</em></p><pre>${escapeText(shown)}</pre>`;
  }
  return cut ? html + truncatedNote(text.length) : html;
}

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
  return { html: markdownHtml(text), slots };
}
