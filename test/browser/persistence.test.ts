/**
 * Save, open, share, recover and trust (src/ui/persistence) on the built site in headless Chromium:
 * files written through the File System Access API (pickers answered with real files in the
 * origin-private file system) and through the download fallback read back identical; a closed page's
 * edit is offered back; a share link carries the notebook byte for byte; notebooks from a link or a
 * file wait for the user before running; the gallery lists the shipped notebooks.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import type { Page } from "playwright-core";
import { parse, serialize } from "../../src/notebook/index.ts";
import { shareFragment } from "../../src/ui/persistence/share-link.ts";
import { distDir } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { cellSnapshots, waitForSettled } from "./helpers/workbench.ts";
import {
  downloaded,
  editCell,
  fakePickers,
  fileAction,
  readPrivateFile,
  EDIT_MD,
  editedText,
  editSource,
} from "./helpers/persistence.ts";
import { expectCleanRun } from "./helpers/browser.ts";

const workbench = useWorkbench();

/** Waits until the engine is up, then checks that no cell has run (and none does for a while). */
async function expectNothingRan(page: Page): Promise<void> {
  await page.waitForSelector("main[data-engine-phase=ready]", { timeout: 90_000 });
  await page.waitForTimeout(1000);
  const cells = await cellSnapshots(page);
  expect(cells.length).toBeGreaterThan(0);
  expect(cells.filter((c) => c.runs !== 0 || c.status !== "stale")).toEqual([]);
}

test("Save writes back through the File System Access API; Open reads the file back identical and it runs", async () => {
  const w = await workbench.open();
  await fakePickers(w.context, "saved.md");
  await w.page.goto(workbench.url(EDIT_MD));
  await waitForSettled(w.page);
  await editCell(w.page, "const factor = 2", "const factor = 10;");
  await expect.poll(() => w.page.locator("[data-dirty]").getAttribute("data-dirty")).toBe("true");

  await fileAction(w.page, "save");
  await expect.poll(() => w.page.locator("[data-persistence-message]").textContent()).toBe("Saved to saved.md.");
  const saved = await readPrivateFile(w.page, "saved.md");
  expect(saved).toBe(editedText("const factor = 10;"));
  expect(await w.page.locator("[data-dirty]").getAttribute("data-dirty")).toBe("false");

  // A second save goes to the same file, without asking again.
  await editCell(w.page, "const factor = 10", "const factor = 3;");
  await fileAction(w.page, "save");
  await expect.poll(() => readPrivateFile(w.page, "saved.md")).toBe(editedText("const factor = 3;"));

  // Reload: a new page opens the default notebook, then the saved file. This browser saved it, so it runs.
  const page = await w.context.newPage();
  await page.goto(workbench.url());
  await waitForSettled(page);
  await fileAction(page, "open");
  await expect.poll(() => page.locator("main .source").textContent()).toBe("saved.md");
  await waitForSettled(page);
  expect(await page.locator("[data-trust-banner]").count()).toBe(0);
  await expect.poll(() => page.locator("[data-cell-kind=md]").last().textContent()).toContain("Total is 9.");
  const again = await downloaded(page, () => fileAction(page, "download"));
  expect(again.text).toBe(editedText("const factor = 3;"));
  expectCleanRun(w);
});

test("without File System Access, Save downloads the .md; opening it elsewhere waits for trust, then runs", async () => {
  const w = await workbench.open();
  await w.context.addInitScript(() => {
    delete (window as { showOpenFilePicker?: unknown }).showOpenFilePicker;
    delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
  });
  await w.page.goto(workbench.url(EDIT_MD));
  await waitForSettled(w.page);
  await editCell(w.page, "const factor = 2", "const factor = 5;");
  const file = await downloaded(w.page, () => fileAction(w.page, "save"));
  expect(file.name).toBe("editing-re-runs-dependants.md");
  expect(file.text).toBe(editedText("const factor = 5;"));
  expect(await w.page.locator("[data-dirty]").getAttribute("data-dirty")).toBe("false");

  // Another browser profile (fresh storage): a file from disk is untrusted until the user says so.
  const other = await workbench.open();
  await other.context.addInitScript(() => {
    delete (window as { showOpenFilePicker?: unknown }).showOpenFilePicker;
  });
  await other.page.goto(workbench.url());
  await waitForSettled(other.page);
  await other.page.setInputFiles("[data-open-input]", {
    name: file.name,
    mimeType: "text/markdown",
    buffer: Buffer.from(file.text),
  });
  await other.page.waitForSelector("[data-trust-banner]");
  expect(await other.page.locator("[data-trust-banner]").textContent()).toContain(file.name);
  await expectNothingRan(other.page);
  const reread = await downloaded(other.page, () => fileAction(other.page, "download"));
  expect(reread.text).toBe(file.text);

  await other.page.click("[data-trust-banner] [data-action=trust]");
  await waitForSettled(other.page);
  expect((await cellSnapshots(other.page)).filter((c) => c.status !== "ok")).toEqual([]);
  await expect.poll(() => other.page.locator("[data-cell-kind=md]").last().textContent()).toContain("Total is 15.");
  expect(await other.page.locator("[data-trust-banner]").count()).toBe(0);
  expectCleanRun(w);
  expectCleanRun(other);
});

test("an edit autosaved before the page closed without saving is offered on reopening, and restored", async () => {
  const w = await workbench.open();
  await w.page.goto(workbench.url(EDIT_MD));
  await waitForSettled(w.page);
  expect(await w.page.locator("[data-recovery-banner]").count()).toBe(0);
  await editCell(w.page, "const factor = 2", "const factor = 7;");
  await expect.poll(() => w.page.locator("[data-autosave]").getAttribute("data-autosave")).toBe("saved");
  // The run the edit started is over (a tab that dies mid-run reopens without running: hostile-trust.test.ts).
  await waitForSettled(w.page);
  // A crash: no beforeunload, no save.
  await w.page.close({ runBeforeUnload: false });

  const page = await w.context.newPage();
  await page.goto(workbench.url(EDIT_MD));
  await page.waitForSelector("[data-recovery-banner]");
  expect(await page.locator("[data-recovery-banner] [data-action=restore]").textContent()).toMatch(
    /^Restore unsaved changes \(.+\)$/,
  );
  await page.click("[data-recovery-banner] [data-action=restore]");
  // Restoring writes and reads IndexedDB first: the banner goes once the version is in the page.
  await page.waitForSelector("[data-recovery-banner]", { state: "detached" });
  await waitForSettled(page);
  await expect.poll(() => page.locator("[data-cell-kind=md]").last().textContent()).toContain("Total is 21.");
  expect(await page.locator("[data-dirty]").getAttribute("data-dirty")).toBe("true");
  const text = await downloaded(page, () => fileAction(page, "download"));
  expect(text.text).toBe(editedText("const factor = 7;"));

  // Discard keeps the file's version and forgets the autosave (once no tab shows that version).
  await page.close({ runBeforeUnload: false });
  const third = await w.context.newPage();
  await third.goto(workbench.url(EDIT_MD));
  await third.waitForSelector("[data-recovery-banner]");
  await third.click("[data-recovery-banner] [data-action=discard]");
  await waitForSettled(third);
  await expect.poll(() => third.locator("[data-cell-kind=md]").last().textContent()).toContain("Total is 6.");
  const fourth = await w.context.newPage();
  await fourth.goto(workbench.url(EDIT_MD));
  await waitForSettled(fourth);
  expect(await fourth.locator("[data-recovery-banner]").count()).toBe(0);
  expectCleanRun(w);
});

test("Copy share link puts the notebook in the fragment; the link opens it byte for byte, untrusted until Run", async () => {
  const w = await workbench.open();
  await w.context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await w.page.goto(workbench.url(EDIT_MD));
  await waitForSettled(w.page);
  await fileAction(w.page, "share");
  const link = (await w.page.locator("[data-share-link]").inputValue())!;
  expect(await w.page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  expect(new URL(link).search).toBe("");
  expect(new URL(link).hash).toMatch(/^#nb=[A-Za-z0-9_-]+&from=__test-notebooks__%2Fedit\.md$/);
  // The notebook's text, not its data, travels: edit.md round-trips through serialize unchanged.
  expect(serialize(parse(editSource).notebook)).toBe(editSource);

  const other = await workbench.open();
  await other.page.goto(link);
  await other.page.waitForSelector("[data-trust-banner]");
  expect(await other.page.locator("[data-trust-banner]").textContent()).toContain("a share link");
  await expectNothingRan(other.page);
  const received = await downloaded(other.page, () => fileAction(other.page, "download"));
  expect(received.text).toBe(editSource);

  await other.page.click("[data-trust-banner] [data-action=trust]");
  await waitForSettled(other.page);
  expect((await cellSnapshots(other.page)).filter((c) => c.status !== "ok")).toEqual([]);
  await expect.poll(() => other.page.locator("[data-cell-kind=md]").last().textContent()).toContain("Total is 6.");

  // Trust is remembered by content: the same link runs at once next time in this browser.
  const again = await other.context.newPage();
  await again.goto(link);
  await waitForSettled(again);
  expect(await again.locator("[data-trust-banner]").count()).toBe(0);
  expectCleanRun(w);
  expectCleanRun(other);
});

test("a share link's Markdown with script, handlers and javascript: links renders sanitized before and after Run", async () => {
  const hostile = [
    "# Hostile",
    "",
    '<img src="data:," onerror="window.__pwned = 1"> <script>window.__pwned = 2</script>',
    '<a href="javascript:window.__pwned = 3" id="bad">click</a>',
    "",
    "```ts",
    "const x = 1;",
    "```",
    "",
  ].join("\n");
  const w = await workbench.open();
  await w.page.goto(`${workbench.url()}#${shareFragment({ text: hostile, from: "notebooks/welcome.md" })}`);
  await w.page.waitForSelector("[data-trust-banner]");
  const markdown = w.page.locator("[data-cell-kind=md]").first();
  await expect.poll(() => markdown.textContent()).toContain("Hostile");
  const check = async () => {
    // Ids are not kept (a notebook's markup must not clobber the page's names): found by its text.
    const bad = markdown.locator("a", { hasText: "click" });
    await bad.click();
    expect(await w.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await markdown.locator("script, [onerror]").count()).toBe(0);
    expect(await bad.getAttribute("href")).toBeNull();
  };
  await check();
  await w.page.click("[data-trust-banner] [data-action=trust]");
  await waitForSettled(w.page);
  await check();
  // Chromium may report a CSP violation when the sanitizer parses the hostile handler in its inert document,
  // though nothing runs (checked above): those reports are the policy at work, not errors of the app.
  const policyReport = /^Executing inline event handler violates the following Content Security Policy/;
  w.consoleErrors.splice(0, w.consoleErrors.length, ...w.consoleErrors.filter((m) => !policyReport.test(m)));
  expectCleanRun(w);
});

test("?gallery lists the shipped notebooks with title and description, each opening in the workbench", async () => {
  const w = await workbench.open();
  await w.page.goto(`${workbench.url()}?gallery`);
  await w.page.waitForSelector("[data-gallery-entry]");
  const index = JSON.parse(fs.readFileSync(path.join(distDir, "notebooks/index.json"), "utf8")) as {
    path: string;
    title: string;
    description?: string;
  }[];
  expect(index.length).toBeGreaterThan(1);
  expect(index.find((e) => e.path === "welcome.md")?.description).toBeTruthy();
  expect(await w.page.locator("[data-gallery-entry]").count()).toBe(index.length);
  for (const entry of index) {
    const card = w.page.locator(`[data-gallery-entry="${entry.path}"]`);
    expect(await card.locator(".title").textContent()).toBe(entry.title);
    expect(await card.locator(".description").count()).toBe(entry.description ? 1 : 0);
    if (entry.description) expect(await card.locator(".description").textContent()).toBe(entry.description);
  }
  await w.page.click('[data-gallery-entry="welcome.md"] a');
  await waitForSettled(w.page);
  expect(new URL(w.page.url()).searchParams.get("notebook")).toBe("notebooks/welcome.md");
  expect(await w.page.locator("[data-trust-banner]").count()).toBe(0);
  expectCleanRun(w);
});

test("Export HTML report downloads the text and outputs, without code, as a standalone page without scripts", async () => {
  const w = await workbench.open();
  await w.page.goto(workbench.url(EDIT_MD));
  await waitForSettled(w.page);
  await expect.poll(() => w.page.locator("[data-cell-kind=md]").last().textContent()).toContain("Total is 6.");
  const report = await downloaded(w.page, () => fileAction(w.page, "export-html"));
  expect(report.name).toBe("editing-re-runs-dependants.html");
  expect(report.text).toMatch(/^<!doctype html>/);
  expect(report.text).toContain("<title>Editing re-runs dependants</title>");
  // The report is the report view: Markdown and outputs, no code.
  expect(report.text).not.toContain("const factor = 2;");
  expect(report.text).toContain("Total is 6.");
  // The SQL result's table, with its name and size.
  expect(report.text).toMatch(
    /<table class="data"><caption>scaled · 3 rows × 2 columns<\/caption>.*<th>value<span class="column-type">double<\/span><\/th>.*<td class="num">4<\/td>/s,
  );
  expect(report.text).not.toMatch(/<script/i);
  expectCleanRun(w);
});
