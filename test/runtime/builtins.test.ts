/**
 * Session's cellLibraries hook: the runtime knows no library by name (it does not import `seg`); the
 * host passes factories that get each cell run's scope.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { builtinNames, Session, type CellScope } from "../../src/runtime/index.ts";
import { segLibrary } from "../../src/seg/library.ts";
import { notebook } from "../helpers/session.ts";

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
}, 60_000);
afterAll(() => engine?.close());

test("Session calls each cellLibraries factory once per run with the cell's db, seed, privacy and caller", async () => {
  const scopes: CellScope[] = [];
  const session = new Session({
    engine,
    cellLibraries: { probe: (scope) => (scopes.push(scope), { seed: scope.seed }) },
  });
  const nb = notebook(["const a = probe.seed;", "const t = await db.query('SELECT 1 AS x'); const b = probe;"], {
    seed: 7,
  });
  nb.frontMatter.privacy = { minSegmentSize: 5 };
  session.setNotebook(nb);
  await session.settled();
  expect(session.state("c0")).toMatchObject({ status: "ok" });
  expect(session.state("c1")).toMatchObject({ status: "ok" });
  expect(scopes.map((s) => s.caller.cellId).sort()).toEqual(["c0", "c1"]);
  for (const scope of scopes) {
    expect(scope.seed).toBe(7);
    expect(scope.privacy).toEqual({ minSegmentSize: 5 });
    expect(typeof scope.db.query).toBe("function");
    expect(scope.caller.invalidation).toBeInstanceOf(Promise);
  }
  // A re-run gets a fresh library: what the old run made is not shared.
  session.runCell("c0");
  await session.settled();
  expect(scopes.filter((s) => s.caller.cellId === "c0")).toHaveLength(2);
  await session.dispose();
});

test("Session without a seg library leaves seg undefined in cells; with segLibrary() cells get it", async () => {
  const cell = 'const t = await sql`SELECT 1 AS id, 2.0 AS v`; const r = await seg.tiers(t, {value: "v", tiers: 1});';
  const bare = new Session({ engine });
  expect(bare.builtinNames().has("seg")).toBe(false);
  bare.setNotebook(notebook([cell]));
  await bare.settled();
  expect(bare.state("c0")?.status).toBe("error");
  expect(bare.state("c0")?.error?.message).toMatch(/seg/);
  await bare.dispose();

  const withSeg = new Session({ engine, cellLibraries: { seg: segLibrary() } });
  expect(withSeg.builtinNames().has("seg")).toBe(true);
  withSeg.setNotebook(notebook(["const ok = typeof seg.rfm === 'function' && seg.seed === 42;"]));
  await withSeg.settled();
  expect(withSeg.state("c0")?.status).toBe("ok");
  await withSeg.dispose();
});

test.each([
  [{ db: 1 }, {}, 'the library "db" takes a name the runtime provides'],
  [{}, { md: () => 1 }, 'the library "md" takes a name the runtime provides'],
  [{ seg: 1 }, { seg: () => 1 }, 'the library "seg" is given twice'],
])("builtinNames(%j, %j) refuses a clash", (libraries, cellLibraries, message) => {
  expect(() => builtinNames(libraries, cellLibraries)).toThrow(message);
});
