/**
 * A small deterministic Nelder-Mead minimiser (the textbook coefficients scipy uses with
 * `adaptive=False`: reflect 1, expand 2, contract 1/2, shrink 1/2), for maximum-likelihood fits on
 * a handful of log-parameters. No randomness: the same start gives the same optimum everywhere.
 */

/** Options for {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Stop when every vertex is within xatol of the best one (per coordinate)... */
  xatol?: number;
  /** ...and every vertex's value within fatol of the best value. */
  fatol?: number;
  /** Iteration cap per run. */
  maxIterations?: number;
  /** Size of the initial simplex's steps along each axis. */
  step?: number;
  /** Restart from the optimum (fresh simplex) until a run improves by less than fatol; default 5 runs. */
  restarts?: number;
}

/** What {@link nelderMead} found. */
export interface NelderMeadResult {
  x: number[];
  value: number;
  iterations: number;
  converged: boolean;
}

function run(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  xatol: number,
  fatol: number,
  maxIterations: number,
  step: number,
): NelderMeadResult {
  const n = x0.length;
  // A value that is not a number (a likelihood outside its domain) counts as worse than anything.
  const value = (x: readonly number[]) => {
    const y = f(x);
    return Number.isNaN(y) ? Infinity : y;
  };
  const simplex: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const vertex = x0.slice();
    vertex[i]! += step;
    simplex.push(vertex);
  }
  let values = simplex.map(value);
  let iterations = 0;
  const order = () => {
    const idx = simplex.map((_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
    const sorted = idx.map((i) => simplex[i]!);
    values = idx.map((i) => values[i]!);
    simplex.splice(0, simplex.length, ...sorted);
  };
  const along = (from: readonly number[], to: readonly number[], t: number) =>
    from.map((fi, i) => fi + t * (to[i]! - fi));
  order();
  while (iterations < maxIterations) {
    const best = simplex[0]!;
    const spread = Math.max(...simplex.slice(1).flatMap((v) => v.map((vi, i) => Math.abs(vi - best[i]!))));
    const fSpread = Math.max(...values.slice(1).map((v) => Math.abs(v - values[0]!)));
    if (spread <= xatol && fSpread <= fatol) return { x: best.slice(), value: values[0]!, iterations, converged: true };
    iterations++;
    const centroid = Array.from({ length: n }, (_, i) => simplex.slice(0, n).reduce((s, v) => s + v[i]!, 0) / n);
    const worst = simplex[n]!;
    const reflected = along(centroid, worst, -1);
    const fr = value(reflected);
    if (fr < values[0]!) {
      const expanded = along(centroid, worst, -2);
      const fe = value(expanded);
      if (fe < fr) [simplex[n], values[n]] = [expanded, fe];
      else [simplex[n], values[n]] = [reflected, fr];
    } else if (fr < values[n - 1]!) {
      [simplex[n], values[n]] = [reflected, fr];
    } else {
      // Contract outside when the reflection beat the worst vertex, inside otherwise.
      const outside = fr < values[n]!;
      const contracted = along(centroid, worst, outside ? -0.5 : 0.5);
      const fc = value(contracted);
      if (fc <= (outside ? fr : values[n]!)) {
        [simplex[n], values[n]] = [contracted, fc];
      } else {
        for (let j = 1; j <= n; j++) {
          simplex[j] = along(best, simplex[j]!, 0.5);
          values[j] = value(simplex[j]!);
        }
      }
    }
    order();
  }
  return { x: simplex[0]!.slice(), value: values[0]!, iterations, converged: false };
}

/**
 * Minimises `f` from `x0`. Restarting from the optimum with a fresh simplex guards against the
 * simplex collapsing early on long, narrow valleys (common in likelihoods on log-parameters).
 * @example
 * nelderMead(([x, y]) => (x! - 1) ** 2 + (y! + 2) ** 2, [0, 0]).x; // ≈ [1, -2]
 */
export function nelderMead(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const { xatol = 1e-10, fatol = 1e-12, maxIterations = 20000, step = 0.1, restarts = 5 } = options;
  let result = run(f, x0, xatol, fatol, maxIterations, step);
  let iterations = result.iterations;
  for (let i = 1; i < restarts; i++) {
    const next = run(f, result.x, xatol, fatol, maxIterations, step);
    iterations += next.iterations;
    const improved = result.value - next.value;
    if (next.value <= result.value) result = next;
    if (!(improved > fatol)) break;
  }
  return { ...result, iterations };
}
