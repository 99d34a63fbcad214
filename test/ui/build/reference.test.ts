/**
 * Pieces of the reference build (src/ui/build/reference.ts) that need no TypeDoc run: the README
 * section the index page includes, and the page names the editor links to.
 */
import { describe, expect, test } from "vitest";
import { contractSection, functionPage } from "../../../src/ui/build/reference.ts";

describe("contractSection", () => {
  test.for([
    [
      "a section between two others",
      "# T\n\n## Quick start\nx\n\n## The seg contract\n\nEvery function…\n- one\n\n## Next\ny\n",
      "## The seg contract\n\nEvery function…\n- one",
    ],
    [
      "a heading with backticks, at the end",
      "# T\n## The `seg` contract\nA.\n### Call shape\nB.\n",
      "## The `seg` contract\nA.\n### Call shape\nB.",
    ],
    ["no such section", "# T\n## Quick start\nx\n", null],
    ["a level-3 heading is not the section", "# T\n### The seg contract\nx\n", null],
  ] as const)("%s", ([, readme, section]) => {
    expect(contractSection(readme)).toBe(section);
  });
});

test.for([
  ["kmeans", "functions/seg.kmeans.html"],
  ["charts.rfmGrid", "functions/seg.charts.rfmGrid.html"],
] as const)("functionPage(%s) is %s", ([name, page]) => {
  expect(functionPage(name)).toBe(page);
});
