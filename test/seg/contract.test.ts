/**
 * The seg 1.0 contract, walked over the namespace a cell gets: every member of `seg` (and of
 * `seg.charts`) has one row in KINDS saying which kind of result it answers with, and every row is
 * called here as a cell calls it (`seg.fn(table, options)`, real duckdb-wasm, the example tables of
 * notebooks/data) and its answer checked against its kind. A function added to `seg` without a row,
 * a row whose function is gone, a function that answers synchronously or in another shape: each
 * fails here. The per-kind details (info keys, reference values) live in contract-tables.test.ts and
 * contract-clustering.test.ts.
 */
import path from "node:path";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { TableHandle } from "../../src/engine/table-handle-types.ts";
import type { ExportSink } from "../../src/seg/export.ts";
import { createSeg, type Seg } from "../../src/seg/namespace.ts";
import { segContext } from "../helpers/datasets.ts";
import { expectClusterResult, expectSegTable } from "./helpers/contract.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");

/** The kinds of answer the contract allows (SEG-CONTRACT: result kinds). */
type Kind = "table" | "cluster" | "number" | "featureMatrix" | "export" | "model" | "chart";

let engine: Engine;
let seg: Seg;
/** Whether each member's own answer (not the test's wrapper) was a Promise, by member name. */
const answeredAsync = new Map<string, boolean>();

/** `api` with each function recording whether it answered with a Promise. */
function recording<T extends object>(api: T, prefix = ""): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(api)) {
    out[name] =
      typeof value === "function"
        ? (...args: unknown[]) => {
            const answer: unknown = (value as (...a: unknown[]) => unknown)(...args);
            answeredAsync.set(prefix + name, answer instanceof Promise);
            return answer;
          }
        : value;
  }
  return out as T;
}

/** Keeps what seg.export prepared (the browser's behaviour: nothing is written). */
const keepSink: ExportSink = { accept: async (prepared) => prepared };
let sql: (query: string) => Promise<TableHandle>;

beforeAll(async () => {
  engine = await createNodeEngine({ baseDir: repoRoot });
  await engine.loadFile("orders", { kind: "path", path: "notebooks/data/orders.csv" });
  await engine.loadFile("customers", { kind: "path", path: "notebooks/data/customers.csv" });
  const document = parseHTML("<!doctype html><html><head></head><body></body></html>").document as unknown as Document;
  const ctx = { ...segContext(engine), sink: keepSink, document };
  const bare = createSeg(ctx);
  seg = { ...recording(bare), charts: recording(bare.charts, "charts.") };
  sql = (query) => ctx.db.query(query);
}, 60_000);

afterAll(async () => {
  await engine?.close();
});

const age = { features: ["age"], id: "customer_id", k: 3 } as const;
const scored = () => seg.rfm("orders", { id: "customer_id", date: "order_date", amount: "amount" });
const clustered = async () => {
  const km = await seg.kmeans("customers", age);
  return sql(
    `SELECT c.customer_id, c.age, c.region, k.cluster FROM customers c JOIN "${km.name}" k USING (customer_id)`,
  );
};
/** A few customers' orders: enough for the CLV fits, quick to fit. */
const fewOrders = () => sql("SELECT * FROM orders WHERE customer_id IN (SELECT customer_id FROM customers LIMIT 60)");

/** One call per member of `seg`, as a cell writes it, and the kind of its answer. */
const KINDS: Record<string, { kind: Kind; call: () => Promise<unknown> }> = {
  rfm: { kind: "table", call: scored },
  tiers: { kind: "table", call: () => seg.tiers("customers", { value: "age", id: "customer_id" }) },
  segments: {
    kind: "table",
    call: () =>
      seg.segments("customers", {
        id: "customer_id",
        definitions: [{ name: "young", where: { column: "age", op: "<", value: 30 } }],
      }),
  },
  overlap: {
    kind: "table",
    call: async () =>
      seg.overlap(
        await seg.segments("customers", {
          exclusive: false,
          definitions: [
            { name: "young", where: "age < 30" },
            { name: "web", where: "channel = 'web'" },
          ],
        }),
        { segments: ["young", "web"] },
      ),
  },
  profile: {
    kind: "table",
    call: async () => seg.profile(await clustered(), { segment: "cluster", features: ["age"] }),
  },
  explain: {
    kind: "table",
    call: async () => seg.explain(await clustered(), { segment: "cluster", features: ["age"] }),
  },
  migration: {
    kind: "table",
    call: async () => {
      const a = await seg.kmeans("customers", { ...age, seed: 1 });
      const b = await seg.kmeans("customers", { ...age, seed: 2 });
      return seg.migration(a, { after: b, id: "customer_id", segment: "cluster" });
    },
  },
  compareLabels: {
    kind: "table",
    call: async () => {
      const byRegion = await sql("SELECT customer_id, region AS segment FROM customers");
      const byChannel = await sql("SELECT customer_id, channel AS segment FROM customers");
      return seg.compareLabels(byRegion, { after: byChannel, id: "customer_id", segment: "segment" });
    },
  },
  pca: {
    kind: "table",
    call: async () =>
      seg.pca(
        await sql("SELECT customer_id, count(*)::DOUBLE AS orders, sum(amount) AS spend FROM orders GROUP BY ALL"),
        { features: ["orders", "spend"] },
      ),
  },
  scorecard: {
    kind: "table",
    call: async () => seg.scorecard(await clustered(), { segment: "cluster", features: ["age"] }),
  },
  abtest: {
    kind: "table",
    call: async () => {
      const arms = await sql(
        "SELECT region, CASE WHEN customer_id % 2 = 0 THEN 'control' ELSE 'offer' END AS arm, age AS outcome FROM customers",
      );
      return seg.abtest(arms, { segment: "region", variant: "arm", outcome: "outcome" });
    },
  },
  clv: {
    kind: "table",
    call: async () =>
      seg.clv(await fewOrders(), { id: "customer_id", date: "order_date", amount: "amount", horizon: 90 }),
  },
  chooseK: { kind: "table", call: () => seg.chooseK("customers", { features: ["age"], k: [2, 3] }) },
  stability: {
    kind: "table",
    call: () => seg.stability("customers", { method: "kmeans", features: ["age"], k: 2, bootstrap: 3 }),
  },
  kmeans: { kind: "cluster", call: () => seg.kmeans("customers", age) },
  gmm: { kind: "cluster", call: () => seg.gmm("customers", age) },
  kprototypes: {
    kind: "cluster",
    call: () => seg.kprototypes("customers", { ...age, categorical: ["region"] }),
  },
  assign: {
    kind: "table",
    call: async () => seg.assign("customers", { model: (await seg.kmeans("customers", age)).model.toJSON() }),
  },
  restoreModel: {
    kind: "model",
    call: async () => seg.restoreModel((await seg.kmeans("customers", age)).model.toJSON()),
  },
  featureMatrix: { kind: "featureMatrix", call: () => seg.featureMatrix("customers", { features: ["age"] }) },
  silhouetteScore: {
    kind: "number",
    call: async () => seg.silhouetteScore(await clustered(), { features: ["age"], segment: "cluster" }),
  },
  calinskiHarabasz: {
    kind: "number",
    call: async () => seg.calinskiHarabasz(await clustered(), { features: ["age"], segment: "cluster" }),
  },
  daviesBouldin: {
    kind: "number",
    call: async () => seg.daviesBouldin(await clustered(), { features: ["age"], segment: "cluster" }),
  },
  adjustedRandIndex: {
    kind: "number",
    call: async () => {
      const both = await sql("SELECT region AS before, channel AS after FROM customers");
      return seg.adjustedRandIndex(both, { segment: { before: "before", after: "after" } });
    },
  },
  sampleSize: { kind: "number", call: () => seg.sampleSize({ baseline: 0.1, mde: 0.02 }) },
  export: {
    kind: "export",
    call: async () => seg.export(await clustered(), { file: "contract.csv", segment: "cluster" }),
  },
  "charts.rfmGrid": { kind: "chart", call: async () => seg.charts.rfmGrid(await scored()) },
  "charts.segmentSizes": {
    kind: "chart",
    call: async () => seg.charts.segmentSizes(await clustered(), { segment: "cluster" }),
  },
  "charts.profileHeatmap": {
    kind: "chart",
    call: async () =>
      seg.charts.profileHeatmap(await seg.profile(await clustered(), { segment: "cluster", features: ["age"] })),
  },
  "charts.clusterScatter": {
    kind: "chart",
    call: async () => seg.charts.clusterScatter(await clustered(), { x: "age", y: "age", segment: "cluster" }),
  },
  "charts.migration": {
    kind: "chart",
    call: async () => {
      const byRegion = await sql("SELECT customer_id, region AS segment FROM customers");
      const byChannel = await sql("SELECT customer_id, channel AS segment FROM customers");
      return seg.charts.migration(
        await seg.migration(byRegion, { after: byChannel, id: "customer_id", segment: "segment" }),
      );
    },
  },
};

/** The members of `seg` a cell calls: its functions and its charts' (not `seed`, a number). */
function members(s: Seg): string[] {
  const own = Object.entries(s)
    .filter(([, value]) => typeof value === "function")
    .map(([name]) => name);
  const charts = Object.keys(s.charts).map((name) => `charts.${name}`);
  return [...own, ...charts].sort();
}

function check(kind: Kind, value: unknown, fn: string): void {
  switch (kind) {
    case "table":
      return expectSegTable(value, fn);
    case "cluster":
      return expectClusterResult(value, fn);
    case "number":
      expect(typeof value, `${fn}: a number`).toBe("number");
      expect(Number.isFinite(value), `${fn}: finite`).toBe(true);
      return;
    case "featureMatrix": {
      const fm = value as { matrix: ArrayLike<number>; n: number; d: number; columns: string[] };
      expect(fm.matrix.length, `${fn}: n x d values`).toBe(fm.n * fm.d);
      expect(fm.columns, `${fn}: one name per column`).toHaveLength(fm.d);
      return;
    }
    case "export": {
      const result = value as { manifest: Record<string, unknown>; file: { bytes: Uint8Array }; manifestFile: unknown };
      expect(typeof result.manifest, `${fn}: manifest`).toBe("object");
      expect(result.file.bytes.length, `${fn}: the data file`).toBeGreaterThan(0);
      expect(typeof result.manifestFile, `${fn}: the manifest file`).toBe("object");
      return;
    }
    case "model": {
      const model = value as { method: string; assign: unknown; toJSON: unknown };
      expect(typeof model.assign, `${fn}: model.assign`).toBe("function");
      expect(typeof model.toJSON, `${fn}: model.toJSON`).toBe("function");
      return;
    }
    case "chart":
      expect((value as { nodeType?: number })?.nodeType, `${fn}: a DOM element`).toBe(1);
      return;
  }
}

describe("the seg namespace", () => {
  it("has one row in the contract table per member, and no row without a member", () => {
    expect(members(seg)).toEqual(Object.keys(KINDS).sort());
  });

  it.each(Object.entries(KINDS))(
    "seg.%s answers asynchronously in its contract kind",
    async (fn, { kind, call }) => {
      answeredAsync.delete(fn);
      const answer = await call();
      expect(answeredAsync.get(fn), `seg.${fn} answers with a Promise`).toBe(true);
      check(kind, answer, `seg.${fn}`);
    },
    120_000,
  );
});
