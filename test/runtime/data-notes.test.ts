/**
 * A data source's load notes reach its state (and so the UI row and `segbook run`), and a file
 * whose sha256 differs from the front matter fails, unless the host resolved it as a file the user
 * picked (`onMismatch: "warn"`), which loads with the warning note instead.
 */
import * as aq from "arquero";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { DataSource } from "../../src/notebook/model.ts";
import { dataNodeId, Session, type DataResolution } from "../../src/runtime/index.ts";
import { notebook, repoRoot } from "../helpers/session.ts";
import { segbookInProcess } from "../cli/segbook-bin.ts";

const FLOAT_IDS = "test/fixtures/bad-data/float-ids.csv";

async function loadState(source: DataSource, resolve: (p: string) => DataResolution) {
  const engine = await createNodeEngine();
  const session = new Session({
    engine,
    libraries: { aq },
    resolveData: (_n, s) => resolve(path.resolve(repoRoot, s.path)),
  });
  session.setNotebook(notebook([], { data: { ids: source } }));
  await session.settled();
  const state = session.state(dataNodeId("ids"))!;
  await session.dispose();
  await engine.close();
  return state;
}

describe("data source notes", () => {
  it("Session puts LoadResult.notes on the data source's state", async () => {
    const state = await loadState({ path: FLOAT_IDS }, (p) => ({ kind: "path", path: p }));
    expect(state.status).toBe("ok");
    expect(state.notes).toEqual([expect.stringMatching(/^column customer_id: read 12583\.0 as DOUBLE/)]);
  });

  it.each([
    ["error" as const, "error"],
    ["warn" as const, "ok"],
  ])("Session with a changed file and onMismatch %s ends %s", async (onMismatch, status) => {
    const source = { path: FLOAT_IDS, sha256: "0".repeat(64) };
    const state = await loadState(source, (p) => ({ source: { kind: "path", path: p }, onMismatch }));
    expect(state.status).toBe(status);
    if (status === "ok") expect(state.notes?.[0]).toMatch(/^data changed since this notebook was written/);
    else expect(state.error?.message).toMatch(/sha256 is .* but the notebook expects 0000/);
  });

  it("segbook run prints a data source's notes under its line", async () => {
    // In-process through the CLI's main: what is tested is the line format, not a process start.
    const result = await segbookInProcess(
      "run",
      "test/browser/notebooks/data-missing.md",
      "--data",
      `orders=${FLOAT_IDS}`,
    );
    expect(result.stdout).toMatch(/^ok {6}data "orders".*\n {8}note: column customer_id: read 12583\.0 as DOUBLE/m);
  });
});
