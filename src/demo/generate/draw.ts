/**
 * Small seeded sampling helpers over a uniform source (mulberry32): normal, log-normal, Poisson,
 * weighted choice. Kept here so every generated value comes from one stream per customer or account.
 */

/** A uniform [0, 1) source, e.g. mulberry32(seed). */
export type Uniform = () => number;

/** A standard normal draw (Box-Muller; one of the pair is discarded so the stream stays simple). */
export function normal(random: Uniform, mean = 0, sd = 1): number {
  const u = 1 - random(); // (0, 1]: log(0) never happens
  const v = random();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A log-normal draw with the given median and log-scale spread. */
export function logNormal(random: Uniform, median: number, sigma: number): number {
  return median * Math.exp(normal(random, 0, sigma));
}

/**
 * A Poisson draw. Knuth's product method below 30 (exact), a rounded normal above it: counts of
 * orders never need the far tail, and the normal keeps 10M-row runs linear in the mean.
 */
export function poisson(random: Uniform, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda >= 30) return Math.max(0, Math.round(normal(random, lambda, Math.sqrt(lambda))));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    ++k;
    p *= random();
  }
  return k;
}

/** Index drawn with probability proportional to `weights` (non-negative, not all zero). */
export function weightedIndex(random: Uniform, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let r = random() * total;
  for (let i = 0; i < weights.length; ++i) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/** One of `items`, weighted. */
export function pickWeighted<T>(random: Uniform, items: readonly T[], weights: readonly number[]): T {
  return items[weightedIndex(random, weights)]!;
}

/** One of `items`, uniformly. */
export function pick<T>(random: Uniform, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** `value` limited to [lo, hi]. */
export function clamp(value: number, lo: number, hi: number): number {
  return value < lo ? lo : value > hi ? hi : value;
}

/** A 1-5 Likert answer around `mean` (rounded, clamped normal). */
export function likert(random: Uniform, mean: number, sd = 0.55): number {
  return clamp(Math.round(normal(random, mean, sd)), 1, 5);
}

/** Money rounded to cents. */
export function cents(value: number): number {
  return Math.round(value * 100) / 100;
}
