/**
 * A cell's `random()`: seeded from the notebook's seed, so the same notebook on the same data gives
 * the same result in the browser and in `segbook run`. The generators themselves live in src/random/.
 */
import { hashString, mulberry32 } from "../random/index.ts";

/**
 * The generator a cell gets as `random()`: seeded from the notebook seed and the cell's source, and
 * restarted on every run of the cell, so a cell's random numbers do not depend on which other cells
 * ran before it or how often.
 */
export function cellRandom(seed: number, cellSource: string): () => number {
  return mulberry32(hashString(cellSource, hashString(String(seed))));
}
