/**
 * Quantile binning exactly as pandas `qcut` does it (pandas 1.5/2.x over numpy's default 'linear'
 * quantile method), on flat Float64Arrays. Pure and synchronous: safe to run in a Web Worker.
 *
 * Why bit-exact: analysts check a tool's RFM scores against the pandas notebook they already have;
 * a customer sitting on a quintile edge must land in the same bin, so the edges must be the same
 * doubles numpy computes, not merely close ones.
 */

/**
 * The probabilities `np.linspace(0, 1, bins + 1)`: numpy computes `k * (1 / bins)` and pins the last
 * one to exactly 1 (so e.g. the third of five is 0.6000000000000001, as in numpy).
 */
export function linspaceProbabilities(bins: number): Float64Array {
  const out = new Float64Array(bins + 1);
  const step = 1 / bins;
  for (let k = 0; k <= bins; k++) out[k] = k * step;
  out[bins] = 1;
  return out;
}

/** numpy's `_lerp`: `a + (b-a)*t`, but `b - (b-a)*(1-t)` for `t >= 0.5` (more accurate near b). */
export function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * `np.quantile(x, probabilities)` with method 'linear' for an ascending-sorted sample without NaN:
 * virtual index `(n-1)*p`, neighbours `floor` and `floor+1` (the last value at or beyond `n-1`),
 * weight = index minus its floor, then {@link lerp}.
 */
export function quantilesSorted(sorted: Float64Array, probabilities: Float64Array): Float64Array {
  const n = sorted.length;
  const out = new Float64Array(probabilities.length);
  if (n === 0) return out.fill(NaN);
  for (let k = 0; k < probabilities.length; k++) {
    const virtual = (n - 1) * probabilities[k]!;
    let previous = Math.floor(virtual);
    let next = previous + 1;
    if (virtual >= n - 1) {
      previous = n - 1;
      next = n - 1;
    } else if (virtual < 0) {
      previous = 0;
      next = 0;
    }
    // numpy takes gamma against the floor even when it clamps the neighbours; with equal neighbours
    // the lerp returns that value whatever gamma is, so clamping here changes nothing.
    const gamma = virtual - Math.floor(virtual);
    out[k] = lerp(sorted[previous]!, sorted[next]!, gamma);
  }
  return out;
}

/**
 * Edges of `pd.qcut(values, bins)`: the 'linear' quantiles at `linspace(0, 1, bins+1)` of the
 * non-NaN values (pandas drops NaN before taking quantiles).
 */
export function qcutEdges(values: Float64Array, bins: number): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) count++;
  const sorted = new Float64Array(count);
  let j = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) sorted[j++] = values[i]!;
  sorted.sort();
  return quantilesSorted(sorted, linspaceProbabilities(bins));
}

/**
 * Index of the first edge equal to its predecessor, or -1 when all edges are distinct. pandas raises
 * "Bin edges must be unique" in that case (unless there is a single bin).
 */
export function firstDuplicateEdge(edges: Float64Array): number {
  for (let k = 1; k < edges.length; k++) if (edges[k] === edges[k - 1]) return k;
  return -1;
}

/**
 * Bin numbers 1..edges.length-1 as `pd.cut(values, edges, right=True, include_lowest=True)` gives
 * them (what qcut uses): intervals `(e[k-1], e[k]]`, with the lowest edge itself in bin 1.
 * Values outside the edges and NaN get 0.
 */
export function assignBins(values: Float64Array, edges: Float64Array): Int32Array {
  const out = new Int32Array(values.length);
  const last = edges.length - 1;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x) || x < edges[0]! || x > edges[last]!) continue;
    // searchsorted(side="left"): the first edge >= x.
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo === 0 ? 1 : lo;
  }
  return out;
}

/**
 * `Series.rank(method="first")`: ranks 1..n in ascending value order, ties broken by position.
 * NaN gets NaN (pandas' default na_option "keep").
 */
export function rankFirst(values: Float64Array): Float64Array {
  const order: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) order.push(i);
  order.sort((a, b) => values[a]! - values[b]! || a - b);
  const out = new Float64Array(values.length).fill(NaN);
  order.forEach((index, rank) => {
    out[index] = rank + 1;
  });
  return out;
}
