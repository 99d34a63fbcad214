/**
 * Stop means stopped (issue #17 item 2, docs/sandbox.md stage 6) with `?sandbox=1` on the built site:
 * a cell spinning in the sandbox frame (its own loop, or a long synchronous call into a "library")
 * leaves the app responsive, the toolbar's Stop tears the frame down at once and re-runs nothing,
 * a later Run of another cell works in the fresh frame, and a timer of a notebook cannot act after
 * File → Open. No timing thresholds: each check is an ordering of observable events.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { Frame, Page } from "playwright-core";
import { fakePickers, fileAction } from "./helpers/persistence.ts";
import { repoRoot } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { cellSnapshots, codeCellId, waitForSettled, sandboxFrame } from "./helpers/workbench.ts";
import type { WatchedPage } from "./helpers/browser.ts";

type SandboxWindow = Window & { segbookSandbox?: { ready(): Promise<void> }; segbook?: unknown };

/** The app's status of the cell with id `id`. */
async function statusOf(page: Page, id: string): Promise<string | undefined> {
  return (await cellSnapshots(page)).find((c) => c.id === id)?.status;
}

/** Opens a test notebook with `?sandbox=1` once the frame has booted; returns the confirm dialogs seen. */
async function openSandboxed(w: WatchedPage, url: string): Promise<string[]> {
  const dialogs: string[] = [];
  w.page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await w.page.goto(`${url}${url.includes("?") ? "&" : "?"}sandbox=1`);
  await w.page.waitForFunction(() =>
    Boolean((window as SandboxWindow).segbookSandbox && (window as SandboxWindow).segbook),
  );
  return dialogs;
}

/** Clicks Run on the app's cell `count` and waits until the frame `fresh` shows its "2 people". */
async function runShowsPeople(page: Page, fresh: Frame, count: string): Promise<void> {
  await page.locator(`[data-cell-id="${count}"] button.run`).click();
  await expect
    .poll(() => fresh.evaluate((id) => document.querySelector(`[data-cell-id="${id}"]`)?.textContent, count), {
      timeout: 60_000,
    })
    .toContain("2 people");
}

/**
 * The shared body of the two spin cases: the cell containing `spinning` holds the frame's thread;
 * a click on the app's File menu is handled while it does; Stop ends it, marks it stopped and
 * re-runs nothing; the count cell then runs alone in the fresh frame.
 */
async function stopsTheSpin(w: WatchedPage, dialogs: string[], spinning: string): Promise<void> {
  const { page } = w;
  const spin = await codeCellId(page, spinning);
  const count = await codeCellId(page, "const count");
  const stop = page.locator("button[data-action=stop]");
  // The run is under way: Stop is offered while the cell has not finished.
  await expect.poll(() => stop.isEnabled(), { timeout: 60_000 }).toBe(true);
  expect(["stale", "running"]).toContain(await statusOf(page, spin));
  const spinningFrame = sandboxFrame(page);

  // The app handles a click while the frame spins: the File menu opens.
  await page.click("[data-file-menu] [data-action=file-menu]");
  await expect.poll(() => page.locator("[data-file-menu] [data-action=open]").isVisible()).toBe(true);
  // ... before the spin ended (it never ends by itself): the cell is still unfinished now.
  expect(["stale", "running"]).toContain(await statusOf(page, spin));
  await page.keyboard.press("Escape");

  // The real Stop button: the frame goes at once, the cell says the user stopped it.
  await stop.click();
  await expect.poll(() => spinningFrame.isDetached()).toBe(true);
  await expect.poll(() => statusOf(page, spin)).toBe("error");
  expect(await page.locator(`[data-cell-id="${spin}"]`).innerText()).toContain("Stopped by you");
  // Nothing was re-run: once the engine is back nothing waits or runs, the run counts are those
  // of the moment of Stop, and the fresh frame has no output at all.
  const atStop = await cellSnapshots(page);
  await waitForSettled(page);
  const afterStop = await cellSnapshots(page);
  expect(afterStop).toEqual(atStop);
  await page.evaluate(() => (window as SandboxWindow).segbookSandbox!.ready());
  const fresh = sandboxFrame(page);
  expect(fresh).not.toBe(spinningFrame);
  expect(await fresh.evaluate(() => document.querySelectorAll(".sandbox-cell[data-status]").length)).toBe(0);

  // A later Run of another cell works, alone: the table it reads is loaded again, the stopped cell stays stopped.
  const spinRuns = afterStop.find((c) => c.id === spin)!.runs;
  await runShowsPeople(page, fresh, count);
  await waitForSettled(page);
  expect(await statusOf(page, count)).toBe("ok");
  // In the fresh frame the stopped cell (and what reads it) never started.
  expect(
    await fresh.evaluate(
      (ids) => ids.map((id) => document.querySelector(`[data-cell-id="${id}"]`)?.getAttribute("data-status") ?? null),
      [spin, count],
    ),
  ).toEqual([null, "ok"]);
  const after = await cellSnapshots(page);
  expect(after.find((c) => c.id === spin)).toMatchObject({ status: "error", runs: spinRuns });
  expect(await page.locator(`[data-cell-id="${spin}"]`).innerText()).toContain("Stopped by you");
  expect(dialogs).toEqual([]);
  expect(w.pageErrors).toEqual([]);
}

describe("Stop in the sandbox (?sandbox=1)", () => {
  const workbench = useWorkbench("built");

  test("Stop ends a cell's while (true) {}: the app answers a click meanwhile, the cell shows stopped, another cell then runs", async () => {
    const w = await workbench.open();
    const dialogs = await openSandboxed(w, workbench.url("__test-notebooks__/sandbox-spin.md"));
    await stopsTheSpin(w, dialogs, "while (true)");
  });

  test("a frame lost after Stop, before the next run, does not make that run start the whole notebook again", async () => {
    const w = await workbench.open();
    await openSandboxed(w, workbench.url("__test-notebooks__/sandbox-spin.md"));
    const { page } = w;
    const spin = await codeCellId(page, "while (true)");
    const count = await codeCellId(page, "const count");
    const stop = page.locator("button[data-action=stop]");
    await expect.poll(() => stop.isEnabled(), { timeout: 60_000 }).toBe(true);
    await stop.click();
    await expect.poll(() => statusOf(page, spin)).toBe("error");
    await page.evaluate(() => (window as SandboxWindow).segbookSandbox!.ready());
    // The fresh frame is lost before anything ran in it (here: it navigates away; on a loaded machine a
    // missed heartbeat while the engine restarts did the same), and an empty one replaces it.
    const lostFrame = sandboxFrame(page);
    await lostFrame.evaluate(() => void (location.href = "https://example.invalid/away")).catch(() => {});
    await page.locator(".segbook-sandbox-lost").waitFor({ state: "visible" });
    await expect.poll(() => lostFrame.isDetached()).toBe(true);
    await page.evaluate(() => (window as SandboxWindow).segbookSandbox!.ready());
    const fresh = sandboxFrame(page);
    // Run of one cell: it runs with what it reads; the stopped loop does not run again.
    await runShowsPeople(page, fresh, count);
    await waitForSettled(page);
    expect(
      await fresh.evaluate(
        (id) => document.querySelector(`[data-cell-id="${id}"]`)?.getAttribute("data-status") ?? null,
        spin,
      ),
    ).toBe(null);
    expect(await page.locator(`[data-cell-id="${spin}"]`).innerText()).toContain("Stopped by you");
    expect(w.pageErrors).toEqual([]);
  });

  test("Stop ends a long synchronous call inside a library function: same as a loop in the cell", async () => {
    const w = await workbench.open();
    const dialogs = await openSandboxed(w, workbench.url("__test-notebooks__/sandbox-library-spin.md"));
    await stopsTheSpin(w, dialogs, "const crunched");
  });

  test("a timer of the previous notebook cannot act after File → Open", async () => {
    const w = await workbench.open();
    const next = "sandbox-next.md";
    await fakePickers(w.context, next);
    const dialogs = await openSandboxed(w, workbench.url("__test-notebooks__/sandbox-timer.md"));
    await waitForSettled(w.page);
    const old = sandboxFrame(w.page);
    // The timer really runs: its ticks pile up in the frame.
    await expect.poll(() => old.locator(".old-tick").count()).toBeGreaterThan(2);

    // The next notebook runs a timer of its own at the same pace, as the clock of this test.
    const nextText = fs
      .readFileSync(path.join(repoRoot, "test/browser/notebooks/sandbox-timer.md"), "utf8")
      .replaceAll("old-tick", "new-tick")
      .replace("tick of the previous notebook", "tick of the next notebook");
    await w.page.evaluate(
      async ([name, text]) => {
        const handle = await (await navigator.storage.getDirectory()).getFileHandle(name!, { create: true });
        const writable = await handle.createWritable();
        await writable.write(text!);
        await writable.close();
      },
      [next, nextText],
    );
    await fileAction(w.page, "open");
    await expect.poll(() => old.isDetached()).toBe(true);
    // A file from disk waits for the trust banner's Run; the old notebook's frame is gone already.
    await w.page.click("[data-trust-banner] [data-action=trust]");
    await waitForSettled(w.page);
    await w.page.evaluate(() => (window as SandboxWindow).segbookSandbox!.ready());
    const fresh = sandboxFrame(w.page);
    // Many ticks of the next notebook's timer later, none of the previous one's arrived anywhere.
    await expect.poll(() => fresh.locator(".new-tick").count()).toBeGreaterThan(20);
    expect(await fresh.locator(".old-tick").count()).toBe(0);
    expect(await w.page.locator(".old-tick").count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(w.pageErrors).toEqual([]);
  });
});
