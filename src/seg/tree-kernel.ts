/**
 * A CART classification tree (Gini) on a flat row-major Float64Array, following scikit-learn's
 * `DecisionTreeClassifier` with the "best" splitter step for step so a tree can be checked against it:
 * depth-first growth (node ids in pre-order), axis-aligned splits `x <= threshold` at the midpoint
 * between neighbouring distinct values (values within 1e-7 count as equal, as sklearn's
 * FEATURE_THRESHOLD), the split with the best proxy improvement `-(n_l * gini_l + n_r * gini_r)`,
 * and sklearn's stopping rules (max depth, min samples per leaf, pure nodes). The one difference is
 * the order features are tried in: sklearn shuffles it with its random_state, here it is the given
 * order, so when two features split equally well the first listed wins (sklearn may pick the other).
 * Pure and synchronous: it runs in a Web Worker too.
 */

/** One node of a fitted tree; a leaf has `feature` -1 and children -1. */
export interface TreeNode {
  /** Matrix column tested (`x <= threshold` goes left), -1 for a leaf. */
  feature: number;
  threshold: number;
  left: number;
  right: number;
  /** Training rows per class reaching the node. */
  counts: number[];
  n: number;
  /** Gini impurity of the node. */
  impurity: number;
  depth: number;
  /** The class predicted here: the first class with the most rows (sklearn's argmax). */
  prediction: number;
}

/** Options of {@link treeKernel}. */
export interface TreeKernelOptions {
  maxDepth: number;
  /** Minimum rows in each leaf (sklearn's min_samples_leaf). */
  minLeaf: number;
}

// sklearn's constants: values closer than this are one value; impurity at most this is pure.
const FEATURE_THRESHOLD = 1e-7;
const EPSILON = 2.220446049250313e-16;

function gini(counts: Float64Array, total: number): number {
  let sq = 0;
  for (let c = 0; c < counts.length; ++c) sq += counts[c]! * counts[c]!;
  return 1 - sq / (total * total);
}

function argmax(counts: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < counts.length; ++c) if (counts[c]! > counts[best]!) best = c;
  return best;
}

interface Split {
  feature: number;
  threshold: number;
  /** Row indices in the left child, then the right child. */
  left: Int32Array;
  right: Int32Array;
}

/** The best split of `rows`, or null when every feature is constant on them (or minLeaf forbids all). */
function bestSplit(
  matrix: Float64Array,
  d: number,
  y: Int32Array,
  classes: number,
  rows: Int32Array,
  minLeaf: number,
): Split | null {
  const m = rows.length;
  const total = new Float64Array(classes);
  for (let i = 0; i < m; ++i) total[y[rows[i]!]!]! += 1;
  const left = new Float64Array(classes);
  const right = new Float64Array(classes);
  let best: { feature: number; threshold: number; pos: number; order: Int32Array } | null = null;
  let bestProxy = -Infinity;
  const values = new Float64Array(m);
  for (let f = 0; f < d; ++f) {
    const order = Int32Array.from(rows).sort((a, b) => matrix[a * d + f]! - matrix[b * d + f]!);
    for (let i = 0; i < m; ++i) values[i] = matrix[order[i]! * d + f]!;
    if (values[m - 1]! <= values[0]! + FEATURE_THRESHOLD) continue;
    left.fill(0);
    right.set(total);
    let moved = 0; // rows of `order` already counted in `left`
    let p = 0;
    while (p < m) {
      while (p + 1 < m && values[p + 1]! <= values[p]! + FEATURE_THRESHOLD) ++p;
      ++p;
      if (p >= m) break;
      if (p < minLeaf || m - p < minLeaf) continue;
      for (; moved < p; ++moved) {
        const c = y[order[moved]!]!;
        left[c]! += 1;
        right[c]! -= 1;
      }
      const proxy = -(m - p) * gini(right, m - p) - p * gini(left, p);
      if (proxy > bestProxy) {
        bestProxy = proxy;
        let threshold = values[p - 1]! / 2 + values[p]! / 2;
        if (threshold === values[p] || !Number.isFinite(threshold)) threshold = values[p - 1]!;
        best = { feature: f, threshold, pos: p, order };
      }
    }
  }
  if (!best) return null;
  return {
    feature: best.feature,
    threshold: best.threshold,
    left: best.order.slice(0, best.pos),
    right: best.order.slice(best.pos),
  };
}

/**
 * Fits a classification tree: `y` holds class codes 0..classes-1 for the n rows of the row-major
 * n x d `matrix`. Returns the nodes in pre-order (root first, then its left subtree, then its right).
 */
export function treeKernel(
  matrix: Float64Array,
  n: number,
  d: number,
  y: Int32Array,
  classes: number,
  options: TreeKernelOptions,
): TreeNode[] {
  const nodes: TreeNode[] = [];
  const grow = (rows: Int32Array, depth: number): number => {
    const counts = new Float64Array(classes);
    for (let i = 0; i < rows.length; ++i) counts[y[rows[i]!]!]! += 1;
    const impurity = gini(counts, rows.length);
    const id = nodes.length;
    const node: TreeNode = {
      feature: -1,
      threshold: NaN,
      left: -1,
      right: -1,
      counts: Array.from(counts),
      n: rows.length,
      impurity,
      depth,
      prediction: argmax(counts),
    };
    nodes.push(node);
    const leaf =
      depth >= options.maxDepth || rows.length < 2 || rows.length < 2 * options.minLeaf || impurity <= EPSILON;
    const split = leaf ? null : bestSplit(matrix, d, y, classes, rows, options.minLeaf);
    if (split) {
      node.feature = split.feature;
      node.threshold = split.threshold;
      node.left = grow(split.left, depth + 1);
      node.right = grow(split.right, depth + 1);
    }
    return id;
  };
  grow(
    Int32Array.from({ length: n }, (_, i) => i),
    0,
  );
  return nodes;
}
