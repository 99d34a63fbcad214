/**
 * joinRowValues (src/seg/row-values-join.ts), the one way kmeans, gmm, kprototypes and clv put
 * per-row values back beside their rows: the join, and the temporary table gone afterwards even
 * when the query fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { joinRowValues } from "../../src/seg/row-values-join.ts";
import { segContext } from "../helpers/datasets.ts";

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
  await engine.exec(`CREATE TABLE source AS SELECT range AS __row, 'c' || range AS id FROM range(4)`);
});
afterAll(() => engine.close());

const tablesNamed = async (pattern: string) =>
  (await engine.query(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '${pattern}'`)).numRows;

describe("joinRowValues(ctx, values, query)", () => {
  it("joins the values to their rows by row number and drops the temporary table", async () => {
    const ctx = segContext(engine);
    const joined = await joinRowValues(
      ctx,
      { row: Float64Array.from([3, 1, 0, 2]), cluster: Int32Array.from([30, 10, 0, 20]) },
      (l) =>
        `SELECT s.id, l.cluster FROM source AS s JOIN ${l} AS l ON s.__row = CAST(l."row" AS BIGINT) ORDER BY s.__row`,
    );
    expect(await joined.rows()).toEqual([
      { id: "c0", cluster: 0 },
      { id: "c1", cluster: 10 },
      { id: "c2", cluster: 20 },
      { id: "c3", cluster: 30 },
    ]);
    expect(await tablesNamed("seg_row_values%")).toBe(0);
  });

  it("drops the temporary table when the query fails, and the failure propagates", async () => {
    const ctx = segContext(engine);
    await expect(
      joinRowValues(ctx, { row: Float64Array.from([0]) }, (l) => `SELECT no_such_column FROM ${l}`),
    ).rejects.toThrow(/no_such_column/);
    expect(await tablesNamed("seg_row_values%")).toBe(0);
  });
});
