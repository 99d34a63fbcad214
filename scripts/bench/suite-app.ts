/**
 * App figures on the built site in headless Chromium: first contentful paint, time until the default
 * notebook has run (every cell ok), JavaScript shipped before first paint (gzip) and total size.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { launchChromium, openWatchedPage } from "../../test/browser/helpers/browser.ts";
import { startStaticServer, distDir } from "../../test/browser/helpers/static-server.ts";
import { entryScript, staticGraph, waitForSettled } from "../../test/browser/helpers/workbench.ts";
import { median, type Figure } from "./harness.ts";
import { longTaskFigures } from "./app-longtasks.ts";

function folderSize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderSize(full) : statSync(full).size;
  }
  return total;
}

/**
 * Until every cell of the default notebook is ok on a second visit: the same browser profile opens
 * the site twice from a server that answers as a static host does by default (ETag, `no-cache`,
 * 304), so the second visit has the HTTP cache and the wasm code Chromium compiled and kept on the
 * first. No request routing here: Playwright's routing switches the HTTP cache off. Every request
 * went to 127.0.0.1 (checked).
 */
export async function repeatVisits(browser: Browser, runs: number): Promise<number[]> {
  const server = await startStaticServer({ caching: "revalidate" });
  const ready: number[] = [];
  try {
    for (let i = 0; i < runs; ++i) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: "block" });
      const offSite: string[] = [];
      context.on("request", (request) => {
        if (new URL(request.url()).hostname !== "127.0.0.1") offSite.push(request.url());
      });
      for (const visit of ["first", "repeat"]) {
        const page = await context.newPage();
        await page.goto(server.baseUrl);
        await waitForSettled(page);
        const now = await page.evaluate(() => performance.now());
        // Settling is detected by polling every 150 ms, twice: subtract that so the figure is fair.
        if (visit === "repeat") ready.push(now - 300);
        // Chromium writes the compiled code to its cache a while after the compile; give it time.
        if (visit === "first") await page.waitForTimeout(3_000);
        await page.close();
      }
      await context.close();
      if (offSite.length) throw new Error(`the app fetched off-site: ${offSite.join(", ")}`);
    }
  } finally {
    await server.close();
  }
  return ready;
}

/** The app suite; needs `npm run build` first (or a build elsewhere named by SEGBOOK_DIST). */
export async function appSuite(runs = 5): Promise<Figure[]> {
  const entry = entryScript();
  const firstPaintJs = staticGraph(entry).reduce(
    (sum, file) => sum + gzipSync(readFileSync(path.join(distDir, file))).length,
    0,
  );
  const server = await startStaticServer();
  const browser = await launchChromium();
  const paints: number[] = [];
  const ready: number[] = [];
  const responsiveness: Figure[] = [];
  const repeat: number[] = [];
  try {
    for (let i = 0; i < runs; ++i) {
      const watched = await openWatchedPage(browser);
      await watched.page.goto(server.baseUrl);
      await waitForSettled(watched.page);
      const times = await watched.page.evaluate(() => ({
        paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
        now: performance.now(),
      }));
      paints.push(times.paint);
      // Settling is detected by polling every 150 ms, twice: subtract that so the figure is fair.
      ready.push(times.now - 300);
      await watched.close();
    }
    repeat.push(...(await repeatVisits(browser, runs)));
    responsiveness.push(...(await longTaskFigures(browser, server)));
  } finally {
    await browser.close();
    await server.close();
  }
  return [
    { suite: "app", name: "first contentful paint (default notebook)", median: median(paints), runs, unit: "ms" },
    {
      suite: "app",
      name: "until every cell of the default notebook is ok",
      median: median(ready),
      runs,
      unit: "ms",
      note: "first visit (nothing cached: the server sends no-store); includes DuckDB start (34 MB wasm download and compile), data load and Plot",
    },
    {
      suite: "app",
      name: "until every cell of the default notebook is ok, second visit",
      median: median(repeat),
      runs,
      unit: "ms",
      note: "the same browser profile again, served as static hosts do by default (ETag, no-cache, 304): the HTTP cache and Chromium's cached wasm code are used",
    },
    { suite: "app", name: "JavaScript before first paint (gzip)", median: firstPaintJs / 1024, runs: 1, unit: "kB" },
    { suite: "app", name: "total static site size (dist/)", median: folderSize(distDir) / 1024, runs: 1, unit: "kB" },
    ...responsiveness,
  ];
}
