/**
 * The dependency graph: which node defines each name, which nodes each node reads, the errors that
 * follow from the graph alone (undefined, defined more than once, circular) and a topological order.
 * Pure: the session rebuilds it after every edit.
 */

/** What the graph needs to know of a node (a cell or a data source). */
export interface GraphNode {
  id: string;
  /** Names that must resolve (to a node, a builtin or a global). */
  inputs: readonly string[];
  /** Names that are dependencies only when some node defines them (SQL table references). */
  softInputs?: readonly string[];
  outputs: readonly string[];
}

/** How one input name resolved. */
export type Resolution = { kind: "node"; id: string } | { kind: "builtin" } | { kind: "global" };

/** A problem the graph itself shows. `error` is the node's own fault; `blocked` an upstream one. */
export interface GraphProblem {
  status: "error" | "blocked";
  message: string;
  /** The other nodes the message names (those that define the same name), to link to. */
  related?: string[];
}

/** The resolved graph. */
export interface Graph {
  /** Per node: each input name -> how it resolved (names that failed are absent). */
  resolved: Map<string, Map<string, Resolution>>;
  /** Per node: the ids of the nodes it reads, deduplicated. */
  dependencies: Map<string, string[]>;
  /** Per node: the ids of the nodes that read it. */
  dependants: Map<string, string[]>;
  /** Per node with a graph-level problem. */
  problems: Map<string, GraphProblem>;
  /** Every node id, dependencies before dependants (cycle members in file order at the end). */
  order: string[];
}

/**
 * Builds the graph. `isBuiltin`/`isGlobal` say which undefined names are still fine; `labelOf` names a
 * node in messages (e.g. "cell 3"), so "defined more than once" says where else.
 * @example buildGraph(nodes, (n) => n === "db", () => false, (id) => `cell ${ids.indexOf(id) + 1}`)
 */
export function buildGraph(
  nodes: readonly GraphNode[],
  isBuiltin: (name: string) => boolean,
  isGlobal: (name: string) => boolean,
  labelOf?: (id: string) => string,
): Graph {
  const labels = (ids: readonly string[]) => {
    const named = ids.map((id) => labelOf?.(id) ?? id);
    return named.length <= 1 ? named.join("") : `${named.slice(0, -1).join(", ")} and ${named[named.length - 1]}`;
  };
  const definers = new Map<string, string[]>();
  for (const node of nodes) {
    for (const name of new Set(node.outputs)) {
      const list = definers.get(name);
      if (list) list.push(node.id);
      else definers.set(name, [node.id]);
    }
  }

  const resolved = new Map<string, Map<string, Resolution>>();
  const dependencies = new Map<string, string[]>();
  const problems = new Map<string, GraphProblem>();
  for (const node of nodes) {
    const map = new Map<string, Resolution>();
    const deps = new Set<string>();
    const errors: string[] = [];
    const blocked: string[] = [];
    const related = new Set<string>();
    for (const name of node.outputs) {
      const ids = definers.get(name) ?? [];
      if (ids.length > 1) {
        const others = ids.filter((id) => id !== node.id);
        for (const id of others) related.add(id);
        errors.push(`${name} is defined more than once: also in ${labels(others)}`);
      }
    }
    const visit = (name: string, soft: boolean) => {
      const ids = definers.get(name) ?? [];
      if (ids.length === 1) {
        map.set(name, { kind: "node", id: ids[0]! });
        deps.add(ids[0]!);
      } else if (ids.length > 1) {
        for (const id of ids) {
          deps.add(id);
          related.add(id);
        }
        blocked.push(`${name} is defined more than once: in ${labels(ids)}`);
      } else if (soft) {
        // An engine table nobody in the notebook defines: not a dependency.
      } else if (isBuiltin(name)) {
        map.set(name, { kind: "builtin" });
      } else if (isGlobal(name)) {
        map.set(name, { kind: "global" });
      } else {
        errors.push(`${name} is not defined`);
      }
    };
    for (const name of node.inputs) visit(name, false);
    for (const name of node.softInputs ?? []) if (!node.inputs.includes(name)) visit(name, true);
    resolved.set(node.id, map);
    dependencies.set(node.id, [...deps]);
    const links = related.size ? { related: [...related] } : {};
    if (errors.length) problems.set(node.id, { status: "error", message: errors.join("; "), ...links });
    else if (blocked.length) problems.set(node.id, { status: "blocked", message: blocked.join("; "), ...links });
  }

  const dependants = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const [id, deps] of dependencies) for (const dep of deps) dependants.get(dep)?.push(id);

  for (const component of stronglyConnected(
    nodes.map((n) => n.id),
    dependencies,
  )) {
    if (component.length < 2) continue;
    for (const id of component) problems.set(id, { status: "error", message: "circular definition" });
  }

  return { resolved, dependencies, dependants, problems, order: topologicalOrder(nodes, dependencies) };
}

/** Tarjan's algorithm; iterative so a long chain of cells cannot overflow the stack. */
function stronglyConnected(ids: string[], edges: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const out = edges.get(frame.id) ?? [];
      if (frame.next < out.length) {
        const to = out[frame.next++]!;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let id: string;
        do {
          id = stack.pop()!;
          onStack.delete(id);
          component.push(id);
        } while (id !== frame.id);
        components.push(component);
      }
    }
  }
  return components;
}

/** Kahn's algorithm, taking ready nodes in file order so the order is stable and readable. */
function topologicalOrder(nodes: readonly GraphNode[], dependencies: Map<string, string[]>): string[] {
  const remaining = new Map(nodes.map((n) => [n.id, new Set(dependencies.get(n.id))]));
  const order: string[] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (const node of nodes) {
      const waiting = remaining.get(node.id);
      if (!waiting || waiting.size > 0) continue;
      remaining.delete(node.id);
      order.push(node.id);
      for (const other of remaining.values()) other.delete(node.id);
      progress = true;
    }
  }
  // What is left sits on or behind a cycle.
  for (const node of nodes) if (remaining.has(node.id)) order.push(node.id);
  return order;
}
