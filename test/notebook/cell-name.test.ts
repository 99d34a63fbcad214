/** checkCellName(): which names a SQL cell may take, and the message (naming the other cell) when not. */
import { describe, expect, test } from "vitest";
import { checkCellName } from "../../src/notebook/cell-name.ts";

const builtins = new Set(["db", "sql", "seg", "Plot"]);
const taken = [
  { name: "segments", id: "c4", label: "cell 4 (SQL)" },
  { name: "orders", id: "data:orders", label: "the data table `orders` (front matter)" },
  { name: "rfm", id: "c2", label: "cell 2 (TypeScript)" },
];

describe("checkCellName()", () => {
  test.each([
    { name: "by_customer", id: "c1", expected: undefined },
    { name: "", id: "c1", expected: undefined },
    { name: "segments", id: "c4", expected: undefined },
    {
      name: "2nd",
      id: "c1",
      expected: { message: "`2nd` cannot name a cell: use ASCII letters, digits and _, not starting with a digit" },
    },
    {
      name: "my table",
      id: "c1",
      expected: {
        message: "`my table` cannot name a cell: use ASCII letters, digits and _, not starting with a digit",
      },
    },
    {
      name: "seg",
      id: "c1",
      expected: { message: "`seg` is a builtin every cell uses (db, sql, seg, Plot, …): choose another name" },
    },
    {
      name: "select",
      id: "c1",
      expected: { message: "`select` is a reserved word in SQL or TypeScript: choose another name" },
    },
    {
      name: "Segments",
      id: "c1",
      expected: { message: "`Segments` is already the name of cell 4 (SQL)", otherId: "c4" },
    },
    {
      name: "orders",
      id: "c1",
      expected: {
        message: "`orders` is already the name of the data table `orders` (front matter)",
        otherId: "data:orders",
      },
    },
    { name: "rfm", id: "c1", expected: { message: "`rfm` is already the name of cell 2 (TypeScript)", otherId: "c2" } },
  ])("checkCellName($name) for cell $id", ({ name, id, expected }) => {
    expect(checkCellName(name, id, builtins, taken)).toEqual(expected);
  });
});
