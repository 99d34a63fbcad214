/**
 * A grid source whose personal columns (the notebook's `privacy.personal`) show masked, as the HTML
 * report and exports mask them (`j***@example.com`, `***`; see src/seg/privacy.ts). The report view
 * uses it: that view is what stakeholders see, print and save as PDF, so it must not show what the
 * exported report hides. Downloads are not offered from a masked grid (they would hold the raw
 * values), and a masked column is neither filtered nor sorted by its raw values (typing `c12@` in its
 * filter would otherwise tell whose row is whose); the notebook view's grid does all three.
 */
import { maskValue, personalColumns } from "../../seg/privacy.ts";
import type { GridResult, GridSource } from "./grid-source.ts";
import type { GridView } from "./grid-sql.ts";

/**
 * `source` with its columns named in `personal` (case-insensitive) masked in every row it reads;
 * `source` itself when none of its columns is personal.
 * @example mountGrid(target, maskedGridSource(source, ["email"])); // email cells read "j***@example.com"
 */
export function maskedGridSource(source: GridSource, personal: readonly string[]): GridSource {
  const masked = personalColumns(
    { personal: [...personal] },
    source.columns.map((c) => c.name),
  );
  if (masked.length === 0) return source;
  const mask = (result: GridResult): GridResult => ({
    numRows: result.numRows,
    async rows(offset, limit) {
      const rows = await result.rows(offset, limit);
      return rows.map((row) => {
        const copy = { ...row };
        for (const name of masked) copy[name] = maskValue(row[name]);
        return copy;
      });
    },
    download: () => Promise.reject(new Error("a grid with masked personal columns offers no download")),
    release: () => result.release(),
  });
  const hidden = new Set(masked);
  // The view without what would read a masked column's raw values.
  const safe = (view: GridView): GridView => ({
    filters: Object.fromEntries(Object.entries(view.filters).filter(([name]) => !hidden.has(name))),
    ...(view.sort && !hidden.has(view.sort.column) && { sort: view.sort }),
  });
  return {
    ...(source.name !== undefined && { name: source.name }),
    columns: source.columns,
    numRows: source.numRows,
    formats: [],
    open: async (view) => mask(await source.open(safe(view))),
  };
}
