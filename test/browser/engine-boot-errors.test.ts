/**
 * When a file DuckDB needs does not load, the page names that file and what the server answered:
 * the boot script (duckdb-boot-worker), DuckDB's worker script, or the wasm. Each is answered 404
 * in turn on the built site; before, every case blamed DuckDB's worker script.
 */
import { expect, test } from "vitest";
import { useWorkbench } from "./helpers/setup.ts";

const workbench = useWorkbench();

/** The file made to fail, the URL pattern that serves it, and what the message must say. */
const CASES: [file: string, url: RegExp, message: RegExp][] = [
  [
    "the boot script",
    /\/assets\/duckdb-boot-worker-[^/]*\.js$/,
    /^Could not start DuckDB: DuckDB's boot script \S*\/assets\/duckdb-boot-worker-\S*\.js failed to start: the server answered HTTP 404 Not Found \(it loads DuckDB's worker script \S*duckdb-browser-eh\.worker\S*\.js and wasm \S*duckdb-eh\S*\.wasm\)$/,
  ],
  [
    "DuckDB's worker script",
    /\/assets\/duckdb-browser-eh\.worker-[^/]*\.js$/,
    /^Could not start DuckDB: DuckDB's worker script \S*duckdb-browser-eh\.worker-\S*\.js did not load in DuckDB's boot script \S*duckdb-boot-worker-\S*\.js: .*importScripts.*failed to load/,
  ],
  [
    "DuckDB's wasm",
    /\/assets\/duckdb-eh-[^/]*\.wasm$/,
    /^Could not start DuckDB: DuckDB's wasm \S*duckdb-eh-\S*\.wasm did not load in DuckDB's boot script \S*duckdb-boot-worker-\S*\.js: the server answered HTTP 404 Not Found$/,
  ],
];

test.each(CASES)("bootDuckdb names %s when it answers 404", async (_file, url, message) => {
  const w = await workbench.open();
  // Every method: the page asks again with HEAD to learn the status of a script that did not load.
  await w.context.route(
    (u) => url.test(u.pathname),
    (route) => route.fulfill({ status: 404, contentType: "text/plain", body: "not found" }),
  );
  await w.page.goto(workbench.url());
  await w.page.waitForSelector("main[data-engine-phase=failed]", { timeout: 60_000 });
  const failure = (await w.page.locator("main .failure").first().textContent())?.trim() ?? "";
  expect(failure).toMatch(message);
  // The failure is the page's message, not an uncaught error.
  expect(w.pageErrors).toEqual([]);
});
