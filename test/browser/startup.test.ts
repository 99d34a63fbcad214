/**
 * First paint needs only the shell, the notebook parser and Markdown: the built entry chunk and its
 * static imports stay small and hold none of the runtime's libraries, and with those held back the
 * page still shows the whole notebook (Markdown rendered, code as text), then runs it once they arrive.
 */
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Route } from "playwright-core";
import { expect, test } from "vitest";
import { distDir } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { assetsContaining, cellSnapshots, entryScript, staticGraph, waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();

/** The target of issue 7: JavaScript shipped before first paint, gzip. */
const FIRST_PAINT_JS_LIMIT = 300 * 1024;

/** A string only each library's code holds (a message or class name that minifying keeps). */
const LAZY_LIBRARIES: [library: string, marker: string][] = [
  ["monaco-editor", "MonacoEnvironment"],
  ["duckdb-wasm's AsyncDuckDB client", "REGISTER_FILE_HANDLE"],
  ["arquero", "Mismatched number of join keys"],
  ["@observablehq/plot", "plot-d6a7b5"],
  ["sucrase", "TopLevelDeclaration"],
];

test("the built entry chunk and its static imports are under 300 KB gzip", () => {
  const graph = staticGraph(entryScript());
  const sizes = graph.map((file) => [file, gzipSync(fs.readFileSync(path.join(distDir, file))).length] as const);
  const total = sizes.reduce((sum, [, size]) => sum + size, 0);
  expect(total, `gzip bytes before first paint: ${JSON.stringify(sizes)}`).toBeLessThan(FIRST_PAINT_JS_LIMIT);
});

test.each(LAZY_LIBRARIES)("the built entry chunk and its static imports do not contain %s", (library, marker) => {
  const graph = staticGraph(entryScript());
  const holders = assetsContaining(marker).filter((f) => f.endsWith(".js"));
  // The marker must still name the library's code, or this test would pass for nothing.
  expect(holders.length, `no built chunk contains ${JSON.stringify(marker)} (${library})`).toBeGreaterThan(0);
  expect(graph.filter((f) => holders.includes(f))).toEqual([]);
});

test("with the runtime's chunks held back the page shows the notebook, then runs it once they arrive", async () => {
  const w = await workbench.open();
  // Every chunk holding the compiler, Arquero, Plot or DuckDB's client waits until released.
  const held = new Set(
    LAZY_LIBRARIES.filter(([library]) => library !== "monaco-editor").flatMap(([, marker]) =>
      assetsContaining(marker).filter((f) => f.endsWith(".js")),
    ),
  );
  const waiting: Route[] = [];
  let released = false;
  await w.page.route(
    (url) => held.has(url.pathname.replace(/^.*\/(assets\/[^/]+)$/, "$1")),
    (route) => (released ? route.fallback() : void waiting.push(route)),
  );
  await w.page.goto(workbench.url());

  // The notebook reads well already: Markdown rendered, code shown as text, the engine still starting.
  await w.page.waitForSelector("[data-cell-kind=md] .markdown h1, [data-cell-kind=md] .markdown h2");
  await w.page.waitForSelector("[data-cell-kind=ts] textarea.fallback, [data-cell-kind=ts] .monaco-editor");
  expect(await w.page.locator("main").getAttribute("data-engine-phase")).toBe("starting");
  const cells = await cellSnapshots(w.page);
  expect(cells.length).toBeGreaterThan(3);
  expect(cells.every((c) => c.status === "stale")).toBe(true);
  await expect.poll(() => waiting.length).toBeGreaterThan(0);

  released = true;
  for (const route of waiting.splice(0)) await route.fallback();
  await waitForSettled(w.page);
  expect((await cellSnapshots(w.page)).filter((c) => c.status !== "ok")).toEqual([]);
  expect(w.pageErrors).toEqual([]);
  expect(w.blockedRequests).toEqual([]);
});

test("bootDuckdb from the entry chunk: the page requests the wasm once, before its settings, the notebook and DuckDB's worker script", async () => {
  const w = await workbench.open();
  // This page's requests and its workers', in the order the browser made them.
  const mine: string[] = [];
  w.context.on("request", (request) => mine.push(new URL(request.url()).pathname));
  await w.page.goto(workbench.url());
  await waitForSettled(w.page);
  const position = (pattern: RegExp) => {
    const at = mine.findIndex((p) => pattern.test(p));
    expect(at, `${pattern} in ${JSON.stringify(mine)}`).toBeGreaterThanOrEqual(0);
    return at;
  };
  const wasm = position(/\/assets\/duckdb-eh-[^/]*\.wasm$/);
  // The page compiles it and hands the module to DuckDB's worker, which never downloads it again.
  expect(mine.filter((p) => p.endsWith(".wasm"))).toHaveLength(1);
  // Started before the app asked for anything else: its settings, the notebook, DuckDB's own script.
  for (const later of [/\/segbook-site\.json$/, /\/welcome\.md$/, /\/assets\/duckdb-browser-eh\.worker-[^/]*\.js$/]) {
    expect(wasm, `wasm before ${later}: ${JSON.stringify(mine)}`).toBeLessThan(position(later));
  }
  // Only the page, its stylesheet, the entry chunk with its static imports and DuckDB's boot script
  // (started in the same task) came before it.
  const graph = new Set(staticGraph(entryScript()));
  const before = mine
    .slice(0, wasm)
    .filter((p) => !p.endsWith("/") && !p.endsWith(".css") && !/\/duckdb-boot-worker-[^/]*\.js$/.test(p));
  expect(before.filter((p) => !graph.has(p.replace(/^.*\/(assets\/[^/]+)$/, "$1")))).toEqual([]);
  expect((await cellSnapshots(w.page)).filter((c) => c.status !== "ok")).toEqual([]);
  expect(w.pageErrors).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
  // Nothing was fetched off-site.
  expect(w.blockedRequests).toEqual([]);
});
