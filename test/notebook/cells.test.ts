import { describe, expect, it } from "vitest";
import type { Notebook } from "../../src/notebook/index.ts";
import { createCell, newCellId, notebookTitle, parse } from "../../src/notebook/index.ts";

describe("newCellId() and createCell(kind, source, extras)", () => {
  it("newCellId() returns distinct c<n> ids", () => {
    const ids = Array.from({ length: 100 }, () => newCellId());
    expect(new Set(ids).size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^c\d+$/);
  });

  it("createCell(kind, source, extras) sets only the extras given", () => {
    const sql = createCell("sql", "SELECT 1", { name: "one", attrs: undefined });
    expect(sql).toEqual({ id: sql.id, kind: "sql", source: "SELECT 1", name: "one" });
    expect(Object.keys(sql)).toEqual(["id", "kind", "source", "name"]);
    const md = createCell("md", "# Hi");
    expect(Object.keys(md)).toEqual(["id", "kind", "source"]);
    expect(md.id).not.toBe(sql.id);
  });
});

describe("notebookTitle(nb)", () => {
  const cases: [title: string, text: string, expected: string][] = [
    ["uses the front matter title", "---\ntitle: '  From YAML '\n---\n\n# Heading\n", "From YAML"],
    [
      "falls back to the first ATX heading",
      "---\ntitle: ''\n---\n\nIntro\n\n## Second-level first\n\n# Top\n",
      "Second-level first",
    ],
    ["strips closing hashes", "# Sales  ##\n", "Sales"],
    ["reads a setext heading", "Quarterly report\n================\n", "Quarterly report"],
    ["skips headings inside code fences", "```python\n# comment\n```\n\n# Real\n", "Real"],
    ["skips code cells", "```ts\n// # not a heading\n```\n\nText\n---\n", "Text"],
    ["ignores a rule under a list item", "- item\n---\n\n# After\n", "After"],
    ["ignores #hashtag without a space", "#hashtag\n\n# Heading\n", "Heading"],
    ["says Untitled when nothing names it", "Just text.\n", "Untitled"],
    ["says Untitled for an empty file", "", "Untitled"],
  ];

  it.each(cases)("notebookTitle(nb) %s", (_title, text, expected) => {
    expect(notebookTitle(parse(text).notebook)).toBe(expected);
  });

  it("notebookTitle(nb) reads hand-built notebooks too", () => {
    const nb: Notebook = {
      frontMatter: { data: {} },
      cells: [createCell("sql", "SELECT 1"), createCell("md", "### Built")],
    };
    expect(notebookTitle(nb)).toBe("Built");
  });
});
