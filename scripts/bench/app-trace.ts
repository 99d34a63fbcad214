/**
 * Where the default notebook's start-up time goes, on the built site in headless Chromium: every
 * request (page and workers) with its start and end, the engine's phase and every cell's status
 * changes, and the wasm compile events of a Chromium trace, all on the page's clock (ms since
 * navigation). Not a benchmark row: a tool to read before changing the start-up path.
 *
 * Run: `npx vite build --outDir /tmp/x && SEGBOOK_DIST=/tmp/x npx tsx scripts/bench/app-trace.ts [runs] [--repeat]`
 * (`--repeat` opens the page twice in one context, with the HTTP cache on, and traces the second
 * visit: what a returning user gets).
 */
import fs from "node:fs";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM } from "../../test/browser/helpers/browser.ts";
import { startStaticServer } from "../../test/browser/helpers/static-server.ts";
import { waitForSettled } from "../../test/browser/helpers/workbench.ts";

interface Line {
  at: number;
  end?: number;
  what: string;
}

/** Records, from before the app's scripts, when the engine's phase and each cell's status change. */
function recordPhases(): void {
  const events: { at: number; what: string }[] = [];
  (globalThis as unknown as { __trace: typeof events }).__trace = events;
  new MutationObserver((mutations) => {
    const at = performance.now();
    for (const m of mutations) {
      const e = m.target as Element;
      const value = e.getAttribute(m.attributeName ?? "");
      const id = e.getAttribute("data-cell-id") ?? e.getAttribute("data-source-name") ?? "";
      events.push({ at, what: `${m.attributeName}=${value} ${id}` });
    }
  }).observe(document, {
    subtree: true,
    attributes: true,
    attributeFilter: ["data-cell-status", "data-engine-phase", "data-source-status"],
  });
}

async function visit(context: BrowserContext, url: string, trace: boolean): Promise<Line[]> {
  const page: Page = await context.newPage();
  await page.addInitScript(recordPhases);
  const requests: { url: string; start: number; end: number; size: number }[] = [];
  context.on("requestfinished", (request) => {
    const t = request.timing();
    void request.sizes().then(
      (s) =>
        requests.push({
          url: request.url(),
          start: t.startTime,
          end: t.startTime + t.responseEnd,
          size: s.responseBodySize,
        }),
      () => {},
    );
  });
  const tracePath = "/tmp/segbook-app-trace.json";
  if (trace) {
    await context.browser()!.startTracing(page, {
      path: tracePath,
      categories: [
        "devtools.timeline",
        "v8.wasm",
        "disabled-by-default-v8.wasm.detailed",
        "blink.user_timing",
        "v8.execute",
      ],
    });
  }
  await page.goto(url);
  await waitForSettled(page);
  const { origin, events } = await page.evaluate(() => ({
    origin: performance.timeOrigin,
    events: (globalThis as unknown as { __trace: { at: number; what: string }[] }).__trace,
  }));
  const lines: Line[] = [];
  for (const e of events) lines.push({ at: e.at, what: e.what });
  for (const r of requests) {
    lines.push({
      at: r.start - origin,
      end: r.end - origin,
      what: `GET ${new URL(r.url).pathname.split("/").pop()} ${Math.round(r.size / 1024)} kB`,
    });
  }
  if (trace) {
    await context.browser()!.stopTracing();
    const json = JSON.parse(fs.readFileSync(tracePath, "utf8")) as {
      traceEvents: { name: string; ts: number; dur?: number; ph: string; cat: string; tid: number }[];
    };
    const navStart = json.traceEvents.find((e) => e.name === "navigationStart" || e.name === "NavigationStart");
    const base = navStart?.ts ?? 0;
    for (const e of json.traceEvents) {
      const cacheEvent = /cache|deserializ/i.test(e.name);
      if (!/wasm/i.test(e.cat + e.name) || (!cacheEvent && (e.dur ?? 0) < 20_000)) continue;
      lines.push({
        at: (e.ts - base) / 1000,
        end: (e.ts - base + (e.dur ?? 0)) / 1000,
        what: `trace ${e.name} (tid ${e.tid})`,
      });
    }
  }
  await page.close();
  return lines.sort((a, b) => a.at - b.at);
}

const runs = Number(process.argv[2] ?? 1);
const repeat = process.argv.some((a) => a.startsWith("--repeat"));
/** Visits before the traced one with --repeat (`--repeat=2`: the third visit is traced). */
const visitsBefore = Number(process.argv.find((a) => a.startsWith("--repeat="))?.slice(9) ?? 1);
const server = await startStaticServer({
  caching: repeat ? ((process.env.CACHING ?? "revalidate") as "revalidate" | "max-age") : "none",
});
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
try {
  for (let i = 0; i < runs; ++i) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: "block" });
    for (let v = 0; repeat && v < visitsBefore; v++) {
      await visit(context, server.baseUrl, false);
      // Chromium writes the compiled wasm code to its cache a while after the compile.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
    const lines = await visit(context, server.baseUrl, i === 0);
    console.log(`--- run ${i + 1}${repeat ? " (repeat visit)" : ""}`);
    for (const l of lines)
      console.log(
        `${l.at.toFixed(0).padStart(6)}${l.end === undefined ? "       " : ` ${l.end.toFixed(0).padStart(6)}`}  ${l.what}`,
      );
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
