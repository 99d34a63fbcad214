/**
 * `maskedGridSource`, what the report view's grids read through: the notebook's personal columns
 * (case-insensitive) come back masked as reports and exports mask them, other columns as they are,
 * with no download of the raw values; a source without personal columns is left alone.
 */
import { describe, expect, it } from "vitest";
import { maskedGridSource } from "../../../src/ui/grid/masked-grid-source.ts";
import { objectsGridSource } from "../../../src/ui/grid/memory-grid-source.ts";
import { ALL_ROWS } from "../../../src/ui/grid/grid-sql.ts";

const PEOPLE = [
  { id: 1, Email: "ann@example.com", phone: "555-1", spend: 10 },
  { id: 2, Email: null, phone: "555-2", spend: 20 },
];

describe("maskedGridSource", () => {
  it("maskedGridSource(source, personal) masks personal columns in every page, keeps the rest, offers no download", async () => {
    const source = maskedGridSource(objectsGridSource(PEOPLE, "people"), ["email", "PHONE"]);
    expect(source.name).toBe("people");
    expect(source.formats).toEqual([]);
    const result = await source.open(ALL_ROWS);
    expect(result.numRows).toBe(2);
    expect(await result.rows(0, 10)).toEqual([
      { id: 1, Email: "a***@example.com", phone: "***", spend: 10 },
      { id: 2, Email: null, phone: "***", spend: 20 },
    ]);
    await expect(result.download("csv")).rejects.toThrow(/masked personal columns/);
    await result.release();
  });

  it("maskedGridSource(source, personal).open(view) neither filters nor sorts by a masked column's raw values", async () => {
    const source = maskedGridSource(objectsGridSource(PEOPLE), ["email"]);
    const byEmail = await source.open({
      filters: { Email: { kind: "contains", text: "ann" } },
      sort: { column: "Email", direction: "desc" },
    });
    expect((await byEmail.rows(0, 10)).map((r) => r.id)).toEqual([1, 2]);
    // Other columns still filter and sort.
    const bySpend = await source.open({ filters: {}, sort: { column: "spend", direction: "desc" } });
    expect((await bySpend.rows(0, 10)).map((r) => r.id)).toEqual([2, 1]);
  });

  it("maskedGridSource(source, personal) returns the source itself when none of its columns is personal", () => {
    const plain = objectsGridSource([{ id: 1, spend: 3 }]);
    expect(maskedGridSource(plain, ["email"])).toBe(plain);
  });
});
