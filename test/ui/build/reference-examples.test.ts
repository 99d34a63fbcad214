/**
 * Every `seg` function's `@example`, as the generated reference shows it (read by TypeDoc from the
 * source's JSDoc), runs as the body of a TS cell in a real Session (duckdb-wasm in Node) on a notebook
 * with `orders` and `customers` loaded from notebooks/data/. A function whose example is missing, is
 * not exactly one, or throws fails under its own name. The cell builtins' examples (db, sql, display,
 * view, md) run the same way.
 */
import { segLibrary } from "../../../src/seg/library.ts";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createNodeEngine } from "../../../src/engine/node.ts";
import { nodeLibraries, createNodeDocument } from "../../../src/cli/node-libraries.ts";
import { unwrittenSink } from "../../../src/cli/export-sink.ts";
import type { Engine } from "../../../src/engine/engine.ts";
import { Session } from "../../../src/runtime/index.ts";
import type { SegContext } from "../../../src/seg/context.ts";
import { createSeg } from "../../../src/seg/namespace.ts";
import { referenceExamples } from "../../../src/ui/build/reference.ts";
import { repoRoot } from "../../helpers/session.ts";

/** The functions of `seg` as cells see it, by their name in it ("kmeans", "charts.rfmGrid"). */
function namespaceFunctions(): string[] {
  const seg = createSeg({ seed: 1 } as SegContext) as unknown as Record<string, unknown>;
  return Object.entries(seg)
    .flatMap(([name, value]) =>
      typeof value === "function"
        ? [name]
        : typeof value === "object" && value !== null
          ? Object.keys(value).map((member) => `${name}.${member}`)
          : [],
    )
    .sort();
}

const functions = namespaceFunctions();
// TypeDoc converts the source once for the whole file (some seconds).
const { seg: examples, builtins } = await referenceExamples();

/** One Session for every example: the data loads once; each example replaces the previous cell. */
let engine: Engine;
let session: Session;

beforeAll(async () => {
  engine = await createNodeEngine();
  const document = createNodeDocument();
  session = new Session({
    engine,
    libraries: nodeLibraries(document),
    resolveData: (_name, source) => ({ kind: "path", path: path.resolve(repoRoot, source.path) }),
    cellLibraries: { seg: segLibrary({ sink: unwrittenSink(), document }) },
  });
});

afterAll(async () => {
  await session?.dispose();
  await engine?.close();
});

/** Runs `source` as the only TS cell of a notebook with orders and customers; its final state. */
async function runExample(id: string, source: string) {
  session.setNotebook({
    frontMatter: {
      seed: 42,
      data: { orders: { path: "notebooks/data/orders.csv" }, customers: { path: "notebooks/data/customers.csv" } },
    },
    cells: [{ id, kind: "ts", source }],
  });
  await session.settled();
  return session.state(id)!;
}

test("the reference documents every function of seg and nothing else", () => {
  expect([...examples.keys()].sort()).toEqual(functions);
});

describe("every cell builtin's @example runs in a TS cell", () => {
  const documented = [...builtins].filter(([, blocks]) => blocks.length > 0);
  test("the builtins with an example include db, sql, display, view and md", () => {
    expect(documented.map(([name]) => name)).toEqual(expect.arrayContaining(["db", "sql", "display", "view", "md"]));
  });
  for (const [name, blocks] of documented) {
    test(name, async () => {
      for (const [i, block] of blocks.entries()) {
        const state = await runExample(`builtin-${name}-${i}`, block);
        expect(state.status, `${name}'s @example failed: ${state.error?.message}\n${block}`).toBe("ok");
      }
    });
  }
});

test("the examples' notebook loads orders and customers (a sanity check of the harness)", async () => {
  const state = await runExample("harness", "[orders.numRows, customers.numRows]");
  expect(state.error?.message).toBeUndefined();
  expect(state.value).toEqual([2453, 400]);
});

describe("every seg function's @example runs in a TS cell", () => {
  for (const name of functions) {
    const title = `seg.${name}`;
    test(title, async () => {
      const blocks = examples.get(name) ?? [];
      expect(blocks.length, `${title} has ${blocks.length} @example blocks; the contract asks for exactly one`).toBe(1);
      const state = await runExample(`example-${name.replace(".", "-")}`, blocks[0]!);
      expect(state.status, `${title}'s @example failed: ${state.error?.message}\n${blocks[0]}`).toBe("ok");
    });
  }
});
