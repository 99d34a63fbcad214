/**
 * The ClickHouse adapter (src/engine/remote/clickhouse.ts, bundled as is) in headless Chromium, from a
 * page on another origin than the cluster: with the analyst user (CORS header on) it queries the
 * Distributed table across both shards with parameters and the row cap, with credentials in a simple
 * request (18.16 never answers a CORS preflight); a user without the CORS header gets the "cors"
 * failure, a closed port "unreachable".
 */
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLICKHOUSE, clickHouseMissing, clickHouseSetupQuery, startClickHouseCluster } from "../helpers/clickhouse.ts";
import { launchChromium, openWatchedPage, type WatchedPage } from "./helpers/browser.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");

/** What a query gives back to the test from the page: rows as JSON-safe text, or the RemoteError. */
interface Outcome {
  columns?: string[];
  rows?: string[][];
  failure?: string;
  message?: string;
}

describe.skipIf(clickHouseMissing)("createClickHouseEngine in a page (CORS)", () => {
  let browser: Browser;
  let server: http.Server;
  let origin: string;
  let watched: WatchedPage;

  beforeAll(async () => {
    await startClickHouseCluster();
    const bundle = await build({
      entryPoints: [path.join(repoRoot, "src/engine/remote/clickhouse.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      write: false,
    });
    const script = bundle.outputFiles[0]!.text;
    const page = `<!doctype html><meta charset="utf-8"><title>adapter</title><script type="module">
      import { createClickHouseEngine } from "./clickhouse.js";
      window.run = async (url, credentials, sql, params, maxRows) => {
        const engine = createClickHouseEngine("warehouse", { type: "clickhouse", url }, credentials);
        try {
          const result = await engine.query(sql, { params, maxRows });
          return {
            columns: result.columns.map((c) => c.name + " " + c.type),
            rows: result.rows.map((r) => r.map((v) => (v instanceof Date ? v.toISOString() : String(v)))),
          };
        } catch (error) {
          return { failure: error.failure, message: error.message };
        }
      };
      window.cancelOnceRunning = async (url, credentials, sql) => {
        const engine = createClickHouseEngine("warehouse", { type: "clickhouse", url }, credentials);
        const controller = new AbortController();
        try {
          await engine.query(sql, { signal: controller.signal, onProgress: (p) => p.rowsRead > 0 && controller.abort() });
          return {};
        } catch (error) {
          return { failure: error.failure, message: error.message };
        }
      };
      window.ready = true;
    </script>`;
    server = http.createServer((request, response) => {
      const js = request.url === "/clickhouse.js";
      response.writeHead(200, { "Content-Type": js ? "text/javascript" : "text/html" });
      response.end(js ? script : page);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    watched = await openWatchedPage(browser);
    await watched.page.goto(`${origin}/`);
    await watched.page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready);
  });

  afterAll(async () => {
    await watched?.close();
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const run = (url: string, credentials: object, sql: string, params: object = {}, maxRows?: number) =>
    watched.page.evaluate(
      ([u, c, s, p, m]) => (window as unknown as { run: (...a: unknown[]) => Promise<Outcome> }).run(u, c, s, p, m),
      [url, credentials, sql, params, maxRows] as const,
    ) as Promise<Outcome>;

  it("query() from another origin reads both shards of the Distributed table, with parameters", async () => {
    expect(new URL(origin).port).not.toBe(new URL(CLICKHOUSE.url).port);
    const outcome = await run(
      CLICKHOUSE.url,
      CLICKHOUSE.analyst,
      "SELECT customer_id % 2 AS shard, count() AS n, {label:String} AS label FROM orders WHERE channel != {skip:String} GROUP BY shard ORDER BY shard",
      { label: "it's \\ fine", skip: "'; DROP TABLE orders_local; --" },
    );
    expect(outcome.failure).toBeUndefined();
    expect(outcome.columns).toEqual(["shard UInt8", "n UInt64", "label String"]);
    expect(outcome.rows!.map((r) => r[0])).toEqual(["0", "1"]);
    expect(outcome.rows!.reduce((sum, r) => sum + Number(r[1]), 0)).toBe(CLICKHOUSE.ordersRows);
    expect(outcome.rows!.map((r) => r[2])).toEqual(["it's \\ fine", "it's \\ fine"]);
    // The page sent no preflight (18.16 never answers one) and kept no error.
    expect(watched.pageErrors).toEqual([]);
  });

  it("query() with a row cap fails with 'row-cap' in the page too", async () => {
    const outcome = await run(CLICKHOUSE.url, CLICKHOUSE.analyst, "SELECT * FROM orders", {}, 100);
    expect(outcome.failure).toBe("row-cap");
    expect(outcome.message).toContain("aggregate on the server first");
  });

  it("query() cancelled in the page fails with 'cancelled' and the server query is killed", async () => {
    const marker = `page-cancel-${Date.now()}`;
    const outcome = (await watched.page.evaluate(
      ([u, c, s]) =>
        (window as unknown as { cancelOnceRunning: (...a: unknown[]) => Promise<Outcome> }).cancelOnceRunning(u, c, s),
      [
        CLICKHOUSE.url,
        CLICKHOUSE.analyst,
        `SELECT count() /* ${marker} */ FROM cluster('segbook', system.numbers)`,
      ] as const,
    )) as Outcome;
    expect(outcome.failure).toBe("cancelled");
    const left = () =>
      Promise.all(
        CLICKHOUSE.shardUrls.map((_, shard) =>
          clickHouseSetupQuery(
            `SELECT count() FROM system.processes WHERE query LIKE '%${marker}%' AND query NOT LIKE '%system.processes%'`,
            shard,
          ),
        ),
      );
    await expect.poll(left, { timeout: 5000, interval: 100 }).toEqual(["0\n", "0\n"]);
  });

  it("query() as a user without the CORS header fails with 'cors', saying what IT must set", async () => {
    const outcome = await run(CLICKHOUSE.url, CLICKHOUSE.analystNoCors, "SELECT 1");
    expect(outcome.failure).toBe("cors");
    expect(outcome.message).toContain('ClickHouse connection "warehouse" (http://127.0.0.1:18123/)');
    expect(outcome.message).toContain("add_http_cors_header = 1");
    expect(outcome.message).toContain("readonly");
    expect(outcome.message).toContain("quota");
    expect(outcome.message).not.toContain(CLICKHOUSE.analystNoCors.password);
  });

  it("query() with a wrong password also reads as 'cors' in a page, and the message says to check the password", async () => {
    // ClickHouse sends its 401 without the CORS header, so the page cannot see the refusal itself.
    const outcome = await run(CLICKHOUSE.url, { user: "analyst", password: "wrong-password" }, "SELECT 1");
    expect(outcome.failure).toBe("cors");
    expect(outcome.message).toContain("check the user name and password too");
    expect(outcome.message).not.toContain("wrong-password");
  });

  it("query() on a closed port fails with 'unreachable' in the page", async () => {
    const outcome = await run("http://127.0.0.1:18199", CLICKHOUSE.analyst, "SELECT 1");
    expect(outcome.failure).toBe("unreachable");
    expect(outcome.message).toContain('Could not reach ClickHouse connection "warehouse"');
  });
});
