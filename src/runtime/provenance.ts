/**
 * Where a cell's inputs came from, read from the dependency graph: the data sources it depends on
 * (directly or through other cells) as they were loaded, with their sha256, and the outputs of every
 * cell upstream of it. The session hands this to `seg` (as `provenance()` on its context), so
 * `seg.export`'s manifest records it without the user passing anything.
 */
import type { Graph } from "./graph.ts";
import type { Outcome } from "./execute.ts";
import type { RemoteQueryRecord } from "./remote-cell.ts";

/** A data source as its load went: hashed when read whole, not when read by HTTP range requests. */
export interface LoadedSource {
  /** Its table name (the front matter `data:` key). */
  name: string;
  /** Its path or URL as the front matter gives it. */
  path: string;
  /** Hex sha256 of the bytes read; null when read by ranges. */
  sha256: string | null;
  read: "whole" | "ranges";
}

/** A cell as provenance names it: id, 1-based position in the notebook, and its SQL result name if any. */
export interface CellRef {
  id: string;
  position: number;
  name: string | null;
}

/** What a cell run's provenance says (the shape `seg`'s context expects as SegProvenance). */
export interface CellProvenance {
  notebook: { title: string | null; location: string | null };
  cell: CellRef;
  sources: LoadedSource[];
  upstream: { cell: CellRef; name: string; value: unknown }[];
  /** The remote queries upstream (connection without credentials, SQL, parameter names). */
  remote: RemoteQueryRecord[];
  appVersion: string | null;
}

/** An upstream node as the run saw it when scheduled: its id, how to name it, and its outcome. */
export interface UpstreamNode {
  id: string;
  /** Null for a data source. */
  cell: CellRef | null;
  outcome: Promise<Outcome>;
}

/**
 * The error for a data source pinned by sha256 that was read by HTTP range requests: its bytes were
 * never all read, so the pin cannot be checked.
 * @example throw pinnedRangesError("events", "https://data.example.com/events.parquet");
 */
export function pinnedRangesError(name: string, path: string): Error {
  return new Error(
    `data "${name}": ${path} is read by HTTP range requests (only the parts needed), so its sha256 cannot be checked; remove sha256 from data "${name}" in the front matter and pin the data by a versioned URL instead (one whose contents never change, e.g. …/2024-06-30/events.parquet)`,
  );
}

/**
 * Ids of every node `id` depends on, directly or not, in run order.
 * @example upstreamIds(graph, "c4") // ["data:orders", "c1", "c2"]
 */
export function upstreamIds(graph: Graph, id: string): string[] {
  const seen = new Set<string>();
  const queue = [...(graph.dependencies.get(id) ?? [])];
  while (queue.length) {
    const next = queue.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...(graph.dependencies.get(next) ?? []));
  }
  return graph.order.filter((n) => seen.has(n));
}

/** Output values with promises replaced by what they resolve to (undefined when they reject). */
export async function settledValues(values: ReadonlyMap<string, unknown>): Promise<Map<string, unknown>> {
  const entries = await Promise.all(
    [...values].map(async ([name, value]): Promise<[string, unknown]> => {
      const thenable = typeof (value as { then?: unknown } | null)?.then === "function";
      return [name, thenable ? await Promise.resolve(value).catch(() => undefined) : value];
    }),
  );
  return new Map(entries);
}

/**
 * The provenance of a cell run from its upstream nodes' outcomes: their loaded sources and output
 * values (a node that failed contributes nothing; the cell would not have run).
 * @example
 * const p = await collectProvenance({notebook, cell, upstream, appVersion: "0.1.0"});
 * p.sources[0].sha256; // "2d56…"
 */
export async function collectProvenance(input: {
  notebook: CellProvenance["notebook"];
  cell: CellRef;
  upstream: readonly UpstreamNode[];
  appVersion: string | null;
}): Promise<CellProvenance> {
  const sources: LoadedSource[] = [];
  const upstream: CellProvenance["upstream"] = [];
  const remote: RemoteQueryRecord[] = [];
  for (const node of input.upstream) {
    const outcome = await node.outcome;
    if (!outcome.ok) continue;
    if (outcome.source) sources.push(outcome.source);
    if (outcome.remote) remote.push(outcome.remote);
    if (!node.cell) continue;
    for (const [name, value] of await settledValues(outcome.values)) upstream.push({ cell: node.cell, name, value });
  }
  return { notebook: input.notebook, cell: input.cell, sources, upstream, remote, appVersion: input.appVersion };
}
