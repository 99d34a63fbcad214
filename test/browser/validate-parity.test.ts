/**
 * notebooks/validate-and-evolve.md on the built site: every cell settles `ok`, and its summary (k-means
 * segments, clusterboot stability, explanation rules, A/B read-out, migration, scorecard flags, all
 * computed by kernels in the browser's worker pool) equals what `segbook run` computes in Node.
 */
import { describe, expect, test } from "vitest";
import { runNotebookFile } from "../../src/cli/run-notebook.ts";
import { mulberry32 } from "../../src/random/index.ts";
import { inProcessKernels } from "../../src/seg/kernel-runner.ts";
import type { TableHandle } from "../../src/engine/table-handle-types.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { cellSnapshots, waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();
const NOTEBOOK = "notebooks/validate-and-evolve.md";
const QUERY = "SELECT * FROM summary ORDER BY segment";

const plain = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]));

async function nodeRows(): Promise<Record<string, unknown>[]> {
  const { report, session, close } = await runNotebookFile(NOTEBOOK);
  try {
    expect(report.ok).toBe(true);
    const id = session.ids().find((i) => session.state(i)?.outputs.includes("summary"))!;
    const rows = await (session.state(id)!.value as TableHandle).rows();
    return rows.map(plain).sort((a, b) => String(a.segment).localeCompare(String(b.segment)));
  } finally {
    await close();
  }
}

describe("validate-and-evolve.md in the browser and in segbook run", () => {
  test(`${NOTEBOOK} settles ok with the same summary table as segbook run`, async () => {
    const watched = await workbench.open();
    await watched.page.goto(workbench.url(NOTEBOOK));
    await waitForSettled(watched.page, 150_000);
    const cells = await cellSnapshots(watched.page);
    expect(
      cells.filter((c) => c.status !== "ok"),
      JSON.stringify(cells),
    ).toEqual([]);
    const browser = await watched.page.evaluate(async (sql) => {
      const { engine } = (
        globalThis as unknown as {
          segbook: { engine: { query(s: string): Promise<{ toArray(): { toJSON(): Record<string, unknown> }[] }> } };
        }
      ).segbook;
      return (await engine.query(sql)).toArray().map((r) => r.toJSON());
    }, QUERY);
    const node = await nodeRows();
    expect(node.length).toBeGreaterThanOrEqual(2);
    expect(browser.map(plain)).toEqual(node);
    expect(watched.pageErrors).toEqual([]);
    expect(watched.blockedRequests).toEqual([]);
  }, 240_000);

  // The notebook runs "tree", "clusterboot", "kmeans" and "assignClusters" in the workers; "clv" is
  // checked directly, since the notebook that uses it reads data the site cannot serve.
  test('kernels.run("clv", ...) in the worker pool equals the in-process fit bit for bit', async () => {
    const watched = await workbench.open();
    await watched.page.goto(workbench.url("__test-notebooks__/engine-host.md"));
    await watched.page.waitForFunction(() => (globalThis as { segbook?: unknown }).segbook !== undefined, null, {
      timeout: 90_000,
    });
    // 400 customers from a BG/NBD process (seeded): weekly purchase rate lambda, drop-out chance p
    // after each purchase, observed for T weeks; x repeat purchases, tx the week of the last one.
    const random = mulberry32(7);
    const x: number[] = [];
    const tx: number[] = [];
    const T: number[] = [];
    const m: number[] = [];
    for (let i = 0; i < 400; ++i) {
      const lambda = 0.05 + random() * 0.4;
      const p = 0.05 + random() * 0.4;
      const age = 26 + Math.floor(random() * 26);
      let t = 0;
      let repeats = 0;
      let last = 0;
      for (;;) {
        t += -Math.log(1 - random()) / lambda;
        if (t > age) break;
        repeats += 1;
        last = t;
        if (random() < p) break;
      }
      x.push(repeats);
      tx.push(last);
      T.push(age);
      m.push(repeats ? 20 + random() * 60 : 0);
    }
    const inputs = { x, tx, T, m };
    const browser = await watched.page.evaluate(async (a) => {
      const kernels = (
        globalThis as unknown as { segbook: { kernels: { run(name: string, ...args: unknown[]): Promise<unknown> } } }
      ).segbook.kernels;
      const f = (v: number[]) => new Float64Array(v);
      const fit = (await kernels.run("clv", f(a.x), f(a.tx), f(a.T), f(a.m), 26, 0.01)) as Record<string, unknown>;
      return JSON.parse(JSON.stringify(fit, (_, v) => (v instanceof Float64Array ? Array.from(v) : v))) as Record<
        string,
        unknown
      >;
    }, inputs);
    const f = (v: number[]) => new Float64Array(v);
    const node = await inProcessKernels.run("clv", f(x), f(tx), f(T), f(m), 26, 0.01);
    expect(node.bgnbd.converged && node.gammaGamma?.converged).toBe(true);
    // Bit for bit: the kernel's exp/log/pow are src/seg/portable-math.ts's, which every engine
    // computes alike (Node's and Chromium's Math.exp/log/pow differ in the last bit).
    const fit = browser as unknown as typeof node & {
      pAlive: number[];
      expected: number[];
      spend: number[];
      clv: number[];
    };
    for (const key of ["r", "alpha", "a", "b", "logLikelihood"] as const)
      expect(fit.bgnbd[key], `bgnbd.${key}`).toBe(node.bgnbd[key]);
    for (const key of ["p", "q", "v"] as const)
      expect(fit.gammaGamma![key], `gammaGamma.${key}`).toBe(node.gammaGamma![key]);
    for (const key of ["pAlive", "expected", "spend", "clv"] as const) {
      expect(fit[key], key).toEqual(Array.from(node[key]));
    }
    expect(watched.pageErrors).toEqual([]);
  });

  test('kernels.run("gmm", ...) in the worker pool equals the in-process fit bit for bit', async () => {
    const watched = await workbench.open();
    await watched.page.goto(workbench.url("__test-notebooks__/engine-host.md"));
    await watched.page.waitForFunction(() => (globalThis as { segbook?: unknown }).segbook !== undefined, null, {
      timeout: 90_000,
    });
    // 600 points around three centres in 3-d; GMM's E-step is all exp/log, so this is where
    // engine-dependent Math would show.
    const random = mulberry32(11);
    const values: number[] = [];
    for (let i = 0; i < 600; ++i) {
      const c = i % 3;
      for (let f = 0; f < 3; ++f) values.push(c * (f + 1) * 1.5 + (random() + random() + random() - 1.5));
    }
    const options = { k: 3, covariance: "full", nInit: 2, maxIter: 100, tol: 1e-3, regCovar: 1e-6, seed: 5 } as const;
    const browser = await watched.page.evaluate(
      async ({ values, options }) => {
        const kernels = (
          globalThis as unknown as { segbook: { kernels: { run(name: string, ...args: unknown[]): Promise<unknown> } } }
        ).segbook.kernels;
        const fit = await kernels.run("gmm", new Float64Array(values), values.length / 3, 3, options);
        return JSON.parse(
          JSON.stringify(fit, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)),
        ) as Record<string, unknown>;
      },
      { values, options },
    );
    const node = await inProcessKernels.run("gmm", new Float64Array(values), values.length / 3, 3, options);
    const plain = JSON.parse(
      JSON.stringify(node, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)),
    );
    expect(browser).toEqual(plain);
    expect(node.converged).toBe(true);
    expect(watched.pageErrors).toEqual([]);
  });
});
