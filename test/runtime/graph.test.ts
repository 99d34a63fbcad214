/**
 * Table-driven tests of buildGraph: nodes in, resolutions, problems and order out.
 */
import { describe, expect, test } from "vitest";
import { buildGraph, type GraphNode } from "../../src/runtime/graph.ts";

const node = (id: string, inputs: string[], outputs: string[], softInputs: string[] = []): GraphNode => ({
  id,
  inputs,
  outputs,
  softInputs,
});
const builtins = new Set(["db", "display"]);
const globals = new Set(["Math"]);

const cases: {
  title: string;
  nodes: GraphNode[];
  order?: string[];
  problems?: Record<string, string>;
  dependencies?: Record<string, string[]>;
}[] = [
  {
    title: "orders a chain written backwards",
    nodes: [node("a", ["y"], ["z"]), node("b", ["x"], ["y"]), node("c", [], ["x"])],
    order: ["c", "b", "a"],
  },
  {
    title: "keeps file order among independent nodes",
    nodes: [node("a", [], ["x"]), node("b", [], ["y"]), node("c", ["x", "y"], [])],
    order: ["a", "b", "c"],
  },
  {
    title: "resolves builtins and globals without dependencies",
    nodes: [node("a", ["db", "Math", "display"], [])],
    dependencies: { a: [] },
    problems: {},
  },
  {
    title: "reports an undefined name",
    nodes: [node("a", ["nope"], [])],
    problems: { a: "error: nope is not defined" },
  },
  {
    title: "reports duplicates on definers and blocks readers",
    nodes: [node("a", [], ["x"]), node("b", [], ["x"]), node("c", ["x"], [])],
    problems: {
      a: "error: x is defined more than once: also in b",
      b: "error: x is defined more than once: also in a",
      c: "blocked: x is defined more than once: in a and b",
    },
  },
  {
    title: "reports every member of a cycle",
    nodes: [node("a", ["z"], ["x"]), node("b", ["x"], ["y"]), node("c", ["y"], ["z"]), node("d", ["x"], [])],
    problems: { a: "error: circular definition", b: "error: circular definition", c: "error: circular definition" },
  },
  {
    title: "makes soft inputs dependencies only when defined",
    nodes: [node("a", [], ["orders"]), node("b", [], ["r"], ["orders", "engine_table"])],
    dependencies: { a: [], b: ["a"] },
    problems: {},
  },
  {
    title: "lets a cell define a builtin's name",
    nodes: [node("a", [], ["db"]), node("b", ["db"], [])],
    dependencies: { a: [], b: ["a"] },
  },
];

describe("buildGraph", () => {
  test.each(cases)("buildGraph(nodes) $title", (c) => {
    const graph = buildGraph(
      c.nodes,
      (n) => builtins.has(n),
      (n) => globals.has(n),
    );
    if (c.order) expect(graph.order).toEqual(c.order);
    if (c.problems) {
      const problems = Object.fromEntries([...graph.problems].map(([id, p]) => [id, `${p.status}: ${p.message}`]));
      expect(problems).toEqual(c.problems);
    }
    if (c.dependencies) expect(Object.fromEntries(graph.dependencies)).toEqual(c.dependencies);
  });

  test("buildGraph(nodes, …, labelOf) names the other definers by label and lists them as related", () => {
    const graph = buildGraph(
      [node("a", [], ["rfm"]), node("b", [], ["rfm"]), node("c", [], ["rfm"]), node("d", ["rfm"], [])],
      () => false,
      () => false,
      (id) => `cell ${"abcd".indexOf(id) + 1}`,
    );
    expect(graph.problems.get("a")).toEqual({
      status: "error",
      message: "rfm is defined more than once: also in cell 2 and cell 3",
      related: ["b", "c"],
    });
    expect(graph.problems.get("d")).toEqual({
      status: "blocked",
      message: "rfm is defined more than once: in cell 1, cell 2 and cell 3",
      related: ["a", "b", "c"],
    });
  });

  test("buildGraph(2,000-node chain) does not overflow the stack", () => {
    const nodes = Array.from({ length: 2000 }, (_, i) => node(`n${i}`, i ? [`v${i - 1}`] : [], [`v${i}`]));
    nodes.push(node("loop", ["v1999"], ["v0"]));
    const graph = buildGraph(
      nodes,
      () => false,
      () => false,
    );
    expect(graph.problems.get("n0")?.message).toBe("v0 is defined more than once: also in loop");
    expect(graph.order).toHaveLength(2001);
  });
});
