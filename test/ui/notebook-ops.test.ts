/**
 * Cell operations over the cells array: insert, delete and restore, move, duplicate, change kind,
 * neighbours. Each must leave its input untouched.
 */
import { describe, expect, test } from "vitest";
import type { Cell } from "../../src/notebook/index.ts";
import {
  changeKind,
  deleteCell,
  duplicateCell,
  insertCell,
  moveCell,
  neighbourId,
  renameCell,
  restoreCell,
} from "../../src/ui/notebook-ops.ts";

const list = (): Cell[] => [
  { id: "a", kind: "md", source: "# A" },
  { id: "b", kind: "ts", source: "const x = 1" },
  { id: "c", kind: "sql", source: "SELECT 1", name: "one" },
];
const ids = (cells: readonly Cell[]) => cells.map((c) => c.id);

describe("notebook-ops", () => {
  test.each([
    [0, ["n", "a", "b", "c"]],
    [2, ["a", "b", "n", "c"]],
    [3, ["a", "b", "c", "n"]],
    [99, ["a", "b", "c", "n"]],
    [-5, ["n", "a", "b", "c"]],
  ])("insertCell(at %i) puts the cell there, clamped", (index, expected) => {
    const before = list();
    expect(ids(insertCell(before, index, { id: "n", kind: "ts", source: "" }))).toEqual(expected);
    expect(ids(before)).toEqual(["a", "b", "c"]);
  });

  test("deleteCell then restoreCell puts the same cell back at its place", () => {
    const before = list();
    const { cells, deleted } = deleteCell(before, "b");
    expect(ids(cells)).toEqual(["a", "c"]);
    expect(deleted).toEqual({ cell: before[1], index: 1 });
    expect(restoreCell(cells, deleted!)).toEqual(before);
    expect(ids(before)).toEqual(["a", "b", "c"]);
  });

  test("deleteCell(unknown id) changes nothing and reports no deleted cell", () => {
    expect(deleteCell(list(), "zz")).toEqual({ cells: list() });
  });

  test("restoreCell(into a shorter notebook) appends at the end; a present cell is not doubled", () => {
    const { cells, deleted } = deleteCell(list(), "c");
    const shorter = deleteCell(cells, "b").cells;
    expect(ids(restoreCell(shorter, deleted!))).toEqual(["a", "c"]);
    expect(ids(restoreCell(list(), deleted!))).toEqual(["a", "b", "c"]);
  });

  test.each([
    ["b", -1, ["b", "a", "c"]],
    ["b", 1, ["a", "c", "b"]],
    ["a", -1, ["a", "b", "c"]],
    ["c", 1, ["a", "b", "c"]],
    ["a", 2, ["b", "c", "a"]],
  ])("moveCell(%s, %i) reorders and stops at the ends", (id, delta, expected) => {
    expect(ids(moveCell(list(), id, delta))).toEqual(expected);
  });

  test("duplicateCell copies kind and text under a fresh id right after the original", () => {
    const { cells, copy } = duplicateCell(list(), "b", "const x = 2");
    expect(ids(cells)).toEqual(["a", "b", copy!.id, "c"]);
    expect(copy).toMatchObject({ kind: "ts", source: "const x = 2" });
    expect(copy!.id).not.toBe("b");
  });

  test("duplicateCell(named SQL) gives the copy a name no other cell has", () => {
    const first = duplicateCell(list(), "c", "SELECT 1");
    expect(first.copy!.name).toBe("one_copy");
    const second = duplicateCell(first.cells, "c", "SELECT 1");
    expect(second.copy!.name).toBe("one_copy2");
  });

  test("changeKind keeps id and text, drops a SQL name when leaving SQL", () => {
    expect(changeKind(list(), "c", "ts", "1 + 1")[2]).toEqual({ id: "c", kind: "ts", source: "1 + 1" });
    expect(changeKind(list(), "b", "md", "text")[1]).toEqual({ id: "b", kind: "md", source: "text" });
    const before = list();
    // Same kind and text: the very same object, so the session sees no change.
    expect(changeKind(before, "a", "md", "# A")[0]).toBe(before[0]);
  });

  test.each([
    ["b", 1, "c"],
    ["b", -1, "a"],
    ["c", 1, "c"],
    [undefined, 1, "a"],
    [undefined, -1, "c"],
  ])("neighbourId(%s, %i) is %s", (id, delta, expected) => {
    expect(neighbourId(list(), id, delta)).toBe(expected);
  });
});

describe("renameCell()", () => {
  test.each([
    {
      title: "names an unnamed SQL cell",
      cell: { id: "a", kind: "sql" as const, source: "SELECT 1" },
      name: "one",
      expected: { id: "a", kind: "sql", source: "SELECT 1", name: "one" },
    },
    {
      title: "renames a named one",
      cell: { id: "a", kind: "sql" as const, source: "SELECT 1", name: "one" },
      name: "uno",
      expected: { id: "a", kind: "sql", source: "SELECT 1", name: "uno" },
    },
    {
      title: "unnames with an empty name",
      cell: { id: "a", kind: "sql" as const, source: "SELECT 1", name: "one" },
      name: "",
      expected: { id: "a", kind: "sql", source: "SELECT 1" },
    },
    {
      title: "leaves a TS cell alone",
      cell: { id: "a", kind: "ts" as const, source: "1" },
      name: "x",
      expected: { id: "a", kind: "ts", source: "1" },
    },
  ])("renameCell(cells, id, name) $title", ({ cell, name, expected }) => {
    expect(renameCell([cell], "a", name)).toEqual([expected]);
  });
});
