/**
 * New notebooks on the built site in headless Chromium: File → New opens a blank notebook of its own
 * (`?new=<id>`, trusted, no data, its edits kept across a reload); a `?notebook=` that does not exist
 * offers the gallery and New; a CSV added in the data panel gives "New notebook from this file", a
 * starter written from Mall_Customers.csv's columns whose every cell runs ok (photographed light and
 * dark).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { repoRoot } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { cellSnapshots, waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();
const MALL = path.resolve(repoRoot, "../shared/datasets/mall_customers/Mall_Customers.csv");
const shots = path.join(repoRoot, "test-results", "screenshots");

/** The open notebook's front matter (validated) and cells, read from the page's state. */
async function openNotebook(page: Page) {
  return page.evaluate(() => {
    const nb = (
      globalThis as unknown as {
        segbook: {
          notebook: {
            notebook: { frontMatter: Record<string, unknown> };
            cells: { kind: string; source: string; name?: string }[];
            trusted: boolean;
          };
        };
      }
    ).segbook.notebook;
    return {
      frontMatter: nb.notebook.frontMatter,
      cells: nb.cells.map((c) => ({ kind: c.kind, source: c.source, name: c.name })),
      trusted: nb.trusted,
    };
  });
}

async function fileMenu(page: Page, action: string) {
  await page.click("[data-action=file-menu]");
  await page.click(`[data-action=${action}]`);
}

describe("new notebooks", () => {
  test("File → New opens a blank, trusted notebook at ?new=<id> whose edits survive a reload", async () => {
    const { page } = await workbench.open();
    await page.goto(workbench.url());
    await waitForSettled(page);
    await fileMenu(page, "new");
    await page.waitForURL(/\?new=\w+/);
    await waitForSettled(page);
    const id = new URL(page.url()).searchParams.get("new");
    const opened = await openNotebook(page);
    expect(opened.frontMatter).toMatchObject({ title: "Untitled", format: 1, seed: 42, data: {} });
    expect(opened.cells).toEqual([
      { kind: "md", source: "# Untitled", name: undefined },
      { kind: "ts", source: "", name: undefined },
    ]);
    expect(opened.trusted).toBe(true);
    expect(await page.textContent("h1.title")).toBe("Untitled");
    expect(await page.textContent(".page-header .source")).toContain("new notebook");
    expect((await cellSnapshots(page)).map((c) => c.status)).toEqual(["ok", "ok"]);

    // An edit (typed and run) autosaves under this notebook's own key; the same address brings it back.
    const tsId = (await cellSnapshots(page)).find((c) => c.kind === "ts")!.id;
    await page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor", { timeout: 60_000 });
    await page.locator(`[data-cell-id="${tsId}"] .monaco-editor .view-lines`).click();
    await page.keyboard.type("const answer = 6 * 7;\nanswer");
    await page.keyboard.press("ControlOrMeta+Enter");
    await page.waitForSelector("[data-autosave=saved]");
    await page.reload();
    await waitForSettled(page);
    expect(new URL(page.url()).searchParams.get("new")).toBe(id);
    expect((await openNotebook(page)).cells[1]!.source).toBe("const answer = 6 * 7;\nanswer");
    expect(await page.locator("[data-cell-kind=ts] .outputs").textContent()).toContain("42");
  });

  test("a ?notebook= that does not exist offers the gallery and a new notebook", async () => {
    const { page } = await workbench.open();
    await page.goto(workbench.url("notebooks/no-such-notebook.md"));
    await page.waitForSelector("[data-notebook-missing]");
    expect(await page.textContent("main .failure")).toContain("404");
    expect(await page.getAttribute("[data-action=missing-gallery]", "href")).toBe("?gallery");
    await page.click("[data-action=missing-new]");
    await page.waitForURL(/\?new=\w+/);
    await waitForSettled(page);
    expect((await openNotebook(page)).frontMatter).toMatchObject({ title: "Untitled", data: {} });
  });

  test("New notebook from this file writes a starter from Mall_Customers.csv's columns and every cell runs ok", async () => {
    const { page } = await workbench.open();
    await page.goto(`${workbench.url()}?new`);
    await waitForSettled(page);
    await page.setInputFiles("input.data-file-input", MALL);
    const loaded = page.locator('[data-loaded-file="mall_customers"][data-load-status="ok"]');
    await loaded.waitFor({ timeout: 60_000 });
    const before = page.url();
    await loaded.locator("[data-action=new-from-file]").click();
    await page.waitForURL((url) => url.href !== before && url.searchParams.has("new"));
    await waitForSettled(page, 120_000);
    const opened = await openNotebook(page);
    const sha256 = crypto.createHash("sha256").update(fs.readFileSync(MALL)).digest("hex");
    expect(opened.frontMatter.data).toEqual({ mall_customers: { path: "Mall_Customers.csv", sha256 } });
    expect(opened.trusted).toBe(true);
    const code = opened.cells.map((c) => c.source).join("\n");
    expect(code).toContain('"Annual Income (k$)"');
    expect(code).toContain("seg.chooseK(mall_customers");
    expect(code).toContain("seg.profile(clustered");
    const statuses = await cellSnapshots(page);
    const failing = await page.$$eval("[data-cell-status]:not([data-cell-status=ok])", (els) =>
      els.map((e) => `${e.getAttribute("data-cell-id")}: ${e.querySelector(".problem")?.textContent ?? ""}`),
    );
    expect(failing).toEqual([]);
    expect(statuses.length).toBe(opened.cells.length);
    // The file came back from this browser's storage (OPFS) by its sha256 in the new page.
    expect(await page.locator('[data-loaded-file="mall_customers"] .tag').textContent()).toBe("kept");

    fs.mkdirSync(shots, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, "starter-mall-light.png") });
    await page.locator(".outputs svg").last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "starter-mall-profile-light.png") });
    await page.locator("[data-theme-toggle]").click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, "starter-mall-dark.png") });
    await page.locator(".outputs svg").last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "starter-mall-profile-dark.png") });
  });
});
