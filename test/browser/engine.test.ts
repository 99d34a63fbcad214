/**
 * Runs the engine conformance suite (test/engine/engine-cases.ts) against the browser engine:
 * AsyncDuckDB in its Web Worker, on the built site, in real Chromium. The Node engine runs the same
 * cases in test/engine/node-engine.test.ts; each case's `run` is sent to the page as source text.
 */
import { describe, expect, test } from "vitest";
import { engineCases } from "../engine/engine-cases.ts";
import { useWorkbench } from "./helpers/setup.ts";
import type { WatchedPage } from "./helpers/browser.ts";

const workbench = useWorkbench();

describe("createBrowserEngine() passes the engine conformance suite", () => {
  let page: WatchedPage | undefined;
  const ready = async () => {
    if (page) return page;
    page = await workbench.open();
    await page.page.goto(workbench.url("__test-notebooks__/engine-host.md"));
    await page.page.waitForFunction(() => (globalThis as { segbook?: unknown }).segbook !== undefined, null, {
      timeout: 90_000,
    });
    return page;
  };

  for (const testCase of engineCases) {
    test(testCase.title, async () => {
      const p = (await ready()).page;
      const json = await p.evaluate(
        async ({ source, base }) => {
          const run = new Function(`return (${source});`)();
          const fixtureUrl = (file: string) => ({ kind: "url", url: new URL(`__fixtures__/${file}`, base).href });
          const engine = (globalThis as unknown as { segbook: { engine: unknown } }).segbook.engine;
          return JSON.stringify(await run(engine, fixtureUrl));
        },
        { source: testCase.run.toString(), base: workbench.url() },
      );
      expect(JSON.parse(json)).toEqual(testCase.expected);
    });
  }

  test("the conformance run made no request off this machine and threw no page error", async () => {
    const watched = await ready();
    expect(watched.blockedRequests).toEqual([]);
    expect(watched.pageErrors).toEqual([]);
    // The missing-file case's 404 is the only console error expected.
    expect(watched.consoleErrors.filter((e) => !/404/.test(e))).toEqual([]);
  });
});
