/**
 * The built workbench in headless Chromium, served under a sub-path with the network closed: the
 * default notebook runs clean, edits re-run dependants, errors and blocked cells show, and
 * `?notebook=` opens another notebook.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import type { Locator, Page } from "playwright-core";
import { repoRoot } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { assetsContaining, cellSnapshots, codeCellId, waitForSettled } from "./helpers/workbench.ts";
import type { WatchedPage } from "./helpers/browser.ts";

const workbench = useWorkbench();

function expectCleanRun(w: WatchedPage) {
  expect(w.blockedRequests, "requests to anywhere but 127.0.0.1").toEqual([]);
  expect(w.pageErrors, "uncaught page errors").toEqual([]);
  expect(w.consoleErrors, "console errors").toEqual([]);
}

async function screenshot(page: Page, name: string) {
  const dir = path.join(repoRoot, "test-results");
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, name), fullPage: true });
}

const cell = (page: Page, id: string) => page.locator(`[data-cell-id="${id}"]`);

/** Rendered text with whitespace runs collapsed, as a reader sees it. */
async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? "").replace(/\s+/g, " ").trim();
}

test("workbench opens notebooks/welcome.md by default and every cell and data source ends ok", async () => {
  const w = await workbench.open();
  await w.page.goto(workbench.url());
  await waitForSettled(w.page);

  const cells = await cellSnapshots(w.page);
  expect(cells.length).toBeGreaterThan(3);
  expect(cells.filter((c) => c.status !== "ok")).toEqual([]);
  const sources = await w.page.$$eval("[data-source-status]", (els) =>
    els.map((e) => e.getAttribute("data-source-status")),
  );
  expect(sources.length).toBeGreaterThan(0);
  expect(sources.every((s) => s === "ok")).toBe(true);

  const title = (await w.page.locator("h1.title").textContent())?.trim();
  expect(title).toBeTruthy();
  expect(await w.page.title()).toBe(`${title} · Segbook`);
  // SQL results show as tables with a row count, Plot output as SVG.
  await expect.poll(() => w.page.locator(".data-grid .grid-caption").count()).toBeGreaterThan(0);
  expect(await textOf(w.page.locator(".data-grid .grid-caption").first())).toMatch(/\d[\d,]* rows? ×/);
  await expect.poll(() => w.page.locator(".data-grid .grid-row").count()).toBeGreaterThan(0);
  expect(await w.page.locator("[data-cell-kind=ts] svg").count()).toBeGreaterThan(0);

  await w.page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor");
  await screenshot(w.page, "welcome.png");
  expectCleanRun(w);
});

test("Shift+Enter in a Monaco editor commits the cell and re-runs its dependants", async () => {
  const w = await workbench.open();
  await w.page.goto(workbench.url("__test-notebooks__/edit.md"));
  await waitForSettled(w.page);
  await w.page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor");
  const factorId = await codeCellId(w.page, "const factor = 2");
  const totalId = await codeCellId(w.page, "const total");
  const before = await cellSnapshots(w.page);
  await expect.poll(() => w.page.locator("[data-cell-kind=md]").last().textContent()).toContain("Total is 6.");
  expect(await cell(w.page, totalId).locator(".outputs").textContent()).toContain("6");

  await cell(w.page, factorId).locator(".monaco-editor .view-lines").click();
  await w.page.keyboard.press("ControlOrMeta+A");
  await w.page.keyboard.type("const factor = 10;");
  await w.page.keyboard.press("Shift+Enter");

  await expect
    .poll(() => w.page.locator("[data-cell-kind=md]").last().textContent(), { timeout: 30_000 })
    .toContain("Total is 30.");
  await waitForSettled(w.page);
  const after = await cellSnapshots(w.page);
  // The edited cell and everything downstream ran again; the heading did not.
  for (const [i, c] of after.entries()) {
    const runsBefore = before[i]!.runs;
    if (i === 0) expect(c.runs, "heading").toBe(runsBefore);
    else expect(c.runs, `cell ${i} (${c.kind})`).toBe(runsBefore + 1);
    expect(c.status).toBe("ok");
  }
  expect(await cell(w.page, totalId).locator(".outputs").textContent()).toContain("30");
  // Shift+Enter runs; it does not insert a line into the source.
  expect(await cell(w.page, factorId).locator(".view-line").count()).toBe(1);
  expectCleanRun(w);
});

test("the fallback textarea is editable before Monaco loads, and Monaco then shows the edited source", async () => {
  const w = await workbench.open();
  // Hold back the lazily loaded Monaco chunk until the edit is done.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const monacoChunks = assetsContaining("MonacoEnvironment");
  expect(monacoChunks.length).toBeGreaterThan(0);
  await w.page.route(
    (url) => monacoChunks.some((f) => url.pathname.endsWith(`/${f}`)),
    async (route) => {
      await gate;
      await route.fallback();
    },
  );
  await w.page.goto(workbench.url("__test-notebooks__/edit.md"));
  await waitForSettled(w.page);
  expect(await w.page.getAttribute("main", "data-editor-phase")).toBe("fallback");

  const factorId = await codeCellId(w.page, "const factor = 2");
  const textarea = cell(w.page, factorId).locator("textarea.fallback");
  await textarea.fill("const factor = 100;");
  await textarea.press("Shift+Enter");
  await expect
    .poll(() => w.page.locator("[data-cell-kind=md]").last().textContent(), { timeout: 30_000 })
    .toContain("Total is 300.");
  expect(await textarea.inputValue()).toBe("const factor = 100;");

  release();
  await w.page.waitForSelector(`[data-cell-id="${factorId}"] .monaco-editor`);
  // Monaco renders spaces as U+00A0.
  const shown = (await cell(w.page, factorId).locator(".view-lines").textContent())?.replace(/\u00a0/g, " ");
  expect(shown).toContain("const factor = 100;");
  expectCleanRun(w);
});

test("double-clicking a Markdown cell edits its source; Shift+Enter renders the new text", async () => {
  const w = await workbench.open();
  await w.page.goto(workbench.url("__test-notebooks__/edit.md"));
  await waitForSettled(w.page);
  await w.page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor");
  const markdown = w.page.locator("[data-cell-kind=md]").last();
  expect(await textOf(markdown.locator(".markdown"))).toBe("Total is 6.");

  await markdown.locator(".markdown-cell").dblclick();
  await markdown.locator(".monaco-editor .view-lines").waitFor();
  await w.page.keyboard.press("ControlOrMeta+A");
  await w.page.keyboard.type("Sum: **${total}**");
  await w.page.keyboard.press("Shift+Enter");

  await expect.poll(() => markdown.locator(".markdown strong").textContent(), { timeout: 30_000 }).toBe("6");
  expect(await textOf(markdown.locator(".markdown"))).toBe("Sum: 6");
  expect(await markdown.locator(".monaco-editor").count(), "editor closed after applying").toBe(0);
  expectCleanRun(w);
});

test("a failing cell shows its error and the cells reading it show blocked by its name", async () => {
  const w = await workbench.open();
  await w.page.goto(workbench.url("__test-notebooks__/errors.md"));
  await waitForSettled(w.page);
  const byText = async (text: string) => cell(w.page, await codeCellId(w.page, text));

  expect(await (await byText("const base")).getAttribute("data-cell-status")).toBe("ok");

  const broken = await byText("const broken");
  expect(await broken.getAttribute("data-cell-status")).toBe("error");
  expect(await broken.locator(".problem.error").textContent()).toMatch(/null|nope/);

  const needsBroken = await byText("const needsBroken");
  expect(await needsBroken.getAttribute("data-cell-status")).toBe("blocked");
  expect(await needsBroken.locator(".problem.blocked").textContent()).toContain("blocked by broken");

  const badSql = await byText("no_such_table_anywhere");
  expect(await badSql.getAttribute("data-cell-status")).toBe("error");
  expect(await badSql.locator(".problem.error").textContent()).toContain("no_such_table_anywhere");

  const afterBad = await byText("FROM bad_sql");
  expect(await afterBad.getAttribute("data-cell-status")).toBe("blocked");
  expect(await afterBad.locator(".problem.blocked").textContent()).toContain("blocked by bad_sql");

  const syntax = await byText("const syntax");
  expect(await syntax.getAttribute("data-cell-status")).toBe("error");
  expect(await syntax.locator(".problem.error .location").textContent()).toMatch(/^line 1:\d+$/);

  const markdown = w.page.locator("[data-cell-kind=md]").last();
  expect(await markdown.getAttribute("data-cell-status")).toBe("blocked");
  expect(await markdown.locator(".problem.blocked").textContent()).toContain("blocked by needsBroken");

  await screenshot(w.page, "errors.png");
  expect(w.blockedRequests).toEqual([]);
  expect(w.pageErrors).toEqual([]);
});

test("?notebook=<relative url> opens that notebook and resolves its data paths against it", async () => {
  const w = await workbench.open();
  await w.page.goto(workbench.url("__test-notebooks__/people.md"));
  await waitForSettled(w.page);

  expect(await w.page.locator("h1.title").textContent()).toBe("People fixture");
  expect(await w.page.locator(".page-header .source").textContent()).toBe("__test-notebooks__/people.md");
  const source = w.page.locator('[data-source-name="people"]');
  expect(await source.getAttribute("data-source-status")).toBe("ok");
  expect(await textOf(source)).toContain("5 rows × 5 columns");
  expect((await cellSnapshots(w.page)).every((c) => c.status === "ok")).toBe(true);
  // Oslo, Bergen, Tromsø and the empty city.
  const byCity = cell(w.page, await codeCellId(w.page, "GROUP BY city"));
  expect(await textOf(byCity.locator(".data-grid .grid-caption"))).toMatch(/by_city · 4 rows × 2 columns/);
  expect(await textOf(byCity.locator(".data-grid .grid-header"))).toMatch(/^city ?VARCHAR ?people ?BIGINT$/);
  expect(await w.page.locator("[data-cell-kind=md]").last().textContent()).toContain("There are 5 people.");
  expect(workbench.server().requests).toContain("/some/sub/path/__fixtures__/people.csv");
  expectCleanRun(w);
});

test("format issues reported by parse(text) show as a notice above the cells, which still run", async () => {
  const w = await workbench.open();
  await w.page.goto(workbench.url("__test-notebooks__/format-issue.md"));
  await waitForSettled(w.page);
  const notice = await textOf(w.page.locator(".notice.issues"));
  expect(notice).toContain("warning line 1:");
  expect(notice).toContain("closing");
  expect((await cellSnapshots(w.page)).every((c) => c.status === "ok")).toBe(true);
  expect(await textOf(w.page.locator("[data-cell-kind=ts] .outputs"))).toBe("2");
  expectCleanRun(w);
});

test("?notebook= naming a missing file shows what failed and how to fix it", async () => {
  const w = await workbench.open();
  await w.page.goto(workbench.url("__test-notebooks__/does-not-exist.md"));
  await w.page.waitForSelector("main[data-notebook-phase=failed]");
  const failure = await w.page.locator(".failure").textContent();
  expect(failure).toContain("does-not-exist.md");
  expect(failure).toContain("404");
  expect(w.pageErrors).toEqual([]);
});
