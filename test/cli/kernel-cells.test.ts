import { describe, expect, it } from "vitest";
import { notebookUsesKernels } from "../../src/cli/kernel-cells.ts";
import { parse } from "../../src/notebook/index.ts";

const notebook = (cells: string) => parse(`---\ntitle: t\n---\n\n${cells}`).notebook;

describe("notebookUsesKernels(notebook)", () => {
  it.each([
    ["a ts cell with seg.kmeans", "```ts\nconst fit = await seg.kmeans(t, { k: 4 });\n```\n", true],
    ["a js cell with seg.chooseK", "```js\nconst k = await seg.chooseK(t, {});\n```\n", true],
    ["seg . gmm with spaces", "```ts\nconst g = await seg .\n  gmm(t, {});\n```\n", true],
    ["a silhouette score", "```ts\nconst s = await seg.silhouetteScore(t, {});\n```\n", true],
    ["only seg.rfm and seg.export", "```ts\nconst r = await seg.rfm(t, {});\nawait seg.export(r, {});\n```\n", false],
    [
      "kmeans in a SQL cell or prose only",
      "k-means with seg.kmeans in prose.\n\n```sql x\nSELECT 'seg.kmeans'\n```\n",
      false,
    ],
    ["a name that merely starts like one", "```ts\nconst x = seg.kmeansLike;\n```\n", false],
  ])("%s: %s", (_, cells, expected) => {
    expect(notebookUsesKernels(notebook(cells))).toBe(expected);
  });

  it("is true for the analyst benchmark notebook (k-means)", async () => {
    const { readFile } = await import("node:fs/promises");
    const text = await readFile(new URL("../../scripts/bench/analyst-task.md", import.meta.url), "utf8");
    expect(notebookUsesKernels(parse(text).notebook)).toBe(true);
  });
});
