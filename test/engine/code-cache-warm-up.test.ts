import { afterAll, beforeAll, expect, test } from "vitest";
import { WARM_UP_QUERIES, warmUpEngine } from "../../src/engine/code-cache-warm-up.ts";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

/** The engine's tables and views, by name. */
async function catalog(): Promise<string[]> {
  const table = await engine.query("SELECT table_name FROM information_schema.tables ORDER BY table_name");
  return table.toArray().map((row) => String(row.table_name));
}

/** The engine, recording each statement sent through it; `after(n)` runs after the n-th one. */
function recording(after: (count: number) => void = () => {}) {
  const sent: string[] = [];
  const query: Engine["query"] = async (sql, params) => {
    const result = await engine.query(sql, params);
    sent.push(sql);
    after(sent.length);
    return result;
  };
  return { sent, query };
}

test("warmUpEngine(engine, signal) runs every warm-up query, each answering one row, and leaves the catalog as it was", async () => {
  await engine.exec("CREATE TABLE kept AS SELECT 1 AS x");
  const before = await catalog();
  const { sent, query } = recording();
  expect(await warmUpEngine({ query }, new AbortController().signal)).toBe(true);
  expect(sent).toEqual(WARM_UP_QUERIES);
  for (const sql of WARM_UP_QUERIES) expect((await engine.query(sql)).numRows).toBe(1);
  expect(await catalog()).toEqual(before);
});

test("warmUpEngine(engine, signal) stops before the next query once the signal is aborted", async () => {
  const stop = new AbortController();
  const { sent, query } = recording((count) => count === 2 && stop.abort());
  expect(await warmUpEngine({ query }, stop.signal)).toBe(false);
  expect(sent).toEqual(WARM_UP_QUERIES.slice(0, 2));
  expect(await warmUpEngine({ query }, stop.signal)).toBe(false);
  expect(sent).toHaveLength(2);
});
