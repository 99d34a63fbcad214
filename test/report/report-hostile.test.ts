/**
 * Both HTML reports are inert: the hostile notebook (hostile-notebook.ts) run in a real Session on
 * the Node engine and written by `segbook run`'s report writer (src/cli/report-html.ts) has no
 * executable content, no form controls, no style attributes, no remote loads and carries the CSP; the
 * one sanitizer drops each payload on its own. The browser's report is checked the same way in
 * headless Chromium (test/browser/report-inert.test.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { nodeLibraries } from "../../src/cli/index.ts";
import { nodeSanitize } from "../../src/cli/node-sanitize.ts";
import { reportHtml } from "../../src/cli/report-html.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { Engine } from "../../src/engine/engine.ts";
import { parse } from "../../src/notebook/index.ts";
import { REPORT_CSP } from "../../src/report/report-document.ts";
import { MAX_DEPTH, createSanitizer, type MarkupNode } from "../../src/report/sanitize-html.ts";
import { parseHTML } from "linkedom";
import { Session } from "../../src/runtime/index.ts";
import { EVIL_HOST, HOSTILE_NOTEBOOK, activeContent } from "./hostile-notebook.ts";

let engine: Engine;
let session: Session;
let html: string;

beforeAll(async () => {
  engine = await createNodeEngine();
  session = new Session({ engine, libraries: nodeLibraries() });
  const { notebook } = parse(HOSTILE_NOTEBOOK);
  session.setNotebook(notebook);
  await session.settled();
  html = await reportHtml(notebook, session);
}, 60_000);

afterAll(async () => {
  await session?.dispose();
  await engine?.close();
});

describe("segbook run's report.html (reportHtml in src/cli/report-html.ts) with a hostile notebook", () => {
  test("reportHtml writes no executable, loading, form or overlay content", () => {
    expect(activeContent(html)).toEqual([]);
    // Payload text may remain as escaped text (the interpolated value); never inside a tag.
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/<[^>]+=\s*"?\s*javascript:/i);
    expect(html).not.toContain(EVIL_HOST);
  });

  test("reportHtml carries the CSP as the first thing in <head>", () => {
    expect(html).toContain(
      `<head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    );
    for (const directive of [
      "default-src 'none'",
      "script-src 'none'",
      "img-src data:",
      "form-action 'none'",
      "base-uri 'none'",
    ])
      expect(REPORT_CSP).toContain(directive);
  });

  test("reportHtml keeps the readable parts: text, headings, the link's text, inert SVG, interpolated values as text", () => {
    expect(html).toContain("<h1>Hostile report</h1>");
    expect(html).toContain("Plain text survives.");
    expect(html).toContain("<a>click me</a>");
    expect(html).toContain("✔ Verified notebook from this site");
    // The value with outerHTML: its SVG kept inert, its image without the handler.
    expect(html).toContain('<svg><circle r="3" fill="red"></circle></svg>');
    // md`` interpolation: the value is text, escaped, never markup.
    expect(html).toContain('Interpolated: &lt;img src=x onerror="window.__pwned = 7"&gt; and 1');
  });
});

describe("nodeSanitize(html): the one sanitizer on each payload", () => {
  test.each([
    ["<script>alert(1)</script>ok", "ok"],
    ['<img src="data:image/gif;base64,R0" onerror="alert(1)">', '<img src="data:image/gif;base64,R0">'],
    ['<a href="javascript:alert(1)">x</a>', "<a>x</a>"],
    ['<a href="java\tscript:alert(1)">x</a>', "<a>x</a>"],
    ['<a href="https://example.com/">x</a>', '<a href="https://example.com/" rel="noopener noreferrer">x</a>'],
    ['<svg onload="alert(1)"><circle r="4"></circle></svg>', '<svg><circle r="4"></circle></svg>'],
    ['<svg><a href="javascript:alert(1)"><text>t</text></a></svg>', "<svg><text>t</text></svg>"],
    ['<svg><use href="https://evil.test/s.svg#x"></use></svg>', "<svg><use></use></svg>"],
    [
      '<svg><rect fill="url(https://evil.test/x)" clip-path="url(#c)"></rect></svg>',
      '<svg><rect clip-path="url(#c)"></rect></svg>',
    ],
    ['<p style="position:fixed;inset:0">cover</p>', "<p>cover</p>"],
    [
      '<form action="x">in<input name="p"><button>go</button><textarea>t</textarea><select><option>o</option></select></form>',
      "in",
    ],
    ['<meta http-equiv="refresh" content="0;url=https://evil.test/">', ""],
    [
      '<iframe src="x"></iframe><object data="x"></object><embed src="x"><base href="x"><link rel="stylesheet" href="x">',
      "",
    ],
    ["<style>*{display:none}</style>kept", "kept"],
    ["<!-- comment -->kept", "kept"],
    ['<img src="data:image/png;base64,AAAA">', '<img src="data:image/png;base64,AAAA">'],
    ['<img src="data:text/html;base64,AAAA">', "<img>"],
    ["a &lt;b&gt; &amp; c", "a &lt;b&gt; &amp; c"],
    ['<p title="x&quot; onmouseover=&quot;alert(1)">t</p>', '<p title="x&quot; onmouseover=&quot;alert(1)">t</p>'],
    ['<img src="https://evil.test/pixel.png" alt="a">', '<img alt="a">'],
    ['<table><tr><td title="a&quot;b">c</td></tr></table>', '<table><tr><td title="a&quot;b">c</td></tr></table>'],
    ["<custom-el>text</custom-el>", "text"],
  ])("nodeSanitize(%j) is %j", (input, output) => {
    expect(nodeSanitize(input)).toBe(output);
  });

  test("the workbench's options keep remote images and drop data-* attributes; the reports' the opposite", () => {
    const parse = (html: string) => {
      const box = parseHTML("<!doctype html><html><body></body></html>").document.createElement("div");
      box.innerHTML = html;
      return box as unknown as MarkupNode;
    };
    const markup =
      '<img src="https://example.com/a.png"><button data-action="trust">x</button><p data-action="trust">y</p>';
    expect(createSanitizer(parse)(markup)).toBe('<img src="https://example.com/a.png"><p>y</p>');
    expect(nodeSanitize(markup)).toBe('<img><p data-action="trust">y</p>');
  });

  test("nodeSanitize flattens nesting deeper than MAX_DEPTH to text instead of recursing", () => {
    const deep = "<div>".repeat(500) + "bottom" + "</div>".repeat(500);
    const out = nodeSanitize(deep);
    expect(out).toContain("bottom");
    expect(out.match(/<div>/g)!.length).toBe(MAX_DEPTH + 1);
  });

  test("nodeSanitize shows markup too deep for the parser itself as escaped text", () => {
    const out = nodeSanitize("<div>".repeat(50_000) + '<img src=x onerror="alert(1)">');
    expect(out.startsWith("<pre>&lt;div&gt;")).toBe(true);
    expect(activeContent(out)).toEqual([]);
  });
});
