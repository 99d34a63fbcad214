/**
 * The notebook as on screen (src/ui/persistence/screen-text.ts): editor text that was never run is in
 * the text Save writes, and its drafts land back on the same cells of the committed notebook, or are
 * refused when the cells do not line up.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parse, type Cell } from "../../../src/notebook/index.ts";
import { draftsFor, screenCells, screenVersion } from "../../../src/ui/persistence/screen-text.ts";
import { repoRoot } from "../../browser/helpers/static-server.ts";

const source = fs.readFileSync(path.join(repoRoot, "test/browser/notebooks/edit.md"), "utf8");

/** Editor texts by cell position; the others show their committed source. */
function editorTexts(cells: readonly Cell[], typed: Record<number, string>): (cell: Cell) => string {
  return (cell) => typed[cells.indexOf(cell)] ?? cell.source;
}

describe("screenVersion", () => {
  const { notebook } = parse(source);
  const cells = notebook.cells;
  const factor = cells.findIndex((c) => c.source === "const factor = 2;");

  test("with nothing typed, the text is the committed notebook and there are no drafts", () => {
    const screen = screenVersion(notebook, (cell) => cell.source);
    expect(screen).toEqual({ text: source, committed: source, drafts: [], cellCount: cells.length });
  });

  test("typed text is in the on-screen text, not in the committed one, and recorded as a draft by position", () => {
    const screen = screenVersion(notebook, editorTexts(cells, { [factor]: "const factor = 7;" }));
    expect(screen.text).toBe(source.replace("const factor = 2;", "const factor = 7;"));
    expect(screen.committed).toBe(source);
    expect(screen.drafts).toEqual([{ index: factor, kind: "ts", source: "const factor = 7;" }]);
  });

  test("the on-screen text opens as the notebook the user saw", () => {
    const typed = { [factor]: "const factor = 7;\n// more", [0]: "# Retitled" };
    const screen = screenVersion(notebook, editorTexts(cells, typed));
    expect(parse(screen.text).notebook.cells.map((c) => c.source)).toEqual(
      screenCells(cells, editorTexts(cells, typed)).map((c) => c.source),
    );
  });
});

describe("screenCells", () => {
  test("keeps each unedited cell as it is and copies an edited one with its editor text", () => {
    const { cells } = parse(source).notebook;
    const shown = screenCells(cells, editorTexts(cells, { 1: "const factor = 3;" }));
    expect(shown[0]).toBe(cells[0]);
    expect(shown[1]).toEqual({ ...cells[1], source: "const factor = 3;" });
    expect(cells[1]!.source).toBe("const factor = 2;");
  });
});

describe("draftsFor", () => {
  const { cells } = parse(source).notebook;
  const draft = { index: 1, kind: "ts", source: "const factor = 7;" };

  test.each([
    ["the same cells", cells.length, [draft], { [cells[1]!.id]: "const factor = 7;" }],
    ["no drafts", cells.length, [], {}],
    ["another number of cells", cells.length + 1, [draft], undefined],
    ["a cell of another kind at the draft's position", cells.length, [{ ...draft, kind: "sql" }], undefined],
    ["a position past the last cell", cells.length, [{ ...draft, index: cells.length }], undefined],
  ])("with %s", (_name, count, drafts, expected) => {
    expect(draftsFor(cells, drafts, count)).toEqual(expected);
  });
});
