import type { Cell, Notebook } from "../../src/notebook/index.ts";
import { mulberry32 } from "../../src/random/index.ts";

/** A cell as saved, without its live id. */
export type SavedCell = Omit<Cell, "id">;

/** A notebook without cell ids and with keys in file order, for deep comparison and golden JSON. */
export interface SavedNotebook {
  frontMatterSource?: string;
  frontMatter: Notebook["frontMatter"];
  cells: SavedCell[];
  lineEnding?: "\r\n";
}

/** Drops the live-only cell ids (and undefined fields) so notebooks compare by content. */
export function withoutIds(nb: Notebook): SavedNotebook {
  const cells = nb.cells.map((cell) => {
    const out: SavedCell = { kind: cell.kind, source: cell.source };
    if (cell.name !== undefined) out.name = cell.name;
    if (cell.attrs !== undefined) out.attrs = cell.attrs;
    if (cell.fence !== undefined) out.fence = cell.fence;
    return out;
  });
  const saved: SavedNotebook =
    nb.frontMatterSource === undefined
      ? { frontMatter: nb.frontMatter, cells }
      : { frontMatterSource: nb.frontMatterSource, frontMatter: nb.frontMatter, cells };
  if (nb.lineEnding !== undefined) saved.lineEnding = nb.lineEnding;
  return saved;
}

/** A seeded PRNG (the runtime's own), so property tests are random but reproducible. */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}

/** Helpers to draw from a seeded PRNG. */
export interface Draw {
  chance(p: number): boolean;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

/** Wraps a PRNG in {@link Draw} helpers. */
export function draw(random: () => number): Draw {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  return {
    chance: (p) => random() < p,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error("pick: empty list");
      return items[int(0, items.length - 1)] as T;
    },
  };
}
