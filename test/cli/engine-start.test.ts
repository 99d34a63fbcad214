import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEngineEarly, takeEarlyEngine } from "../../src/cli/engine-start.ts";
import { runNotebookFile } from "../../src/cli/run-notebook.ts";
import { segbookInProcess } from "./segbook-bin.ts";

const dir = mkdtempSync(path.join(tmpdir(), "segbook-engine-start-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("startEngineEarly(kind) / takeEarlyEngine(kind)", () => {
  it("hands the started engine over once, and only for its kind", async () => {
    startEngineEarly("wasm");
    expect(takeEarlyEngine("native")).toBeUndefined();
    const engine = takeEarlyEngine("wasm");
    expect(engine).toBeDefined();
    expect(takeEarlyEngine("wasm")).toBeUndefined();
    const opened = await engine!;
    expect(Number((await opened.query("SELECT 41 + 1 AS n")).getChild("n")!.get(0))).toBe(42);
    await opened.close();
  });

  it("runNotebookFile runs on the engine started early (as segbook run's main starts it) and closes it", async () => {
    const file = path.join(dir, "early.md");
    writeFileSync(file, "---\ntitle: early\n---\n\n```sql answer\nSELECT 42 AS n\n```\n");
    startEngineEarly("wasm");
    const { report, close } = await runNotebookFile(file);
    await close();
    expect(report.ok).toBe(true);
    // Taken by the run: nothing is left for another, and no second engine was opened beside it.
    expect(takeEarlyEngine("wasm")).toBeUndefined();
  });

  it("runNotebookFile opens its own engine when none of its kind was started", async () => {
    const file = path.join(dir, "own.md");
    writeFileSync(file, "---\ntitle: own\n---\n\n```sql answer\nSELECT 42 AS n\n```\n");
    startEngineEarly("native");
    const { report, close } = await runNotebookFile(file, { engine: "wasm" });
    await close();
    expect(report.ok).toBe(true);
    const unused = takeEarlyEngine("native");
    expect(unused).toBeDefined();
    await (await unused!).close();
  });

  it("segbook run of a notebook it cannot read leaves no engine behind (the early one is closed)", async () => {
    const { code, stderr } = await segbookInProcess("run", path.join(dir, "missing.md"));
    expect(code).toBe(2);
    expect(stderr).toContain("cannot run");
    expect(takeEarlyEngine("wasm")).toBeUndefined();
  });
});
