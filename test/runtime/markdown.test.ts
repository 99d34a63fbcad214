/**
 * renderMarkdown: Markdown values to HTML, with values escaped as text or left as slots.
 */
import { describe, expect, test } from "vitest";
import { md, renderMarkdown } from "../../src/runtime/markdown.ts";

describe("renderMarkdown", () => {
  test("renderMarkdown(md`…`) renders Markdown and shows primitive values as literal text", () => {
    const { html, slots } = renderMarkdown(md`# Hi ${"*not emphasis* <b>"}\n\nTotal: **${42}**`);
    expect(html).toBe("<h1>Hi *not emphasis* &lt;b&gt;</h1>\n<p>Total: <strong>42</strong></p>\n");
    expect(slots.size).toBe(0);
  });

  test("renderMarkdown(value with an object) leaves a slot for the caller to fill", () => {
    const node = { any: "object" };
    const { html, slots } = renderMarkdown(md`Chart: ${node}`);
    expect(html).toBe('<p>Chart: <span data-segbook-slot="0"></span></p>\n');
    expect(slots.get(0)).toBe(node);
  });

  test("renderMarkdown(dates and nulls) writes dates as YYYY-MM-DD and nothing for null", () => {
    const { html } = renderMarkdown(md`${new Date(Date.UTC(2024, 1, 3))}|${null}|`);
    expect(html).toBe("<p>2024-02-03||</p>\n");
  });

  test("renderMarkdown(numbers and timestamps) formats them for reading", () => {
    const at = new Date(Date.UTC(2010, 11, 1, 8, 26));
    const { html } = renderMarkdown(md`${0.36399217462} ${7308391.55} ${2011} ${1234567} ${at}`);
    expect(html).toBe("<p>0.363992 7,308,392 2011 1,234,567 2010-12-01 08:26</p>\n");
  });
});
