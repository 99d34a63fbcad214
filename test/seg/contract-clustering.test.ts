/**
 * The seg 1.0 contract for the clustering half of the library, through the `seg` namespace a cell
 * sees (createSeg on the real Node engine): kmeans, gmm and kprototypes return a ClusterResult whose
 * model round-trips through JSON; chooseK and stability return SegTables for every method; the
 * metrics are async numbers from a table or a matrix; the old assign functions are gone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import type { ClusterMethod, ClusterResult } from "../../src/seg/contract.ts";
import { createSeg, type Seg } from "../../src/seg/namespace.ts";
import { openDatasets, segContext } from "../helpers/datasets.ts";
import { clustersOf } from "./helpers/cluster-labels.ts";
import { expectClusterResult, expectSegTable } from "./helpers/contract.ts";

const FEATURES = ["Annual Income (k$)", "Spending Score (1-100)"];
const BASE = { features: FEATURES, id: "CustomerID", transform: "standardize" as const, k: 4 };
const METHODS: [ClusterMethod, Record<string, unknown>][] = [
  ["kmeans", {}],
  ["gmm", {}],
  ["kprototypes", { categorical: ["Gender"] }],
];

let engine: Engine;
let seg: Seg;

beforeAll(async () => {
  engine = await openDatasets(["mall"]);
  seg = createSeg(segContext(engine));
});

afterAll(async () => {
  await engine?.close();
});

/** Fits `method` on Mall through the namespace, as a cell would. */
function fit(method: ClusterMethod, extra: Record<string, unknown>): Promise<ClusterResult> {
  const fn = seg[method] as (table: string, options: object) => Promise<ClusterResult>;
  return fn("mall", { ...BASE, ...extra });
}

describe("clustering results follow the seg contract", () => {
  it.each(METHODS)("seg.%s returns a ClusterResult: labels table, JSON-able info, model", async (method, extra) => {
    const result = await fit(method, extra);
    expectClusterResult(result, method);
    expect(result.columns.slice(0, 2).map((c) => c.name)).toEqual(["CustomerID", "cluster"]);
    expect(result.numRows).toBe(200);
    expect(result.info).toMatchObject({ method, k: 4, n: 200, dropped: 0, seed: 42 });
    expect(result.info.sizes.reduce((a, b) => a + b, 0)).toBe(200);
    expect(result.warnings).toEqual([]);
    // No per-row data in info: it is in the table.
    for (const value of Object.values(result.info)) expect(ArrayBuffer.isView(value)).toBe(false);
    const model = result.model;
    expect([model.method, model.k, model.id]).toEqual([method, 4, "CustomerID"]);
    expect(model.features).toEqual(FEATURES);
    expect(typeof model.parameters).toBe("object");
    expect(model.toJSON()).toEqual(JSON.parse(JSON.stringify(model)));
    if (method === "kprototypes") expect(model.toJSON().categorical).toEqual(["Gender"]);
  });

  it.each(METHODS)(
    "seg.%s: model.toJSON() -> seg.restoreModel -> assign, and seg.assign(t, {model: json}), give the fit's labels",
    async (method, extra) => {
      const result = await fit(method, extra);
      const labels = await clustersOf(result);
      const json = JSON.parse(JSON.stringify(result.model.toJSON())) as Parameters<Seg["restoreModel"]>[0];
      const restored = await seg.restoreModel(json);
      expect([restored.method, restored.k]).toEqual([method, 4]);
      for (const assigned of [
        await restored.assign("mall"),
        await seg.assign("mall", { model: json }),
        await seg.assign("mall", { model: result.model }),
        await result.model.assign("mall"),
      ]) {
        expectSegTable(assigned, `${method} assign`);
        expect(assigned.info).toEqual({ method, k: 4, n: 200 });
        expect(await clustersOf(assigned)).toEqual(labels);
      }
    },
  );

  it("the old assign functions are gone from the namespace; seg.assign and seg.restoreModel are there", () => {
    const names = Object.keys(seg);
    for (const gone of ["assignClusters", "assignGmm", "assignKprototypes"]) expect(names).not.toContain(gone);
    for (const fn of ["assign", "restoreModel", "kmeans", "gmm", "kprototypes", "chooseK", "stability"])
      expect(names).toContain(fn);
  });

  it.each([
    [{ model: undefined }, /seg\.assign: pass a model from seg\.kmeans, seg\.gmm or seg\.kprototypes/],
    [{ model: { method: "dbscan", k: 2, features: [], id: null, parameters: {} } }, /unknown model method "dbscan"/],
    [{ model: { kind: "kmeans", k: 2, centroids: [] } }, /saved by an older Segbook/],
    [
      { model: { method: "kmeans", k: 2, features: ["x"], id: null, parameters: { centroids: [] } } },
      /the k-means model's parameters need a scaler and 2 centroids/,
    ],
  ])("seg.assign(mall, %j) fails with a clear message", async (options, message) => {
    await expect(seg.assign("mall", options as never)).rejects.toThrow(message);
  });
});

describe("chooseK, stability and metrics follow the seg contract", () => {
  it.each(METHODS)("seg.chooseK with method %s is a SegTable, one row per k", async (method, extra) => {
    const scan = await seg.chooseK("mall", { ...BASE, ...extra, method, k: [2, 4], nInit: 2 });
    expectSegTable(scan, `chooseK ${method}`);
    expect(scan.numRows).toBe(3);
    expect(scan.info.method).toBe(method);
    expect(typeof scan.info.recommended).toBe("number");
    expect(typeof scan.info.reason).toBe("string");
  });

  it.each(METHODS)("seg.stability with method %s is a SegTable, one row per cluster", async (method, extra) => {
    const { k: _k, ...base } = BASE;
    const st = await seg.stability("mall", { ...base, ...extra, method, k: 3, bootstrap: 4, nInit: 2 });
    expectSegTable(st, `stability ${method}`);
    expect(st.numRows).toBe(3);
    expect(st.info).toMatchObject({ method, k: 3, bootstrap: 4 });
    expect(st.columns.map((c) => c.name)).toEqual([
      "cluster",
      "size",
      "mean_jaccard",
      "dissolved",
      "recovered",
      "replicates",
      "reading",
    ]);
  });

  it("the metrics are async numbers, the same from a table as from its matrix", async () => {
    const km = await seg.kmeans("mall", BASE);
    const ctx = segContext(engine);
    const joined = await ctx.db.query(
      `SELECT m.*, l.cluster FROM mall m JOIN "${km.name}" l USING ("CustomerID") ORDER BY "CustomerID"`,
    );
    const fm = await seg.featureMatrix(joined, { features: FEATURES, transform: "standardize" });
    const labels = await clustersOf(joined);
    const options = { features: FEATURES, transform: "standardize" as const, segment: "cluster" };
    for (const name of ["silhouetteScore", "calinskiHarabasz", "daviesBouldin"] as const) {
      const metric = seg[name] as (input: unknown, options: object) => Promise<number>;
      const pending = metric(joined, options);
      expect(pending).toBeInstanceOf(Promise);
      const fromTable = await pending;
      expect(typeof fromTable).toBe("number");
      expect(Number.isFinite(fromTable)).toBe(true);
      expect(await metric(fm, { labels })).toBe(fromTable);
    }
    const same = await ctx.db.query(`SELECT cluster AS before, 3 - cluster AS after FROM "${km.name}"`);
    const ari = seg.adjustedRandIndex(same, { segment: { before: "before", after: "after" } });
    expect(ari).toBeInstanceOf(Promise);
    expect(await ari).toBe(1);
    expect(await seg.adjustedRandIndex({ labels }, { labels: labels.map((c) => `c${c}`) })).toBe(1);
  });

  it.each([
    ["silhouetteScore", [{ features: FEATURES }], /pass \{features: \["col", \.\.\.\], segment: "cluster"\}/],
    ["calinskiHarabasz", [{ features: FEATURES, segment: "nope" }], /unknown column "nope"/],
    ["daviesBouldin", [{ matrix: new Float64Array(4), n: 2, d: 2 }, {}], /with a matrix pass \{labels\}/],
    ["adjustedRandIndex", [{}], /pass \{segment: \{before: "col1", after: "col2"\}\}/],
    ["adjustedRandIndex", [{ labels: [0, 1] }, { labels: { segment: "x" } }], /labels must be a list/],
  ] as const)("seg.%s with bad options fails with a clear message", async (name, args, message) => {
    const metric = seg[name] as (...args: unknown[]) => Promise<number>;
    const call = args.length === 1 ? metric("mall", args[0]) : metric(args[0], args[1]);
    await expect(call).rejects.toThrow(message);
  });
});
