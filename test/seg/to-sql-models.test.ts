/**
 * model.toSQL on real engines: for every clustering model kind fitted on the shipped data, the
 * generated SELECT gives exactly `model.assign`'s label for every customer on duckdb-wasm, on native
 * DuckDB and on a current ClickHouse (chdb) — and on a ClickHouse server when SEGBOOK_CLICKHOUSE_URL
 * names one (Debian's 18.16 in CI's cluster).
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNativeEngine } from "../../src/engine/native.ts";
import type { ClusterModel, ClusterResult } from "../../src/seg/contract.ts";
import { createSeg, type Seg } from "../../src/seg/namespace.ts";
import { DATASETS, openDatasets, segContext } from "../helpers/datasets.ts";
import { chdbWith, clickhouseServer } from "./helpers/sql-engines.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const FILES = { mall: path.resolve(repoRoot, DATASETS.mall), wholesale: path.resolve(repoRoot, DATASETS.wholesale) };
const MALL_NUMBERS = ["Age", "Annual Income (k$)", "Spending Score (1-100)"];
const SPEND = ["Fresh", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen"];

/** Model kinds × data: [title, method, table, options]. */
const KINDS: [string, "kmeans" | "gmm" | "kprototypes", "mall" | "wholesale", Record<string, unknown>][] = [
  ["k-means, standardized", "kmeans", "mall", { features: MALL_NUMBERS, transform: "standardize", k: 5 }],
  [
    "k-means, one-hot text and every transform",
    "kmeans",
    "mall",
    {
      features: [...MALL_NUMBERS, "Gender"],
      transform: {
        Age: ["log1p", "minmax"],
        "Annual Income (k$)": [{ winsorize: [0.05, 0.95] }, "standardize"],
        "Spending Score (1-100)": "standardize",
      },
      k: 6,
    },
  ],
  ["k-means, log1p of spend", "kmeans", "wholesale", { features: SPEND, transform: ["log1p", "standardize"], k: 4 }],
  ["GMM, full covariance", "gmm", "mall", { features: MALL_NUMBERS, transform: "standardize", k: 5 }],
  [
    "GMM, diagonal covariance",
    "gmm",
    "mall",
    { features: MALL_NUMBERS, transform: "standardize", k: 4, covariance: "diag" },
  ],
  ["GMM, log1p of spend", "gmm", "wholesale", { features: SPEND, transform: ["log1p", "standardize"], k: 3 }],
  [
    "k-prototypes",
    "kprototypes",
    "mall",
    { features: MALL_NUMBERS, categorical: ["Gender"], transform: "standardize", k: 4 },
  ],
];

let wasm: Engine;
let native: Engine;
let seg: Seg;
let ch: ReturnType<typeof chdbWith>;
const server = clickhouseServer();

beforeAll(async () => {
  wasm = await openDatasets(["mall", "wholesale"]);
  seg = createSeg(segContext(wasm));
  native = await createNativeEngine({ baseDir: repoRoot });
  for (const name of ["mall", "wholesale"] as const)
    await native.loadFile(name, { kind: "path", path: DATASETS[name] });
  ch = chdbWith(FILES);
  if (server) {
    for (const name of ["mall", "wholesale"] as const) {
      await server.load(name, await wasm.describe(name), FILES[name]);
    }
  }
}, 60_000);

afterAll(async () => {
  await wasm?.close();
  await native?.close();
  ch?.close();
});

/** id -> label of rows read back from any engine. */
function labelsOf(rows: readonly Record<string, unknown>[], as = "cluster"): Map<string, number> {
  return new Map(rows.map((row) => [String(row.CustomerID), Number(row[as])]));
}

async function assigned(model: ClusterModel, table: string): Promise<Map<string, number>> {
  const labels = await model.assign(table);
  return labelsOf(await labels.rows());
}

describe("model.toSQL", () => {
  it.each(KINDS)(
    "%s: the SQL gives assign's label for every customer on DuckDB and ClickHouse",
    async (_, method, table, options) => {
      const fit = seg[method] as (t: string, o: object) => Promise<ClusterResult>;
      const result = await fit(table, { ...options, id: "CustomerID" });
      const expected = await assigned(result.model, table);
      expect(expected.size).toBe(table === "mall" ? 200 : 440);
      // The fit uses every cluster, so a SQL that always said 0 would fail.
      expect(new Set(expected.values()).size).toBe(result.model.k);

      const duck = result.model.toSQL({ dialect: "duckdb", table });
      expect(labelsOf((await wasm.query(duck)).toArray().map((r) => r.toJSON()))).toEqual(expected);
      expect(labelsOf((await native.query(duck)).toArray().map((r) => r.toJSON()))).toEqual(expected);

      const click = result.model.toSQL({ dialect: "clickhouse", table });
      expect(labelsOf(ch.rows(click))).toEqual(expected);
      if (server) expect(labelsOf(await server.rows(click))).toEqual(expected);

      if (method === "gmm") {
        // GMM also gives assign's posterior probability, to rounding (exp/ln differ by engine).
        const probabilities = (rows: readonly Record<string, unknown>[]) =>
          new Map(rows.map((row) => [String(row.CustomerID), Number(row.probability)]));
        const want = probabilities(await (await result.model.assign(table)).rows());
        for (const got of [
          probabilities((await wasm.query(duck)).toArray().map((r) => r.toJSON())),
          probabilities(ch.rows(click)),
          ...(server ? [probabilities(await server.rows(click))] : []),
        ]) {
          expect(got.size).toBe(want.size);
          for (const [id, p] of want) expect(Math.abs(got.get(id)! - p)).toBeLessThan(1e-12);
        }
      }
    },
  );

  it("restored models compile to the same SQL (toSQL needs only the parameters)", async () => {
    const km = await seg.kmeans("mall", { features: MALL_NUMBERS, transform: "standardize", k: 3, id: "CustomerID" });
    const restored = await seg.restoreModel(JSON.parse(JSON.stringify(km.model)));
    for (const dialect of ["duckdb", "clickhouse"] as const) {
      expect(restored.toSQL({ dialect, table: "mall" })).toBe(km.model.toSQL({ dialect, table: "mall" }));
    }
  });

  it("carries the id columns asked for and names the label column `as`", async () => {
    const km = await seg.kmeans("mall", { features: MALL_NUMBERS, transform: "standardize", k: 3, id: "CustomerID" });
    const expected = await assigned(km.model, "mall");
    const options = { table: "mall", id: ["CustomerID", "Gender"], as: "segment" } as const;
    const rows = (await wasm.query(km.model.toSQL({ dialect: "duckdb", ...options }))).toArray().map((r) => r.toJSON());
    expect(Object.keys(rows[0]!)).toEqual(["CustomerID", "Gender", "segment"]);
    expect(labelsOf(rows, "segment")).toEqual(expected);
    const chRows = ch.rows(km.model.toSQL({ dialect: "clickhouse", ...options }));
    expect(Object.keys(chRows[0]!)).toEqual(["CustomerID", "Gender", "segment"]);
    expect(labelsOf(chRows, "segment")).toEqual(expected);
  });

  it("scores the rows of a query as it scores a table ({query}), and takes one of the two", async () => {
    const km = await seg.kmeans("mall", { features: MALL_NUMBERS, transform: "standardize", k: 3, id: "CustomerID" });
    const expected = await assigned(km.model, "mall");
    // The statement's own ";" and spaces around it do not end the subquery early.
    const query = `SELECT CustomerID, Age, "Annual Income (k$)", "Spending Score (1-100)" FROM mall ;\n`;
    const duck = km.model.toSQL({ dialect: "duckdb", query });
    expect(labelsOf((await wasm.query(duck)).toArray().map((r) => r.toJSON()))).toEqual(expected);
    const click = km.model.toSQL({
      dialect: "clickhouse",
      query: "SELECT CustomerID, Age, `Annual Income (k$)`, `Spending Score (1-100)` FROM mall",
    });
    expect(labelsOf(ch.rows(click))).toEqual(expected);
    expect(() => km.model.toSQL({ dialect: "duckdb", table: "mall", query })).toThrow(/either \{table\} or \{query\}/);
    expect(() => km.model.toSQL({ dialect: "duckdb", query: " " })).toThrow(/query must be a SELECT/);
    expect(() => km.model.toSQL({ dialect: "duckdb" })).toThrow(/\{table: "<name>"\}.*or \{query/);
  });

  it("stops on a row with a missing feature, as assign does, naming the feature", async () => {
    const km = await seg.kmeans("mall", { features: MALL_NUMBERS, transform: "standardize", k: 3, id: "CustomerID" });
    await wasm.query(
      `CREATE TABLE holes AS SELECT * REPLACE (CASE WHEN CustomerID = 7 THEN NULL ELSE Age END AS Age) FROM mall`,
    );
    try {
      await expect(km.model.assign("holes")).rejects.toThrow(/"Age" has 1 null/);
      await expect(wasm.query(km.model.toSQL({ dialect: "duckdb", table: "holes" }))).rejects.toThrow(
        /feature "Age" is null, NaN or infinite in a row/,
      );
    } finally {
      await wasm.query("DROP TABLE holes");
    }
    ch.run(`CREATE TABLE holes ENGINE = Memory AS SELECT * REPLACE (if(CustomerID = 7, NULL, Age) AS Age) FROM mall`);
    expect(() => ch.rows(km.model.toSQL({ dialect: "clickhouse", table: "holes" }))).toThrow(
      /feature "Age" is null, NaN or infinite in a row/,
    );
  });

  it("gives an unseen category no one-hot column, as assign does", async () => {
    const km = await seg.kmeans("mall", {
      features: ["Annual Income (k$)", "Gender"],
      transform: { "Annual Income (k$)": "standardize" },
      k: 4,
      id: "CustomerID",
    });
    const renamed = `SELECT * REPLACE (CASE WHEN CustomerID % 3 = 0 THEN 'Other' ELSE Gender END AS Gender) FROM mall`;
    await wasm.query(`CREATE TABLE others AS ${renamed}`);
    try {
      const expected = await assigned(km.model, "others");
      expect(
        labelsOf(
          (await wasm.query(km.model.toSQL({ dialect: "duckdb", table: "others" }))).toArray().map((r) => r.toJSON()),
        ),
      ).toEqual(expected);
      ch.run(
        `CREATE TABLE others ENGINE = Memory AS SELECT * REPLACE (if(CustomerID % 3 = 0, 'Other', Gender) AS Gender) FROM mall`,
      );
      expect(labelsOf(ch.rows(km.model.toSQL({ dialect: "clickhouse", table: "others" })))).toEqual(expected);
    } finally {
      await wasm.query("DROP TABLE others");
    }
  });
});
