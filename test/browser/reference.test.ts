/**
 * The reference generated from the source, as the built site serves it (under a sub-path): its index
 * and a function page render in light and dark theme with no console error and no request leaving the
 * site, and hovering `seg.kmeans` in a TS cell shows a link that opens that page.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { contractSection } from "../../src/ui/build/reference.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { repoRoot } from "./helpers/static-server.ts";
import { codeCellId, waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();
const shots = path.join(repoRoot, "test-results", "reference");

/** Relative luminance (0 black .. 1 white) of the page's background. */
async function backgroundLuminance(page: Page): Promise<number> {
  const rgb = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = rgb.match(/\d+/g)!.slice(0, 3).map(Number) as [number, number, number];
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

test("the reference's index and seg.kmeans page render in both themes, offline, under the sub-path", async () => {
  const w = await workbench.open();
  const { page } = w;
  const base = workbench.url();
  const requested: string[] = [];
  page.on("request", (request) => requested.push(request.url()));
  fs.mkdirSync(shots, { recursive: true });

  const response = await page.goto(`${base}reference/`);
  expect(response?.status()).toBe(200);
  await expect.poll(() => page.locator("h1").first().textContent()).toContain("Segbook reference");
  // The index says what a cell has and links the seg namespace and the table handle.
  const content = page.locator(".col-content");
  await expect.poll(() => content.textContent()).toContain("await seg.fn(table, options)");
  expect(await page.locator('.col-content a[href="modules/seg.html"]').count()).toBeGreaterThan(0);
  // "Workbench" leads back to the site's own page, relative to the reference.
  expect(await page.locator("a.tsd-nav-link", { hasText: "Workbench" }).getAttribute("href")).toBe("../index.html");

  for (const theme of ["light", "dark"] as const) {
    // The theme picked in the workbench (same origin) carries over to the reference.
    await page.evaluate((t) => localStorage.setItem("segbook.theme", t), theme);
    for (const [name, url] of [
      ["index", `${base}reference/`],
      ["kmeans", `${base}reference/functions/seg.kmeans.html`],
    ] as const) {
      expect((await page.goto(url))?.status()).toBe(200);
      await page.waitForSelector(".tsd-page-title h1");
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      // TypeDoc hides the body until its scripts ran (an inline snippet the page's policy allows by hash).
      await page.waitForFunction(() => document.body.style.display !== "none");
      const luminance = await backgroundLuminance(page);
      if (theme === "dark") expect(luminance, `${name} dark background`).toBeLessThan(0.3);
      else expect(luminance, `${name} light background`).toBeGreaterThan(0.8);
      if (name === "kmeans") {
        expect(await page.locator(".tsd-page-title h1").textContent()).toContain("kmeans");
        // The signature as a cell calls it (the bound context is not shown) and its example.
        const signature = (await page.locator(".tsd-signature").first().textContent()) ?? "";
        expect(signature).toMatch(/^kmeans\(\s*table: TableInput,\s*options: \w+/);
        expect(signature).not.toContain("SegContext");
        expect(await page.locator("#example").count()).toBe(1);
        expect(await page.locator("a.tsd-nav-link", { hasText: "Workbench" }).getAttribute("href")).toBe(
          "../../index.html",
        );
      }
      await page.screenshot({ path: path.join(shots, `${name}-${theme}.png`), fullPage: false });
    }
  }

  const origin = new URL(base).origin;
  expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith("data:"))).toEqual([]);
  expect(w.blockedRequests).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
  expect(w.pageErrors).toEqual([]);
});

const contract = contractSection(fs.readFileSync(path.join(repoRoot, "README.md"), "utf8"));

// Runs once the README has the section (written on another branch of issue #14).
test.runIf(contract)("the reference's index includes the README's seg contract section", async () => {
  const w = await workbench.open();
  await w.page.goto(`${workbench.url()}reference/`);
  const heading = contract!
    .split("\n")[0]!
    .replace(/^##\s*/, "")
    .replaceAll("`", "");
  await expect.poll(() => w.page.locator(".col-content").textContent()).toContain(heading);
});

/** The parts of Monaco used below (reached through the `segbook` console handle). */
interface EditorLike {
  getModel(): { uri: { toString(): string }; getValue(): string } | null;
  getDomNode(): HTMLElement | null;
  revealLine(line: number): void;
  getScrolledVisiblePosition(position: {
    lineNumber: number;
    column: number;
  }): { top: number; left: number; height: number } | null;
}
interface PageGlobals {
  segbook: { notebook: { editors: { monaco: { monaco: { editor: { getEditors(): EditorLike[] } } } } } };
}

test("hovering seg.kmeans in a TS cell shows a link to its reference page, which opens", async () => {
  const w = await workbench.open();
  const { page } = w;
  await page.goto(workbench.url("__test-notebooks__/reference-hover.md"));
  await waitForSettled(page);
  await page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor");
  const id = await codeCellId(page, "typeof seg.kmeans");

  // Where "kmeans" is drawn on the screen: the mouse goes there, as a reader's would. Measured again
  // on each try: editors above can still grow (Monaco replacing their first view) and move the line.
  const kmeansPoint = () =>
    page.evaluate((id) => {
      const { monaco } = (globalThis as unknown as PageGlobals).segbook.notebook.editors.monaco;
      const editor = monaco.editor.getEditors().find((e) => e.getModel()?.uri.toString().includes(`cell-${id}.`))!;
      const text = editor.getModel()!.getValue();
      const column = text.indexOf("kmeans") + 3;
      const at = editor.getScrolledVisiblePosition({ lineNumber: 1, column })!;
      const box = editor.getDomNode()!.getBoundingClientRect();
      return { x: box.left + at.left, y: box.top + at.top + at.height / 2 };
    }, id);
  const link = page.locator('.monaco-hover a[data-href*="reference/functions/seg.kmeans.html"]');
  const hoverUntilLink = async () => {
    for (let attempt = 0; ; attempt++) {
      const at = await kmeansPoint();
      await page.mouse.move(at.x - 40, at.y);
      await page.mouse.move(at.x, at.y, { steps: 4 });
      try {
        await link.first().waitFor({ state: "visible", timeout: 8_000 });
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  };
  await hoverUntilLink();
  const href = (await link.first().getAttribute("data-href"))!;
  expect(href).toBe(`${workbench.url()}reference/functions/seg.kmeans.html`);
  expect(await link.first().textContent()).toContain("seg.kmeans");
  // The link comes after the TypeScript service's own hover (signature and JSDoc), once that loaded.
  const hoverText = () =>
    link.first().evaluate((a) => (a.closest(".monaco-hover-content") ?? a.closest(".monaco-hover"))?.textContent ?? "");
  await expect.poll(hoverText, { timeout: 20_000 }).toMatch(/kmeans[\s\S]*seg\.kmeans in the reference$/);
  expect(await hoverText()).not.toContain("Loading");
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, "hover-light.png") });
  // The same hover in the dark theme, to look at.
  await page.mouse.move(0, 0);
  await page.click("[data-theme-toggle]");
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
  await expect.poll(() => link.first().isVisible()).toBe(false);
  await hoverUntilLink();
  await expect.poll(() => link.first().isVisible(), { timeout: 20_000 }).toBe(true);
  await expect.poll(hoverText, { timeout: 20_000 }).toMatch(/kmeans[\s\S]*seg\.kmeans in the reference$/);
  await page.screenshot({ path: path.join(shots, "hover-dark.png") });

  // The link's page is the function's reference page.
  const opened = await page.context().newPage();
  expect((await opened.goto(href))?.status()).toBe(200);
  expect(await opened.locator(".tsd-page-title h1").textContent()).toContain("kmeans");
  await opened.close();
  expect(w.blockedRequests).toEqual([]);
  expect(w.pageErrors).toEqual([]);
});

describe("npm run dev", () => {
  const dev = useWorkbench("dev");

  test("serves the reference at reference/, generated from the source on first request", async () => {
    const w = await dev.open();
    // `reference` without its slash is redirected, so the pages' relative links resolve.
    const response = await w.page.goto(`${dev.url()}reference`, { timeout: 240_000 });
    expect(response?.status()).toBe(200);
    expect(w.page.url()).toBe(`${dev.url()}reference/`);
    await expect.poll(() => w.page.locator(".tsd-page-title h1").textContent()).toContain("Segbook reference");
    expect((await w.page.goto(`${dev.url()}reference/functions/seg.kmeans.html`))?.status()).toBe(200);
    expect(await w.page.locator(".tsd-page-title h1").textContent()).toContain("kmeans");
    expect(w.consoleErrors).toEqual([]);
    expect(w.pageErrors).toEqual([]);
  }, 300_000);
});
