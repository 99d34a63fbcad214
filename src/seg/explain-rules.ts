/**
 * From a fitted tree to readable rules: the root-to-leaf paths that predict a class, simplified
 * (repeated bounds on a feature tightened to one interval; subtrees that predict one class collapsed
 * into one path), written as text (`income > 70.5 AND score <= 40`) and as SQL with quoted identifiers
 * and exactly formatted literals, and scored on the training rows.
 */
import { quoteIdentifier, quoteString } from "../engine/sql-text.ts";
import type { TreeNode } from "./tree-kernel.ts";

/** What a matrix column is: a numeric feature, or the 0/1 indicator of one text category. */
export type TreeColumn = { kind: "numeric"; feature: string } | { kind: "category"; feature: string; category: string };

/** One test on a path as the tree made it: column `column` `<=` or `>` `threshold`. */
export interface PathTest {
  column: number;
  op: "<=" | ">";
  threshold: number;
}

/** A simplified condition on one feature. */
export interface RuleCondition {
  feature: string;
  /** Numeric: lower bound (exclusive) and upper bound (inclusive), either may be absent. */
  above?: number;
  atMost?: number;
  /** Text: the value it must equal, or the values it must not be. */
  equals?: string;
  notIn?: string[];
  text: string;
  sql: string;
}

/** Rows a rule selects and how well they match the segment. */
export interface RuleStats {
  /** Rows the rule selects. */
  support: number;
  /** Share of the selected rows that are in the segment (null when the rule selects nothing). */
  precision: number | null;
  /** Share of the segment's rows the rule selects. */
  recall: number;
}

/** One AND-clause: the conditions of one tree path. */
export interface RuleClause extends RuleStats {
  conditions: RuleCondition[];
  text: string;
  sql: string;
  /** The path's tests as the tree made them (before simplification). */
  path: PathTest[];
}

/**
 * Numbers as literals that read the same in every locale and parse back to the same double in DuckDB:
 * JavaScript's shortest round-trip form (`70.5`, `1e-7`), never grouping separators.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`seg.explain: threshold ${value} is not finite`);
  return Object.is(value, -0) ? "0" : String(value);
}

/** Paths to the leaves predicting `target`; a subtree whose leaves all predict one class counts as one leaf. */
export function pathsTo(nodes: readonly TreeNode[], target: number): PathTest[][] {
  const only = new Map<number, number | null>(); // node -> the one class its leaves predict, or null
  const classOf = (id: number): number | null => {
    if (only.has(id)) return only.get(id)!;
    const node = nodes[id]!;
    let value: number | null = node.prediction;
    if (node.feature >= 0) {
      const a = classOf(node.left);
      value = a !== null && a === classOf(node.right) ? a : null;
    }
    only.set(id, value);
    return value;
  };
  const out: PathTest[][] = [];
  const walk = (id: number, path: PathTest[]) => {
    const node = nodes[id]!;
    const single = classOf(id);
    if (single !== null) {
      if (single === target) out.push(path);
      return;
    }
    walk(node.left, [...path, { column: node.feature, op: "<=", threshold: node.threshold }]);
    walk(node.right, [...path, { column: node.feature, op: ">", threshold: node.threshold }]);
  };
  walk(0, []);
  return out;
}

/** The conditions of a path, one per feature, in the order features first appear on it. */
export function simplifyPath(path: readonly PathTest[], columns: readonly TreeColumn[]): RuleCondition[] {
  const byFeature = new Map<string, { above?: number; atMost?: number; equals?: string; not: string[] }>();
  for (const test of path) {
    const column = columns[test.column]!;
    const entry = byFeature.get(column.feature) ?? { not: [] };
    byFeature.set(column.feature, entry);
    if (column.kind === "numeric") {
      if (test.op === ">") entry.above = Math.max(entry.above ?? -Infinity, test.threshold);
      else entry.atMost = Math.min(entry.atMost ?? Infinity, test.threshold);
    } else if (test.op === ">") {
      entry.equals = column.category; // indicator > 0.5: the row has this category
    } else if (!entry.not.includes(column.category)) {
      entry.not.push(column.category);
    }
  }
  return [...byFeature].map(([feature, e]) => {
    const q = quoteIdentifier(feature);
    if (e.equals !== undefined) {
      // An equality implies every "is not" on the same feature.
      return { feature, equals: e.equals, text: `${feature} = '${e.equals}'`, sql: `${q} = ${quoteString(e.equals)}` };
    }
    if (e.not.length) {
      const notIn = [...e.not].sort();
      return notIn.length === 1
        ? { feature, notIn, text: `${feature} <> '${notIn[0]}'`, sql: `${q} <> ${quoteString(notIn[0]!)}` }
        : {
            feature,
            notIn,
            text: `${feature} NOT IN (${notIn.map((v) => `'${v}'`).join(", ")})`,
            sql: `${q} NOT IN (${notIn.map(quoteString).join(", ")})`,
          };
    }
    const parts: { text: string; sql: string }[] = [];
    if (e.above !== undefined)
      parts.push({ text: `${feature} > ${formatNumber(e.above)}`, sql: `${q} > ${formatNumber(e.above)}` });
    if (e.atMost !== undefined) {
      parts.push({ text: `${feature} <= ${formatNumber(e.atMost)}`, sql: `${q} <= ${formatNumber(e.atMost)}` });
    }
    return {
      feature,
      ...(e.above !== undefined ? { above: e.above } : {}),
      ...(e.atMost !== undefined ? { atMost: e.atMost } : {}),
      text: parts.map((p) => p.text).join(" AND "),
      sql: parts.map((p) => p.sql).join(" AND "),
    };
  });
}

/** Which rows of the row-major n x d `matrix` a path selects. */
export function pathMatches(path: readonly PathTest[], matrix: Float64Array, n: number, d: number): Uint8Array {
  const out = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; ++i) {
    for (const test of path) {
      const value = matrix[i * d + test.column]!;
      if (test.op === "<=" ? !(value <= test.threshold) : !(value > test.threshold)) {
        out[i] = 0;
        break;
      }
    }
  }
  return out;
}

/** Support, precision and recall of a row selection against membership flags. */
export function ruleStats(selected: Uint8Array, member: Uint8Array): RuleStats {
  let support = 0;
  let hits = 0;
  let members = 0;
  for (let i = 0; i < selected.length; ++i) {
    support += selected[i]!;
    members += member[i]!;
    hits += selected[i]! & member[i]!;
  }
  return { support, precision: support ? hits / support : null, recall: members ? hits / members : 0 };
}

/** The clauses predicting `target`, simplified and scored against `member` (1 = row in the segment). */
export function clausesFor(
  nodes: readonly TreeNode[],
  target: number,
  columns: readonly TreeColumn[],
  data: { matrix: Float64Array; n: number; d: number; member: Uint8Array },
): RuleClause[] {
  return pathsTo(nodes, target).map((path) => {
    const conditions = simplifyPath(path, columns);
    return {
      conditions,
      text: conditions.length ? conditions.map((c) => c.text).join(" AND ") : "TRUE",
      sql: conditions.length ? conditions.map((c) => c.sql).join(" AND ") : "TRUE",
      path,
      ...ruleStats(pathMatches(path, data.matrix, data.n, data.d), data.member),
    };
  });
}
