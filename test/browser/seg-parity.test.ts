/**
 * The same notebook on the same data gives the same segments in the browser (duckdb-wasm in its
 * worker, k-means in the kernel worker pool) and in `segbook run` (Node, in-process).
 */
import { describe, expect, test } from "vitest";
import { runNotebookFile } from "../../src/cli/run-notebook.ts";
import type { TableHandle } from "../../src/engine/table-handle-types.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { cellSnapshots, waitForSettled } from "./helpers/workbench.ts";
import path from "node:path";

const workbench = useWorkbench();
const NOTEBOOK = "notebooks/segmentation.md";
const QUERY = "SELECT customer_id, r_score, f_score, m_score, segment, cluster FROM clustered ORDER BY customer_id";

async function nodeRows(): Promise<Record<string, unknown>[]> {
  const { report, session, close } = await runNotebookFile(NOTEBOOK);
  try {
    expect(report.ok).toBe(true);
    const id = session.ids().find((i) => session.state(i)?.outputs.includes("clustered"))!;
    const clustered = session.state(id)!.value as TableHandle;
    const rows = await clustered.rows();
    return rows
      .map((r) => ({
        customer_id: r.customer_id,
        r_score: r.r_score,
        f_score: r.f_score,
        m_score: r.m_score,
        segment: r.segment,
        cluster: r.cluster,
      }))
      .sort((a, b) => Number(a.customer_id) - Number(b.customer_id));
  } finally {
    await close();
  }
}

describe("segments in the browser and in segbook run", () => {
  test(`${NOTEBOOK} gives identical RFM scores, segments and k-means clusters in both`, async () => {
    const watched = await workbench.open();
    await watched.page.goto(workbench.url(NOTEBOOK));
    await waitForSettled(watched.page);
    const statuses = (await cellSnapshots(watched.page)).map((c) => c.status);
    expect(
      statuses.every((s) => s === "ok"),
      JSON.stringify(statuses),
    ).toBe(true);
    const browser = await watched.page.evaluate(async (sql) => {
      const { engine } = (
        globalThis as unknown as {
          segbook: { engine: { query(s: string): Promise<{ toArray(): { toJSON(): Record<string, unknown> }[] }> } };
        }
      ).segbook;
      return (await engine.query(sql)).toArray().map((r) => {
        const row = r.toJSON();
        return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]));
      });
    }, QUERY);
    const node = await nodeRows();
    expect(browser).toHaveLength(400);
    expect(browser).toEqual(node);
    expect(watched.pageErrors).toEqual([]);
    expect(watched.blockedRequests).toEqual([]);
  });

  test("an exact silhouette split over the worker pool equals segbook run's to the last bit", async () => {
    const file = path.join(import.meta.dirname, "notebooks/silhouette-pool.md");
    const { report, session, close } = await runNotebookFile(file);
    let node: number;
    try {
      expect(report.ok).toBe(true);
      // The Markdown cell's value keeps its interpolated values: ["silhouette = ", ""] + [String(score)].
      const rendered = session.ids().map((i) => session.state(i)?.value as { parts?: string[]; values?: unknown[] });
      const line = rendered.find((v) => v?.parts?.[0] === "silhouette = ")!;
      node = Number(line.values![0]);
    } finally {
      await close();
    }
    const watched = await workbench.open();
    await watched.page.goto(workbench.url("__test-notebooks__/silhouette-pool.md"));
    await waitForSettled(watched.page);
    const text = await watched.page
      .getByText(/silhouette = /)
      .first()
      .textContent();
    expect(Number(text!.replace(/.*silhouette = /, "").trim())).toBe(node);
    expect(node).toBeGreaterThan(0);
    expect(watched.pageErrors).toEqual([]);
  });
});
