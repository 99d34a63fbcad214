/**
 * Fuzzing the parser with mutated real notebooks: whatever bytes arrive (a truncated download, a bad
 * merge, a pasted binary), `parse` returns a notebook plus issues instead of throwing, and what it
 * returns is a fixed point of serialize -> parse.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, serialize } from "../../src/notebook/index.ts";
import { draw, seededRandom, withoutIds, type Draw } from "./support.ts";

const NOTEBOOKS_DIR = path.resolve(import.meta.dirname, "../../notebooks");
const SEEDS: readonly string[] = readdirSync(NOTEBOOKS_DIR)
  .filter((f) => f.endsWith(".md"))
  .sort()
  .map((f) => readFileSync(path.join(NOTEBOOKS_DIR, f), "utf8"));

const RUNS = 600;

/** Snippets that stress the grammar when spliced in anywhere. */
const SPLICES = [
  "```",
  "````ts",
  "~~~sql x",
  "```sql",
  "```ts name with spaces",
  "\n---\n",
  "---\ntitle: [\n",
  "\n<!-- cell -->\n",
  "${",
  "}",
  "\r\n",
  "\r",
  "\u0000",
  "\uFEFF",
  "\uD800", // a lone surrogate, as a broken UTF-16 copy produces
  "\u{1F600}",
  "format: 99\n",
  "seed: -1\n",
  "data:\n  x: 5\n",
  "x".repeat(5000),
];

/** One random edit: delete, duplicate, splice, truncate, or flip characters. */
function mutate(text: string, d: Draw): string {
  const at = d.int(0, text.length);
  switch (d.int(0, 5)) {
    case 0:
      return text.slice(0, at) + text.slice(Math.min(text.length, at + d.int(1, 200)));
    case 1: {
      const end = Math.min(text.length, at + d.int(1, 300));
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    }
    case 2:
      return text.slice(0, at) + d.pick(SPLICES) + text.slice(at);
    case 3:
      return text.slice(0, at);
    case 4: {
      const chars = [...text];
      for (let i = 0; i < d.int(1, 20); i++) {
        chars[d.int(0, Math.max(0, chars.length - 1))] = String.fromCharCode(d.int(0, 0xffff));
      }
      return chars.join("");
    }
    default:
      return text.replace(/\n/g, d.chance(0.5) ? "\r\n" : "\n\n");
  }
}

describe("parse(text) on mutated notebooks (seeded fuzz)", () => {
  it(`never throws, and parse(serialize(parse(t))) is stable for ${RUNS} mutants of notebooks/*.md`, () => {
    expect(SEEDS.length).toBeGreaterThan(0);
    let withIssues = 0;
    for (let seed = 1; seed <= RUNS; seed++) {
      const d = draw(seededRandom(seed));
      let text = d.pick(SEEDS);
      for (let i = d.int(1, 6); i > 0; i--) text = mutate(text, d);
      let first;
      try {
        first = parse(text);
      } catch (error) {
        throw new Error(`seed ${seed}: parse threw ${String(error)} on ${JSON.stringify(text.slice(0, 400))}`, {
          cause: error,
        });
      }
      if (first.issues.length) withIssues++;
      const written = serialize(first.notebook);
      const again = parse(written);
      expect(withoutIds(again.notebook), `seed ${seed}`).toEqual(withoutIds(first.notebook));
      expect(serialize(again.notebook), `seed ${seed}`).toBe(written);
    }
    // The mutations must actually reach the error paths, or this test proves little.
    expect(withIssues).toBeGreaterThan(RUNS / 10);
  });

  it("parse(text) reads a 500-cell notebook and keeps every cell", () => {
    const cells = Array.from({ length: 500 }, (_, i) =>
      i % 3 === 0
        ? `## Part ${i}`
        : i % 3 === 1
          ? "```ts\nconst v" + i + " = " + i + ";\n```"
          : "```sql t" + i + "\nSELECT " + i + "\n```",
    );
    const text = `---\ntitle: Big\nformat: 1\n---\n\n${cells.join("\n\n")}\n`;
    const { notebook, issues } = parse(text);
    expect(issues).toEqual([]);
    expect(notebook.cells).toHaveLength(500);
    expect(serialize(notebook)).toBe(text);
  });
});
