/**
 * `segbook run notebooks/<each>.md` with no flags, as a newcomer or CI types it: every shipped
 * notebook exits 0, exports are prepared and listed as not written, and nothing is written beside
 * the notebooks. Run in-process through the CLI's own `main` (the code bin/segbook.js calls), so the
 * runs do not each pay for a Node start and a TypeScript loader; the README's first command,
 * `segbook run notebooks/welcome.md`, runs as written: the real bin script in a child process.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { root, segbookAsync, segbookInProcess } from "./segbook-bin.ts";

const notebooks = path.join(root, "notebooks");
/**
 * Notebooks with front matter `connections:` need a warehouse, which no flag-less run has: they run
 * against the loopback ClickHouse cluster in their own test (segbook-run-warehouse.test.ts).
 */
const needsWarehouse = (file: string) => /^connections:/m.test(readFileSync(path.join(notebooks, file), "utf8"));
const shipped = readdirSync(notebooks).filter((f) => f.endsWith(".md") && !needsWarehouse(f));
/** The notebook of the README's first `segbook run` command, run in a child process. */
const README_COMMAND = "welcome.md";
/** Everything under notebooks/, to prove a run without --out writes nothing there. */
const listing = () => readdirSync(notebooks, { recursive: true }).map(String).sort();

describe("segbook run notebooks/<each>.md (no flags)", () => {
  const before = listing();
  afterEach(() => expect(listing()).toEqual(before));

  test("every shipped notebook is covered", () => {
    expect(shipped).toEqual(expect.arrayContaining([README_COMMAND, "online-retail.md", "segmentation.md"]));
  });

  test.each(shipped)(
    "segbook run notebooks/%s exits 0 with every cell ok",
    async (file) => {
      const args = ["run", `notebooks/${file}`];
      const { code, stdout, stderr } = await (file === README_COMMAND ? segbookAsync : segbookInProcess)(...args);
      expect(stderr).toBe("");
      expect(code, stdout).toBe(0);
      const lines = stdout.trim().split("\n");
      expect(lines.at(-1)).toMatch(new RegExp(`^ok notebooks/${file}: \\d+ cells`));
      // Load notes and exports follow their cell's line, indented.
      for (const line of lines.slice(0, -1)) expect(line).toMatch(/^(ok {6}(cell \d+|data ")| {8}(note|export): )/);
      if (file === "online-retail.md") {
        expect(stdout).toMatch(
          /^ {8}export: online-retail-segments\.csv \([\d,]+ rows, \d+ KB\) prepared, not written; add --out DIR to write it and its manifest$/m,
        );
      }
    },
    // online-retail.md loads and models the real 541,909-line Online Retail file.
    300_000,
  );
});
