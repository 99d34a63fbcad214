/**
 * Every shipped notebook in notebooks/ on the built site with `?sandbox=1` (docs/sandbox.md stage 7,
 * "every shipped notebook runs green in the sandbox"): each must settle with every cell and data
 * source `ok` in the app, the frame must hold a slot for each cell with the same status (Markdown
 * rendered there), the page must render no output, and nothing may go off the page's origin. The
 * sandboxed half of gallery-notebooks.test.ts; notebooks whose front matter `requires` what the site
 * does not ship (the real Online Retail file, a ClickHouse warehouse) are left out as there.
 * `warehouse.md` runs on the loopback ClickHouse cluster, as remote-cells.test.ts runs it in the page:
 * its remote cells are served by the app, which asks for the credentials and makes the requests.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parse } from "../../src/notebook/index.ts";
import { repoRoot } from "./helpers/static-server.ts";
import { CLICKHOUSE, clickHouseMissing, startClickHouseCluster } from "../helpers/clickhouse.ts";
import { useWorkbench } from "./helpers/setup.ts";
import {
  cellSnapshots,
  expectDataSourcesOk,
  galleryNotebooks,
  waitForSettled,
  sandboxFrame,
} from "./helpers/workbench.ts";

const workbench = useWorkbench();

const notebooks = galleryNotebooks();

type SandboxWindow = Window & { segbookSandbox?: { ready(): Promise<void> } };

test.each(notebooks)(
  "?sandbox=1&notebook=notebooks/%s settles with every cell and data source ok, its outputs in the frame",
  async (file) => {
    const w = await workbench.open();
    try {
      await w.page.goto(`${workbench.url(`notebooks/${file}`)}&sandbox=1`);
      await w.page.waitForFunction(() => Boolean((window as SandboxWindow).segbookSandbox));
      await w.page.evaluate(() => (window as SandboxWindow).segbookSandbox!.ready());
      await waitForSettled(w.page, 150_000);
      const cells = await cellSnapshots(w.page);
      expect(cells.length).toBeGreaterThan(3);
      const frame = sandboxFrame(w.page);
      const slots = await frame.$$eval(".sandbox-cell", (elements) =>
        elements.map((element) => ({
          id: (element as HTMLElement).dataset.cellId ?? "",
          status: (element as HTMLElement).dataset.status ?? "",
          kind: (element as HTMLElement).dataset.kind ?? "",
          error: element.querySelector(".sandbox-cell-error")?.textContent?.slice(0, 300) ?? "",
          text: (element as HTMLElement).innerText.trim().length,
          children: element.childElementCount,
        })),
      );
      // The app's cells, with the frame's error text for any that is not ok.
      const failed = cells
        .filter((c) => c.status !== "ok")
        .map((c) => ({ ...c, error: slots.find((s) => s.id === c.id)?.error }));
      expect(failed).toEqual([]);
      // The frame has one slot per cell, in the app's order, with the app's statuses ...
      expect(slots.map(({ id, status }) => ({ id, status }))).toEqual(cells.map(({ id, status }) => ({ id, status })));
      // ... every Markdown cell rendered there, and outputs in the frame ...
      expect(slots.filter((s) => s.kind === "md" && s.text === 0)).toEqual([]);
      expect(slots.filter((s) => s.kind !== "md" && s.children > 0).length).toBeGreaterThan(0);
      // ... and none in the page.
      expect(await w.page.locator("main .outputs").count()).toBe(0);
      await expectDataSourcesOk(w.page);
      expect(w.pageErrors, "uncaught page errors").toEqual([]);
      expect(w.blockedRequests, "requests to anywhere but 127.0.0.1").toEqual([]);
    } finally {
      await w.close();
    }
  },
  180_000,
);

describe.skipIf(clickHouseMissing)("notebooks/warehouse.md in the frame on the ClickHouse cluster", () => {
  beforeAll(() => startClickHouseCluster(), 90_000);

  test("?sandbox=1&notebook=notebooks/warehouse.md settles with every cell ok after one dialog in the app, each warehouse request made by the app", async () => {
    const { notebook } = parse(fs.readFileSync(path.join(repoRoot, "notebooks", "warehouse.md"), "utf8"));
    const remote = notebook.cells.filter((cell) => /\bengine=warehouse\b/.test(cell.attrs ?? ""));
    expect(remote.length).toBeGreaterThan(0);
    const warehouse = new URL(notebook.frontMatter.connections!.warehouse!.url);
    const w = await workbench.open();
    try {
      // Every request of the page and of its frames to the warehouse's port (127.0.0.1 is not blocked).
      const toWarehouse: { fromApp: boolean }[] = [];
      w.page.on("request", (request) => {
        if (new URL(request.url()).port === warehouse.port)
          toWarehouse.push({ fromApp: request.frame() === w.page.mainFrame() });
      });
      await w.page.goto(`${workbench.url("notebooks/warehouse.md")}&sandbox=1`);
      await w.page.waitForFunction(() => Boolean((window as SandboxWindow).segbookSandbox));
      await w.page.evaluate(() => (window as SandboxWindow).segbookSandbox!.ready());
      const dialog = "dialog[data-connection-dialog=warehouse]";
      await w.page.waitForSelector(`${dialog}[open]`, { timeout: 150_000 });
      await w.page.fill(`${dialog} input[name=user]`, CLICKHOUSE.analyst.user);
      await w.page.fill(`${dialog} input[name=password]`, CLICKHOUSE.analyst.password);
      await w.page.click(`${dialog} [data-connection-submit]`);
      await waitForSettled(w.page, 150_000);
      const cells = await cellSnapshots(w.page);
      expect(cells.map((c) => c.kind)).toEqual(notebook.cells.map((c) => c.kind));
      const slots = await sandboxFrame(w.page).$$eval(".sandbox-cell", (elements) =>
        elements.map((element) => ({
          id: (element as HTMLElement).dataset.cellId ?? "",
          status: (element as HTMLElement).dataset.status ?? "",
          error: element.querySelector(".sandbox-cell-error")?.textContent?.slice(0, 300) ?? "",
        })),
      );
      const failed = cells
        .filter((c) => c.status !== "ok")
        .map((c) => ({ ...c, error: slots.find((s) => s.id === c.id)?.error }));
      expect(failed).toEqual([]);
      expect(slots.map(({ id, status }) => ({ id, status }))).toEqual(cells.map(({ id, status }) => ({ id, status })));
      // Its own check, rendered in the frame: the sizes counted on the cluster equal the local fit's.
      expect(await sandboxFrame(w.page).locator("main").textContent()).toContain(
        "The cluster and the local fit agree on every segment's size.",
      );
      expect(await w.page.locator("dialog.connection[open]").count()).toBe(0);
      expect(toWarehouse.length).toBeGreaterThan(0);
      expect(toWarehouse.filter((r) => !r.fromApp)).toEqual([]);
      expect(await w.page.locator("main .outputs").count()).toBe(0);
      expect(w.pageErrors, "uncaught page errors").toEqual([]);
      expect(w.blockedRequests, "requests to anywhere but 127.0.0.1").toEqual([]);
    } finally {
      await w.close();
    }
  }, 240_000);
});
