/**
 * `fitted.model.assign(table)` from a notebook cell, as users write it: a real Session on the Node
 * engine, the fit in one cell and the assign in another (and in the same cell), for every
 * clustering method. Before the fix, `assign` expected the context as its first argument, which a
 * cell cannot pass, and failed with "expected a table…, got undefined".
 */
import { afterEach, describe, expect, test } from "vitest";
import type { CellState } from "../../src/runtime/index.ts";
import { notebook, runNotebook } from "../helpers/session.ts";

const MALL = { path: "../shared/datasets/mall_customers/Mall_Customers.csv" };
const NUMERIC = `["Age", "Annual Income (k$)", "Spending Score (1-100)"]`;

const methods = [
  { method: "kmeans", fit: `seg.kmeans(mall, {features: ${NUMERIC}, id: "CustomerID", k: 4})` },
  { method: "gmm", fit: `seg.gmm(mall, {features: ${NUMERIC}, id: "CustomerID", k: 3})` },
  {
    method: "kprototypes",
    fit: `seg.kprototypes(mall, {features: ${NUMERIC}, categorical: ["Gender"], id: "CustomerID", k: 4})`,
  },
];

/** The cells' SQL-free comparison: cluster per CustomerID of two label tables, in id order. */
const COMPARE = `
const clusters = async (t) => (await db.query(\`SELECT CustomerID, cluster FROM \${t.name} ORDER BY CustomerID\`)).rows();
`;

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

function ok(state: CellState | undefined): CellState {
  expect(state?.error?.message).toBeUndefined();
  expect(state?.status).toBe("ok");
  return state!;
}

describe("fitted.model.assign(table) in a cell", () => {
  test.each(methods)("$method: model.assign(other) in another cell gives the fit's labels", async ({ method, fit }) => {
    const run = await runNotebook(
      notebook(
        [
          `const fitted = await ${fit};`,
          // Another table: the same customers, in another order and with an extra column.
          `const other = await sql\`SELECT *, 1 AS extra FROM mall ORDER BY CustomerID DESC\`;\nconst again = await fitted.model.assign(other);`,
          `${COMPARE}\nconst same = {fit: await clusters(fitted), assigned: await clusters(again), json: JSON.parse(JSON.stringify(fitted.model)), info: again.info};\nsame`,
        ],
        { data: { mall: MALL } },
      ),
    );
    close = run.close;
    ok(run.states.get("c0"));
    ok(run.states.get("c1"));
    const {
      fit: fitted,
      assigned,
      json,
      info,
    } = ok(run.states.get("c2")).value as {
      fit: { CustomerID: unknown; cluster: number }[];
      assigned: { CustomerID: unknown; cluster: number }[];
      json: Record<string, unknown>;
      info: Record<string, unknown>;
    };
    expect(fitted).toHaveLength(200);
    expect(new Set(fitted.map((r) => r.cluster)).size).toBeGreaterThan(1);
    expect(assigned).toEqual(fitted);
    // The saved model is the parameters only; assign is not part of its JSON.
    expect(Object.keys(json)).not.toContain("assign");
    expect(json.method).toBe(method);
    expect(info).toEqual({ method, k: json.k, n: 200 });
  });

  test.each(methods)(
    "$method: seg.restoreModel(json).assign(t) and seg.assign(t, {model: json}) in cells",
    async ({ fit }) => {
      const run = await runNotebook(
        notebook(
          [
            `const fitted = await ${fit};\nconst saved = JSON.stringify(fitted.model);`,
            `const model = await seg.restoreModel(JSON.parse(saved));\nconst restored = await model.assign(mall);\nconst direct = await seg.assign(mall, {model: JSON.parse(saved)});`,
            `${COMPARE}\n({fit: await clusters(fitted), restored: await clusters(restored), direct: await clusters(direct)})`,
          ],
          { data: { mall: MALL } },
        ),
      );
      close = run.close;
      const { fit: fitted, restored, direct } = ok(run.states.get("c2")).value as Record<string, unknown[]>;
      expect(fitted).toHaveLength(200);
      expect(restored).toEqual(fitted);
      expect(direct).toEqual(fitted);
    },
  );

  test.each(methods)("$method: fit and model.assign in the same cell, with an {id} option", async ({ fit }) => {
    const run = await runNotebook(
      notebook(
        [
          `${COMPARE}\nconst km = await ${fit};\nconst again = await km.model.assign(mall, {id: "CustomerID"});\nconst same = {fit: await clusters(km), assigned: await clusters(again)};\nsame`,
        ],
        { data: { mall: MALL } },
      ),
    );
    close = run.close;
    const { fit: fitted, assigned } = ok(run.states.get("c0")).value as { fit: unknown[]; assigned: unknown[] };
    expect(fitted).toHaveLength(200);
    expect(assigned).toEqual(fitted);
  });
});
