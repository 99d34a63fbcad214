/**
 * seg.explain: what sets each segment apart, as rules a person can read and SQL can run. A shallow
 * CART tree (see tree-kernel.ts, scikit-learn's DecisionTreeClassifier algorithm) is fitted per
 * segment (that segment vs the rest) or once for all segments, and the paths to the leaves that
 * predict a segment become its rule: an OR of AND-clauses such as `income > 70.5 AND score > 60.5`.
 *
 * Text features are one-hot encoded (one 0/1 column per value), so a split reads `col = 'x'` or
 * `col <> 'x'` (several `<>` on one path become `col NOT IN (...)`): one-vs-rest splits, as a tree on
 * one-hot columns makes them, rather than searching over subsets of values.
 */
import { resolveTable, type SegContext, type TableInput } from "./context.ts";
import { clausesFor, pathMatches, ruleStats, type RuleClause, type TreeColumn } from "./explain-rules.ts";
import { featureMatrix } from "./features.ts";
import { inProcessKernels } from "./kernel-runner.ts";
import { checkInteger } from "./model-helpers.ts";
import { segTable, withToSql, type SegTable, type SqlScoring } from "./contract.ts";
import { explainSql } from "./to-sql-rules.ts";
import type { TreeNode } from "./tree-kernel.ts";
import { valuesTable } from "./values-table.ts";

/** Options of {@link explain}. */
export interface ExplainOptions {
  /** The segment column (any type; nulls are an error). */
  segment: string;
  /** Columns the rules may use: numeric (thresholds) or text (`=` / `<>` a value). */
  features: readonly string[];
  /** Depth of the tree (default 3): each clause has at most this many tests. */
  maxDepth?: number;
  /** Fewest rows in a leaf (default 1, sklearn's min_samples_leaf); raise it for broader rules. */
  minLeaf?: number;
  /** One tree per segment against the rest (default), or one tree for all segments. */
  mode?: "one-vs-rest" | "multiclass";
  /** Rows with a missing feature value: an error (default) or left out. */
  missing?: "error" | "drop";
}

/** The rule of one segment. */
export interface SegmentRule {
  segment: string | number | boolean;
  /** Rows in the segment. */
  size: number;
  /** The clauses (tree paths), OR-ed together; empty when the tree never predicts the segment. */
  clauses: RuleClause[];
  /** The whole rule as text (`(a AND b) OR (c)`) and as a SQL condition (`FALSE` when there is none). */
  text: string;
  sql: string;
  support: number;
  precision: number | null;
  recall: number;
}

/** A node of a fitted tree as `info` holds it (JSON-able: a leaf's threshold is null, not NaN). */
export type ExplainNode = Omit<TreeNode, "threshold"> & { threshold: number | null };

/** A fitted tree and how well it classifies the rows it was fitted on. */
export interface ExplainTree {
  /** The segment it separates from the rest, or null for the multiclass tree. */
  segment: string | number | boolean | null;
  /** The tree's nodes in pre-order; a leaf's `threshold` is null. */
  nodes: ExplainNode[];
  /** Class names by class code (one-vs-rest: `["rest", segment]`). */
  classes: (string | number | boolean)[];
  accuracy: number;
}

/** What {@link explain} found, in `info`. */
export interface ExplainInfo {
  /** The rule of each segment, structured (clauses, conditions, paths). */
  rules: SegmentRule[];
  /** The fitted trees (one per segment, or one multiclass tree). */
  trees: ExplainTree[];
  /** The matrix columns the trees test, by column number (not `columns`, the table's own list). */
  treeColumns: TreeColumn[];
  mode: "one-vs-rest" | "multiclass";
  maxDepth: number;
  /** Rows used, and rows dropped for a missing feature value. */
  n: number;
  dropped: number;
}

/**
 * What {@link explain} returns: a table with one row per segment (`segment`, `size`, `rule`, `sql`,
 * `support`, `precision`, `recall`) and {@link ExplainInfo}, and `toSQL`: the trees as one SELECT
 * (DuckDB or ClickHouse) that labels every row of a table with the segment its rules predict.
 */
export type ExplainResult = SegTable<ExplainInfo> & SqlScoring;

type Label = string | number | boolean;

function normalise(value: unknown, segment: string): Label {
  if (value === null || value === undefined) {
    throw new Error(`seg.explain: segment column "${segment}" has null values; filter them or coalesce them in SQL`);
  }
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return String(value);
}

const compareLabels = (a: Label, b: Label) =>
  typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;

/** The rule of a segment from its clauses, scored as one OR-ed selection. */
function segmentRule(
  segment: Label,
  clauses: RuleClause[],
  data: { matrix: Float64Array; n: number; d: number; member: Uint8Array },
): SegmentRule {
  const selected = new Uint8Array(data.n);
  for (const clause of clauses) {
    const hits = pathMatches(clause.path, data.matrix, data.n, data.d);
    for (let i = 0; i < data.n; ++i) selected[i]! |= hits[i]!;
  }
  const wrap = (s: string) => (clauses.length > 1 && s.includes(" AND ") ? `(${s})` : s);
  let size = 0;
  for (let i = 0; i < data.n; ++i) size += data.member[i]!;
  return {
    segment,
    size,
    clauses,
    text: clauses.length ? clauses.map((c) => wrap(c.text)).join(" OR ") : "(no rule: the tree never predicts it)",
    sql: clauses.length ? clauses.map((c) => wrap(c.sql)).join(" OR ") : "FALSE",
    ...ruleStats(selected, data.member),
  };
}

function accuracy(nodes: readonly TreeNode[]): number {
  let right = 0;
  for (const node of nodes) if (node.feature < 0) right += node.counts[node.prediction]!;
  return right / nodes[0]!.n;
}

/**
 * Explains segments with a shallow decision tree: per segment, the rule (paths of a Gini CART tree
 * that predict it) with its precision (share of selected rows in the segment), recall (share of the
 * segment selected) and support (rows selected) on the data, and the rule as a SQL condition.
 * Thresholds are midpoints between neighbouring values (as scikit-learn's); when two features split
 * equally well, the one listed first is used.
 *
 * @example
 * const why = await seg.explain(customers, {segment: "channel", features: ["age", "region"], maxDepth: 2});
 * why;                     // table: segment, size, rule, sql, support, precision, recall
 * why.info.rules[0].sql;   // e.g. "age" > 45.5 AND "region" = 'East'
 * await db.query(`SELECT count(*) AS n FROM customers WHERE ${why.info.rules[0].sql}`);
 * why.toSQL({dialect: "clickhouse", table: "customers", id: "customer_id"}); // label every customer by the rules
 */
export async function explain(ctx: SegContext, table: TableInput, options: ExplainOptions): Promise<ExplainResult> {
  const fn = "explain";
  if (!options || typeof options.segment !== "string") {
    throw new Error('seg.explain: pass {segment: "column", features: ["col", ...]}');
  }
  const maxDepth = checkInteger(options.maxDepth ?? 3, "maxDepth", 1, fn);
  const minLeaf = checkInteger(options.minLeaf ?? 1, "minLeaf", 1, fn);
  const mode = options.mode ?? "one-vs-rest";
  if (mode !== "one-vs-rest" && mode !== "multiclass") {
    throw new Error(`seg.explain: mode must be "one-vs-rest" or "multiclass", got ${JSON.stringify(mode)}`);
  }
  if (Array.isArray(options.features) && options.features.includes(options.segment)) {
    throw new Error(`seg.explain: "${options.segment}" is the segment column; it cannot also be a feature`);
  }
  const handle = await resolveTable(ctx, table, fn);
  const fm = await featureMatrix(
    ctx,
    handle,
    { features: options.features, id: options.segment, ...(options.missing ? { missing: options.missing } : {}) },
    fn,
  );
  const { matrix, n, d } = fm;
  const labels = fm.ids!.map((v) => normalise(v, options.segment));
  const segments = [...new Set(labels)].sort(compareLabels);
  const code = new Map(segments.map((s, i) => [s, i]));
  const codes = Int32Array.from(labels, (l) => code.get(l)!);
  const columns: TreeColumn[] = fm.scaler.features.flatMap((f): TreeColumn[] =>
    f.kind === "numeric"
      ? [{ kind: "numeric", feature: f.name }]
      : f.categories.map((category) => ({ kind: "category", feature: f.name, category })),
  );
  const kernels = ctx.kernels ?? inProcessKernels;
  const treeOptions = { maxDepth, minLeaf };
  const memberOf = (s: number) => Uint8Array.from(codes, (c) => (c === s ? 1 : 0));

  let trees: ExplainTree[];
  let rules: SegmentRule[];
  if (mode === "multiclass") {
    const nodes = await kernels.run("tree", matrix, n, d, codes, segments.length, treeOptions);
    trees = [{ segment: null, nodes, classes: segments, accuracy: accuracy(nodes) }];
    rules = segments.map((segment, s) => {
      const data = { matrix, n, d, member: memberOf(s) };
      return segmentRule(segment, clausesFor(nodes, s, columns, data), data);
    });
  } else {
    // Independent trees: in the browser they run in parallel on the worker pool.
    const fitted = await Promise.all(
      segments.map((_, s) =>
        kernels.run(
          "tree",
          matrix,
          n,
          d,
          Int32Array.from(codes, (c) => (c === s ? 1 : 0)),
          2,
          treeOptions,
        ),
      ),
    );
    trees = fitted.map((nodes, s) => ({
      segment: segments[s]!,
      nodes,
      classes: ["rest", segments[s]!],
      accuracy: accuracy(nodes),
    }));
    rules = segments.map((segment, s) => {
      const data = { matrix, n, d, member: memberOf(s) };
      return segmentRule(segment, clausesFor(fitted[s]!, 1, columns, data), data);
    });
  }
  const segmentType = handle.columns.find((c) => c.name === options.segment)!.type;
  const result = await valuesTable(
    ctx,
    [
      { name: "segment", type: segmentType },
      { name: "size", type: "BIGINT" },
      { name: "rule", type: "VARCHAR" },
      { name: "sql", type: "VARCHAR" },
      { name: "support", type: "BIGINT" },
      { name: "precision", type: "DOUBLE" },
      { name: "recall", type: "DOUBLE" },
    ],
    rules.map((r) => ({ ...r, rule: r.text })),
  );
  const jsonTrees = trees.map((tree) => ({
    ...tree,
    nodes: tree.nodes.map((node) => ({ ...node, threshold: Number.isFinite(node.threshold) ? node.threshold : null })),
  }));
  const spec = { trees: jsonTrees, treeColumns: columns, mode, missing: options.missing ?? "error" };
  return withToSql(
    segTable(result, { rules, trees: jsonTrees, treeColumns: columns, mode, maxDepth, n, dropped: fm.dropped }),
    (o) => explainSql(spec, o),
  );
}
