/**
 * Screenshots of the workbench's main views in the light and the dark theme at 1280x800 (and the
 * notebook at 1920 wide), written to test-results/screenshots/ for a reviewer to look at. The test
 * also checks the theme really changes the page (computed background) and that the pick survives a
 * reload.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import type { Page } from "playwright-core";
import { repoRoot } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();
const dir = path.join(repoRoot, "test-results", "screenshots");

async function shoot(page: Page, name: string, fullPage = false): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  await page.screenshot({ path: file, fullPage });
  console.log(`screenshot: ${path.relative(repoRoot, file)}`);
  return file;
}

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

test("the theme toggle switches light and dark (computed background differs), is remembered, and each view is photographed", async () => {
  const w = await workbench.open();
  const page = w.page;
  await page.goto(workbench.url());
  await waitForSettled(page);
  await page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor");
  // Headless Chromium reports a light system preference: with no pick the page is light.
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
  const light = await background(page);

  const views = async (theme: string) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await shoot(page, `notebook-${theme}.png`);
    // A code cell selected in command mode, with its dependency view open.
    const sql = page.locator("[data-cell-kind=sql]").first();
    await sql.locator(".cell-header .kind").click();
    await sql.locator("[data-action=showDependencies]").click();
    await page.waitForSelector(".dependencies");
    await sql.scrollIntoViewIfNeeded();
    await shoot(page, `dependencies-${theme}.png`);
    await sql.locator(".dependencies .close").click();
    await page.locator("button[aria-label='Keyboard shortcuts']").click();
    await page.waitForSelector("dialog.help[open]");
    await shoot(page, `shortcuts-${theme}.png`);
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("dialog.help[open]").count()).toBe(0);
  };

  await page.evaluate(() => localStorage.clear());
  await views("light");
  await page.locator("[data-theme-toggle]").click();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
  const dark = await background(page);
  expect(dark).not.toBe(light);
  await views("dark");

  // The pick is kept across a reload.
  await page.reload();
  await waitForSettled(page);
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
  expect(await background(page)).toBe(dark);

  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor");
  await shoot(page, "notebook-dark-1920.png");
  await page.locator("[data-theme-toggle]").click();
  expect(await background(page)).toBe(light);
  await shoot(page, "notebook-light-1920.png");
  expect(w.pageErrors).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
});
