/**
 * `seg.export` in the built workbench downloads only on a click: opening and running a notebook that
 * exports, and moving a slider that re-runs the export, start no download; the card's Download button
 * downloads exactly the bytes `segbook run --out` writes for the same notebook; File → Download
 * exports offers the current export (not the replaced one) as one .zip. Photographs the card in the
 * light and the dark theme.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import type { Download, Page } from "playwright-core";
import { expect, test } from "vitest";
import { runNotebookFile } from "../../src/cli/run-notebook.ts";
import { reportHtml as cliReportHtml } from "../../src/cli/report-html.ts";
import { repoRoot } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { codeCellId, waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();
const NOTEBOOK = "test/browser/notebooks/export-download.md";
const shots = path.join(repoRoot, "test-results", "screenshots");
/** Re-runs on a busy machine take seconds: poll long enough. */
const POLL = { timeout: 30_000, interval: 200 };

const CUSTOMERS = "notebooks/data/customers.csv";

/**
 * What `segbook run NOTEBOOK --out DIR` writes as members.csv (same data file, read from disk), and
 * the report.html it writes beside.
 */
async function cliExport(): Promise<Buffer>;
async function cliExport(withReport: true): Promise<{ csv: Buffer; report: string }>;
async function cliExport(withReport = false): Promise<Buffer | { csv: Buffer; report: string }> {
  const out = mkdtempSync(path.join(tmpdir(), "segbook-export-download-"));
  const run = await runNotebookFile(path.join(repoRoot, NOTEBOOK), {
    outDir: out,
    data: { customers: path.join(repoRoot, CUSTOMERS) },
  });
  const report = withReport ? await cliReportHtml(run.notebook, run.session) : "";
  await run.close();
  expect(run.report.ok, JSON.stringify(run.report.firstFailure)).toBe(true);
  const csv = readFileSync(path.join(out, "members.csv"));
  return withReport ? { csv, report } : csv;
}

/** The text of every cell of the report's data tables holding an e-mail address, in order. */
const emailCells = (html: string) => [...html.matchAll(/<td[^>]*>([^<]*@example\.com)<\/td>/g)].map((m) => m[1]);

const bytesOf = async (download: Download) => readFileSync((await download.path())!);

async function clickForDownload(page: Page, click: () => Promise<void>): Promise<Download> {
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 30_000 }), click()]);
  return download;
}

test("seg.export shows a card and downloads only on a click: the bytes segbook run --out writes, the newest after a re-run", async () => {
  const expected = await cliExport();
  const w = await workbench.open();
  const { page } = w;
  const downloads: string[] = [];
  page.on("download", (d) => downloads.push(d.suggestedFilename()));

  await page.goto(workbench.url("__test-notebooks__/export-download.md"));
  await waitForSettled(page);
  const card = page.locator('[data-export-card="members.csv"]');
  await expect.poll(() => card.count(), POLL).toBe(1);
  expect(downloads, "no download while the notebook opens and runs").toEqual([]);

  const rows = expected.toString("utf8").trim().split("\n").length - 1;
  const facts = await card.locator(".export-card-facts").textContent();
  expect(facts).toMatch(new RegExp(`^${rows.toLocaleString("en-US")} rows · 4 columns · \\d+ KB · \\d+ segments$`));
  expect(await card.locator(".export-card-format").textContent()).toBe("CSV");
  expect(await card.locator(".export-card-privacy").textContent()).toContain("Personal columns masked: email");

  // The card in both themes, for a reviewer to look at.
  fs.mkdirSync(shots, { recursive: true });
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: path.join(shots, "export-card-light.png") });
  await page.locator("[data-theme-toggle]").click();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
  await card.screenshot({ path: path.join(shots, "export-card-dark.png") });

  const first = await clickForDownload(page, () => card.locator("[data-action=download-export]").click());
  expect(first.suggestedFilename()).toBe("members.csv");
  const firstBytes = await bytesOf(first);
  expect(firstBytes.equals(expected), "the click downloads what segbook run --out writes").toBe(true);

  // Moving the slider re-runs the SQL cell and the export: a new file is prepared, none downloaded.
  const exportId = await codeCellId(page, "seg.export(members");
  const runsBefore = Number(await page.locator(`[data-cell-id="${exportId}"]`).getAttribute("data-cell-runs"));
  const slider = page.locator("input[type=range]").first();
  await slider.evaluate((input: HTMLInputElement) => {
    input.value = "50";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await expect
    .poll(async () => Number(await page.locator(`[data-cell-id="${exportId}"]`).getAttribute("data-cell-runs")), POLL)
    .toBe(runsBefore + 1);
  await waitForSettled(page);
  await page.waitForTimeout(500);
  expect(downloads, "no download when an input re-runs the export").toEqual(["members.csv"]);
  // 183 customers are 50 or older; the 18 of the small group are left out.
  await expect.poll(() => card.locator(".export-card-facts").textContent(), POLL).toMatch(/^165 rows · 4 columns/);
  // Aged 50+, one region-and-gender group has 18 members: below the notebook's minSegmentSize of 20.
  expect(await card.locator(".export-card-privacy").textContent()).toContain(
    "1 segment below 20 members left out (18 rows)",
  );

  const second = await bytesOf(
    await clickForDownload(page, () => card.locator("[data-action=download-export]").click()),
  );
  const lines = second.toString("utf8").trim().split("\n");
  expect(lines[0]).toBe("customer_id,segment,age,email");
  expect(lines.slice(1).every((line) => Number(line.split(",")[2]) >= 50)).toBe(true);
  expect(lines[1]).toMatch(/,c\*\*\*@example\.com$/);
  const manifest = JSON.parse(
    (
      await bytesOf(await clickForDownload(page, () => card.locator("[data-action=download-manifest]").click()))
    ).toString("utf8"),
  );
  expect(manifest).toMatchObject({ file: "members.csv", rows: lines.length - 1, parameters: { minAge: 50 } });
  expect(manifest.sha256).toBe(createHash("sha256").update(second).digest("hex"));
  // Provenance, with nothing passed by the cell: the notebook by its path on the site, the exporting
  // cell, the seed, the data file it was made from with its sha256, and the versions.
  const customersSha = createHash("sha256")
    .update(readFileSync(path.join(repoRoot, CUSTOMERS)))
    .digest("hex");
  expect(manifest.notebook).toEqual({ title: "Export on a click", location: "__test-notebooks__/export-download.md" });
  expect(manifest.cell).toEqual({ position: 4, name: null });
  expect(manifest.seed).toBe(7);
  expect(manifest.sources).toEqual([
    { name: "customers", path: "../notebooks/data/customers.csv", sha256: customersSha, read: "whole" },
  ]);
  expect(manifest.inputs).toEqual({ customers: customersSha });
  expect(manifest.models).toEqual([]);
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
  expect(manifest.appVersion).toBe(pkg.version);
  expect(manifest.engineVersion).toMatch(/^v\d+\.\d+\.\d+/);

  // File → Download exports: only the current export, as one .zip of the file and its manifest.
  await page.locator("[data-action=file-menu]").click();
  await expect
    .poll(() => page.locator("[data-action=download-exports]").textContent(), POLL)
    .toContain("Download exports (1)");
  await page.locator("[data-action=download-exports]").click();
  const dialog = page.locator("[data-exports-dialog]");
  await expect.poll(() => dialog.locator("[data-export]").count(), POLL).toBe(1);
  await dialog.screenshot({ path: path.join(shots, "export-dialog-dark.png") });
  const zip = await clickForDownload(page, () => dialog.locator("[data-action=download-zip]").click());
  expect(zip.suggestedFilename()).toBe("Export_on_a_click_exports.zip");
  const files = unzipSync(await bytesOf(zip));
  expect(Object.keys(files).sort()).toEqual(["members.csv", "members.csv.manifest.json"]);
  expect(Buffer.from(files["members.csv"]!).equals(second)).toBe(true);
  expect(downloads).toEqual([
    "members.csv",
    "members.csv",
    "members.csv.manifest.json",
    "Export_on_a_click_exports.zip",
  ]);
  expect(w.pageErrors).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
  expect(w.blockedRequests).toEqual([]);
});

test("the report view and File → Export HTML report mask the notebook's personal columns in the browser as segbook run --out's report.html does", async () => {
  const { report: cliReport } = await cliExport(true);
  const w = await workbench.open();
  const { page } = w;
  await page.goto(workbench.url("__test-notebooks__/export-download.md"));
  await waitForSettled(page);
  // The notebook view is the analyst's own: the grid shows the e-mails as they are.
  const grid = page.locator(".data-grid").first();
  await expect.poll(() => grid.innerText(), POLL).toContain("c1@example.com");
  // The report view is what stakeholders see and print: its grid masks them as the HTML report does.
  await page.locator("[data-view-choice=report]").click();
  await expect.poll(() => grid.innerText(), POLL).toContain("c***@example.com");
  expect(await grid.innerText()).not.toMatch(/c\d+@example\.com/);
  expect(await grid.locator("[data-download]").count(), "no download of raw values from a masked grid").toBe(0);
  fs.mkdirSync(shots, { recursive: true });
  await grid.scrollIntoViewIfNeeded();
  await grid.screenshot({ path: path.join(shots, "report-view-masked-light.png") });
  await page.locator("[data-view-choice=notebook]").click();
  await expect.poll(() => grid.innerText(), POLL).toContain("c1@example.com");

  await page.locator("[data-action=file-menu]").click();
  const download = await clickForDownload(page, () => page.locator("[data-action=export-html]").click());
  const html = (await bytesOf(download)).toString("utf8");
  fs.mkdirSync(path.join(repoRoot, "test-results", "report-view"), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, "test-results", "report-view", "export-download-report.html"), html);

  const emails = emailCells(html);
  expect(emails.length).toBeGreaterThan(10);
  expect(emails.every((e) => e === "c***@example.com")).toBe(true);
  expect(html).not.toMatch(/c\d+@example\.com/);
  // The same masked cells, in the same order, as the CLI's report of the same notebook.
  expect(emails).toEqual(emailCells(cliReport));
  expect(cliReport).not.toMatch(/c\d+@example\.com/);
  expect(w.pageErrors).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
});
