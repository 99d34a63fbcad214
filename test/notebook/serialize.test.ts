import { describe, expect, it } from "vitest";
import type { Cell, Notebook } from "../../src/notebook/index.ts";
import { createCell, parse, serialize } from "../../src/notebook/index.ts";
import { withoutIds } from "./support.ts";

const F = "```";

function notebook(cells: Cell[], extra: Partial<Notebook> = {}): Notebook {
  return { frontMatter: { data: {} }, cells, ...extra };
}

describe("serialize(nb) layout", () => {
  it("serialize(nb) writes an empty notebook as an empty file", () => {
    expect(serialize(notebook([]))).toBe("");
  });

  it("serialize(nb) separates cells by one blank line and ends with one newline", () => {
    const nb = notebook([
      createCell("md", "# Title"),
      createCell("sql", "SELECT 1", { name: "one" }),
      createCell("ts", "const x = one;"),
      createCell("md", "End."),
    ]);
    expect(serialize(nb)).toBe(`# Title\n\n${F}sql one\nSELECT 1\n${F}\n\n${F}ts\nconst x = one;\n${F}\n\nEnd.\n`);
  });

  it("serialize(nb) writes front matter verbatim, adding a missing final newline", () => {
    const cells = [createCell("md", "Hi")];
    expect(serialize(notebook(cells, { frontMatterSource: "# c\ntitle: T\n" }))).toBe(
      "---\n# c\ntitle: T\n---\n\nHi\n",
    );
    expect(serialize(notebook(cells, { frontMatterSource: "title: T" }))).toBe("---\ntitle: T\n---\n\nHi\n");
    expect(serialize(notebook([], { frontMatterSource: "" }))).toBe("---\n---\n");
  });

  it("serialize(nb) writes <!-- cell --> between adjacent Markdown cells and drops empty ones", () => {
    const nb = notebook([
      createCell("md", "A"),
      createCell("md", "  \n\n"),
      createCell("md", ""),
      createCell("md", "\n\nB\n\n"),
      createCell("ts", "x"),
      createCell("md", ""),
      createCell("md", "C"),
    ]);
    const text = serialize(nb);
    expect(text).toBe(`A\n\n<!-- cell -->\n\nB\n\n${F}ts\nx\n${F}\n\nC\n`);
    expect(withoutIds(parse(text).notebook).cells.map((c) => c.source)).toEqual(["A", "B", "x", "C"]);
  });

  it("serialize(nb) writes CRLF everywhere when lineEnding is CRLF", () => {
    const nb = notebook([createCell("md", "a\nb"), createCell("ts", "x\ny")], {
      frontMatterSource: "title: t\n",
      lineEnding: "\r\n",
    });
    const text = serialize(nb);
    expect(text).toBe(`---\r\ntitle: t\r\n---\r\n\r\na\r\nb\r\n\r\n${F}ts\r\nx\r\ny\r\n${F}\r\n`);
    expect(text.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("serialize(nb) does not double CRLF pasted into a source", () => {
    const nb = notebook([createCell("ts", "a\r\nb")], { lineEnding: "\r\n" });
    expect(serialize(nb)).toBe(`${F}ts\r\na\r\nb\r\n${F}\r\n`);
  });

  it("serialize(nb) guards a first Markdown cell that would read back as front matter", () => {
    const md = "---\n\nbetween rules\n\n---";
    const text = serialize(notebook([createCell("md", md)]));
    expect(text).toBe(`<!-- cell -->\n\n${md}\n`);
    expect(parse(text).notebook.cells.map((c) => c.source)).toEqual([md]);
    // A single rule cannot open front matter, so it needs no guard.
    expect(serialize(notebook([createCell("md", "---\n\ntext")]))).toBe("---\n\ntext\n");
    // With real front matter in front, the cell is safe as it is.
    expect(serialize(notebook([createCell("md", md)], { frontMatterSource: "" }))).toBe(`---\n---\n\n${md}\n`);
  });
});

describe("serialize(nb) fences and info strings", () => {
  const cases: { title: string; cell: Cell; opening: string; closing: string }[] = [
    {
      title: "uses ``` by default",
      cell: createCell("ts", "const a = 1;"),
      opening: `${F}ts`,
      closing: F,
    },
    {
      title: "lengthens the fence past backtick runs starting a line",
      cell: createCell("ts", "const s = `\n```sql\n  `````\n`;"),
      opening: "``````ts",
      closing: "``````",
    },
    {
      title: "ignores backtick runs inside a line and 4-space indented ones",
      cell: createCell("ts", "a ```` b\n    ````"),
      opening: `${F}ts`,
      closing: F,
    },
    {
      title: "keeps the cell's own fence while the source cannot close it",
      cell: createCell("ts", "const s = '```';", { fence: "~~~" }),
      opening: "~~~ts",
      closing: "~~~",
    },
    {
      title: "keeps an own backtick fence when only a line with an info string matches it",
      cell: createCell("ts", "```ts\nx", { fence: "```" }),
      opening: `${F}ts`,
      closing: F,
    },
    {
      title: "replaces an own fence that a source line would close",
      cell: createCell("sql", "~~~\n```", { fence: "~~~", name: "q" }),
      opening: "````sql q",
      closing: "````",
    },
    {
      title: "replaces an own fence that is not a fence",
      cell: createCell("js", "x", { fence: "``" }),
      opening: `${F}js`,
      closing: F,
    },
    {
      title: "uses tildes when the attributes hold a backtick",
      cell: createCell("ts", "~~~\nx", { attrs: "label=`a`" }),
      opening: "~~~~ts label=`a`",
      closing: "~~~~",
    },
    {
      title: "writes a name only for SQL cells",
      cell: createCell("ts", "x", { name: "ignored", attrs: "a=1" }),
      opening: `${F}ts a=1`,
      closing: F,
    },
    {
      title: "writes attributes on one line",
      cell: createCell("sql", "x", { name: "n", attrs: "a=1\nb=2 " }),
      opening: `${F}sql n a=1 b=2`,
      closing: F,
    },
  ];

  it.each(cases)("serialize(nb) $title", ({ cell, opening, closing }) => {
    const text = serialize(notebook([cell]));
    expect(text).toBe(`${opening}\n${cell.source.replace(/\r\n/g, "\n")}\n${closing}\n`);
    const back = parse(text).notebook.cells;
    expect(back).toHaveLength(1);
    expect(back[0]?.source).toBe(cell.source);
    expect(back[0]?.kind).toBe(cell.kind);
  });

  it("serialize(nb) writes an empty code cell as one empty line that reads back as empty", () => {
    const text = serialize(notebook([createCell("sql", "", { name: "e" })]));
    expect(text).toBe(`${F}sql e\n\n${F}\n`);
    expect(withoutIds(parse(text).notebook).cells).toEqual([{ kind: "sql", source: "", name: "e" }]);
  });
});
