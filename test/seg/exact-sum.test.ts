/**
 * exactSumSql (src/seg/exact-sum.ts): the sum seg.rfm gives as monetary is Python's math.fsum (the
 * correctly rounded sum) on duckdb-wasm and on native DuckDB, in any row order and whatever order
 * native DuckDB's threads merge their partial sums in — so `segbook run` writes the same bytes with
 * and without `--engine native`. Expected values: test/reference/exact_sum_reference.py.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNativeEngine } from "../../src/engine/native.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { createCellDb } from "../../src/runtime/cell-db.ts";
import { exactSumSql, POWERS_OF_TWO } from "../../src/seg/exact-sum.ts";
import { rfm } from "../../src/seg/rfm.ts";

interface Expected {
  cases: { title: string; values: (string | null)[]; sum: string | null }[];
  onlineRetail: { customers: number; pandasMisses: { customer: number; pandas: string; fsum: string }[] };
}

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const expected = JSON.parse(
  readFileSync(new URL("../reference/expected/exact-sum.json", import.meta.url), "utf8"),
) as Expected;

/** A Python repr as a JS number (null stays null). */
function fromRepr(text: string | null): number | null {
  if (text === null) return null;
  return text === "nan" ? NaN : text === "inf" ? Infinity : text === "-inf" ? -Infinity : Number(text);
}

/** A Python repr as a DuckDB DOUBLE literal that parses to the same bits. */
function sqlDouble(text: string | null): string {
  return text === null ? "NULL::DOUBLE" : `'${text}'::DOUBLE`;
}

const engines: [name: string, engine: Engine][] = [];

beforeAll(async () => {
  engines.push(["duckdb-wasm", await createNodeEngine({ baseDir: repoRoot })]);
  engines.push(["native DuckDB", await createNativeEngine({ baseDir: repoRoot })]);
}, 60_000);

afterAll(async () => {
  for (const [, engine] of engines) await engine.close();
});

async function sumOf(engine: Engine, values: (string | null)[]): Promise<number | null> {
  const rows = values.map((value, i) => `(${i}, ${sqlDouble(value)})`).join(", ");
  const table = await engine.query(
    `SELECT ${exactSumSql("v")} AS s FROM (SELECT v FROM (VALUES ${rows}) t(i, v) ORDER BY i)`,
  );
  return table.getChild("s")!.get(0) as number | null;
}

describe("exactSumSql(expr)", () => {
  it("POWERS_OF_TWO are read by both engines as DOUBLEs equal to the exact powers of two", async () => {
    const keys = Object.keys(POWERS_OF_TWO) as (keyof typeof POWERS_OF_TWO)[];
    const select = keys.map((key, i) => `${POWERS_OF_TWO[key]} AS p${i}`).join(", ");
    for (const [name, engine] of engines) {
      const row = (await engine.query(`SELECT ${select}`)).get(0)!.toJSON() as Record<string, unknown>;
      const got = keys.map((key, i) => [name, key, row[`p${i}`]]);
      expect(got).toEqual(keys.map((key) => [name, key, Math.pow(2, Number(key))]));
    }
  });

  for (const testCase of expected.cases) {
    const want = fromRepr(testCase.sum);
    // Below 2^33 the sum is correctly rounded; above, the coarse total is rounded once more on its own.
    const rounding =
      want !== null && Number.isFinite(want) && Math.abs(want) >= 2 ** 33
        ? "within one unit in the last place"
        : "exactly";
    it(`exactSumSql(v) is math.fsum ${rounding} on ${testCase.title}, the same bits in both row orders on both engines`, async () => {
      const got: { engine: string; order: string; sum: number | null }[] = [];
      for (const [name, engine] of engines) {
        got.push({ engine: name, order: "as listed", sum: await sumOf(engine, testCase.values) });
        got.push({ engine: name, order: "reversed", sum: await sumOf(engine, [...testCase.values].reverse()) });
      }
      // Object.is tells NaN from null and -0 from 0, bit for bit.
      expect(got.filter((run) => !Object.is(run.sum, got[0]!.sum))).toEqual([]);
      const sum = got[0]!.sum;
      if (rounding === "exactly" || want === null || sum === null) expect(sum).toBe(want);
      else expect(Math.abs(sum - want)).toBeLessThanOrEqual(2 ** (Math.floor(Math.log2(Math.abs(want))) - 52));
    });
  }

  it("exactSumSql(v) gives native DuckDB's threads and duckdb-wasm the same bits per group on 2M rows", async () => {
    // Amounts from 1e-3 to 1e4 with fractional bits, 997 groups: big enough that native DuckDB splits the
    // aggregate over its threads, where fsum's result then depends on which thread finishes first.
    const query = `SELECT g, ${exactSumSql("v")} AS s FROM (
        SELECT i % 997 AS g, ((i * 2654435761) % 1000003) / 7.0 * pow(10, (i % 8) - 3) * (CASE WHEN i % 5 = 0 THEN -1 ELSE 1 END) AS v
        FROM range(2000000) t(i)) GROUP BY g ORDER BY g`;
    const runs: Float64Array[] = [];
    for (const [, engine] of engines) {
      for (let run = 0; run < (engine === engines[1]![1] ? 3 : 1); run++) {
        runs.push(Float64Array.from((await engine.query(query)).getChild("s")!.toArray() as ArrayLike<number>));
      }
    }
    const bits = runs.map((sums) => Buffer.from(sums.buffer).toString("hex"));
    expect(runs[0]!.length).toBe(997);
    expect(new Set(bits).size).toBe(1);
  }, 120_000);
});

describe("rfm(ctx, onlineRetail) monetary on both engines", () => {
  it("rfm() gives every Online Retail customer the same monetary bits on duckdb-wasm and native DuckDB, the correctly rounded sum", async () => {
    const monetary: Map<number, number>[] = [];
    for (const [, engine] of engines) {
      await engine.loadFile("retail", { kind: "path", path: "../shared/datasets/online_retail/online_retail.csv" });
      const { db } = createCellDb(engine);
      const orders = await db.query(`
        SELECT CAST("CustomerID" AS BIGINT) AS customer_id, "InvoiceNo" AS invoice, "InvoiceDate" AS invoice_date,
          "Quantity" * "UnitPrice" AS amount
        FROM retail
        WHERE "CustomerID" IS NOT NULL AND NOT starts_with("InvoiceNo", 'C') AND "Quantity" > 0 AND "UnitPrice" > 0`);
      const scored = await rfm({ db, seed: 42 }, orders, {
        id: "customer_id",
        date: "invoice_date",
        amount: "amount",
        invoice: "invoice",
      });
      const rows = await scored.rows();
      monetary.push(new Map(rows.map((row) => [Number(row.customer_id), row.monetary as number])));
    }
    const [wasm, native] = monetary as [Map<number, number>, Map<number, number>];
    expect(wasm.size).toBe(expected.onlineRetail.customers);
    const differ = [...wasm].filter(([id, value]) => !Object.is(native.get(id), value)).map(([id]) => id);
    expect(differ).toEqual([]);
    // Where pandas' Kahan sum misses the correctly rounded sum, ours is the correctly rounded one.
    const misses = expected.onlineRetail.pandasMisses;
    expect(misses.length).toBeGreaterThan(0);
    const notFsum = misses.filter((miss) => wasm.get(miss.customer) !== Number(miss.fsum));
    expect(notFsum).toEqual([]);
  }, 180_000);
});
