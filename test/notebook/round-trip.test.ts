import { describe, expect, it } from "vitest";
import type { Cell, CellKind, Notebook } from "../../src/notebook/index.ts";
import { createCell, parse, readFrontMatter, serialize } from "../../src/notebook/index.ts";
import type { Draw } from "./support.ts";
import { draw, seededRandom, withoutIds } from "./support.ts";

const RUNS = 400;

// Markdown pieces, including ones that look like cells or fences but are not.
const MARKDOWN_BLOCKS = [
  "# Heading",
  "Plain text with ${expr} and `inline ${code}`.",
  "- item one\n- item two",
  "> a quote",
  "Trailing spaces  \nnext line",
  "---",
  "***",
  "<!-- a comment -->",
  "<!-- cell --> not alone on its line",
  "```python\nprint('```ts')\n```",
  "~~~\nplain ~~~ text\n~~~",
  "````markdown\n```ts\nx\n```\n\n<!-- cell -->\n````",
  "    ```ts\n    indented code, not a fence",
  "\t```sql tab-indented, not a fence",
  "```ts `backtick in info` is not a fence",
  "Setext\n===",
  "a\n\n\nb",
  "   leading spaces",
  "$${x}$$ and \\`",
];

const CODE_LINES = [
  "const x = 1;",
  "",
  "   ",
  "```",
  "````",
  "~~~",
  "```ts",
  "~~~~ts",
  "const t = `${a} and ${b}`;",
  "  ```",
  "    ````",
  "<!-- cell -->",
  "---",
  "SELECT 1",
  "\t```",
  "`",
  "const s = `",
  "`;",
];

const SQL_NAMES = ["t", "top_customers", "_x1", "Sales2"];
const ATTRS = ["echo=false", "a=1  b=2", "x`y", "{#id}", "hide", 'k="v w"'];
const FENCES = [undefined, "```", "````", "~~~", "~~~~", "``````````", "~~~~~~~~~~"];
const FRONT_MATTER_LINES = [
  "title: Random notebook\n",
  "# a comment\n",
  "seed: 7\n",
  "format: 1\n",
  "data:\n  sales: data/sales.csv\n  bad-name: x.csv\n",
  "author: someone\n",
  "other: abc\n",
  "broken: [unclosed\n",
];

/** The spec's fence rules, written independently of src/notebook/fences.ts. */
function closes(line: string, fence: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return !!m?.[1] && m[1][0] === fence[0] && m[1].length >= fence.length;
}

/** The fence parse would record for a cell: undefined when absent, unusable or the default. */
function canonicalFence(fence: string | undefined, source: string, info: string): string | undefined {
  if (fence === undefined) return undefined;
  if (fence.startsWith("`") && info.includes("`")) return undefined;
  const lines = source.split("\n");
  if (lines.some((line) => closes(line, fence))) return undefined;
  const char = info.includes("`") ? "~" : "`";
  let longest = 0;
  for (const line of lines) {
    const run = /^ {0,3}(`+|~+)/.exec(line)?.[1];
    if (run?.startsWith(char)) longest = Math.max(longest, run.length);
  }
  return fence === char.repeat(Math.max(3, longest + 1)) ? undefined : fence;
}

function randomCodeCell(d: Draw, kind: Exclude<CellKind, "md">): Cell {
  const lines = Array.from({ length: d.int(0, 6) }, () => d.pick(CODE_LINES));
  const source = lines.join("\n");
  const name = kind === "sql" && d.chance(0.5) ? d.pick(SQL_NAMES) : undefined;
  // A nameless SQL cell's first attribute word must not look like a name, or it reads back as one.
  const attrChoices = kind === "sql" && !name ? ATTRS.filter((a) => a !== "hide") : ATTRS;
  const attrs = d.chance(0.3) ? d.pick(attrChoices) : undefined;
  const info = [kind, name, attrs].filter((w) => w !== undefined).join(" ");
  const fence = canonicalFence(d.pick(FENCES), source, info);
  return createCell(kind, source, { name, attrs, fence });
}

function randomNotebook(d: Draw): Notebook {
  const nb: Notebook = { frontMatter: { data: {} }, cells: [] };
  if (d.chance(0.6)) {
    const source = FRONT_MATTER_LINES.filter(() => d.chance(0.35)).join("");
    nb.frontMatterSource = source;
    nb.frontMatter = readFrontMatter(source).frontMatter;
  }
  const count = d.int(0, 10);
  for (let i = 0; i < count; i++) {
    const r = d.int(0, 99);
    if (r < 40) {
      const blocks = Array.from({ length: d.int(1, 4) }, () => d.pick(MARKDOWN_BLOCKS));
      nb.cells.push(createCell("md", blocks.join(d.pick(["\n", "\n\n"]))));
    } else {
      nb.cells.push(randomCodeCell(d, r < 65 ? "ts" : r < 75 ? "js" : "sql"));
    }
  }
  if (d.chance(0.15)) nb.lineEnding = "\r\n";
  return nb;
}

// Pieces of files, many of them not in canonical form.
const TEXT_FRAGMENTS = [
  "\n",
  "   \n",
  "text line\n",
  "# H\n",
  "${x} and `${y}`\n",
  "<!-- cell -->\n",
  "```ts\ncode\n```\n",
  "~~~sql name\nselect 1\n~~~\n",
  "  ```js attr\n  indented\n    more\n      ```\n  ```\n",
  "````ts\n```\n````\n",
  "```python\nx\n```\n",
  "```sql 9bad x\nq\n```\n",
  "```sql\n\n\n```\n",
  " ~~~ts a`b\n~~~\n",
  "   ```ts\n   ```\n",
  "```ts\n  ```  \n",
  "```\n",
  "~~~~\n",
  "`````ts\n",
  "---\n",
  "\t```ts\n",
  "```ts `x`\n",
];
const TEXT_STARTS = [
  "",
  "",
  "---\ntitle: T\n---\n",
  "---\nseed: [\n---\n",
  "---\n---\n",
  "---\nx: 1\n",
  "\n---\na: 1\n---\n",
];

function randomText(d: Draw): string {
  let text = d.pick(TEXT_STARTS);
  const count = d.int(0, 14);
  for (let i = 0; i < count; i++) text += d.pick(TEXT_FRAGMENTS);
  if (d.chance(0.1)) text = text.replace(/\n$/, "");
  if (d.chance(0.2)) text = text.replace(/\n/g, "\r\n");
  return text;
}

describe("round trips (seeded property tests)", () => {
  it(`parse(serialize(nb)) equals nb for ${RUNS} random hand-built notebooks`, () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const nb = randomNotebook(draw(seededRandom(seed)));
      const text = serialize(nb);
      const back = parse(text).notebook;
      expect(withoutIds(back), `seed ${seed}:\n${text}`).toEqual(withoutIds(nb));
      expect(serialize(back), `seed ${seed}`).toBe(text);
    }
  });

  it(`parse(serialize(nb)) equals nb for notebooks parsed from ${RUNS} random files`, () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const text = randomText(draw(seededRandom(seed)));
      const nb = parse(text).notebook;
      const written = serialize(nb);
      const back = parse(written).notebook;
      expect(withoutIds(back), `seed ${seed}:\n${JSON.stringify(text)}`).toEqual(withoutIds(nb));
      expect(serialize(back), `seed ${seed}`).toBe(written);
    }
  });

  it(`serialize(nb) keeps ${RUNS} notebooks with stale or bad own fences readable`, () => {
    // As after an edit: the cell keeps the fence it was read with, but its source has changed.
    const withoutFences = (nb: Notebook) =>
      withoutIds(nb).cells.map((cell) => {
        const copy = { ...cell };
        delete copy.fence;
        return copy;
      });
    for (let seed = 1; seed <= RUNS; seed++) {
      const d = draw(seededRandom(seed));
      const nb = randomNotebook(d);
      for (const cell of nb.cells) {
        if (cell.kind !== "md") cell.fence = d.pick([...FENCES, "``", "~~", "abc", "` ``"]);
      }
      const text = serialize(nb);
      expect(withoutFences(parse(text).notebook), `seed ${seed}:\n${text}`).toEqual(withoutFences(nb));
    }
  });

  it("the random notebooks cover the tricky shapes", () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= RUNS; seed++) {
      const nb = randomNotebook(draw(seededRandom(seed)));
      const text = serialize(nb);
      if (text.startsWith("<!-- cell -->")) seen.add("front matter guard");
      if (text.includes("\n<!-- cell -->\n")) seen.add("adjacent markdown");
      if (nb.cells.some((c) => c.fence?.startsWith("~"))) seen.add("own tilde fence");
      if (/^````+(ts|js|sql)/m.test(text)) seen.add("longer fence");
      if (/^~~~+(ts|js|sql) /m.test(text) && nb.cells.some((c) => c.attrs?.includes("`"))) seen.add("tilde for attrs");
      if (nb.cells.some((c) => c.kind !== "md" && (c.source.startsWith("\n") || c.source.endsWith("\n")))) {
        seen.add("code with blank edges");
      }
      if (nb.lineEnding) seen.add("crlf");
    }
    expect([...seen].sort()).toEqual(
      [
        "adjacent markdown",
        "code with blank edges",
        "crlf",
        "front matter guard",
        "longer fence",
        "own tilde fence",
        "tilde for attrs",
      ].sort(),
    );
  });
});
