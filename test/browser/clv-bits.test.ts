/**
 * seg.clv gives the same bits in Chromium (the built site: duckdb-wasm in its worker, the fit in the
 * kernel worker pool) and in `segbook run` (Node, in-process) on duckdb-wasm and on native DuckDB
 * (`--engine native`, multi-threaded): test/browser/notebooks/clv-bits.md fits BG/NBD and Gamma-Gamma
 * on the whole CDNOW master file and writes every fitted parameter as the hex of its double, plus a
 * digest of every customer's predictions. The customers' mean spend used to be DuckDB `sum`s, added
 * in whatever order the engine aggregated rows: native DuckDB's last bits differed, and the
 * Gamma-Gamma fit with them in the 7th digit (src/seg/clv.ts orderedSum).
 */
import { describe, expect, test } from "vitest";
import path from "node:path";
import { runNotebookFile, type EngineKind } from "../../src/cli/run-notebook.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { cellSnapshots, waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();
const NOTEBOOK = path.join(import.meta.dirname, "notebooks/clv-bits.md");
const CDNOW = "../shared/datasets/cdnow/CDNOW_master.txt";

/** "clv bits: bgnbd.r=3fd0… …" → {"bgnbd.r": "3fd0…", …}. */
function parseBits(line: string): Record<string, string> {
  const text = line.replace(/^.*clv bits:/s, "").trim();
  return Object.fromEntries(text.split(/\s+/).map((pair) => pair.split("=") as [string, string]));
}

async function nodeBits(engine: EngineKind): Promise<Record<string, string>> {
  const { report, session, close } = await runNotebookFile(NOTEBOOK, { data: { cdnow: CDNOW }, engine });
  try {
    expect(report.ok, JSON.stringify(report)).toBe(true);
    // The Markdown cell keeps its interpolated values: ["clv bits: ", ""] + [bits].
    const rendered = session.ids().map((i) => session.state(i)?.value as { parts?: string[]; values?: unknown[] });
    const line = rendered.find((v) => v?.parts?.[0] === "clv bits: ")!;
    return parseBits(`clv bits: ${String(line.values![0])}`);
  } finally {
    await close();
  }
}

describe("seg.clv in the browser and in segbook run", () => {
  test("seg.clv on CDNOW fits BG/NBD and Gamma-Gamma to the same bits in Chromium and in Node on both engines", async () => {
    const node = await nodeBits("wasm");
    const native = await nodeBits("native");
    const watched = await workbench.open();
    await watched.page.goto(workbench.url("__test-notebooks__/clv-bits.md"));
    await waitForSettled(watched.page, 240_000);
    const statuses = (await cellSnapshots(watched.page)).map((c) => c.status);
    expect(
      statuses.every((s) => s === "ok"),
      JSON.stringify(statuses),
    ).toBe(true);
    const text = await watched.page
      .getByText(/clv bits:/)
      .first()
      .textContent();
    const browser = parseBits(text!);
    expect(Object.keys(node)).toEqual([
      "bgnbd.r",
      "bgnbd.alpha",
      "bgnbd.a",
      "bgnbd.b",
      "bgnbd.logLikelihood",
      "gammaGamma.p",
      "gammaGamma.q",
      "gammaGamma.v",
      "gammaGamma.logLikelihood",
      "digest",
    ]);
    for (const value of Object.values(node)) expect(value).toMatch(/^[0-9a-f]{16}$/);
    expect(browser).toEqual(node);
    expect(native).toEqual(node);
    expect(watched.pageErrors).toEqual([]);
    expect(watched.blockedRequests).toEqual([]);
  }, 900_000);
});
