/**
 * seg.rfm with edges and cut points that are doubles JSON would not carry exactly: duckdb-wasm sends
 * bound parameters to DuckDB as JSON and parses numbers there with a few ulps of error, so
 * 1086.1200000000001 arrived as 1086.12 and a customer sitting exactly on that edge moved up a bin
 * (found by the 10M-row bench, which compares seg.rfm with hand-written SQL).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { rfm } from "../../src/seg/rfm.ts";
import { segContext } from "../helpers/datasets.ts";

/** Not the double nearest 1086.12: its shortest decimal form needs 17 digits. */
const ON_EDGE = 1086.1200000000001;

let engine: Engine;

beforeAll(async () => {
  engine = await createNodeEngine();
  // Three customers, one purchase each: monetary 1, ON_EDGE and 2000, so the median edge is ON_EDGE itself.
  await engine.exec(`CREATE TABLE tx AS SELECT * FROM (VALUES
    (1, TIMESTAMP '2024-01-01 00:00:00', 1.0),
    (2, TIMESTAMP '2024-01-05 00:00:00', CAST('${ON_EDGE}' AS DOUBLE)),
    (3, TIMESTAMP '2024-01-09 00:00:00', 2000.0)
  ) AS t(cust, ts, amount)`);
});

afterAll(async () => {
  await engine?.close();
});

const options = { id: "cust", date: "ts", amount: "amount", map: null } as const;

describe("rfm() with edges that are not short decimals", () => {
  it("rfm({scoring: 'quantile'}) keeps a customer whose monetary equals a quantile edge in the lower bin", async () => {
    const result = await rfm(segContext(engine), "tx", { ...options, bins: 2 });
    expect(result.info.edges!.monetary).toEqual([1, ON_EDGE, 2000]);
    const rows = await result.rows();
    expect(rows.map((row) => [row.cust, row.monetary, row.m_score])).toEqual([
      [1, 1, 1],
      [2, ON_EDGE, 1],
      [3, 2000, 2],
    ]);
  });

  it("rfm({scoring: thresholds}) keeps a customer whose monetary equals a cut point in the lower group", async () => {
    const scoring = { recency: [5], frequency: [1], monetary: [ON_EDGE] };
    const rows = await (await rfm(segContext(engine), "tx", { ...options, scoring })).rows();
    expect(rows.map((row) => row.m_score)).toEqual([1, 1, 2]);
  });
});
