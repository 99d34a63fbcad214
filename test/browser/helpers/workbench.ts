/**
 * Reading the workbench page in tests: cell statuses, waiting for the notebook to settle, and finding
 * the built site's entry chunk and its static imports.
 */
import fs from "node:fs";
import path from "node:path";
import type { Frame, Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { parse } from "../../../src/notebook/index.ts";
import { distDir, repoRoot } from "./static-server.ts";

/** Status and run count of every cell, in page order. */
export interface CellSnapshot {
  id: string;
  kind: string;
  status: string;
  runs: number;
}

/** Statuses of every cell on the page. */
export async function cellSnapshots(page: Page): Promise<CellSnapshot[]> {
  return page.$$eval("[data-cell-id]", (elements) =>
    elements.map((e) => ({
      id: e.getAttribute("data-cell-id") ?? "",
      kind: e.getAttribute("data-cell-kind") ?? "",
      status: e.getAttribute("data-cell-status") ?? "",
      runs: Number(e.getAttribute("data-cell-runs") ?? 0),
    })),
  );
}

/**
 * The `?sandbox=1` page's sandbox frame (its srcdoc document), for reads and clicks inside it.
 * @example await sandboxFrame(page).waitForSelector(".sandbox-cell");
 */
export function sandboxFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.url() === "about:srcdoc");
  if (!frame) throw new Error("the page has no sandbox frame");
  return frame;
}

/**
 * The shipped notebooks (notebooks/*.md) the site can run as it is: those whose front matter does not
 * `require` data it does not ship (e.g. the real Online Retail file), sorted.
 * @example test.each(galleryNotebooks())("%s settles", …);
 */
export function galleryNotebooks(): string[] {
  return fs
    .readdirSync(path.join(repoRoot, "notebooks"))
    .filter((file) => file.endsWith(".md"))
    .filter((file) => {
      const { notebook } = parse(fs.readFileSync(path.join(repoRoot, "notebooks", file), "utf8"));
      return notebook.frontMatter.requires === undefined;
    })
    .sort();
}

/**
 * Asserts that every data source in the data panel loaded (`data-source-status="ok"`), listing the
 * statuses when one did not.
 * @example await expectDataSourcesOk(w.page);
 */
export async function expectDataSourcesOk(page: Page): Promise<void> {
  const sources = await page.$$eval("[data-source-status]", (els) =>
    els.map((e) => e.getAttribute("data-source-status")),
  );
  expect(
    sources.every((s) => s === "ok"),
    JSON.stringify(sources),
  ).toBe(true);
}

/**
 * Waits until the engine is up and no cell or data source is waiting or running. The condition must
 * hold twice in a row, so a gap between one cell finishing and the next starting does not count.
 */
export async function waitForSettled(page: Page, timeout = 90_000): Promise<void> {
  const settled = () =>
    page.evaluate(() => {
      const main = document.querySelector("main");
      if (main?.getAttribute("data-engine-phase") !== "ready") return false;
      const statuses = [...document.querySelectorAll("[data-cell-status],[data-source-status]")].map(
        (e) => e.getAttribute("data-cell-status") ?? e.getAttribute("data-source-status"),
      );
      return statuses.length > 0 && statuses.every((s) => s !== "stale" && s !== "running");
    });
  const deadline = Date.now() + timeout;
  let streak = 0;
  while (streak < 2) {
    // An engine that failed to start never settles: say why at once instead of at the deadline.
    if ((await page.locator("main").getAttribute("data-engine-phase")) === "failed") {
      const failure = await page
        .locator("main .failure")
        .first()
        .textContent({ timeout: 5_000 })
        .catch(() => "(no message shown)");
      throw new Error(`the engine failed to start: ${failure}`);
    }
    if (Date.now() > deadline) {
      const failure = await page
        .locator("main .failure")
        .textContent()
        .catch(() => null);
      throw new Error(
        `notebook did not settle within ${timeout} ms${failure ? `: ${failure}` : ""}; cells: ${JSON.stringify(await cellSnapshots(page))}`,
      );
    }
    streak = (await settled()) ? streak + 1 : 0;
    await page.waitForTimeout(150);
  }
}

/** The cell element whose editor or rendered text contains `text`. */
export function cellWith(page: Page, kind: string, text: string): Locator {
  return page.locator(`[data-cell-kind="${kind}"]`).filter({ hasText: text });
}

/** The code cell whose source contains `text` (read from the editor, fallback or Monaco). */
export async function codeCellId(page: Page, text: string): Promise<string> {
  const id = await page.$$eval(
    "[data-cell-id]",
    (elements, wanted) =>
      elements
        .find((e) => {
          const textarea = e.querySelector("textarea.fallback") as HTMLTextAreaElement | null;
          const source = textarea
            ? textarea.value
            : (e.querySelector(".view-lines")?.textContent ?? "").replace(/\u00a0/g, " ");
          return source.includes(wanted);
        })
        ?.getAttribute("data-cell-id"),
    text,
  );
  if (!id) throw new Error(`no code cell contains ${JSON.stringify(text)}`);
  return id;
}

/** The built site's entry script, from dist/index.html. */
export function entryScript(): string {
  const html = fs.readFileSync(path.join(distDir, "index.html"), "utf8");
  const match = /<script[^>]*type="module"[^>]*src="\.\/([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error(`dist/index.html has no module script:\n${html}`);
  return match[1];
}

/** Every file (relative to dist) the entry loads before first paint: its static imports, transitively. */
export function staticGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = fs.readFileSync(path.join(distDir, file), "utf8");
    // Minified static imports: `import{a}from"./x.js"`, `import"./x.js"`, `export{a}from"./x.js"`.
    for (const m of code.matchAll(/(?:\bimport|\bexport)\s*(?:[\w*${}\s,]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g)) {
      visit(path.posix.join(path.posix.dirname(file), m[1]!));
    }
  };
  visit(entry);
  return [...seen];
}

/** Files in dist/assets whose text contains `marker`. */
export function assetsContaining(marker: string): string[] {
  const dir = path.join(distDir, "assets");
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(js|css)$/.test(f) && fs.readFileSync(path.join(dir, f), "utf8").includes(marker))
    .map((f) => `assets/${f}`);
}
