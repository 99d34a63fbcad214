/**
 * Markdown rendering is bounded (the untrusted preview of a share link renders before anything runs):
 * pathological inputs that made marked quadratic (`_a_a_a…`: each step looked ahead over the rest of
 * the paragraph) render within the test's default timeout, every look-ahead marked's rules get is a
 * window of at most DELIMITER_WINDOW characters (the work per step is bounded, not timed), text past
 * MAX_MARKDOWN_CHARS is cut with a visible note, and nesting too deep for the parser shows as text.
 */
import { Tokenizer } from "marked";
import { afterEach, describe, expect, test, vi } from "vitest";
import { DELIMITER_WINDOW, MAX_MARKDOWN_CHARS, markdownHtml, renderMarkdown } from "../../src/runtime/markdown.ts";
import { nodeSanitize } from "../../src/cli/node-sanitize.ts";

const PATHOLOGICAL: [string, string][] = [
  ["_a_a_a…", "_a".repeat(MAX_MARKDOWN_CHARS / 2)],
  ["*a*a*a…", "*a".repeat(MAX_MARKDOWN_CHARS / 2)],
  ["~a~a~a…", "~a".repeat(MAX_MARKDOWN_CHARS / 2)],
  ["a_b.c-d… (an e-mail address that never ends)", "a_b.c-d".repeat(MAX_MARKDOWN_CHARS / 7)],
  ["[a](b)[a](b)… (a long link chain)", "[a](b)".repeat(MAX_MARKDOWN_CHARS / 6)],
  ["***a***a…", "***a".repeat(MAX_MARKDOWN_CHARS / 4)],
];

afterEach(() => {
  vi.restoreAllMocks();
});

describe("markdownHtml bounds", () => {
  test.each(PATHOLOGICAL)("markdownHtml(%s, 100,000 characters) renders within the default timeout", (_name, text) => {
    const html = markdownHtml(text);
    expect(html.length).toBeGreaterThan(text.length / 2);
    expect(html).not.toContain("Markdown truncated");
  });

  test.each(PATHOLOGICAL.slice(0, 4))(
    "markdownHtml(%s) hands marked's inline rules a window, never the rest of the paragraph",
    (_name, text) => {
      const seen: number[] = [];
      for (const rule of ["inlineText", "url", "emStrong", "del"] as const) {
        type Rule = (this: Tokenizer, ...args: unknown[]) => never;
        const prototype = Tokenizer.prototype as unknown as Record<string, Rule>;
        const original = prototype[rule]!;
        vi.spyOn(prototype, rule).mockImplementation(function (this: Tokenizer, ...args: unknown[]) {
          seen.push((args[0] as string).length);
          // The masked text may hold a few characters before the window (the rules look back).
          if (typeof args[1] === "string") seen.push((args[1] as string).length - 16);
          return original.apply(this, args);
        });
      }
      markdownHtml(text.slice(0, 20_000));
      expect(seen.length).toBeGreaterThan(100);
      expect(Math.max(...seen)).toBeLessThanOrEqual(DELIMITER_WINDOW);
    },
  );

  test("markdownHtml(text longer than MAX_MARKDOWN_CHARS) renders the first part and says it was cut", () => {
    const text = "# Title\n\n" + "word ".repeat(60_000);
    const html = markdownHtml(text);
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain(
      `<p class="markdown-truncated"><em>Markdown truncated: showing the first 100,000 of ${text.length.toLocaleString("en-US")} characters.</em></p>`,
    );
    expect(html.length).toBeLessThan(MAX_MARKDOWN_CHARS + 1000);
  });

  test.each([
    ["blockquotes >>>>…", `${">".repeat(20_000)} a`],
    ["emphasis ****…a****…", `${"*".repeat(20_000)}a${"*".repeat(20_000)}`],
    ["lists nested by indentation", Array.from({ length: 3000 }, (_, i) => `${"  ".repeat(i)}- a`).join("\n")],
  ])("markdownHtml(%s) renders (as text when too deep) instead of throwing", (_name, text) => {
    const html = markdownHtml(text);
    expect(html.length).toBeGreaterThan(0);
    // Whatever came out is safe to insert.
    expect(nodeSanitize(html)).not.toMatch(/<script/);
  });

  test("markdownHtml keeps ordinary emphasis, strikethrough, autolinks and e-mail addresses", () => {
    expect(markdownHtml("*a* _b_ **c** ~~d~~ www.example.com ann@example.com")).toBe(
      '<p><em>a</em> <em>b</em> <strong>c</strong> <del>d</del> <a href="http://www.example.com">www.example.com</a> <a href="mailto:ann@example.com">ann@example.com</a></p>\n',
    );
  });

  test("markdownHtml writes a task list's boxes as characters, not inputs", () => {
    expect(markdownHtml("- [x] done\n- [ ] open")).toBe("<ul>\n<li>☑ done</li>\n<li>☐ open</li>\n</ul>\n");
  });

  test("renderMarkdown(md with a 200,000-character value) is cut with the note too", () => {
    const { html } = renderMarkdown({ kind: "markdown", parts: ["Value: ", ""], values: ["_a".repeat(100_000)] });
    expect(html).toContain("Markdown truncated");
  });
});
