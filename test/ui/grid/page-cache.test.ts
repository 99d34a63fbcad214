/**
 * PageCache over a real engine result: only the wanted pages are fetched, nearest first, one query at
 * a time; pages scrolled past before their turn are never fetched; LRU eviction keeps the wanted ones.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.ts";
import { createNodeEngine } from "../../../src/engine/node.ts";
import { engineGridSource } from "../../../src/ui/grid/engine-grid-source.ts";
import type { GridResult } from "../../../src/ui/grid/grid-source.ts";
import { PageCache } from "../../../src/ui/grid/page-cache.ts";

let engine: Engine;
let result: GridResult;

beforeAll(async () => {
  engine = await createNodeEngine();
  await engine.exec("CREATE TABLE pages AS SELECT range AS id FROM range(100000)");
  result = await engineGridSource(engine, "pages", await engine.describe("pages"), 100_000).open({ filters: {} });
});

afterAll(async () => {
  await engine?.close();
});

/** A cache that records each fetched offset and resolves `settled` when nothing is left to fetch. */
function recordingCache(capacity = 20) {
  const offsets: number[] = [];
  let notify = () => {};
  const cache = new PageCache(
    100_000,
    (offset, limit) => {
      offsets.push(offset);
      return result.rows(offset, limit);
    },
    { pageSize: 100, capacity, onChange: () => notify() },
  );
  const settle = (pages: number[]) =>
    new Promise<void>((resolve) => {
      notify = () => pages.every((p) => cache.has(p)) && resolve();
      notify();
    });
  return { cache, offsets, settle };
}

describe("PageCache", () => {
  it("PageCache.want fetches the pages of the range once and row() reads them", async () => {
    const { cache, offsets, settle } = recordingCache();
    expect(cache.row(150)).toBeUndefined();
    cache.want(150, 320);
    await settle([1, 2, 3]);
    expect(offsets).toEqual([100, 200, 300]);
    expect(cache.row(150)).toEqual({ id: 150 });
    expect(cache.row(399)).toEqual({ id: 399 });
    cache.want(150, 320);
    expect(cache.fetches).toBe(3);
  });

  it("PageCache.want skips pages scrolled past while a query was running", async () => {
    const { cache, offsets, settle } = recordingCache();
    cache.want(0, 50);
    // A fast scroll: each position is replaced by the next before its page was fetched.
    for (let row = 1000; row <= 90_000; row += 1000) cache.want(row, row + 50);
    await settle([0, 900]);
    expect(offsets).toEqual([0, 90_000]);
    expect(cache.row(90_010)).toEqual({ id: 90_010 });
  });

  it("PageCache evicts the least recently used pages beyond its capacity, never a wanted one", async () => {
    const { cache, settle } = recordingCache(2);
    for (const page of [0, 1, 2]) {
      cache.want(page * 100, page * 100 + 10);
      await settle([page]);
    }
    expect([0, 1, 2].map((p) => cache.has(p))).toEqual([false, true, true]);
    cache.row(100); // page 1 is now the most recently used
    cache.want(300, 310);
    await settle([3]);
    expect([1, 2, 3].map((p) => cache.has(p))).toEqual([true, false, true]);
  });

  it("PageCache.dispose stops fetching", () => {
    const { cache, offsets } = recordingCache();
    cache.dispose();
    cache.want(0, 10);
    expect(offsets).toEqual([]);
  });
});
