/**
 * A returning visitor's Chromium keeps the code it compiled for DuckDB's wasm: the page compiles the
 * wasm from the fetched response itself (browser-boot.ts), which is what lets Chromium store the
 * compiled module beside the cached file and read it back on the next visit instead of compiling
 * again. Measured on this machine: the second visit then does no lazy compilation on DuckDB's thread.
 * A profile on disk is needed: Chromium keeps no compiled code for an off-the-record context (what
 * Playwright's newContext makes), so this test uses a persistent one, as a user's browser is.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS } from "./helpers/browser.ts";
import { startStaticServer, type StaticServer } from "./helpers/static-server.ts";
import { cellSnapshots, waitForSettled } from "./helpers/workbench.ts";

let server: StaticServer;
let profile: string;
let context: BrowserContext;

beforeAll(async () => {
  // As static hosts answer by default: an ETag, `no-cache`, 304 when unchanged.
  server = await startStaticServer({ caching: "revalidate" });
  profile = fs.mkdtempSync(path.join(os.tmpdir(), "segbook-profile-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS],
    serviceWorkers: "block",
  });
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

/** Opens the default notebook until it has run; returns the wasm events Chromium's trace saw. */
async function visit(): Promise<{ deserialized: number; wasmRequests: number; notOk: unknown[] }> {
  const page = await context.newPage();
  let wasmRequests = 0;
  page.on("request", (request) => {
    if (/\/assets\/duckdb-(eh|mvp)-[^/]*\.wasm$/.test(new URL(request.url()).pathname)) wasmRequests++;
  });
  const cdp = await context.newCDPSession(page);
  const names: string[] = [];
  cdp.on("Tracing.dataCollected", (event) => {
    for (const e of event.value) names.push(String(e.name));
  });
  await cdp.send("Tracing.start", { categories: "v8.wasm", transferMode: "ReportEvents" });
  await page.goto(server.baseUrl);
  await waitForSettled(page);
  const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.end");
  await complete;
  const notOk = (await cellSnapshots(page)).filter((c) => c.status !== "ok");
  // Chromium stores the compiled code once V8 has optimised enough of it: in the first visit, the
  // notebook's runs and then the warm-up the page runs when idle (src/ui/code-cache-warm-up.ts).
  await page.waitForTimeout(5_000);
  await page.close();
  return { deserialized: names.filter((n) => n === "wasm.Deserialize").length, wasmRequests, notOk };
}

test("the second visit takes DuckDB's compiled wasm from Chromium's code cache instead of compiling it again", async () => {
  const first = await visit();
  expect(first.notOk).toEqual([]);
  expect(first.wasmRequests).toBe(1);
  expect(first.deserialized, "nothing is cached before the first visit").toBe(0);

  const second = await visit();
  expect(second.notOk).toEqual([]);
  // Asked once (the server answers 304), and the compiled module read back from the code cache.
  expect(second.wasmRequests).toBe(1);
  expect(second.deserialized).toBeGreaterThanOrEqual(1);
});
