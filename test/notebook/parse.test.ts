import { describe, expect, it } from "vitest";
import { parse, serialize } from "../../src/notebook/index.ts";
import type { SavedCell } from "./support.ts";
import { withoutIds } from "./support.ts";

const F = "```";

/** Inputs that are not in canonical form: what they parse to, and how they are written back. */
const nonCanonical: {
  title: string;
  text: string;
  cells: SavedCell[];
  written: string;
}[] = [
  {
    title: "strips up to the fence's indentation from indented fence content",
    text: `  ${F}ts\n  a\n    b\nc\n  ${F}\n`,
    cells: [{ kind: "ts", source: "a\n  b\nc" }],
    written: `${F}ts\na\n  b\nc\n${F}\n`,
  },
  {
    title: "closes a fence with a longer, indented closing fence with trailing spaces",
    text: `${F}ts\nx\n   ${F}\`\` \t\nafter\n`,
    cells: [
      { kind: "ts", source: "x" },
      { kind: "md", source: "after" },
    ],
    written: `${F}ts\nx\n${F}\n\nafter\n`,
  },
  {
    title: "does not close a backtick fence with tildes or with a shorter fence",
    text: `\`\`\`\`sql\n~~~~\n${F}\n\`\`\`\`\n`,
    cells: [{ kind: "sql", source: `~~~~\n${F}` }],
    written: `\`\`\`\`sql\n~~~~\n${F}\n\`\`\`\`\n`,
  },
  {
    title: "reads a backtick line whose info string holds a backtick as Markdown (CommonMark)",
    text: `${F}ts \`x\`\ncode\n`,
    cells: [{ kind: "md", source: `${F}ts \`x\`\ncode` }],
    written: `${F}ts \`x\`\ncode\n`,
  },
  {
    title: "makes no cell of whitespace-only text between fences and strips blank lines",
    text: `\n\n${F}ts\na\n${F}\n  \n\t\n${F}js\nb\n${F}\n\n\n  text  \n\n\n`,
    cells: [
      { kind: "ts", source: "a" },
      { kind: "js", source: "b" },
      { kind: "md", source: "  text  " },
    ],
    written: `${F}ts\na\n${F}\n\n${F}js\nb\n${F}\n\n  text  \n`,
  },
  {
    title: "reads a fence directly after a paragraph and a file without a final newline",
    text: `para\n${F}sql q\nSELECT 1\n${F}`,
    cells: [
      { kind: "md", source: "para" },
      { kind: "sql", source: "SELECT 1", name: "q" },
    ],
    written: `para\n\n${F}sql q\nSELECT 1\n${F}\n`,
  },
  {
    title: "does not treat tab- or 4-space-indented fences as cells",
    text: `\t${F}ts\n\tx\n\t${F}\n\n    ${F}ts\n    y\n    ${F}\n`,
    cells: [{ kind: "md", source: `\t${F}ts\n\tx\n\t${F}\n\n    ${F}ts\n    y\n    ${F}` }],
    written: `\t${F}ts\n\tx\n\t${F}\n\n    ${F}ts\n    y\n    ${F}\n`,
  },
  {
    title: "only splits on a line that is exactly <!-- cell -->",
    text: "a\n<!-- cell --> \nb\n <!-- cell -->\nc\n<!-- cell -->\nd\n",
    cells: [
      { kind: "md", source: "a\n<!-- cell --> \nb\n <!-- cell -->\nc" },
      { kind: "md", source: "d" },
    ],
    written: "a\n<!-- cell --> \nb\n <!-- cell -->\nc\n\n<!-- cell -->\n\nd\n",
  },
  {
    title: "keeps <!-- cell --> inside a code cell as code",
    text: `${F}ts\n<!-- cell -->\n${F}\n`,
    cells: [{ kind: "ts", source: "<!-- cell -->" }],
    written: `${F}ts\n<!-- cell -->\n${F}\n`,
  },
  {
    title: "makes no cells of split markers with nothing between them",
    text: `<!-- cell -->\n\n<!-- cell -->\n${F}ts\nx\n${F}\n<!-- cell -->\n`,
    cells: [{ kind: "ts", source: "x" }],
    written: `${F}ts\nx\n${F}\n`,
  },
  {
    title: "reads front matter after a blank line as Markdown",
    text: "\n---\ntitle: x\n---\n",
    cells: [{ kind: "md", source: "---\ntitle: x\n---" }],
    written: "<!-- cell -->\n\n---\ntitle: x\n---\n",
  },
  {
    title: "normalises spacing in the info string",
    text: `${F}sql   name   a=1  b=2  \nx\n${F}\n`,
    cells: [{ kind: "sql", source: "x", name: "name", attrs: "a=1  b=2" }],
    written: `${F}sql name a=1  b=2\nx\n${F}\n`,
  },
];

describe("parse(text) on non-canonical input", () => {
  it.each(nonCanonical)("parse(text) $title", ({ text, cells, written }) => {
    const { notebook } = parse(text);
    expect(withoutIds(notebook).cells).toEqual(cells);
    expect(serialize(notebook)).toBe(written);
    expect(withoutIds(parse(written).notebook)).toEqual(withoutIds(notebook));
  });
});

describe("parse(text) issues", () => {
  it("parse(text) keeps an unterminated fence as Markdown and reports it with the fence's line", () => {
    const { notebook, issues } = parse(`# T\n\n${F}ts\nconst a = 1;\n\n${F}sql x\n`);
    expect(withoutIds(notebook).cells).toEqual([{ kind: "md", source: `# T\n\n${F}ts\nconst a = 1;\n\n${F}sql x` }]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: "error", line: 3 });
    expect(issues[0]?.message).toContain("never closed");
  });

  it("parse(text) warns that an unclosed non-cell fence swallows the cells after it", () => {
    const text = `${F}python\nprint(1)\n\n${F}ts\nx\n`;
    const { notebook, issues } = parse(text);
    expect(notebook.cells.map((c) => c.kind)).toEqual(["md"]);
    expect(issues).toEqual([expect.objectContaining({ severity: "warning", line: 1 })]);
  });

  it("parse(text) reads a python fence as Markdown even when it holds ts fences", () => {
    const text = `\`\`\`\`python\n${F}ts\nx\n${F}\n\`\`\`\`\n\n${F}ts\ny\n${F}\n`;
    const { notebook, issues } = parse(text);
    expect(notebook.cells.map((c) => [c.kind, c.source])).toEqual([
      ["md", `\`\`\`\`python\n${F}ts\nx\n${F}\n\`\`\`\``],
      ["ts", "y"],
    ]);
    expect(issues).toEqual([]);
  });

  it("parse(text) reports line numbers of the original file, front matter included", () => {
    const text = [
      "---",
      "title: t",
      "seed: x",
      "---",
      "",
      "intro",
      "",
      `${F}sql 9lives`,
      "SELECT 1",
      F,
      "",
      `${F}ts keep=me`,
      "x",
      F,
      "",
      `${F}js`,
    ].join("\n");
    const { issues } = parse(text);
    expect(issues.map((i) => [i.severity, i.line])).toEqual([
      ["error", 3],
      ["error", 8],
      ["warning", 12],
      ["error", 16],
    ]);
  });

  it("parse(text) gives the same lines for a CRLF file and records its line ending", () => {
    const lf = `---\nseed: x\n---\n\n${F}sql bad-name\nSELECT 1\n${F}\n`;
    const crlf = lf.replace(/\n/g, "\r\n");
    const a = parse(lf);
    const b = parse(crlf);
    expect(b.issues).toEqual(a.issues);
    expect(b.notebook.lineEnding).toBe("\r\n");
    expect(a.notebook.lineEnding).toBeUndefined();
    expect(withoutIds(b.notebook).cells).toEqual(withoutIds(a.notebook).cells);
    expect(serialize(b.notebook)).toBe(crlf);
  });

  it("parse(text) warns about mixed line endings at the first line that differs", () => {
    const { notebook, issues } = parse("a\r\nb\r\nc\nd\r\n");
    expect(notebook.lineEnding).toBe("\r\n");
    expect(issues).toEqual([expect.objectContaining({ severity: "warning", line: 3 })]);
    expect(notebook.cells[0]?.source).toBe("a\nb\nc\nd");
    expect(parse("a\nb\r\n").issues).toEqual([expect.objectContaining({ line: 2 })]);
  });

  it("parse(text) reads CRs just before a line break (or at the end) as part of the break", () => {
    const { notebook, issues } = parse("a\r\nb\r\r\nc\r");
    expect(notebook.lineEnding).toBe("\r\n");
    expect(notebook.cells[0]?.source).toBe("a\nb\nc");
    expect(issues).toEqual([expect.objectContaining({ severity: "warning", line: 2 })]);
    expect(serialize(notebook)).toBe("a\r\nb\r\nc\r\n");
  });

  it("parse(text) keeps a lone \\r inside a line", () => {
    const { notebook, issues } = parse("a\rb\n");
    expect(notebook.cells[0]?.source).toBe("a\rb");
    expect(notebook.lineEnding).toBeUndefined();
    expect(issues).toEqual([]);
  });
});

describe("parse(text) cell ids and source lines", () => {
  it("parse(text) gives every cell a fresh unique id on each parse", () => {
    const text = `a\n\n${F}ts\nx\n${F}\n\n<!-- cell -->\n\nb\n\n<!-- cell -->\n\nc\n`;
    const first = parse(text).notebook.cells.map((c) => c.id);
    const second = parse(text).notebook.cells.map((c) => c.id);
    expect(new Set([...first, ...second]).size).toBe(first.length + second.length);
  });

  it("parse(text) maps each cell to the file line of its first source line", () => {
    const text = `---\ntitle: t\n---\n\n\n# Intro\n\n${F}ts\nconst a = 1;\n${F}\n\n<!-- cell -->\n\n  \nMore\n`;
    const { notebook, sourceLines } = parse(text);
    const lines = text.split("\n");
    expect(notebook.cells.map((c) => sourceLines[c.id])).toEqual([6, 9, 15]);
    for (const cell of notebook.cells) {
      const first = cell.source.split("\n")[0];
      expect(lines[(sourceLines[cell.id] ?? 0) - 1]).toBe(first);
    }
  });
});
