/**
 * Never losing an edit (src/ui/persistence) on the built site in headless Chromium: text typed and
 * never run is autosaved and comes back after a reload as edited, not run; Save and Download write it;
 * closing a tab with changes in no file asks first; typing before answering "Restore?" keeps the older
 * version; two tabs on one notebook each keep their own version; restored text that was never trusted
 * does not run.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import type { Dialog, Page } from "playwright-core";
import { shareFragment } from "../../src/ui/persistence/share-link.ts";
import { repoRoot } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { cellSnapshots, codeCellId, waitForSettled } from "./helpers/workbench.ts";
import {
  downloaded,
  editorText,
  fakePickers,
  fileAction,
  readPrivateFile,
  typeInCell,
  EDIT_MD,
  editedText,
  editSource,
} from "./helpers/persistence.ts";
import { expectCleanRun } from "./helpers/browser.ts";

const workbench = useWorkbench();
const shots = path.join(repoRoot, "test-results", "screenshots");

/** Photographs the page's top in the light and the dark theme (for a reviewer to look at), back to light. */
async function shootBothThemes(page: Page, name: string): Promise<void> {
  fs.mkdirSync(shots, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const theme of ["light", "dark"]) {
    if (theme === "dark") await page.locator("[data-theme-toggle]").click();
    await page.screenshot({ path: path.join(shots, `${name}-${theme}.png`) });
  }
  await page.locator("[data-theme-toggle]").click();
}

const lastMarkdown = (page: Page) => page.locator("[data-cell-kind=md]").last().textContent();
const edited = (page: Page, id: string) => page.locator(`[data-cell-id="${id}"]`).getAttribute("data-cell-edited");
const autosave = (page: Page) => page.locator("[data-autosave]").getAttribute("data-autosave");

/** Waits until the typed text is in this tab's autosave (the status says so). */
async function autosaved(page: Page): Promise<void> {
  await expect.poll(() => autosave(page), { timeout: 10_000 }).toBe("saved");
}

/** The text of each "Restore" button of the recovery banner, in order. */
function restoreButtons(page: Page) {
  return page.locator("[data-recovery-banner] [data-action=restore]");
}

test("text typed and never run is autosaved; after a reload Restore puts it back in the editor as edited, not run", async () => {
  const w = await workbench.open();
  const { page } = w;
  await page.goto(workbench.url(EDIT_MD));
  await waitForSettled(page);
  const id = await typeInCell(page, "const factor = 2", "const factor = 7;");
  await expect.poll(() => edited(page, id)).toBe("true");
  expect(await page.locator(`[data-cell-id="${id}"] .edited`).textContent()).toBe("edited · not run");
  await autosaved(page);
  expect(await lastMarkdown(page)).toContain("Total is 6.");

  // Reload (leaving is confirmed: the edit is in no file).
  page.on("dialog", (dialog) => void dialog.accept());
  await page.reload();
  await page.waitForSelector("[data-recovery-banner]");
  await waitForSettled(page);
  await page.click("[data-recovery-banner] [data-action=restore]");
  await expect.poll(() => page.locator("[data-recovery-banner]").count()).toBe(0);
  await waitForSettled(page);
  await page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor");
  const restored = await codeCellId(page, "const factor = 7;");
  await expect.poll(() => editorText(page, restored)).toBe("const factor = 7;");
  // As on screen before the reload: the edited text is shown, what ran is the committed code.
  await expect.poll(() => edited(page, restored)).toBe("true");
  await expect.poll(() => lastMarkdown(page)).toContain("Total is 6.");
  expect(await page.locator("[data-dirty]").getAttribute("data-dirty")).toBe("true");
  expect((await downloaded(page, () => fileAction(page, "download"))).text).toBe(editedText("const factor = 7;"));

  // Running it is the user's call, and then it is an ordinary edit.
  // The click must land in that editor (a layout shift under load can make it miss) before the keys.
  const editorFocused = () =>
    page.evaluate((id) => !!document.activeElement?.closest(`[data-cell-id="${id}"] .monaco-editor`), restored);
  await expect
    .poll(async () => {
      if (!(await editorFocused()))
        await page.locator(`[data-cell-id="${restored}"] .monaco-editor .view-lines`).click();
      return editorFocused();
    })
    .toBe(true);
  await page.keyboard.press("Shift+Enter");
  await expect.poll(() => lastMarkdown(page)).toContain("Total is 21.");
  await expect.poll(() => edited(page, restored)).toBe("false");
  expectCleanRun(w);
});

test("Save and Download write the text on screen, typed but never run; the saved file reopens identical", async () => {
  const w = await workbench.open();
  await fakePickers(w.context, "saved.md");
  const { page } = w;
  await page.goto(workbench.url(EDIT_MD));
  await waitForSettled(page);
  await typeInCell(page, "const factor = 2", "const factor = 5;");
  await expect.poll(() => page.locator("[data-dirty]").getAttribute("data-dirty")).toBe("true");

  const file = await downloaded(page, () => fileAction(page, "download"));
  expect(file.text).toBe(editedText("const factor = 5;"));
  await fileAction(page, "save");
  await expect.poll(() => page.locator("[data-persistence-message]").textContent()).toBe("Saved to saved.md.");
  expect(await readPrivateFile(page, "saved.md")).toBe(editedText("const factor = 5;"));
  expect(await page.locator("[data-dirty]").getAttribute("data-dirty")).toBe("false");
  // Saving does not run it: the cell still shows as edited.
  expect(await lastMarkdown(page)).toContain("Total is 6.");

  // Reload onto the saved file: identical, and (saved here while trusted) it runs.
  const again = await w.context.newPage();
  await again.goto(workbench.url());
  await waitForSettled(again);
  await fileAction(again, "open");
  await expect.poll(() => again.locator("main .source").textContent()).toBe("saved.md");
  await waitForSettled(again);
  expect((await downloaded(again, () => fileAction(again, "download"))).text).toBe(editedText("const factor = 5;"));
  await expect.poll(() => lastMarkdown(again)).toContain("Total is 15.");
  expectCleanRun(w);
});

test("closing a tab with changes in no file asks first; after Save it closes without asking", async () => {
  const w = await workbench.open();
  await fakePickers(w.context, "closing.md");
  const { page } = w;
  await page.goto(workbench.url(EDIT_MD));
  await waitForSettled(page);
  const dialogs: Dialog[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog);
    void dialog.dismiss();
  });

  await typeInCell(page, "const factor = 2", "const factor = 4;");
  // Autosaved: the text is kept in this browser, but it is in no file, so leaving still asks.
  await autosaved(page);
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => dialogs.map((d) => d.type())).toEqual(["beforeunload"]);
  expect(page.isClosed()).toBe(false);

  await fileAction(page, "save");
  await expect.poll(() => page.locator("[data-dirty]").getAttribute("data-dirty")).toBe("false");
  const closed = page.waitForEvent("close");
  await page.close({ runBeforeUnload: true });
  await closed;
  expect(dialogs.length).toBe(1);
  expectCleanRun(w);
});

test("typing before answering Restore never overwrites the older unsaved versions; each one can still be restored", async () => {
  const w = await workbench.open();
  const first = w.page;
  await first.goto(workbench.url(EDIT_MD));
  await waitForSettled(first);
  await typeInCell(first, "const factor = 2", "const factor = 7;");
  await first.keyboard.press("Shift+Enter");
  await expect.poll(() => lastMarkdown(first)).toContain("Total is 21.");
  await autosaved(first);
  await first.close({ runBeforeUnload: false });

  // Reopened: the question is open, and the user types before answering, then the tab crashes.
  const second = await w.context.newPage();
  await second.goto(workbench.url(EDIT_MD));
  await second.waitForSelector("[data-recovery-banner]");
  await waitForSettled(second);
  await typeInCell(second, "const factor = 2", "const factor = 9;");
  await autosaved(second);
  await second.close({ runBeforeUnload: false });

  // Both versions are kept, newest first.
  const third = await w.context.newPage();
  await third.goto(workbench.url(EDIT_MD));
  await third.waitForSelector("[data-recovery-banner]");
  await waitForSettled(third);
  await expect.poll(() => restoreButtons(third).count()).toBe(2);
  expect(await third.locator("[data-recovery-banner] span").textContent()).toMatch(/kept 2 unsaved versions/);

  // Typing here again, then Restore of the oldest: it comes back whole, and what was typed is kept.
  const typed = await typeInCell(third, "const factor = 2", "const factor = 11;");
  await restoreButtons(third).nth(1).click();
  await waitForSettled(third);
  const seven = await codeCellId(third, "const factor = 7;");
  await expect.poll(() => editorText(third, seven)).toBe("const factor = 7;");
  expect(await edited(third, seven)).toBe("false");
  await expect.poll(() => lastMarkdown(third)).toContain("Total is 21.");
  expect(typed).not.toBe(seven);
  await expect
    .poll(() => third.locator("[data-recovery-banner] span").textContent())
    .toBe("Restored. The edits you made before restoring are kept, as is 1 more unsaved version.");
  await expect.poll(() => restoreButtons(third).count()).toBe(2);
  const setAside = restoreButtons(third).filter({ hasText: "Restore the edits made before restoring" });
  expect(await setAside.count()).toBe(1);

  // The edits made before restoring come back too, as they were: typed, not run.
  await setAside.click();
  await waitForSettled(third);
  const eleven = await codeCellId(third, "const factor = 11;");
  await expect.poll(() => editorText(third, eleven)).toBe("const factor = 11;");
  expect(await edited(third, eleven)).toBe("true");
  await expect.poll(() => lastMarkdown(third)).toContain("Total is 6.");
  await shootBothThemes(third, "recovery-versions");
  // And the one with 9 is still offered: nothing was dropped without the user saying so.
  await expect.poll(() => restoreButtons(third).count()).toBe(2);
  await restoreButtons(third).filter({ hasText: "Restore unsaved changes" }).first().click();
  await waitForSettled(third);
  const nine = await codeCellId(third, "const factor = 9;");
  await expect.poll(() => editorText(third, nine)).toBe("const factor = 9;");
  expectCleanRun(w);
});

test("two tabs on one notebook each autosave their own version and say so; neither overwrites the other", async () => {
  const w = await workbench.open();
  const a = w.page;
  await a.goto(workbench.url(EDIT_MD));
  await waitForSettled(a);
  expect(await a.locator("[data-other-tabs]").count()).toBe(0);
  const b = await w.context.newPage();
  await b.goto(workbench.url(EDIT_MD));
  await waitForSettled(b);
  for (const page of [a, b]) {
    await expect.poll(() => page.locator("[data-other-tabs]").textContent()).toContain("also open in another tab");
  }
  // Neither tab offers the other's live work as "unsaved changes".
  expect(await b.locator("[data-recovery-banner]").count()).toBe(0);
  await shootBothThemes(b, "other-tab");

  await typeInCell(a, "const factor = 2", "const factor = 3;");
  await autosaved(a);
  await typeInCell(b, "const factor = 2", "const factor = 4;");
  await autosaved(b);
  // A later write in A after B's write still does not replace B's version.
  await typeInCell(a, "const factor = 3", "const factor = 30;");
  await autosaved(a);

  await b.close({ runBeforeUnload: false });
  await expect.poll(() => a.locator("[data-other-tabs]").count()).toBe(0);
  await a.close({ runBeforeUnload: false });

  const c = await w.context.newPage();
  await c.goto(workbench.url(EDIT_MD));
  await c.waitForSelector("[data-recovery-banner]");
  await waitForSettled(c);
  await expect.poll(() => restoreButtons(c).count()).toBe(2);
  const found: string[] = [];
  for (const wanted of ["const factor = 30;", "const factor = 4;"]) {
    await restoreButtons(c).first().click();
    await waitForSettled(c);
    const text = (await downloaded(c, () => fileAction(c, "download"))).text;
    found.push(text);
    if (found.length === 1) {
      // Newest first: A wrote last.
      expect(text).toBe(editedText(wanted));
      // The other is still offered; restoring it sets this one aside only if edited here (it was not).
      await expect.poll(() => restoreButtons(c).count()).toBe(1);
    }
  }
  expect(found).toEqual([editedText("const factor = 30;"), editedText("const factor = 4;")]);
  expectCleanRun(w);
});

test("restored text from a share link that was never trusted shows, edited, and runs nothing until Run", async () => {
  const w = await workbench.open();
  const link = `${workbench.url()}#${shareFragment({ text: editSource, from: EDIT_MD })}`;
  const first = w.page;
  await first.goto(link);
  await first.waitForSelector("[data-trust-banner]");
  await first.waitForSelector("main[data-engine-phase=ready]", { timeout: 90_000 });
  // Typing is allowed while untrusted (Monaco arrives once the engine is up and nothing runs).
  await typeInCell(first, "const factor = 2", "const factor = 8;");
  await autosaved(first);
  await first.close({ runBeforeUnload: false });

  const second = await w.context.newPage();
  await second.goto(link);
  await second.waitForSelector("[data-recovery-banner]");
  await second.click("[data-recovery-banner] [data-action=restore]");
  await second.waitForSelector("main[data-engine-phase=ready]", { timeout: 90_000 });
  await second.waitForSelector("main[data-editor-phase=monaco] .monaco-editor");
  const id = await codeCellId(second, "const factor = 8;");
  await expect.poll(() => editorText(second, id)).toBe("const factor = 8;");
  expect(await edited(second, id)).toBe("true");
  expect(await second.locator("[data-trust-banner]").count()).toBe(1);
  await second.waitForTimeout(1000);
  const cells = await cellSnapshots(second);
  expect(cells.filter((c) => c.runs !== 0 || c.status !== "stale")).toEqual([]);

  // Run: the shared (committed) code runs; the typed text stays typed until the user runs it.
  await second.click("[data-trust-banner] [data-action=trust]");
  await waitForSettled(second);
  await expect.poll(() => lastMarkdown(second)).toContain("Total is 6.");
  expect(await edited(second, id)).toBe("true");
  expectCleanRun(w);
});
