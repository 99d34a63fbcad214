/**
 * Every shipped notebook in notebooks/ on the built site with `?sandbox=1` (docs/sandbox.md stage 7,
 * "every shipped notebook runs green in the sandbox"): each must settle with every cell and data
 * source `ok` in the app, the frame must hold a slot for each cell with the same status (Markdown
 * rendered there), the page must render no output, and nothing may go off the page's origin. The
 * sandboxed half of gallery-notebooks.test.ts; notebooks whose front matter `requires` what the site
 * does not ship (the real Online Retail file, a ClickHouse warehouse) are left out as there.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { parse } from "../../src/notebook/index.ts";
import { repoRoot } from "./helpers/static-server.ts";
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

test("?sandbox=1&notebook=notebooks/warehouse.md: each engine=warehouse cell fails in the frame saying so, no request reaches the warehouse and no credential dialog opens", async () => {
  const { notebook } = parse(fs.readFileSync(path.join(repoRoot, "notebooks", "warehouse.md"), "utf8"));
  const remote = notebook.cells.flatMap((cell, i) => (/\bengine=warehouse\b/.test(cell.attrs ?? "") ? [i] : []));
  expect(remote.length).toBeGreaterThan(0);
  const warehouse = new URL(notebook.frontMatter.connections!.warehouse!.url);
  const w = await workbench.open();
  try {
    // Every request of the page and of its frames, for the warehouse's port (127.0.0.1 is not blocked).
    const toWarehouse: string[] = [];
    w.page.on("request", (request) => {
      if (new URL(request.url()).port === warehouse.port) toWarehouse.push(request.url());
    });
    await w.page.goto(`${workbench.url("notebooks/warehouse.md")}&sandbox=1`);
    await w.page.waitForFunction(() => Boolean((window as SandboxWindow).segbookSandbox));
    await w.page.evaluate(() => (window as SandboxWindow).segbookSandbox!.ready());
    await waitForSettled(w.page, 150_000);
    const cells = await cellSnapshots(w.page);
    expect(cells.map((c) => c.kind)).toEqual(notebook.cells.map((c) => c.kind));
    const slots = await sandboxFrame(w.page).$$eval(".sandbox-cell", (elements) =>
      elements.map((element) => ({
        id: (element as HTMLElement).dataset.cellId ?? "",
        status: (element as HTMLElement).dataset.status ?? "",
        error: element.querySelector(".sandbox-cell-error")?.textContent ?? "",
      })),
    );
    expect(slots.map(({ id, status }) => ({ id, status }))).toEqual(cells.map(({ id, status }) => ({ id, status })));
    // A remote cell whose inputs are all local and ok (the features; the revenue since an Inputs
    // choice) fails with what to do; one that reads the model fitted on the features is blocked, as is
    // every other reader of a failed cell.
    const message = `connection "warehouse" (${warehouse.href}) cannot be used in the sandbox (?sandbox=1) yet: open this notebook without ?sandbox=1 to run its engine=warehouse cells`;
    const remoteStates = remote.map((i) => ({ status: cells[i]!.status, error: slots[i]!.error }));
    expect(remoteStates).toEqual(
      remote.map((i) =>
        notebook.cells[i]!.source.includes("sizesQuery")
          ? { status: "blocked", error: "" }
          : { status: "error", error: message },
      ),
    );
    expect(cells.filter((c, i) => !remote.includes(i) && c.status !== "ok" && c.status !== "blocked")).toEqual([]);
    // The cells that read no remote result still run: the first one (the features query's text) is ok.
    expect(cells[notebook.cells.findIndex((c) => c.kind === "ts")]!.status).toBe("ok");
    expect(await w.page.locator("dialog[data-connection-dialog][open]").count()).toBe(0);
    expect(toWarehouse).toEqual([]);
    expect(await w.page.locator("main .outputs").count()).toBe(0);
    expect(w.pageErrors, "uncaught page errors").toEqual([]);
    expect(w.blockedRequests, "requests to anywhere but 127.0.0.1").toEqual([]);
  } finally {
    await w.close();
  }
}, 180_000);
