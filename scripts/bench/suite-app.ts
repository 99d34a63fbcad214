/**
 * App figures on the built site in headless Chromium: first contentful paint, time until the default
 * notebook has run (every cell ok), JavaScript shipped before first paint (gzip) and total size.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, launchChromium, openWatchedPage } from "../../test/browser/helpers/browser.ts";
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
 * Records, from before the app's scripts run, when a cell's, a data source's or the engine's status
 * last changed (page clock). Once the page has settled that is the moment the last cell became ok:
 * exact, where subtracting the settle poll from the time the poll returned over-counts whenever the
 * page's thread is busy after the run (Monaco arrives then).
 */
function recordLastStatusChange(): void {
  const scope = globalThis as unknown as { __segbookLastStatus: number };
  scope.__segbookLastStatus = 0;
  new MutationObserver(() => {
    scope.__segbookLastStatus = performance.now();
  }).observe(document, {
    subtree: true,
    attributes: true,
    attributeFilter: ["data-cell-status", "data-source-status", "data-engine-phase"],
  });
}

/**
 * Opens the site on `page` and returns when every cell of its notebook became ok (ms since
 * navigation), once the page has settled.
 *
 * @example
 * const ms = await timeUntilReady(page, server.baseUrl);
 */
export async function timeUntilReady(page: Page, url: string): Promise<number> {
  await page.addInitScript(recordLastStatusChange);
  await page.goto(url);
  await waitForSettled(page);
  return page.evaluate(() => (globalThis as unknown as { __segbookLastStatus: number }).__segbookLastStatus);
}

/**
 * Until every cell of the default notebook is ok on a second visit: one browser profile on disk (as a
 * returning user has; a Playwright context made by newContext is off the record, and Chromium keeps
 * no compiled wasm code for those, so its second visit compiled everything again) opens the site
 * twice from a server that answers as a static host does by default (ETag, `no-cache`, 304). The
 * second visit has the HTTP cache and the wasm code Chromium compiled and kept on the first. No
 * request routing here: Playwright's routing switches the HTTP cache off. Every request went to
 * 127.0.0.1 (checked).
 */
export async function repeatVisits(runs: number): Promise<number[]> {
  const server = await startStaticServer({ caching: "revalidate" });
  const ready: number[] = [];
  try {
    for (let i = 0; i < runs; ++i) {
      const profile = mkdtempSync(path.join(tmpdir(), "segbook-bench-profile-"));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        args: [...CHROMIUM_ARGS],
        viewport: { width: 1280, height: 800 },
        serviceWorkers: "block",
      });
      const offSite: string[] = [];
      context.on("request", (request) => {
        if (new URL(request.url()).hostname !== "127.0.0.1") offSite.push(request.url());
      });
      try {
        for (const visit of ["first", "repeat"]) {
          const page = await context.newPage();
          const ms = await timeUntilReady(page, server.baseUrl);
          if (visit === "repeat") ready.push(ms);
          // Chromium writes the compiled code to its cache a while after the compile; give it time.
          if (visit === "first") await page.waitForTimeout(3_000);
          await page.close();
        }
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
      if (offSite.length) throw new Error(`the app fetched off-site: ${offSite.join(", ")}`);
    }
  } finally {
    await server.close();
  }
  return ready;
}

/** The page's first contentful paint (ms since navigation). */
function firstPaint(page: Page): Promise<number> {
  return page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN);
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
  const sandboxPaints: number[] = [];
  const sandboxReady: number[] = [];
  const responsiveness: Figure[] = [];
  const repeat: number[] = [];
  try {
    for (let i = 0; i < runs; ++i) {
      const watched = await openWatchedPage(browser);
      ready.push(await timeUntilReady(watched.page, server.baseUrl));
      paints.push(await firstPaint(watched.page));
      await watched.close();
      // The same first visit with the cells in the sandbox frame (docs/sandbox.md), alternated with the
      // page's, so both see the same machine.
      const sandboxed = await openWatchedPage(browser);
      sandboxReady.push(await timeUntilReady(sandboxed.page, `${server.baseUrl}?sandbox=1`));
      sandboxPaints.push(await firstPaint(sandboxed.page));
      await sandboxed.close();
    }
    repeat.push(...(await repeatVisits(runs)));
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
      note: "first visit (nothing cached: the server sends no-store); includes DuckDB start (34 MB wasm download and compile), data load and Plot; the moment the last status changed (recorded in the page)",
    },
    {
      suite: "app",
      name: "until every cell of the default notebook is ok, second visit",
      median: median(repeat),
      runs,
      unit: "ms",
      note: "the same browser profile (on disk, as a returning user's) again, served as static hosts do by default (ETag, no-cache, 304): the HTTP cache and Chromium's cached wasm code are used",
    },
    {
      suite: "app",
      name: "first contentful paint, cells in the sandbox frame (?sandbox=1)",
      median: median(sandboxPaints),
      runs,
      unit: "ms",
      baselines: { "cells in the page (the default), same run": median(paints) },
    },
    {
      suite: "app",
      name: "until every cell of the default notebook is ok, cells in the sandbox frame (?sandbox=1)",
      median: median(sandboxReady),
      runs,
      unit: "ms",
      baselines: { "cells in the page (the default), same run": median(ready) },
      note: "first visit as above, alternated with it; the app's notebook runs in the opaque-origin frame (its 2 MB bundle booted in a process of its own) on the page's DuckDB through the engine port; the app's cell statuses are the frame's reports",
    },
    { suite: "app", name: "JavaScript before first paint (gzip)", median: firstPaintJs / 1024, runs: 1, unit: "kB" },
    { suite: "app", name: "total static site size (dist/)", median: folderSize(distDir) / 1024, runs: 1, unit: "kB" },
    ...responsiveness,
  ];
}
