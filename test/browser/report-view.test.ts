/**
 * The report view (`?view=report` and the Notebook / Report toggle) in the built workbench: a shipped
 * notebook reads as a document (Markdown, charts, grids; no code, cell actions, insert bars or side
 * panels; cells that show nothing take no space), Inputs stay live, the address follows the toggle
 * (other parameters and a `#nb=` share link kept), the print stylesheet gives a light, chrome-free
 * page whose grids print as tables, and File → Export HTML report writes the same document. Writes
 * screenshots of both views in both themes and a PDF of the report to test-results/report-view/.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import type { Download, Page } from "playwright-core";
import { shareFragment } from "../../src/ui/persistence/share-link.ts";
import { repoRoot } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { waitForSettled } from "./helpers/workbench.ts";
import type { WatchedPage } from "./helpers/browser.ts";

const workbench = useWorkbench();
const dir = path.join(repoRoot, "test-results", "report-view");
const SEGMENTATION = "notebooks/segmentation.md";

async function shoot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  await page.screenshot({ path: file });
  console.log(`screenshot: ${path.relative(repoRoot, file)}`);
}

/** How many elements matching `selector` are rendered (not display:none, not inside a hidden cell). */
const visibleCount = (page: Page, selector: string) =>
  page.$$eval(selector, (elements) => elements.filter((e) => (e as HTMLElement).offsetParent !== null).length);

const viewParam = (page: Page) => new URL(page.url()).searchParams.get("view");

function expectClean(w: WatchedPage): void {
  expect(w.pageErrors).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
  expect(w.blockedRequests).toEqual([]);
}

test("?view=report shows segmentation.md as a document: text, charts and grids, no code or cell chrome; the toggle and R switch views and rewrite the address", async () => {
  const w = await workbench.open();
  const { page } = w;
  await page.goto(`${workbench.url(SEGMENTATION)}&view=report`);
  await waitForSettled(page);
  expect(await page.getAttribute("main", "data-view")).toBe("report");
  expect(await page.getAttribute("[data-view-choice=report]", "aria-pressed")).toBe("true");

  // No code and no notebook chrome anywhere on screen.
  for (const chrome of [
    ".cell .editor",
    ".cell-header",
    "[aria-label='Cell actions']",
    ".insert-bar",
    ".side",
    ".data-sources",
    ".problem.blocked",
  ]) {
    expect(await visibleCount(page, chrome), chrome).toBe(0);
  }
  const text = await page.locator(".content").innerText();
  expect(text).not.toContain("await seg.rfm(");
  expect(text).not.toContain("GROUP BY segment");
  // The Markdown, with its interpolated values, and the outputs.
  expect(await page.locator(".markdown h1").first().innerText()).toBe(
    "Segment customers: RFM, value tiers, rules and clusters",
  );
  expect(await visibleCount(page, ".markdown h2")).toBeGreaterThanOrEqual(4);
  expect(text).toMatch(/The recommended k is \d+/);
  expect(await visibleCount(page, ".output svg")).toBeGreaterThanOrEqual(2);
  expect(await visibleCount(page, ".data-grid")).toBeGreaterThanOrEqual(1);
  // Cells that only define names take no space; every code cell on screen shows something.
  const cells = await page.$$eval(".cell:not(.md)", (elements) =>
    elements.map((e) => ({
      shown: (e as HTMLElement).offsetParent !== null,
      showsSomething: !!e.querySelector(".outputs, .problem.error"),
    })),
  );
  expect(cells.filter((c) => !c.shown).length).toBeGreaterThan(0);
  expect(cells.every((c) => c.shown === c.showsSomething)).toBe(true);
  // Charts and grids fit the column.
  const overflow = await page.$$eval(".cell .output svg, .cell .data-grid", (elements) =>
    elements
      .filter((e) => (e as HTMLElement).offsetParent !== null || e.closest(".cell")?.checkVisibility())
      .map((e) => e.getBoundingClientRect().right - e.closest(".content")!.getBoundingClientRect().right),
  );
  expect(Math.max(...overflow)).toBeLessThanOrEqual(1);

  await page.evaluate(() => localStorage.clear());
  await page.evaluate(() => window.scrollTo(0, 0));
  await shoot(page, "report-light.png");
  await page.locator(".markdown h2", { hasText: "4. Behavioural clusters" }).scrollIntoViewIfNeeded();
  await shoot(page, "report-light-clusters.png");
  await page.locator("[data-theme-toggle]").click();
  await shoot(page, "report-dark-clusters.png");
  await page.evaluate(() => window.scrollTo(0, 0));
  await shoot(page, "report-dark.png");

  // Back to the notebook view: code returns, the address loses view=report and keeps the notebook.
  await page.click("[data-view-choice=notebook]");
  expect(await page.getAttribute("main", "data-view")).toBe("notebook");
  expect(viewParam(page)).toBeNull();
  expect(new URL(page.url()).searchParams.get("notebook")).toBe(SEGMENTATION);
  await page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor");
  expect(await visibleCount(page, ".cell .editor")).toBeGreaterThan(5);
  expect(await visibleCount(page, ".insert-bar")).toBeGreaterThan(5);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shoot(page, "notebook-dark.png");
  await page.locator("[data-theme-toggle]").click();
  await shoot(page, "notebook-light.png");

  // R (command mode, nothing focused) switches to the report again; a letter that edits cells does not
  // act there (D D would delete a cell the reader cannot see).
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const count = await page.locator(".cell").count();
  await page.keyboard.press("r");
  expect(await page.getAttribute("main", "data-view")).toBe("report");
  expect(viewParam(page)).toBe("report");
  await page.keyboard.press("d");
  await page.keyboard.press("d");
  await page.keyboard.press("b");
  expect(await page.locator(".cell").count()).toBe(count);
  // The view is not part of the notebook: nothing to save.
  expect(await page.getAttribute("[data-dirty]", "data-dirty")).toBe("false");
  expectClean(w);
});

test("in the report view Inputs stay live: moving a slider re-runs the cell that reads it", async () => {
  const w = await workbench.open();
  const { page } = w;
  await page.goto(`${workbench.url("__test-notebooks__/inputs.md")}&view=report`);
  await waitForSettled(page);
  const slider = page.locator("input[type=range]");
  expect(await slider.isVisible()).toBe(true);
  expect(await page.locator(".content").innerText()).not.toContain("Inputs.range");
  // The cells: the heading, the slider, its reader, the table, the table's reader.
  const reader = page.locator(".cell").nth(2);
  expect(await reader.locator(".inspector").textContent()).toBe("50");
  await slider.evaluate((input: HTMLInputElement) => {
    input.value = "8";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await expect.poll(() => reader.locator(".inspector").textContent()).toBe("80");
  expect(Number(await reader.getAttribute("data-cell-runs"))).toBe(2);
  expectClean(w);
});

test("a share link keeps its #nb= fragment when the view changes, and Copy share link from the report opens the report", async () => {
  const w = await workbench.open();
  const { page } = w;
  const text = "---\ntitle: Shared report\n---\n\n# Shared heading\n\n```ts\n6 * 7;\n```\n";
  const fragment = shareFragment({ text, from: "notebooks/welcome.md" });
  await page.goto(`${workbench.url()}?view=report#${fragment}`);
  await page.waitForSelector("main[data-notebook-phase=ready]");
  expect(await page.getAttribute("main", "data-view")).toBe("report");
  expect(await page.locator(".markdown h1").innerText()).toBe("Shared heading");
  await page.click("[data-view-choice=notebook]");
  expect(new URL(page.url()).hash).toBe(`#${fragment}`);
  expect(viewParam(page)).toBeNull();
  await page.click("[data-view-choice=report]");
  expect(new URL(page.url()).hash).toBe(`#${fragment}`);
  expect(viewParam(page)).toBe("report");

  await page.click("[data-action=file-menu]");
  await page.click("[data-action=share]");
  const link = new URL(await page.inputValue("[data-share-link]"));
  expect(link.searchParams.get("view")).toBe("report");
  expect(link.hash.startsWith("#nb=")).toBe(true);
  expect(w.pageErrors).toEqual([]);
});

test("the report prints light in the dark theme, without chrome, grids as whole tables; page.pdf() makes pages", async () => {
  const w = await workbench.open();
  const { page } = w;
  await page.goto(`${workbench.url(SEGMENTATION)}&view=report`);
  await waitForSettled(page);
  await page.locator("[data-theme-toggle]").click();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
  const screenBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  // An A4 page's printable width (210 mm less the print stylesheet's 2 x 14 mm margins, at 96 dpi).
  await page.setViewportSize({ width: 688, height: 1000 });
  await page.emulateMedia({ media: "print" });
  // Printing makes the grids as tall as their rows: the 400-row grid draws more than it did on screen.
  await page.waitForFunction(() =>
    [...document.querySelectorAll(".cell .data-grid")].some((g) => g.querySelectorAll(".grid-row").length > 30),
  );
  const printed = await page.evaluate(() => {
    const content = document.querySelector(".content")!.getBoundingClientRect();
    const grids = [...document.querySelectorAll<HTMLElement>(".cell .data-grid")];
    const grid = grids.find((g) => g.querySelectorAll(".grid-row").length > 30)!;
    const scroller = grid.querySelector<HTMLElement>(".grid-scroller")!;
    return {
      background: getComputedStyle(document.body).backgroundColor,
      text: getComputedStyle(document.querySelector(".markdown p")!).color,
      header: getComputedStyle(document.querySelector(".page-header")!).display,
      gridOverflow: getComputedStyle(scroller).overflowY,
      // Every printed row sits below the one before it (no virtual-scroll offsets, no clipping).
      rowsInOrder: [...grid.querySelectorAll<HTMLElement>(".grid-row")]
        .filter((r) => r.offsetParent !== null)
        .map((r) => r.getBoundingClientRect().top)
        .every((top, i, tops) => i === 0 || top > tops[i - 1]!),
      rowsPrinted: [...grid.querySelectorAll<HTMLElement>(".grid-row")].filter((r) => r.offsetParent !== null).length,
      // Every grid's table, the widest (14 columns) included, ends inside the page.
      gridsFit: grids.every((g) => g.querySelector(".grid-inner")!.getBoundingClientRect().right <= content.right + 1),
      gridCount: grids.length,
    };
  });
  expect(screenBackground).not.toBe("rgb(255, 255, 255)");
  expect(printed.background).toBe("rgb(255, 255, 255)");
  expect(printed.text).toBe("rgb(31, 35, 40)");
  expect(printed.header).toBe("none");
  expect(printed.gridOverflow).toBe("visible");
  expect(printed.rowsInOrder).toBe(true);
  expect(printed.rowsPrinted).toBe(30);
  expect(printed.gridCount).toBeGreaterThanOrEqual(2);
  expect(printed.gridsFit).toBe(true);

  const pdf = await page.pdf({ format: "A4", printBackground: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "report.pdf"), pdf);
  console.log(`pdf: ${path.relative(repoRoot, path.join(dir, "report.pdf"))}`);
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  const pages = pdf.toString("latin1").match(/\/Type\s*\/Page\b/g) ?? [];
  expect(pages.length).toBeGreaterThan(2);
  expectClean(w);
});

test("File → Export HTML report downloads the report view's document: headings, charts and tables, no code", async () => {
  const w = await workbench.open();
  const { page } = w;
  await page.goto(`${workbench.url(SEGMENTATION)}&view=report`);
  await waitForSettled(page);
  await page.click("[data-action=file-menu]");
  const [download]: [Download, void] = await Promise.all([
    page.waitForEvent("download"),
    page.click("[data-action=export-html]"),
  ]);
  const html = fs.readFileSync((await download.path())!, "utf8");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "exported-report.html"), html);
  expect(download.suggestedFilename()).toMatch(/\.html$/);
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).toContain("<title>Segment customers with RFM, tiers, rules and clusters</title>");
  expect(html).toContain("<h1>Segment customers: RFM, value tiers, rules and clusters</h1>");
  expect(html).toContain("<h2>1. RFM: recency, frequency, monetary</h2>");
  expect(html).toMatch(/The recommended k is <strong>\d+<\/strong>/);
  // Charts inline as SVG, tables as HTML tables with their names and formatted numbers.
  expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(2);
  expect(html).toMatch(/<caption>rfm_summary · [\d,]+ rows? × \d+ columns<\/caption>/);
  expect(html).toMatch(/<td class="num"( title="[\d.]+")?>\d{1,3}(,\d{3})*(\.\d{1,2})?<\/td>/);
  // No code, no internal names, no scripts.
  expect(html).not.toContain("await seg.rfm(");
  expect(html).not.toContain("GROUP BY segment");
  expect(html).not.toContain("__segbook");
  expect(html).not.toMatch(/<script/i);
  expectClean(w);
});
