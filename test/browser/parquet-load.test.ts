/**
 * Parquet in the built site, in headless Chromium, through the data panel: the file is decoded by
 * parquet-wasm, whose wasm comes from the site itself (no request leaves 127.0.0.1), and the table
 * equals native DuckDB's reading of the same file. Under a memory budget (`?memory-budget=10MB`) a
 * file whose table would pass it is refused before loading, with the way out; picking two columns
 * in the panel's columns picker writes `columns` to the front matter and loads it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { repoRoot } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { waitForSettled } from "./helpers/workbench.ts";
import { expectCleanRun } from "./helpers/browser.ts";

const workbench = useWorkbench();
const ROWS = 200_000;
let dir: string;
let file: string;
let expected: Record<string, unknown>;

// The table (~30 MB in DuckDB) is three times the 10 MB budget; two of its columns (~4 MB) fit.
const SELECT = `SELECT i::INTEGER AS customer_id, DATE '2023-01-01' + (i % 700)::INTEGER AS order_date,
  round(i / 7.0, 2)::DOUBLE AS amount, ['home', 'garden', 'kitchen'][i % 3 + 1] AS category,
  'a longer description of order ' || i AS note,
  TIMESTAMP '2024-01-01 00:00:00.123456' + i * INTERVAL 1 SECOND AS placed_at FROM range(${ROWS}) t(i)`;
const CHECK = `SELECT count(*)::INTEGER AS n, sum(customer_id)::BIGINT::VARCHAR AS ids, sum(amount)::VARCHAR AS amount,
  max(order_date)::VARCHAR AS last_day, max(placed_at)::VARCHAR AS last_at, count(DISTINCT category)::INTEGER AS categories,
  max(note) AS note FROM `;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "segbook-parquet-browser-"));
  file = path.join(dir, "orders.parquet");
  const instance = await DuckDBInstance.create(":memory:");
  const native = await instance.connect();
  await native.run(`COPY (${SELECT}) TO '${file}' (FORMAT parquet)`);
  expected = (await native.runAndReadAll(`${CHECK} read_parquet('${file}')`)).getRowObjectsJson()[0]!;
  native.closeSync();
  instance.closeSync();
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function query(page: Page, sql: string): Promise<Record<string, unknown>> {
  const json = await page.evaluate(async (text) => {
    const engine = (globalThis as unknown as { segbook: { engine: { query(s: string): Promise<unknown> } } }).segbook
      .engine;
    const table = (await engine.query(text)) as { toArray(): { toJSON(): object }[] };
    return JSON.stringify(table.toArray()[0]!.toJSON(), (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v));
  }, sql);
  return JSON.parse(json) as Record<string, unknown>;
}

async function dataEntry(page: Page, name: string): Promise<unknown> {
  return page.evaluate(
    (n) =>
      (
        globalThis as unknown as {
          segbook: { notebook: { notebook: { frontMatter: { data: Record<string, unknown> } } } };
        }
      ).segbook.notebook.notebook.frontMatter.data[n],
    name,
  );
}

const loaded = (name: string, status: string) => `[data-loaded-file="${name}"][data-load-status="${status}"]`;

describe("Parquet in the tab", () => {
  test("a Parquet file added in the data panel is decoded by the site's own parquet-wasm and equals native DuckDB", async () => {
    const w = await workbench.open();
    const requestsBefore = workbench.server().requests.length;
    await w.page.goto(workbench.url("__test-notebooks__/data-panel.md"));
    await waitForSettled(w.page);
    // The wasm is fetched only when a Parquet file is loaded.
    expect(
      workbench
        .server()
        .requests.slice(requestsBefore)
        .filter((r) => /parquet_wasm/.test(r)),
    ).toEqual([]);
    await w.page.setInputFiles("input.data-file-input", file);
    await w.page.waitForSelector(loaded("orders", "ok"), { timeout: 120_000 });
    await waitForSettled(w.page);
    const fetched = workbench.server().requests.slice(requestsBefore);
    expect(fetched.filter((r) => /parquet_wasm_bg[^/]*\.wasm$/.test(r))).toHaveLength(1);
    expect(await query(w.page, `${CHECK} orders`)).toEqual(expected);
    const types = await w.page.evaluate(async () => {
      const engine = (globalThis as unknown as { segbook: { engine: { describe(n: string): Promise<unknown> } } })
        .segbook.engine;
      return engine.describe("orders");
    });
    expect(types).toEqual([
      { name: "customer_id", type: "INTEGER" },
      { name: "order_date", type: "DATE" },
      { name: "amount", type: "DOUBLE" },
      { name: "category", type: "VARCHAR" },
      { name: "note", type: "VARCHAR" },
      { name: "placed_at", type: "TIMESTAMP" },
    ]);
    expectCleanRun(w);
  });

  test("under ?memory-budget=10MB the file is refused before loading, and two columns picked in the panel load", async () => {
    const w = await workbench.open();
    const page = w.page;
    await page.goto(`${workbench.url("__test-notebooks__/data-panel.md")}&memory-budget=10MB`);
    await waitForSettled(page);
    await page.setInputFiles("input.data-file-input", file);
    await page.waitForSelector(loaded("orders", "error"), { timeout: 120_000 });
    const status = page.locator('[data-source-name="orders"] .status');
    await expect
      .poll(() => status.textContent())
      .toMatch(
        /failed: loadFile: "orders\.parquet" would take about \d+ MB in this tab \(200,000 rows × 6 columns\), more than its 10 MB memory budget; nothing was loaded\. Ways out: load only the columns you need \(data\.orders\.columns in the front matter, or pick them under the file in the data panel\)/,
      );
    expect(await status.textContent()).toContain("segbook run --engine native");
    // Refused before any allocation: DuckDB holds no table of it.
    expect(
      await query(
        page,
        "SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name ILIKE '%orders%' OR table_name LIKE '__segbook_staging%'",
      ),
    ).toEqual({ n: 0 });

    // The picker is open after the failure; keep customer_id and amount.
    const picker = page.locator('[data-columns-picker="orders"]');
    await picker.waitFor();
    expect(await picker.getAttribute("open")).not.toBeNull();
    for (const column of ["order_date", "category", "note", "placed_at"]) {
      await picker.locator(`[data-column-checkbox="${column}"]`).uncheck();
    }
    const shots = path.join(repoRoot, "test-results", "screenshots");
    fs.mkdirSync(shots, { recursive: true });
    await picker.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "parquet-columns-light.png") });
    await page.locator("[data-theme-toggle]").click();
    await page.screenshot({ path: path.join(shots, "parquet-columns-dark.png") });
    await page.locator("[data-theme-toggle]").click();

    await picker.locator('[data-action="load-columns"]').click();
    await page.waitForSelector(loaded("orders", "ok"), { timeout: 120_000 });
    await waitForSettled(page);
    expect(await dataEntry(page, "orders")).toMatchObject({
      path: "orders.parquet",
      columns: ["customer_id", "amount"],
    });
    const slim = await query(
      page,
      "SELECT count(*)::INTEGER AS n, sum(customer_id)::BIGINT::VARCHAR AS ids, sum(amount)::VARCHAR AS amount FROM orders",
    );
    expect(slim).toEqual({ n: ROWS, ids: expected.ids, amount: expected.amount });
    expect(await page.locator('[data-columns-picker="orders"] summary').textContent()).toContain("2 of 6");
    expect(w.blockedRequests).toEqual([]);
    expect(w.pageErrors).toEqual([]);
  });
});
