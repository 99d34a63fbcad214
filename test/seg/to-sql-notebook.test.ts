/**
 * toSQL from notebook cells, as users write it: a real Session (duckdb-wasm in Node, the test session
 * helper), the fit in one cell, `toSQL` in another, and the generated SELECT run with `db.query` in a
 * third, compared with `assign` (models) or the local result (rfm) for every customer.
 */
import { afterEach, describe, expect, test } from "vitest";
import type { CellState } from "../../src/runtime/index.ts";
import { notebook, runNotebook } from "../helpers/session.ts";

const DATA = {
  mall: { path: "../shared/datasets/mall_customers/Mall_Customers.csv" },
  orders: { path: "notebooks/data/shop/orders.csv" },
};
const NUMERIC = `["Age", "Annual Income (k$)", "Spending Score (1-100)"]`;

const CASES = [
  {
    what: "a k-means model",
    fit: `const fitted = await seg.kmeans(mall, {features: ${NUMERIC}, id: "CustomerID", k: 5, transform: "standardize"});`,
    scoring: `const scoring = fitted.model.toSQL({dialect: "duckdb", table: "mall"});`,
    local: "await fitted.model.assign(mall)",
    key: "CustomerID",
    columns: ["cluster"],
  },
  {
    what: "a k-prototypes model",
    fit: `const fitted = await seg.kprototypes(mall, {features: ${NUMERIC}, categorical: ["Gender"], id: "CustomerID", k: 4});`,
    scoring: `const scoring = fitted.model.toSQL({dialect: "duckdb", table: "mall"});`,
    local: "await fitted.model.assign(mall)",
    key: "CustomerID",
    columns: ["cluster"],
  },
  {
    what: "an RFM scoring",
    fit: `const fitted = await seg.rfm(orders, {id: "customer_id", date: "order_date", amount: "amount", invoice: "order_id"});`,
    scoring: `const scoring = fitted.toSQL({dialect: "duckdb", table: "orders"});`,
    local: "fitted",
    key: "customer_id",
    columns: ["recency", "frequency", "monetary", "r_score", "f_score", "m_score", "segment"],
  },
];

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

describe("toSQL in a notebook", () => {
  test.each(CASES)("$what: the SELECT run with db.query gives the local labels", async (c) => {
    const list = [c.key, ...c.columns].map((name) => `"${name}"`).join(", ");
    const read = (table: string) =>
      `await (await db.query(\`SELECT ${list} FROM (\${${table}}) ORDER BY "${c.key}"\`)).rows()`;
    const run = await runNotebook(
      notebook(
        [
          c.fit,
          c.scoring,
          `const local = ${c.local};\nconst compared = {sql: ${read("scoring")}, local: ${read('`SELECT * FROM "${local.name}"`')}};\ncompared`,
        ],
        { data: DATA },
      ),
    );
    close = run.close;
    ok(run.states.get("c0"));
    expect(typeof ok(run.states.get("c1")).value).toBe("undefined");
    const { sql, local } = ok(run.states.get("c2")).value as { sql: unknown[]; local: unknown[] };
    expect(local.length).toBeGreaterThan(100);
    expect(sql).toEqual(local);
  });
});
