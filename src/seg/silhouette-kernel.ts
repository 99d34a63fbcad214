/**
 * The exact silhouette, split into parts that run anywhere (in-process or across the browser's worker
 * pool) and combine to the same bits whatever ran them.
 *
 * Points are first ordered by cluster (a stable sort), so the points of a cluster are one run of rows.
 * Each pair of points is measured once: the distance of (i, j), i < j, is added to i's sum towards j's
 * cluster (a running sum over j's run) and to j's sum towards i's cluster. A part covers a contiguous
 * range of rows i (with all their j > i); ranges hold about equal numbers of pairs. The number of parts
 * depends only on n, each part starts from zeros and parts are added in order, so one worker and four
 * give identical sums.
 *
 * Speed: a generic loop over the features keeps V8 from holding a row's coordinates in registers and
 * costs 2-4x. So the pair loop is generated once per feature count, fully unrolled, two rows i at a
 * time sharing each load of row j (scikit-learn gets the same effect from BLAS). Where code cannot
 * be generated (a Content-Security-Policy without 'unsafe-eval'), a generic loop gives the same bits:
 * both add the squared differences in feature order and the rows' sums in the same order.
 */

/** Adds one part's distance sums, cluster-major (`sums[c * n + i]`), for rows from..to-1. */
type PairLoop = (
  x: Float64Array,
  n: number,
  k: number,
  starts: Int32Array,
  labels: Int32Array,
  sums: Float64Array,
  from: number,
  to: number,
) => void;

/** Up to this many features the loop is unrolled; beyond, the generic loop (code size grows with d). */
const MAX_UNROLLED = 64;

/** Point counts below this run as one part: splitting costs more than it saves. */
const SPLIT_FROM = 4096;

/** How many parts an n-point silhouette is split into (a function of n only, for identical sums). */
export function silhouettePartCount(n: number): number {
  return n < SPLIT_FROM ? 1 : 8;
}

/**
 * Row ranges [from, to) of the parts, holding about equal numbers of pairs (row i has n - 1 - i).
 * Boundaries are even so every part pairs up its rows the same way.
 */
export function silhouetteRanges(n: number, parts = silhouettePartCount(n)): [number, number][] {
  const total = (n * (n - 1)) / 2;
  const bounds = [0];
  for (let p = 1; p < parts; ++p) {
    // Rows before r hold r n - r (r + 1) / 2 pairs; solve for the row where that reaches p / parts.
    const target = (total * p) / parts;
    const r = n - 0.5 - Math.sqrt((n - 0.5) ** 2 - 2 * target);
    bounds.push(Math.min(n, Math.max(bounds[bounds.length - 1]!, 2 * Math.round(r / 2))));
  }
  bounds.push(n);
  return bounds.slice(0, -1).map((from, p): [number, number] => [from, bounds[p + 1]!]);
}

/** The pair loop's source for `d` features, unrolled (see the file comment). */
function unrolledSource(d: number): string {
  const f = Array.from({ length: d }, (_, i) => i);
  const load = (name: string, base: string) => f.map((i) => `const ${name}${i} = x[${base} + ${i}];`).join(" ");
  const squares = (row: string, other: (i: number) => string) =>
    f.map((i) => `(${row}${i} - ${other(i)}) * (${row}${i} - ${other(i)})`).join(" + ");
  return `
let i = from;
for (; i + 1 < to; i += 2) {
  const a = i * ${d}, b = a + ${d};
  ${load("a", "a")}
  ${load("b", "b")}
  const la = labels[i], lb = labels[i + 1];
  const oa = la * n, ob = lb * n;
  const within = Math.sqrt(${squares("a", (i) => `b${i}`)});
  sums[lb * n + i] += within;
  sums[oa + i + 1] += within;
  for (let c = 0; c < k; ++c) {
    const end = starts[c + 1];
    let j = starts[c] > i + 2 ? starts[c] : i + 2;
    if (j >= end) continue;
    let sa = 0, sb = 0;
    for (let q = j * ${d}; j < end; ++j, q += ${d}) {
      ${load("y", "q")}
      const da = Math.sqrt(${squares("a", (i) => `y${i}`)});
      const db = Math.sqrt(${squares("b", (i) => `y${i}`)});
      sa += da; sb += db;
      sums[oa + j] += da; sums[ob + j] += db;
    }
    sums[c * n + i] += sa; sums[c * n + i + 1] += sb;
  }
}
if (i < to) {
  const a = i * ${d};
  ${load("a", "a")}
  const oa = labels[i] * n;
  for (let c = 0; c < k; ++c) {
    const end = starts[c + 1];
    let j = starts[c] > i + 1 ? starts[c] : i + 1;
    if (j >= end) continue;
    let sa = 0;
    for (let q = j * ${d}; j < end; ++j, q += ${d}) {
      const da = Math.sqrt(${squares("a", (i) => `x[q + ${i}]`)});
      sa += da; sums[oa + j] += da;
    }
    sums[c * n + i] += sa;
  }
}`;
}

/** The generic loop: the same arithmetic in the same order as the unrolled one. */
function genericLoop(d: number): PairLoop {
  const distance = (x: Float64Array, a: number, b: number) => {
    let s = (x[a]! - x[b]!) * (x[a]! - x[b]!);
    for (let f = 1; f < d; ++f) s += (x[a + f]! - x[b + f]!) * (x[a + f]! - x[b + f]!);
    return Math.sqrt(s);
  };
  return (x, n, k, starts, labels, sums, from, to) => {
    let i = from;
    for (; i + 1 < to; i += 2) {
      const oa = labels[i]! * n;
      const ob = labels[i + 1]! * n;
      const within = distance(x, i * d, (i + 1) * d);
      sums[ob + i] = sums[ob + i]! + within;
      sums[oa + i + 1] = sums[oa + i + 1]! + within;
      for (let c = 0; c < k; ++c) {
        const end = starts[c + 1]!;
        let sa = 0;
        let sb = 0;
        let any = false;
        for (let j = Math.max(starts[c]!, i + 2); j < end; ++j) {
          const da = distance(x, i * d, j * d);
          const db = distance(x, (i + 1) * d, j * d);
          sa += da;
          sb += db;
          sums[oa + j] = sums[oa + j]! + da;
          sums[ob + j] = sums[ob + j]! + db;
          any = true;
        }
        if (any) {
          sums[c * n + i] = sums[c * n + i]! + sa;
          sums[c * n + i + 1] = sums[c * n + i + 1]! + sb;
        }
      }
    }
    if (i < to) {
      const oa = labels[i]! * n;
      for (let c = 0; c < k; ++c) {
        let sa = 0;
        let any = false;
        for (let j = Math.max(starts[c]!, i + 1); j < starts[c + 1]!; ++j) {
          const da = distance(x, i * d, j * d);
          sa += da;
          sums[oa + j] = sums[oa + j]! + da;
          any = true;
        }
        if (any) sums[c * n + i] = sums[c * n + i]! + sa;
      }
    }
  };
}

const loops = new Map<number, PairLoop>();

/** The pair loop for `d` features: generated and cached, or the generic one where code cannot be generated. */
function pairLoop(d: number, generate = true): PairLoop {
  const key = generate ? d : -d;
  let loop = loops.get(key);
  if (loop) return loop;
  loop = genericLoop(d);
  if (generate && d <= MAX_UNROLLED) {
    try {
      // The source is built from numbers only (d and indices), never from data or user text.
      loop = new Function("x", "n", "k", "starts", "labels", "sums", "from", "to", unrolledSource(d)) as PairLoop;
    } catch {
      // Code generation refused (CSP without 'unsafe-eval'): the generic loop gives the same bits, slower.
    }
  }
  loops.set(key, loop);
  return loop;
}

/** Points ordered by cluster: the permuted matrix, each row's cluster, the runs' starts (k + 1) and the order. */
export interface ClusterOrder {
  matrix: Float64Array;
  labels: Int32Array;
  starts: Int32Array;
  order: Int32Array;
}

/** Orders points by cluster code 0..k-1, keeping their order within a cluster (a counting sort). */
export function orderByCluster(matrix: Float64Array, n: number, d: number, codes: Int32Array, k: number): ClusterOrder {
  const starts = new Int32Array(k + 1);
  for (let i = 0; i < n; ++i) starts[codes[i]! + 1]! += 1;
  for (let c = 0; c < k; ++c) starts[c + 1]! += starts[c]!;
  const next = starts.slice(0, k);
  const order = new Int32Array(n);
  const labels = new Int32Array(n);
  const sorted = new Float64Array(n * d);
  for (let i = 0; i < n; ++i) {
    const c = codes[i]!;
    const s = next[c]!++;
    order[s] = i;
    labels[s] = c;
    sorted.set(matrix.subarray(i * d, i * d + d), s * d);
  }
  return { matrix: sorted, labels, starts, order };
}

/**
 * One part of an exact silhouette: the distance sums (cluster-major, `k * n`, in cluster order) from
 * the pairs (i, j) with from <= i < to and j > i, over points already ordered by {@link orderByCluster}.
 * `generate: false` forces the generic loop (tests check it gives the same bits).
 */
export function silhouettePartKernel(
  sorted: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  starts: Int32Array,
  from: number,
  to: number,
  generate = true,
): Float64Array {
  const k = starts.length - 1;
  const sums = new Float64Array(k * n);
  pairLoop(d, generate)(sorted, n, k, starts, labels, sums, from, to);
  return sums;
}

/**
 * Per-point silhouettes (in the points' original order) from the parts' sums added in part order.
 * A point alone in its cluster scores 0, and a = b = 0 (duplicates) gives 0, as in scikit-learn.
 */
export function silhouetteFromSums(parts: Float64Array[], cluster: ClusterOrder): Float64Array {
  const { labels, starts, order } = cluster;
  const n = labels.length;
  const k = starts.length - 1;
  const sums = new Float64Array(k * n);
  for (const part of parts) for (let t = 0; t < sums.length; ++t) sums[t] = sums[t]! + part[t]!;
  const out = new Float64Array(n);
  for (let s = 0; s < n; ++s) {
    const own = labels[s]!;
    const size = starts[own + 1]! - starts[own]!;
    if (size <= 1) continue;
    const a = sums[own * n + s]! / (size - 1);
    let b = Infinity;
    for (let c = 0; c < k; ++c) {
      if (c === own) continue;
      const mean = sums[c * n + s]! / (starts[c + 1]! - starts[c]!);
      if (mean < b) b = mean;
    }
    const denominator = Math.max(a, b);
    out[order[s]!] = denominator > 0 ? (b - a) / denominator : 0;
  }
  return out;
}
