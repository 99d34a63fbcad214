/**
 * seg.clv's inputs do not depend on the order the engine holds rows in: a customer's spend is
 * summed in ascending order of amount (src/seg/clv.ts orderedSum), so duckdb-wasm (the browser,
 * `segbook run`) and multi-threaded native DuckDB (`--engine native`), which aggregate rows in
 * different orders, fit the same Gamma-Gamma model to the last bit. Here the same orders are stored
 * in two row orders whose left-to-right sums differ in the last bit ((0.1 + 0.2) + 0.3 is not
 * (0.3 + 0.2) + 0.1).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { clv } from "../../src/seg/clv.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { segContext } from "../helpers/datasets.ts";

let engine: Engine;
let ctx: SegContext;

// Customer 1 buys three times on one day (0.1, 0.2, 0.3) and again on three later days; the other
// customers give the fits something to work with.
const ORDERS: [customer: number, day: string, amount: number | null][] = [
  [1, "2024-01-01", 5],
  [1, "2024-01-10", 0.1],
  [1, "2024-01-10", 0.2],
  [1, "2024-01-10", 0.3],
  [1, "2024-02-01", 0.7],
  [1, "2024-02-01", null],
  [1, "2024-03-01", 0.1],
  ...Array.from({ length: 40 }, (_, i): [number, string, number] => [
    2 + (i % 10),
    `2024-0${1 + (i % 3)}-${String(1 + ((i * 7) % 28)).padStart(2, "0")}`,
    3 + ((i * 37) % 11) / 4,
  ]),
];

async function ordersTable(name: string, rows: typeof ORDERS): Promise<void> {
  const values = rows.map(([c, d, a]) => `(${c}, DATE '${d}', ${a === null ? "NULL" : `${a}::DOUBLE`})`).join(", ");
  await engine.exec(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM (VALUES ${values}) t(customer_id, day, amount)`);
}

beforeAll(async () => {
  engine = await createNodeEngine();
  ctx = segContext(engine);
  await ordersTable("forward", ORDERS);
  await ordersTable("backward", [...ORDERS].reverse());
});

afterAll(async () => {
  await engine?.close();
});

const OPTIONS = { id: "customer_id", date: "day", amount: "amount", asOf: "2024-03-31", horizon: 12 };

describe("clv(ctx, table, options) whatever the row order", () => {
  it("clv sums a customer's spend in value order: the same monetary, model, predictions and summary for any row order", async () => {
    const forward = await clv(ctx, "forward", OPTIONS);
    const backward = await clv(ctx, "backward", OPTIONS);
    const first = async (table: typeof forward) =>
      (await table.rows()).find((r) => Number(r.customer_id) === 1) as Record<string, number>;
    // Days after the first: (0.1 + 0.2 + 0.3), 0.7 (its NULL left out, as sum() does) and 0.1, summed
    // in ascending order, over 3 repeat days.
    const sorted = [0.1, 0.7, [0.1, 0.2, 0.3].reduce((a, b) => a + b)].sort((a, b) => a - b);
    expect((await first(forward)).monetary).toBe(sorted.reduce((a, b) => a + b) / 3);
    expect((await first(backward)).monetary).toBe((await first(forward)).monetary);
    expect(backward.info.bgnbd).toEqual(forward.info.bgnbd);
    expect(backward.info.gammaGamma).toEqual(forward.info.gammaGamma);
    expect(backward.info.summary).toEqual(forward.info.summary);
    expect(await backward.rows()).toEqual(await forward.rows());
  });
});
