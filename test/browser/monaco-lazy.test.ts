/**
 * Monaco is kept out of first paint: the built entry chunk and its static imports hold none of it,
 * and the page fetches it only after the notebook itself.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { distDir } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { assetsContaining, entryScript, staticGraph, waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();

test("the built entry chunk and its static imports do not contain Monaco", () => {
  const entry = entryScript();
  const graph = staticGraph(entry);
  expect(graph).toContain(entry);
  // Our Monaco setup module sets MonacoEnvironment; the editor core registers `.monaco-editor` styles.
  const monacoFiles = [...assetsContaining("MonacoEnvironment"), ...assetsContaining(".monaco-editor")];
  expect(monacoFiles.length, "Monaco is somewhere in the build").toBeGreaterThan(0);
  expect(graph.filter((f) => monacoFiles.includes(f))).toEqual([]);
  // Nor is it preloaded or linked from the page.
  const html = fs.readFileSync(path.join(distDir, "index.html"), "utf8");
  for (const file of monacoFiles) expect(html).not.toContain(file);
});

test("the page requests Monaco after the notebook and then shows Monaco editors", async () => {
  const w = await workbench.open();
  const requests: string[] = [];
  w.page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await w.page.goto(workbench.url());
  await w.page.waitForSelector("main[data-editor-phase=monaco] [data-cell-kind=ts] .monaco-editor");
  await waitForSettled(w.page);

  const monacoChunks = assetsContaining("MonacoEnvironment").map((f) => `/some/sub/path/${f}`);
  const firstMonaco = requests.findIndex((r) => monacoChunks.includes(r));
  const notebook = requests.indexOf("/some/sub/path/notebooks/welcome.md");
  expect(notebook).toBeGreaterThanOrEqual(0);
  expect(firstMonaco).toBeGreaterThan(notebook);
  expect(w.pageErrors).toEqual([]);
  expect(w.blockedRequests).toEqual([]);
});

test("cells switch to Monaco one editor per task, not all in one (CellEditors.turn)", async () => {
  const w = await workbench.open();
  // Before the app: count, per MutationObserver delivery (one or more per task), the Monaco hosts added.
  await w.page.addInitScript(() => {
    const batches: number[] = [];
    (globalThis as unknown as { __monacoBatches: number[] }).__monacoBatches = batches;
    new MutationObserver((mutations) => {
      let added = 0;
      for (const m of mutations)
        for (const node of m.addedNodes)
          if (node instanceof Element && node.matches('[data-editor="monaco"]')) added += 1;
      if (added > 0) batches.push(added);
    }).observe(document, { subtree: true, childList: true });
  });
  await w.page.goto(workbench.url());
  await waitForSettled(w.page);
  const codeCells = await w.page.locator("[data-cell-kind=ts], [data-cell-kind=sql]").count();
  await expect.poll(() => w.page.locator('[data-editor="monaco"]').count(), { timeout: 60_000 }).toBe(codeCells);
  const batches = await w.page.evaluate(() => (globalThis as unknown as { __monacoBatches: number[] }).__monacoBatches);
  expect(codeCells).toBeGreaterThan(2);
  // Every editor arrived on its own: as many deliveries as editors, one editor each.
  expect(batches).toEqual(Array.from({ length: codeCells }, () => 1));
  expect(w.pageErrors).toEqual([]);
});
