/** The outline: headings of Markdown cells, not of code or of fenced blocks inside Markdown. */
import { expect, test } from "vitest";
import type { Cell } from "../../src/notebook/index.ts";
import { outlineOf } from "../../src/ui/outline.ts";

test("outlineOf lists ATX headings of Markdown cells with level and plain text", () => {
  const cells: Cell[] = [
    { id: "m1", kind: "md", source: "# Customer *segments*\n\nIntro\n\n## Data ##\n" },
    { id: "t1", kind: "ts", source: "// # not a heading" },
    { id: "m2", kind: "md", source: "```sh\n# a comment\n```\n\n### `k` choice\n#no-space\n   #### Deep" },
  ];
  expect(outlineOf(cells)).toEqual([
    { cellId: "m1", level: 1, text: "Customer segments" },
    { cellId: "m1", level: 2, text: "Data" },
    { cellId: "m2", level: 3, text: "k choice" },
    { cellId: "m2", level: 4, text: "Deep" },
  ]);
});
