/**
 * Front matter bounded before parsing (size and nesting), prototype keys in `data` reported, and a
 * UTF-8 BOM dropped by parse so the front matter is still read; and the build's notebook index
 * (notebooksPlugin's notebookIndex) reading such files without throwing.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import {
  MAX_FRONT_MATTER_CHARS,
  MAX_FRONT_MATTER_DEPTH,
  readFrontMatter,
  yamlDepth,
} from "../../src/notebook/front-matter.ts";
import { parse } from "../../src/notebook/parse.ts";
import { notebookIndex } from "../../src/ui/build/notebooks-plugin.ts";

describe("yamlDepth(source)", () => {
  test.each([
    ["title: x\n", 1],
    ["a:\n  b:\n    c: 1\n", 3],
    ["a: [1, [2, {b: 3}]]\n", 4],
    ["a: '[[[['\n", 1],
    ['a: "{{{{"  # [[[[\n', 1],
    ["a:\n- - - x\n", 4],
    ["a: [\n  [\n    1\n  ]\n]\n", 3],
  ])("yamlDepth(%j) is %i", (source, depth) => {
    expect(yamlDepth(source)).toBe(depth);
  });
});

describe("readFrontMatter bounds", () => {
  test.each([
    ["flow sequences", `a: ${"[".repeat(100)}${"]".repeat(100)}\n`],
    ["flow maps", `a: ${"{a: ".repeat(40)}1${"}".repeat(40)}\n`],
    ["block maps", Array.from({ length: 40 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " 1\n"],
    ["sequences on one line", `a:\n${"- ".repeat(40)}x\n`],
  ])("readFrontMatter refuses %s nested deeper than MAX_FRONT_MATTER_DEPTH before parsing", (_name, source) => {
    const { frontMatter, issues } = readFrontMatter(`seed: 3\n${source}`);
    expect(frontMatter).toEqual({ data: {} });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.severity).toBe("error");
    expect(issues[0]!.message).toMatch(
      new RegExp(
        `^front matter: nests \\d+ levels deep, more than the ${MAX_FRONT_MATTER_DEPTH} front matter may have`,
      ),
    );
  });

  test("readFrontMatter refuses 50,000 levels at once (the YAML parser would overflow its stack)", () => {
    const { issues } = readFrontMatter(`a: ${"[".repeat(25_000)}${"]".repeat(25_000)}\n`);
    expect(issues[0]!.message).toContain("front matter may have");
  });

  test("readFrontMatter refuses front matter longer than MAX_FRONT_MATTER_CHARS", () => {
    const { issues } = readFrontMatter(`title: "${"x".repeat(MAX_FRONT_MATTER_CHARS)}"\n`);
    expect(issues[0]!.message).toMatch(/^front matter: is 65,546 characters long, more than the 65,536/);
  });

  test("readFrontMatter keeps ordinary nesting (data entries with options, privacy lists)", () => {
    const { frontMatter, issues } = readFrontMatter(
      "seed: 1\ndata:\n  a: {path: a.csv, delimiter: '['}\nprivacy:\n  personal: [email, phone]\n",
    );
    expect(issues).toEqual([]);
    expect(frontMatter).toEqual({
      seed: 1,
      data: { a: { path: "a.csv", delimiter: "[" } },
      privacy: { personal: ["email", "phone"] },
    });
  });

  test.each(["__proto__", "constructor", "prototype"])(
    "readFrontMatter reports data key %s as an error and keeps the other tables",
    (key) => {
      const { frontMatter, issues } = readFrontMatter(`data:\n  ${key}: x.csv\n  ok: y.csv\n`);
      expect(issues).toEqual([
        {
          severity: "error",
          line: 3,
          message: `front matter: data table name "${key}" is reserved (every JavaScript object has it); the table is left out until renamed, e.g. "${key.replace(/_/g, "")}_data"`,
        },
      ]);
      expect(frontMatter.data).toEqual({ ok: { path: "y.csv" } });
      expect(Object.getPrototypeOf(frontMatter.data)).toBe(Object.prototype);
    },
  );
});

describe("parse(text with a UTF-8 BOM)", () => {
  test("parse drops the BOM so the front matter (seed, data, privacy) is read", () => {
    const { notebook, issues } = parse(
      "\uFEFF---\ntitle: T\nseed: 5\ndata:\n  c: c.csv\nprivacy:\n  personal: [email]\n---\n\n# Hi\n",
    );
    expect(issues).toEqual([]);
    expect(notebook.frontMatter).toEqual({
      title: "T",
      seed: 5,
      data: { c: { path: "c.csv" } },
      privacy: { personal: ["email"] },
    });
    expect(notebook.cells[0]!.source).toBe("# Hi");
  });
});

describe("notebookIndex(dir) (the build's notebook index)", () => {
  test("notebookIndex reads a BOM notebook's title and lists a notebook with hostile front matter without throwing", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "segbook-index-"));
    writeFileSync(path.join(dir, "bom.md"), "\uFEFF---\ntitle: Saved on Windows\ndescription: d\n---\n\n# Body\n");
    writeFileSync(
      path.join(dir, "deep.md"),
      `---\ntitle: x\nextra: ${"[".repeat(30_000)}${"]".repeat(30_000)}\n---\n\n# Deep heading\n`,
    );
    expect(notebookIndex(dir)).toEqual([
      { path: "bom.md", title: "Saved on Windows", description: "d" },
      { path: "deep.md", title: "Deep heading" },
    ]);
  });
});
