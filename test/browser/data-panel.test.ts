/**
 * The data panel and schema browser on the built site in headless Chromium: add a CSV with the
 * file picker and by a synthetic drop, an .xlsx and a URL; the front matter records each file with
 * its sha256; the profile shown equals DuckDB queries over the same file; the schema browser lists
 * a named SQL cell's table; an added file comes back from OPFS in another notebook.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { repoRoot } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { waitForSettled } from "./helpers/workbench.ts";
import type { WatchedPage } from "./helpers/browser.ts";

const workbench = useWorkbench();
const MALL = path.resolve(repoRoot, "../shared/datasets/mall_customers/Mall_Customers.csv");
const XLSX = path.join(repoRoot, "test/fixtures/customers.xlsx");
const CDNOW = path.resolve(repoRoot, "../shared/datasets/cdnow/CDNOW_master.txt");
const sha256 = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/** Runs SQL on the page's engine; rows as plain JSON (bigints as numbers). */
async function query(page: Page, sql: string): Promise<Record<string, unknown>[]> {
  const json = await page.evaluate(async (text) => {
    const engine = (globalThis as unknown as { segbook: { engine: { query(s: string): Promise<unknown> } } }).segbook
      .engine;
    const table = (await engine.query(text)) as { toArray(): { toJSON(): object }[] };
    return JSON.stringify(
      table.toArray().map((r) => r.toJSON()),
      (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v),
    );
  }, sql);
  return JSON.parse(json) as Record<string, unknown>[];
}

/** The notebook's `data` front matter entry `name` and its front matter text. */
async function frontMatter(page: Page, name: string): Promise<{ entry: unknown; source: string }> {
  return page.evaluate((n) => {
    const nb = (
      globalThis as unknown as {
        segbook: {
          notebook: { notebook: { frontMatter: { data: Record<string, unknown> }; frontMatterSource?: string } };
        };
      }
    ).segbook.notebook.notebook;
    return { entry: nb.frontMatter.data[n], source: nb.frontMatterSource ?? "" };
  }, name);
}

async function waitLoaded(page: Page, name: string) {
  await page.waitForSelector(`[data-loaded-file="${name}"][data-load-status="ok"]`, { timeout: 60_000 });
  await waitForSettled(page);
}

/** Opens the profile of `table` and returns the shown stats of `column` (data-value attributes). */
async function profileOf(page: Page, table: string, column: string): Promise<Record<string, string>> {
  const row = page.locator(`[data-schema-table="${table}"]`);
  await row.waitFor({ timeout: 30_000 });
  const button = row.locator("button.profile");
  if ((await button.getAttribute("aria-pressed")) !== "true") await button.click();
  await page.waitForSelector(`[data-profile-table="${table}"][data-profile-state="ready"]`, { timeout: 60_000 });
  return page.$$eval(`[data-profile-column="${column}"] [data-stat]`, (els) =>
    Object.fromEntries(els.map((e) => [e.getAttribute("data-stat")!, e.getAttribute("data-value")!])),
  );
}

async function topValues(page: Page, column: string) {
  return page.$$eval(`[data-profile-column="${column}"] [data-top-value]`, (els) =>
    els.map((e) => ({ value: e.getAttribute("data-top-value"), n: Number(e.getAttribute("data-count")) })),
  );
}

async function histogram(page: Page, column: string): Promise<number[]> {
  const bins = await page.getAttribute(`[data-profile-column="${column}"] svg.histogram`, "data-bins");
  return (bins ?? "").split(",").map(Number);
}

describe("data panel", () => {
  let w: WatchedPage;
  beforeAll(async () => {
    w = await workbench.open();
    await w.page.goto(workbench.url("__test-notebooks__/data-panel.md"));
    await waitForSettled(w.page);
  }, 120_000);

  test("the schema browser lists a named SQL cell's table with its row count", async () => {
    const row = w.page.locator('[data-schema-table="numbers"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getAttribute("data-rows")).toBe("7");
    expect(await w.page.locator('[data-schema-table^="__segbook_"]').count()).toBe(0);
  });

  test("a CSV added with the file picker is sniffed, recorded with its sha256 and profiled like DuckDB queries over the same file", async () => {
    await w.page.setInputFiles("input.data-file-input", MALL);
    await waitLoaded(w.page, "mall_customers");
    const { entry, source } = await frontMatter(w.page, "mall_customers");
    expect(entry).toEqual({ path: "Mall_Customers.csv", sha256: sha256(MALL) });
    expect(source).toContain(sha256(MALL));
    const sniffed = w.page.locator('[data-loaded-file="mall_customers"] [data-sniffed-delimiter]');
    await sniffed.waitFor();
    expect(await sniffed.getAttribute("data-sniffed-delimiter")).toBe(",");
    expect(await sniffed.getAttribute("data-sniffed-header")).toBe("true");

    // The same file, loaded separately from its bytes, is what the numbers are checked against.
    const text = fs.readFileSync(MALL, "utf8");
    await w.page.evaluate(async (csv) => {
      const engine = (globalThis as unknown as { segbook: { engine: { loadFile(...a: unknown[]): Promise<unknown> } } })
        .segbook.engine;
      await engine.loadFile("mall_check", {
        kind: "bytes",
        bytes: new TextEncoder().encode(csv),
        fileName: "check.csv",
      });
    }, text);
    const shown = await profileOf(w.page, "mall_customers", "Annual Income (k$)");
    const [expected] = await query(
      w.page,
      `SELECT count(*) - count(c) AS nulls, count(DISTINCT c) AS "distinct", min(c) AS min, max(c) AS max,
         avg(c) AS mean, quantile_cont(c, 0.25) AS q1, quantile_cont(c, 0.5) AS median, quantile_cont(c, 0.75) AS q3
       FROM (SELECT "Annual Income (k$)" AS c FROM mall_check)`,
    );
    expect(Object.fromEntries(Object.entries(shown).map(([k, v]) => [k, Number(v)]))).toEqual(expected);
    const bins = await histogram(w.page, "Annual Income (k$)");
    expect(bins.reduce((a, b) => a + b, 0)).toBe(200);
    expect(await topValues(w.page, "Gender")).toEqual(
      await query(w.page, `SELECT Gender AS value, count(*) AS n FROM mall_check GROUP BY 1 ORDER BY n DESC, value`),
    );
    // The cards show the same numbers, rounded for reading.
    expect(await w.page.textContent('[data-profile-column="Annual Income (k$)"] [data-stat="mean"]')).toContain(
      String(Number((expected!.mean as number).toPrecision(6))),
    );
    const dir = path.join(repoRoot, "test-results");
    fs.mkdirSync(dir, { recursive: true });
    await w.page.screenshot({ path: path.join(dir, "data-profile.png") });
    await w.page.click('button[aria-label="Close profile"]');
  });

  test("a CSV dropped on the page shows the sniffed delimiter, and a header override reloads it", async () => {
    await w.page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(["code;amount\nA1;10\nB2;20\n"], "semi colon.csv", { type: "text/csv" }));
      const target = document.querySelector(".cells") ?? document.body;
      target.dispatchEvent(new DragEvent("dragover", { bubbles: true, cancelable: true, dataTransfer: transfer }));
      target.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: transfer }));
    });
    await waitLoaded(w.page, "semi_colon");
    const sniffed = w.page.locator('[data-loaded-file="semi_colon"] [data-sniffed-delimiter]');
    await sniffed.waitFor();
    expect(await sniffed.getAttribute("data-sniffed-delimiter")).toBe(";");
    expect(await query(w.page, "SELECT * FROM semi_colon ORDER BY code")).toEqual([
      { code: "A1", amount: 10 },
      { code: "B2", amount: 20 },
    ]);
    const panel = w.page.locator('[data-loaded-file="semi_colon"]');
    await panel.locator('select[name="header"]').selectOption("no");
    await panel.locator('button[type="submit"]').click();
    await w.page.waitForSelector('[data-loaded-file="semi_colon"] [data-sniffed-header="false"]');
    await waitLoaded(w.page, "semi_colon");
    await expect.poll(() => w.page.getAttribute('[data-schema-table="semi_colon"]', "data-rows")).toBe("3");
    // The choice is the notebook's, written to its front matter, so it re-runs the same way anywhere.
    const { entry, source } = await frontMatter(w.page, "semi_colon");
    expect(entry).toMatchObject({ path: "semi colon.csv", header: false });
    expect(source).toContain("    header: false\n");
    // Back to "auto" removes the key again.
    await panel.locator('select[name="header"]').selectOption("");
    await panel.locator('button[type="submit"]').click();
    await expect.poll(() => w.page.getAttribute('[data-schema-table="semi_colon"]', "data-rows")).toBe("2");
    expect((await frontMatter(w.page, "semi_colon")).source).not.toContain("header:");
  });

  test("an .xlsx added with the file picker loads its first sheet, profiles like DuckDB over the same data, and another sheet can be chosen", async () => {
    await w.page.setInputFiles("input.data-file-input", XLSX);
    await waitLoaded(w.page, "customers");
    expect((await frontMatter(w.page, "customers")).entry).toEqual({ path: "customers.xlsx", sha256: sha256(XLSX) });
    const sheets = await w.page.$$eval('[data-sheet-select="customers"] option', (els) =>
      els.map((e) => e.textContent),
    );
    expect(sheets).toEqual(["customers", "notes"]);
    // The fixture script wrote the first sheet's cells as CSV too: DuckDB reads that independently.
    await w.page.evaluate(async (url) => {
      const engine = (globalThis as unknown as { segbook: { engine: { loadFile(...a: unknown[]): Promise<unknown> } } })
        .segbook.engine;
      await engine.loadFile("xlsx_check", { kind: "url", url });
    }, `${workbench.url()}__fixtures__/customers-xlsx.csv`);
    const numeric = (stats: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, Number(v)]));
    const spend = await profileOf(w.page, "customers", "spend");
    const [spendExpected] = await query(
      w.page,
      `SELECT count(*) - count(c) AS nulls, count(DISTINCT c) AS "distinct", min(c) AS min, max(c) AS max,
         avg(c) AS mean, quantile_cont(c, 0.25) AS q1, quantile_cont(c, 0.5) AS median, quantile_cont(c, 0.75) AS q3
       FROM (SELECT spend AS c FROM xlsx_check)`,
    );
    expect(numeric(spend)).toEqual(spendExpected);
    const signup = await profileOf(w.page, "customers", "signup");
    const [signupExpected] = await query(
      w.page,
      `SELECT count(*) - count(c) AS nulls, count(DISTINCT c) AS "distinct",
         CAST(min(c) AS VARCHAR) AS min, CAST(max(c) AS VARCHAR) AS max
       FROM (SELECT signup AS c FROM xlsx_check)`,
    );
    expect({
      nulls: Number(signup.nulls),
      distinct: Number(signup.distinct),
      min: signup.min,
      max: signup.max,
    }).toEqual(signupExpected);
    expect(await topValues(w.page, "region")).toEqual(
      await query(
        w.page,
        "SELECT region AS value, count(*) AS n FROM xlsx_check WHERE region IS NOT NULL GROUP BY 1 ORDER BY n DESC, value",
      ),
    );
    await w.page.click('button[aria-label="Close profile"]');

    await w.page.selectOption('[data-sheet-select="customers"]', "notes");
    await expect
      .poll(() => w.page.getAttribute('[data-schema-table="customers"]', "data-rows"), { timeout: 30_000 })
      .toBe("2");
    expect(await query(w.page, "SELECT * FROM customers ORDER BY topic")).toEqual([
      { topic: "complaints", count: 2 },
      { topic: "returns", count: 4 },
    ]);
    const chosen = await frontMatter(w.page, "customers");
    expect(chosen.entry).toEqual({ path: "customers.xlsx", sha256: sha256(XLSX), sheet: "notes" });
    expect(chosen.source).toContain("    sheet: notes\n");
  });

  test("CDNOW_master.txt added with the file picker loads as four columns and 69,659 rows; delimiter and header chosen are saved in the front matter", async () => {
    await w.page.setInputFiles("input.data-file-input", CDNOW);
    await waitLoaded(w.page, "cdnow_master");
    await expect
      .poll(() => w.page.getAttribute('[data-schema-table="cdnow_master"]', "data-rows"), { timeout: 30_000 })
      .toBe("69659");
    expect(await query(w.page, "SELECT column_name AS name, column_type AS type FROM (DESCRIBE cdnow_master)")).toEqual(
      [
        { name: "customer_id", type: "VARCHAR" },
        { name: "date", type: "DATE" },
        { name: "number_of_cds", type: "BIGINT" },
        { name: "dollar_value", type: "DOUBLE" },
      ],
    );
    const panel = w.page.locator('[data-loaded-file="cdnow_master"]');
    const sniffed = panel.locator("[data-sniffed-delimiter]");
    await sniffed.waitFor();
    expect(await sniffed.getAttribute("data-sniffed-delimiter")).toBe(" ");
    expect(await sniffed.textContent()).toMatch(/sniffed: spaces · header yes · 4 columns/);
    expect((await frontMatter(w.page, "cdnow_master")).entry).toEqual({
      path: "CDNOW_master.txt",
      sha256: sha256(CDNOW),
    });

    await panel.locator('select[name="delimiter"]').selectOption(" ");
    await panel.locator('select[name="header"]').selectOption("no");
    await panel.locator('button[type="submit"]').click();
    await expect
      .poll(() => w.page.getAttribute('[data-schema-table="cdnow_master"]', "data-rows"), { timeout: 30_000 })
      .toBe("69660");
    const { entry, source } = await frontMatter(w.page, "cdnow_master");
    expect(entry).toEqual({ path: "CDNOW_master.txt", sha256: sha256(CDNOW), delimiter: " ", header: false });
    expect(source).toContain(
      `  cdnow_master:\n    path: CDNOW_master.txt\n    sha256: ${sha256(CDNOW)}\n    delimiter: " "\n    header: false\n`,
    );
    expect(await panel.locator('select[name="delimiter"]').inputValue()).toBe(" ");
    expect(await panel.locator('select[name="header"]').inputValue()).toBe("no");
    fs.mkdirSync(path.join(repoRoot, "test-results"), { recursive: true });
    await panel.screenshot({ path: path.join(repoRoot, "test-results", "data-panel-cdnow.png") });
    expect((await query(w.page, "SELECT column_name AS name FROM (DESCRIBE cdnow_master)")).map((r) => r.name)).toEqual(
      ["column0", "column1", "column2", "column3"],
    );
  });

  test("a file added by URL is fetched, recorded under its URL and loaded", async () => {
    await w.page.fill('input[aria-label="Data URL"]', "../__fixtures__/people.csv");
    await w.page.click('form.url button[type="submit"]');
    await waitLoaded(w.page, "people");
    expect((await frontMatter(w.page, "people")).entry).toEqual({
      path: "../__fixtures__/people.csv",
      sha256: sha256(path.join(repoRoot, "test/fixtures/people.csv")),
    });
    expect(await w.page.getAttribute('[data-schema-table="people"]', "data-rows")).toBe("5");
  });

  test("an added file is kept in OPFS and loads by its sha256 in a notebook that names it", async () => {
    await w.page.waitForFunction(
      async () => {
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle("segbook-data");
        try {
          await dir.getFileHandle("d9c909cf0883e0b24197c3f6995f66277ab079d4a25a1f66e1ceebb04d70cfce.json");
          return true;
        } catch {
          return false;
        }
      },
      null,
      { timeout: 10_000, polling: 200 },
    );
    await w.page.goto(workbench.url("__test-notebooks__/data-kept.md"));
    await waitForSettled(w.page);
    expect(await w.page.getAttribute('[data-source-name="kept"]', "data-source-status")).toBe("ok");
    expect(await query(w.page, "SELECT n FROM kept_count")).toEqual([{ n: 5 }]);
    await w.page.locator('[data-loaded-file="kept"] .tag').waitFor();
  });

  test("a notebook naming CDNOW_master.txt in its front matter loads it as four columns, and applies its delimiter and header", async () => {
    await w.page.goto(workbench.url("__test-notebooks__/cdnow.md"));
    await waitForSettled(w.page);
    expect(await w.page.getAttribute('[data-source-name="cdnow"]', "data-source-status")).toBe("ok");
    expect(await query(w.page, "SELECT column_name AS name, column_type AS type FROM (DESCRIBE cdnow)")).toEqual([
      { name: "customer_id", type: "VARCHAR" },
      { name: "date", type: "DATE" },
      { name: "number_of_cds", type: "BIGINT" },
      { name: "dollar_value", type: "DOUBLE" },
    ]);
    // delimiter: " " and header: false from the front matter: the header line is a row.
    expect(await query(w.page, "SELECT * FROM shape")).toEqual([{ cdnow_rows: 69_659, raw_rows: 69_660 }]);
    expect((await query(w.page, "SELECT column_name AS name FROM (DESCRIBE cdnow_raw)")).map((r) => r.name)).toEqual([
      "column0",
      "column1",
      "column2",
      "column3",
    ]);
  });

  test("the data panel made no request off this machine and threw no page error", () => {
    expect(w.blockedRequests).toEqual([]);
    expect(w.pageErrors).toEqual([]);
    expect(w.consoleErrors).toEqual([]);
  });
});
