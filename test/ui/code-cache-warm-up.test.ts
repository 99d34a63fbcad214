import { afterAll, beforeAll, expect, test } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { WARM_UP_QUERIES } from "../../src/engine/code-cache-warm-up.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import {
  CodeCacheWarmUp,
  WARM_UP_DELAY_MS,
  WARM_UP_STORAGE_KEY,
  type WarmUpStorage,
} from "../../src/ui/code-cache-warm-up.ts";

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

/** A storage with localStorage's getItem/setItem, in memory. */
function memoryStorage(): WarmUpStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

/** The engine, counting the statements sent through it. */
function counting() {
  const sent: string[] = [];
  return { sent, query: ((sql) => (sent.push(sql), engine.query(sql))) as Engine["query"] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds (the warm-up runs in the background). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !check(); i++) await sleep(50);
  expect(check()).toBe(true);
}

test("CodeCacheWarmUp.idle(engine) runs the warm-up once after the delay and remembers the build in storage", async () => {
  const storage = memoryStorage();
  const engineA = counting();
  const warmUp = new CodeCacheWarmUp("duckdb-eh-A.wasm", storage);
  expect(warmUp.done).toBe(false);
  warmUp.idle(engineA);
  warmUp.idle(engineA);
  expect(engineA.sent).toEqual([]);
  await until(() => warmUp.done);
  expect(engineA.sent).toEqual(WARM_UP_QUERIES);
  expect(storage.items.get(WARM_UP_STORAGE_KEY)).toBe("duckdb-eh-A.wasm");

  // The next page of this browser, same build: nothing to do; another build: warms up again.
  const engineB = counting();
  const again = new CodeCacheWarmUp("duckdb-eh-A.wasm", storage);
  expect(again.done).toBe(true);
  again.idle(engineB);
  await sleep(WARM_UP_DELAY_MS * 2);
  expect(engineB.sent).toEqual([]);
  expect(new CodeCacheWarmUp("duckdb-eh-B.wasm", storage).done).toBe(false);
});

test("CodeCacheWarmUp.busy() stops the warm-up before its next query, and the next idle() starts it over", async () => {
  const storage = memoryStorage();
  const warmUp = new CodeCacheWarmUp("duckdb-eh-A.wasm", storage);
  const { sent, query } = counting();
  warmUp.idle({ query });
  warmUp.busy();
  await sleep(WARM_UP_DELAY_MS * 2);
  expect(sent).toEqual([]);

  // A cell starts while the first warm-up query is in flight.
  let started = 0;
  warmUp.idle({
    query: (sql) => {
      const answer = query(sql);
      if (++started === 1) warmUp.busy();
      return answer;
    },
  });
  await until(() => sent.length === 1);
  await sleep(WARM_UP_DELAY_MS * 2);
  // The query in flight finishes; no other starts.
  expect(sent).toEqual(WARM_UP_QUERIES.slice(0, 1));
  expect(warmUp.done).toBe(false);
  expect(storage.items.has(WARM_UP_STORAGE_KEY)).toBe(false);

  warmUp.idle({ query });
  await until(() => warmUp.done);
  expect(sent).toEqual([...WARM_UP_QUERIES.slice(0, 1), ...WARM_UP_QUERIES]);
});
