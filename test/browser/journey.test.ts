/**
 * An analyst's first notebook, as they would make it, on the built site and on `npm run dev`: start
 * blank, add Mall_Customers.csv and online_retail.csv from their disk, make a notebook from the retail
 * file (RFM, k-means, a profile), name a SQL cell, export the segments and download them with the
 * export's button, edit a cell without running it, save, reload — and find the notebook exactly as it
 * was on screen. No download starts without a click.
 */
import path from "node:path";
import fs from "node:fs";
import { describe, expect, test } from "vitest";
import type { Download, Page } from "playwright-core";
import { repoRoot } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { cellSnapshots, waitForSettled } from "./helpers/workbench.ts";
import { editorText, fakePickers, fileAction, readPrivateFile, typeInCell } from "./helpers/persistence.ts";
import { expectCleanRun } from "./helpers/browser.ts";

const DATASETS = path.resolve(repoRoot, "../shared/datasets");
const MALL = path.join(DATASETS, "mall_customers/Mall_Customers.csv");
const RETAIL = path.join(DATASETS, "online_retail/online_retail.csv");
const SAVED_AS = "my-segments.md";

/** Every cell's kind and editor text, in page order: the notebook as the analyst sees it. */
async function screenCells(page: Page): Promise<{ kind: string; text: string }[]> {
  const ids = (await cellSnapshots(page)).map((c) => [c.id, c.kind] as const);
  const cells: { kind: string; text: string }[] = [];
  for (const [id, kind] of ids) cells.push({ kind, text: kind === "md" ? "" : await editorText(page, id) });
  return cells;
}

/** The id of the first cell whose editor holds `wanted`. */
async function cellWith(page: Page, wanted: string): Promise<string> {
  for (const { id, kind } of await cellSnapshots(page)) {
    if (kind !== "md" && (await editorText(page, id)).includes(wanted)) return id;
  }
  throw new Error(`no cell shows ${JSON.stringify(wanted)}`);
}

/** Waits until the page is a loaded notebook (after a navigation) and has run to the end. */
async function ready(page: Page): Promise<void> {
  await page.waitForSelector("main[data-notebook-phase=ready]", { timeout: 120_000 });
  await waitForSettled(page, 400_000);
}

function expectAllOk(cells: Awaited<ReturnType<typeof cellSnapshots>>) {
  expect(
    cells.filter((c) => c.status !== "ok"),
    "every cell ok",
  ).toEqual([]);
}

describe.each(["built", "dev"] as const)("the analyst's journey on the %s site", (kind) => {
  const workbench = useWorkbench(kind);

  test("blank → two files → New from file → name a SQL cell → RFM, k-means, profile, export → download by click → edit without running → save → reload: identical", async () => {
    const w = await workbench.open();
    const { page } = w;
    await fakePickers(w.context, SAVED_AS);
    const downloads: Download[] = [];
    page.on("download", (d) => downloads.push(d));
    let clickedDownloads = 0;

    // 1. Start blank: File → New.
    await page.goto(workbench.url());
    await ready(page);
    await fileAction(page, "new");
    await page.waitForURL(/[?&]new=/, { timeout: 60_000 });
    await ready(page);
    const blank = await cellSnapshots(page);
    expect(blank.length).toBeGreaterThanOrEqual(1);
    expect(await page.locator("[data-source-status]").count(), "a new notebook has no data").toBe(0);

    // 2. Add the two files from disk with the data panel's file picker.
    for (const [file, table] of [
      [MALL, "mall_customers"],
      [RETAIL, "online_retail"],
    ] as const) {
      await page.setInputFiles(".data-file-input", file);
      await page.waitForSelector(`[data-loaded-file="${table}"][data-load-status="ok"]`, { timeout: 300_000 });
    }
    await ready(page);

    // 3. New notebook from the retail file: a starter with the file's own columns, run at once.
    const blankUrl = page.url();
    await page.click('[data-loaded-file="online_retail"] [data-action="new-from-file"]');
    await page.waitForURL((url) => url.search.includes("new=") && url.href !== blankUrl, { timeout: 120_000 });
    await ready(page);
    expectAllOk(await cellSnapshots(page));
    const code = (await screenCells(page)).map((c) => c.text).join("\n");
    for (const call of ["seg.rfm(", "seg.kmeans(", "seg.profile("]) expect(code).toContain(call);
    // RFM segments, clusters and a profile were computed: their outputs are on the page.
    await expect.poll(() => page.locator('[data-schema-table="rfm_segments"]').count()).toBeGreaterThan(0);
    expect(await page.locator("svg").count(), "the RFM grid and profile heatmap").toBeGreaterThanOrEqual(2);

    // 4. Name the unnamed SQL cell (the column summary); a taken name is refused, naming its cell.
    const summaryId = await cellWith(page, "SUMMARIZE");
    const summary = page.locator(`[data-cell-id="${summaryId}"]`);
    await summary.hover();
    await summary.locator("[data-action=rename-cell]").click();
    await summary.locator("[data-cell-name-input]").fill("purchases");
    await summary.locator("[data-action=rename-apply]").click();
    await expect.poll(() => summary.locator("[data-cell-name-problem]").textContent()).toContain("purchases");
    await summary.locator("[data-cell-name-input]").fill("column_summary");
    await summary.locator("[data-action=rename-apply]").click();
    await page.waitForSelector('[data-schema-table="column_summary"]', { timeout: 120_000 });
    await ready(page);

    // 5. Export the clustered customers: a card with a Download button, and no download by itself.
    await page.locator(".insert-bar").last().locator("[data-insert-kind=ts]").click();
    const exportId = (await cellSnapshots(page)).at(-1)!.id;
    await page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor", { timeout: 120_000 });
    await page.locator(`[data-cell-id="${exportId}"] .monaco-editor .view-lines`).click();
    await page.keyboard.type('seg.export(clustered, { file: "segments.csv" });');
    await page.keyboard.press("Shift+Enter");
    const card = page.locator('[data-export-card="segments.csv"]');
    await card.waitFor({ timeout: 120_000 });
    await ready(page);
    expect(downloads, "no download before a click").toEqual([]);
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 60_000 }),
      card.locator("[data-action=download-export]").click(),
    ]);
    clickedDownloads++;
    expect(download.suggestedFilename()).toBe("segments.csv");
    const csv = fs
      .readFileSync((await download.path())!, "utf8")
      .trim()
      .split("\n");
    expect(csv[0]).toContain("customer_id");
    expect(csv[0]).toContain("cluster");
    const rows = await page.evaluate(async () => {
      const engine = (globalThis as unknown as { segbook: { engine: { query(s: string): Promise<unknown> } } }).segbook
        .engine;
      const table = (await engine.query("SELECT count(*)::INTEGER AS n FROM clustered")) as {
        toArray(): { n: number }[];
      };
      return table.toArray()[0]!.n;
    });
    expect(csv.length - 1, "one line per clustered customer").toBe(rows);

    // 6. Edit one cell and do not run it.
    const kId = await typeInCell(
      page,
      "const k = scan.info.recommended;",
      "const k = 4;\nconst clusters = await seg.kmeans(scored, { ...clustering, k });\nclusters.info.sizes;",
    );
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator(`[data-cell-id="${kId}"]`).getAttribute("data-cell-edited")).toBe("true");
    const onScreen = await screenCells(page);
    expect(onScreen.some((c) => c.text.startsWith("const k = 4;"))).toBe(true);

    // 7. Save (File System Access; the picker answers with a private file).
    await fileAction(page, "save");
    await expect
      .poll(() => readPrivateFile(page, SAVED_AS).catch(() => ""), { timeout: 30_000 })
      .toContain("const k = 4;");
    const saved = await readPrivateFile(page, SAVED_AS);
    expect(saved).toContain("```sql column_summary");
    expect(saved).toContain('seg.export(clustered, { file: "segments.csv" });');

    // 8. Reload: the notebook is identical, the edited cell still edited and never run.
    await page.reload();
    await ready(page);
    expect(await screenCells(page)).toEqual(onScreen);
    const reloadedK = await cellWith(page, "const k = 4;");
    expect(await page.locator(`[data-cell-id="${reloadedK}"]`).getAttribute("data-cell-edited")).toBe("true");
    expect(await card.count(), "the export is prepared again, not downloaded").toBe(1);

    expect(downloads.length, "every download came from a click").toBe(clickedDownloads);
    expectCleanRun(w);
    // What the analyst and a stakeholder look at, in both themes: the notebook and its report view.
    const shots = path.join(repoRoot, "test-results", "journey");
    fs.mkdirSync(shots, { recursive: true });
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme || "light");
    for (const view of ["notebook", "report"] as const) {
      await page.click(`[data-view-choice=${view}]`);
      for (let i = 0; i < 2; i++) {
        await page.screenshot({ path: path.join(shots, `${kind}-${view}-${await theme()}.png`), fullPage: true });
        await page.click("[data-theme-toggle]");
      }
    }
  }, 900_000);
});
