import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, serialize } from "../../src/notebook/index.ts";
import { withoutIds } from "./support.ts";

const CASES = fileURLToPath(new URL("./cases/", import.meta.url));
const NOTEBOOKS = fileURLToPath(new URL("../../notebooks/", import.meta.url));

// Golden files are only rewritten on request, and never on CI, where a rewrite would hide a change.
const UPDATE = process.env.UPDATE_GOLDEN === "1";
if (UPDATE && process.env.CI) {
  throw new Error("UPDATE_GOLDEN=1 is refused on CI: update golden files locally and review the diff");
}

const caseFiles = readdirSync(CASES)
  .filter((f) => f.endsWith(".md"))
  .sort();

const notebookFiles = readdirSync(NOTEBOOKS, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".md"))
  .sort();

describe("golden cases in test/notebook/cases", () => {
  it("every .json has its .md input", () => {
    const orphans = readdirSync(CASES)
      .filter((f) => f.endsWith(".json"))
      .filter((f) => !caseFiles.includes(f.replace(/\.json$/, ".md")));
    expect(orphans).toEqual([]);
  });

  for (const file of caseFiles) {
    const expectedFile = file.replace(/\.md$/, ".json");

    it(`parse(text) of ${file} matches ${expectedFile}`, () => {
      const { notebook, issues } = parse(readFileSync(join(CASES, file), "utf8"));
      const actual = { notebook: withoutIds(notebook), issues };
      const expectedPath = join(CASES, expectedFile);
      if (UPDATE) {
        writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
        return;
      }
      if (!existsSync(expectedPath)) {
        throw new Error(`missing ${expectedFile}; run UPDATE_GOLDEN=1 npx vitest run test/notebook and review it`);
      }
      expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, "utf8")));
    });

    it(`serialize(parse(text)) gives ${file} back byte for byte`, () => {
      const text = readFileSync(join(CASES, file), "utf8");
      expect(serialize(parse(text).notebook)).toBe(text);
    });
  }
});

describe("notebooks/*.md are canonical", () => {
  // Each notebook found gets the two tests below; a listing that missed the folder would pass them all.
  it("lists notebooks/**/*.md, the default notebook among them", () => {
    expect(notebookFiles).toContain("welcome.md");
    expect(notebookFiles).toContain("segmentation.md");
  });

  for (const file of notebookFiles) {
    it(`serialize(parse(text)) gives notebooks/${file} back byte for byte`, () => {
      const text = readFileSync(join(NOTEBOOKS, file), "utf8");
      expect(serialize(parse(text).notebook)).toBe(text);
    });

    it(`parse(text) of notebooks/${file} reports no errors`, () => {
      const { issues } = parse(readFileSync(join(NOTEBOOKS, file), "utf8"));
      expect(issues.filter((i) => i.severity === "error")).toEqual([]);
    });
  }
});
