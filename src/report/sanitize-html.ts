/**
 * The one sanitizer for markup a notebook wrote: Markdown's HTML in the workbench, and everything a
 * report embeds (Markdown, charts, the scorecard) in File → Export HTML report and `segbook run`'s
 * report.html. The same code runs in the browser and in Node; only the HTML parser differs (the
 * browser's own, in a document without a window, or linkedom's), and that difference cannot matter:
 * the output is never the parser's serialization but written here from the parsed tree, element by
 * element, keeping only what sanitize-policy.ts allows, with every text and attribute value escaped.
 * So whatever tree a parser builds, the page gets plain elements, escaped text and quoted, checked
 * attribute values: no scripts, handlers, styles, forms, frames, comments or raw-text elements.
 */
import {
  DROP_WITH_CONTENT,
  HTML_ELEMENTS,
  SVG_ATTRIBUTES,
  SVG_ELEMENTS,
  VOID_ELEMENTS,
  htmlAttributeAllowed,
  safeUrl,
} from "./sanitize-policy.ts";

/** The parts of a DOM node the sanitizer reads (a browser's or linkedom's). */
export interface MarkupNode {
  readonly nodeType: number;
  readonly childNodes: ArrayLike<MarkupNode>;
  readonly localName?: string | null;
  readonly attributes?: ArrayLike<{ readonly name: string; readonly value: string }>;
  readonly nodeValue: string | null;
}

/** Parses markup into a node whose children are the markup's top-level nodes, without running anything. */
export type ParseMarkup = (html: string) => MarkupNode;

/** Makes markup safe to insert: see the module comment. */
export type Sanitize = (html: string) => string;

/** Deeper nesting than this is flattened to its text: no reader needs it, and it bounds recursion. */
export const MAX_DEPTH = 128;

const ELEMENT = 1;
const TEXT = 3;

const escapeText = (text: string) => text.replace(/[&<>\u00a0]/g, (c) => ENTITIES[c]!);
const escapeAttribute = (text: string) => text.replace(/[&<>"\u00a0]/g, (c) => ENTITIES[c]!);
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\u00a0": "&nbsp;" };

/** What a sanitizer keeps beyond the allowlist's fixed rules. */
export interface SanitizeOptions {
  /**
   * Which image sources stay: "any" safe URL (the workbench, under the page's own CSP) or only
   * "inline" `data:image/…` (reports: a report opened anywhere loads nothing from anywhere).
   */
  images?: "any" | "inline";
  /**
   * Keep `data-*` attributes (reports: inert there, and the scorecard marks its cells with them).
   * Never in the workbench, whose own code finds its controls by data attributes.
   */
  dataAttributes?: boolean;
}

/** How both reports sanitize: images only inline. */
export const REPORT_SANITIZE: SanitizeOptions = { images: "inline", dataAttributes: true };

/** A kept attribute as ` name="value"`, or "" when it is left out. */
function attributeText(tag: string, name: string, value: string, svg: boolean, options: SanitizeOptions): string {
  const lower = name.toLowerCase();
  if (lower.startsWith("on")) return "";
  if (svg) {
    const proper = SVG_ATTRIBUTES.get(lower);
    if (!proper) return "";
    // SVG may point only into itself: `href="#id"`, `fill="url(#gradient)"`, never another document.
    if ((lower === "href" || lower === "xlink:href") && !/^#[\w.:-]*$/.test(value.trim())) return "";
    if (/url\s*\(/i.test(value) && !/^\s*url\(\s*['"]?#[\w.:-]+['"]?\s*\)\s*$/i.test(value)) return "";
    return ` ${proper}="${escapeAttribute(value)}"`;
  }
  const data = options.dataAttributes === true && /^data-[a-z0-9-]+$/.test(lower);
  if (!data && !htmlAttributeAllowed(tag, lower)) return "";
  if ((lower === "href" || lower === "src" || lower === "cite") && !safeUrl(value, lower === "src" ? "src" : "href"))
    return "";
  if (lower === "src" && options.images === "inline" && !/^\s*data:image\//i.test(value)) return "";
  return ` ${lower}="${escapeAttribute(value)}"`;
}

/** The text of a node and its descendants (what an element too deep keeps). */
function textOf(node: MarkupNode): string {
  if (node.nodeType === TEXT) return node.nodeValue ?? "";
  if (node.nodeType !== ELEMENT || DROP_WITH_CONTENT.has((node.localName ?? "").toLowerCase())) return "";
  let text = "";
  for (let i = 0; i < node.childNodes.length; i++) text += textOf(node.childNodes[i]!);
  return text;
}

function childrenText(node: MarkupNode, svg: boolean, depth: number, options: SanitizeOptions): string {
  let out = "";
  for (let i = 0; i < node.childNodes.length; i++) out += nodeText(node.childNodes[i]!, svg, depth, options);
  return out;
}

/** One node as safe markup; `svg` says whether it sits inside an `<svg>`. */
function nodeText(node: MarkupNode, svg: boolean, depth: number, options: SanitizeOptions): string {
  if (node.nodeType === TEXT) return escapeText(node.nodeValue ?? "");
  // Comments, processing instructions, doctypes: never written.
  if (node.nodeType !== ELEMENT) return "";
  const tag = (node.localName ?? "").toLowerCase();
  if (DROP_WITH_CONTENT.has(tag) && !(svg && tag === "title")) return "";
  if (depth > MAX_DEPTH) return escapeText(textOf(node));
  const inSvg = svg || tag === "svg";
  const name = inSvg ? SVG_ELEMENTS.get(tag) : HTML_ELEMENTS.has(tag) ? tag : undefined;
  // Unknown elements (and HTML inside SVG) are unwrapped: their text stays, their tag does not.
  if (!name) return childrenText(node, inSvg, depth + 1, options);
  let attributes = "";
  const list = node.attributes ?? [];
  for (let i = 0; i < list.length; i++) attributes += attributeText(tag, list[i]!.name, list[i]!.value, inSvg, options);
  if (tag === "a" && !inSvg && attributes.includes(" href=")) attributes += ' rel="noopener noreferrer"';
  if (!inSvg && VOID_ELEMENTS.has(tag)) return `<${name}${attributes}>`;
  return `<${name}${attributes}>${childrenText(node, inSvg, depth + 1, options)}</${name}>`;
}

/**
 * A sanitizer over a parser: the browser's (see src/ui/render/sanitize-markup.ts) or linkedom's
 * (src/cli/node-sanitize.ts). Markup nested so deeply that the parser itself overflows the stack is
 * shown as escaped text.
 * @example
 * const sanitize = createSanitizer(parse);
 * sanitize('<p style="position:fixed" onclick="x()">Hi<script>alert(1)</script></p>'); // "<p>Hi</p>"
 */
export function createSanitizer(parse: ParseMarkup, options: SanitizeOptions = {}): Sanitize {
  return (html) => {
    try {
      return childrenText(parse(html), false, 0, options);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      return `<pre>${escapeText(html)}</pre>`;
    }
  };
}
