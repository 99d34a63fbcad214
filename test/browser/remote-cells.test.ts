/**
 * Remote SQL cells on the built site in Chromium against the real loopback ClickHouse cluster, across
 * origins (the page on the static server, ClickHouse on its own port: CORS). The credential dialog
 * asks when a cell first needs the connection; a refused password fails the cell and the dialog asks
 * again; Stop kills the server query. After a run with the real password, nothing the page keeps or
 * writes holds it: storage, IndexedDB (autosave), OPFS, the share link, the saved notebook, the
 * report, the export and its manifest.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { useWorkbench } from "./helpers/setup.ts";
import { answerWarehouseDialog, rowsReadOnServer, slowQueriesRunning, WAREHOUSE_DIALOG } from "./helpers/warehouse.ts";
import { cellSnapshots, waitForSettled } from "./helpers/workbench.ts";
import { downloaded, editCell, fileAction } from "./helpers/persistence.ts";
import { repoRoot } from "./helpers/static-server.ts";
import { CLICKHOUSE, clickHouseMissing, startClickHouseCluster } from "../helpers/clickhouse.ts";
import { readShareFragment } from "../../src/ui/persistence/share-link.ts";

const workbench = useWorkbench();
const shots = path.join(repoRoot, "test-results", "remote-cells");
const { user, password } = CLICKHOUSE.analyst;
const WRONG = "wrong-password-7f3a";

/** Everything the page keeps: web storage, cookies, every IndexedDB store's records, OPFS files, caches, the URL and the DOM. */
async function everythingKept(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts: string[] = [location.href, document.cookie, document.documentElement.outerHTML];
    for (const storage of [localStorage, sessionStorage])
      for (let i = 0; i < storage.length; i++) parts.push(storage.key(i)!, storage.getItem(storage.key(i)!) ?? "");
    const text = async (value: unknown): Promise<string> =>
      value instanceof Blob
        ? await value.text()
        : JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const store of [...db.objectStoreNames]) {
        const records = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        for (const record of records) parts.push(await text(record));
        parts.push(`[idb ${info.name}/${store}: ${records.length}]`);
      }
      db.close();
    }
    const walk = async (dir: FileSystemDirectoryHandle): Promise<void> => {
      for await (const [, handle] of (
        dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }
      ).entries()) {
        if (handle.kind === "file") parts.push(await (await (handle as FileSystemFileHandle).getFile()).text());
        else await walk(handle as FileSystemDirectoryHandle);
      }
    };
    await walk(await navigator.storage.getDirectory());
    for (const key of await caches.keys()) parts.push(`[cache ${key}]`);
    return parts.join("\n");
  });
}

describe.skipIf(clickHouseMissing)("remote SQL cells in the browser on the ClickHouse cluster", () => {
  beforeAll(() => startClickHouseCluster(), 90_000);

  test("the dialog asks for the connection's credentials, a refused password asks again, and no credential is kept anywhere", async () => {
    const w = await workbench.open();
    const { page } = w;
    await w.context.grantPermissions(["clipboard-read", "clipboard-write"]);
    fs.mkdirSync(shots, { recursive: true });
    await page.goto(workbench.url("__test-notebooks__/warehouse-remote.md"));

    // First ask: the dialog names the connection and its URL.
    await page.waitForSelector(`${WAREHOUSE_DIALOG}[open]`);
    const asked = await page.locator(WAREHOUSE_DIALOG).textContent();
    expect(asked).toContain("Connect to “warehouse”");
    expect(asked).toContain(`${CLICKHOUSE.url}`);
    expect(asked).toContain("Kept in this tab's memory only");
    await page.locator(WAREHOUSE_DIALOG).screenshot({ path: path.join(shots, "dialog-light.png") });

    // Cancel: the cell fails saying no credentials were given and how to be asked again.
    await page.click(`${WAREHOUSE_DIALOG} button:has-text('Cancel')`);
    await waitForSettled(page);
    const first = page.locator("[data-cell-kind=sql]").first();
    expect(await first.getAttribute("data-cell-status")).toBe("error");
    expect(await first.textContent()).toContain("no credentials given; run the cell again to enter them");
    await first.locator("button.run").click();

    // A wrong password: the cell fails with the server's reason and the fix; its reader is blocked.
    await answerWarehouseDialog(page, WRONG);
    await waitForSettled(page);
    const sizes = page.locator("[data-cell-kind=sql]").first();
    expect(await sizes.getAttribute("data-cell-status")).toBe("error");
    const failed = (await sizes.textContent()) ?? "";
    // From a page a refused user looks like CORS (no header on a refusal): the message says both.
    expect(failed).toContain("check the user name and password too");
    expect(failed).toContain("Run the cell again to enter them again.");
    expect(failed).not.toContain(WRONG);
    await sizes.screenshot({ path: path.join(shots, "refused-light.png") });

    // Run it again: the dialog is back, saying why; the right password runs everything.
    await sizes.locator("button.run").click();
    await page.waitForSelector(`${WAREHOUSE_DIALOG}[open]`);
    expect(await page.locator(`${WAREHOUSE_DIALOG} .refused`).textContent()).toContain(
      "check the user name and password",
    );
    // The modal holds the pointer, so the dark theme is set as the toggle sets it.
    await page.evaluate(() => (document.documentElement.dataset.theme = "dark"));
    await page.locator(WAREHOUSE_DIALOG).screenshot({ path: path.join(shots, "dialog-refused-dark.png") });
    await page.evaluate(() => (document.documentElement.dataset.theme = "light"));
    await answerWarehouseDialog(page, password);
    await waitForSettled(page);
    const cells = await cellSnapshots(page);
    expect(cells.filter((c) => c.status !== "ok")).toEqual([]);
    expect(await sizes.locator(".connection").textContent()).toBe("on warehouse");
    const total = page.locator("[data-cell-kind=sql]").nth(1);
    await expect.poll(() => total.textContent()).toContain(CLICKHOUSE.ordersRows.toLocaleString("en-US"));
    await sizes.screenshot({ path: path.join(shots, "result-light.png") });
    expect(w.pageErrors).toEqual([]);
    expect(w.blockedRequests).toEqual([]);

    // An edit (autosaved to IndexedDB) re-runs the remote cell with the credentials still in memory: no dialog.
    await editCell(page, "const hostile", "const hostile = \"home' OR '1'='1 -- edited\";");
    await waitForSettled(page);
    expect(await page.locator("dialog.connection[open]").count()).toBe(0);
    expect((await cellSnapshots(page)).filter((c) => c.status !== "ok")).toEqual([]);

    // Everything written: the export and its manifest, the saved notebook, the report, the share link.
    const card = page.locator('[data-export-card="category-sizes.csv"]');
    const exported = await downloaded(page, () => card.locator("[data-action=download-export]").click());
    const manifest = await downloaded(page, () => card.locator("[data-action=download-manifest]").click());
    const parsed = JSON.parse(manifest.text);
    expect(parsed.connections).toEqual([
      { name: "warehouse", type: "clickhouse", url: `${CLICKHOUSE.url}/`, database: "default" },
    ]);
    expect(parsed.remoteQueries).toEqual([
      expect.objectContaining({ connection: "warehouse", params: ["p1"], rows: 9 }),
    ]);
    const saved = await downloaded(page, () => fileAction(page, "download"));
    const report = await downloaded(page, () => fileAction(page, "export-html"));
    await fileAction(page, "share");
    const link = await page.locator("[data-share-link]").inputValue();
    const shared = readShareFragment(new URL(link).hash);
    expect(shared).toMatchObject({ text: expect.stringContaining("engine=warehouse") });
    await page.keyboard.press("Escape");
    // The scan sees the autosave: the edited text is in it.
    await expect.poll(() => everythingKept(page), { timeout: 10_000 }).toContain("-- edited");
    const kept = await everythingKept(page);

    const written: [string, string][] = [
      ["export", exported.text],
      ["manifest", manifest.text],
      ["saved notebook", saved.text],
      ["report", report.text],
      ["share link", link],
      ["share link text", JSON.stringify(shared)],
      ["page storage, autosave, OPFS, URL and DOM", kept],
    ];
    for (const [what, text] of written) {
      expect(text.includes(password), `${what} holds the password`).toBe(false);
      expect(text.includes(WRONG), `${what} holds the wrong password`).toBe(false);
      expect(new RegExp(`\\b${user}\\b`).test(text), `${what} holds the user name`).toBe(false);
    }
    await w.close();
  }, 240_000);

  test("notebooks/warehouse.md runs in the page against the cluster with every cell ok after one dialog", async () => {
    const w = await workbench.open();
    const { page } = w;
    await page.goto(workbench.url("notebooks/warehouse.md"));
    await answerWarehouseDialog(page, password);
    await waitForSettled(page, 150_000);
    const cells = await cellSnapshots(page);
    expect(cells.filter((c) => c.status !== "ok")).toEqual([]);
    expect(await page.locator("dialog.connection[open]").count()).toBe(0);
    // Its own check: the sizes counted on the cluster equal the local fit's.
    expect(await page.locator("main").textContent()).toContain(
      "The cluster and the local fit agree on every segment's size.",
    );
    expect(w.pageErrors).toEqual([]);
    expect(w.blockedRequests).toEqual([]);
    await w.close();
  }, 240_000);

  test("a remote cell over its row cap fails before the rows come, with the way out; an aggregate under it runs", async () => {
    const w = await workbench.open();
    const { page } = w;
    await page.goto(workbench.url("__test-notebooks__/warehouse-capped.md"));
    await answerWarehouseDialog(page, password);
    await waitForSettled(page, 60_000);
    const [capped, aggregated] = await cellSnapshots(page).then((cells) => cells.filter((c) => c.kind === "sql"));
    expect(capped!.status).toBe("error");
    expect(aggregated!.status).toBe("ok");
    const message = (await page.locator(`[data-cell-id="${capped!.id}"]`).textContent()) ?? "";
    expect(message).toMatch(/more than 100 rows/);
    expect(message).toMatch(/aggregate/i);
    expect(message).toMatch(/maxRows=/);
    expect(w.pageErrors).toEqual([]);
    await w.close();
  }, 120_000);

  test("Stop while a remote cell runs: progress shows in the cell, then the server query is killed", async () => {
    const w = await workbench.open();
    const { page } = w;
    await page.goto(workbench.url("__test-notebooks__/warehouse-slow.md"));
    await answerWarehouseDialog(page, password);
    const cell = page.locator("[data-cell-kind=sql]").first();
    const status = cell.locator("[data-remote-progress]");
    await status.waitFor({ timeout: 60_000 }).catch(async (error: unknown) => {
      throw new Error(`no progress shown; the cell says: ${await cell.textContent()}`, { cause: error });
    });
    await expect
      .poll(() => status.textContent(), { timeout: 20_000 })
      .toMatch(/^running… · [\d,]+ rows read on the server · 0 received$/);
    await expect.poll(() => status.textContent().then(rowsReadOnServer), { timeout: 20_000 }).toBeGreaterThan(0);
    await cell.screenshot({ path: path.join(shots, "progress-light.png") });
    expect(await slowQueriesRunning(0)).toBe("1\n");
    await page.click("button:has-text('Stop waiting')");
    await expect.poll(() => cell.getAttribute("data-cell-status")).toBe("error");
    await expect
      .poll(() => Promise.all([slowQueriesRunning(0), slowQueriesRunning(1)]), { timeout: 10_000 })
      .toEqual(["0\n", "0\n"]);
    expect(w.pageErrors).toEqual([]);
    await w.close();
  }, 120_000);
});
