/**
 * App figures on the built site in headless Chromium: first contentful paint, time until the default
 * notebook has run (every cell ok), JavaScript shipped before first paint (gzip) and total size.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
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
      note: "includes DuckDB start, data load and Plot",
    },
    { suite: "app", name: "JavaScript before first paint (gzip)", median: firstPaintJs / 1024, runs: 1, unit: "kB" },
    { suite: "app", name: "total static site size (dist/)", median: folderSize(distDir) / 1024, runs: 1, unit: "kB" },
    ...responsiveness,
  ];
}
