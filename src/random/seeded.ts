/**
 * Seeded randomness. Every random step in a notebook derives from the notebook's seed, so the same
 * notebook on the same data gives the same result in the browser and in `segbook run`. Pure and
 * dependency-free: the runtime (a cell's `random()`), `seg` kernels and the demo data all draw from
 * here, so none of them has to import another.
 */

/**
 * 32-bit FNV-1a hash of a string, used to derive independent streams from one seed.
 * @example hashString("restart 3", hashString("42")) // a 32-bit unsigned integer, the same everywhere
 */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; ++i) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * A mulberry32 generator: uniform floats in [0, 1), fast and with a full 2^32 period, which is plenty
 * for sampling and initialisation (not for cryptography).
 * @example const next = mulberry32(42); next(); // 0.6011037519201636, on every engine
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
