/**
 * Remote SQL cells with `?sandbox=1` on the built site in Chromium against the real loopback
 * ClickHouse cluster (the sandboxed half of remote-cells.test.ts): the cell runs in the frame, the
 * app asks for the credentials in its own dialog and makes every request to the warehouse, and the
 * rows come back to the frame. Everything the frame receives (window and port messages, recorded
 * inside it from before its boot script) and everything its realm holds after the run is searched
 * for the password and the user name.
 */
import { beforeAll, describe, expect, test } from "vitest";
import type { Frame, Page } from "playwright-core";
import { useWorkbench } from "./helpers/setup.ts";
import { answerWarehouseDialog, rowsReadOnServer, slowQueriesRunning, WAREHOUSE_DIALOG } from "./helpers/warehouse.ts";
import { cellSnapshots, sandboxFrame, waitForSettled } from "./helpers/workbench.ts";
import { CLICKHOUSE, clickHouseMissing, startClickHouseCluster } from "../helpers/clickhouse.ts";

const workbench = useWorkbench();
const { user, password } = CLICKHOUSE.analyst;
const WRONG = "wrong-password-5c1e";

type SandboxWindow = Window & { segbookSandbox?: { ready(): Promise<void> } };
type RecordingFrame = Window & { __segbookReceived?: unknown[] };

/**
 * Runs in every frame before its own scripts (addInitScript); in the sandbox frame (opaque origin)
 * it keeps what each `message` event brings: the window's (the bundle and its ports) and every
 * MessagePort's whose handler the frame's bundle sets (control and engine ports).
 */
function recordFrameMessages(): void {
  if (self.origin !== "null") return;
  const received: unknown[] = [];
  Object.defineProperty(self, "__segbookReceived", { value: received });
  addEventListener("message", (event) => received.push(event.data), true);
  const slot = Object.getOwnPropertyDescriptor(MessagePort.prototype, "onmessage")!;
  Object.defineProperty(MessagePort.prototype, "onmessage", {
    configurable: true,
    get: slot.get,
    set(handler: ((event: MessageEvent) => unknown) | null) {
      slot.set!.call(
        this,
        handler &&
          function (this: MessagePort, event: MessageEvent) {
            received.push(event.data);
            return handler.call(this, event);
          },
      );
    },
  });
}

/** What the frame received, as text (bytes decoded one char a byte, so an Arrow buffer's strings show), and its realm now. */
async function frameKnows(frame: Frame): Promise<{ messages: string[]; realm: string }> {
  return frame.evaluate(() => {
    const text = (value: unknown): string =>
      JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === "bigint") return String(v);
        if (ArrayBuffer.isView(v)) return String.fromCharCode(...new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
        if (v instanceof ArrayBuffer) return String.fromCharCode(...new Uint8Array(v));
        return v;
      }) ?? String(value);
    const messages = ((window as RecordingFrame).__segbookReceived ?? []).map(text);
    const globals = Object.getOwnPropertyNames(self).map((name) => {
      try {
        const value = (self as unknown as Record<string, unknown>)[name];
        return typeof value === "string" ? `${name}=${value}` : name;
      } catch {
        return name;
      }
    });
    return { messages, realm: [document.documentElement.outerHTML, ...globals].join("\n") };
  });
}

/** Opens `notebook` with `?sandbox=1`, recording what the frame receives; returns the warehouse requests by frame. */
async function openSandboxed(page: Page, notebook: string): Promise<{ url: string; fromApp: boolean }[]> {
  await page.context().addInitScript(recordFrameMessages);
  const requests: { url: string; fromApp: boolean }[] = [];
  const port = new URL(CLICKHOUSE.url).port;
  page.on("request", (request) => {
    if (new URL(request.url()).port === port)
      requests.push({ url: request.url(), fromApp: request.frame() === page.mainFrame() });
  });
  await page.goto(`${workbench.url(notebook)}&sandbox=1`);
  await page.waitForFunction(() => Boolean((window as SandboxWindow).segbookSandbox));
  await page.evaluate(() => (window as SandboxWindow).segbookSandbox!.ready());
  return requests;
}

/** The frame's slot of cell `id`: its status and text. */
function slotOf(frame: Frame, id: string): Promise<{ status: string; text: string }> {
  return frame.$eval(`.sandbox-cell[data-cell-id="${id}"]`, (element) => ({
    status: (element as HTMLElement).dataset.status ?? "",
    text: (element as HTMLElement).innerText,
  }));
}

describe.skipIf(clickHouseMissing)("remote SQL cells in the sandbox frame on the ClickHouse cluster", () => {
  beforeAll(() => startClickHouseCluster(), 90_000);

  test("?sandbox=1: the app's dialog asks, a cancel and a refused password fail the frame's cell as in the page, then its rows show in the frame; the frame never receives a credential", async () => {
    const w = await workbench.open();
    const { page } = w;
    const requests = await openSandboxed(page, "__test-notebooks__/warehouse-remote.md");

    // The app asks, naming the connection: the frame cannot draw or answer this dialog.
    await page.waitForSelector(`${WAREHOUSE_DIALOG}[open]`);
    expect(await page.locator(WAREHOUSE_DIALOG).textContent()).toContain("Connect to “warehouse”");
    await page.click(`${WAREHOUSE_DIALOG} button:has-text('Cancel')`);
    await waitForSettled(page);
    const sizes = page.locator("[data-cell-kind=sql]").first();
    const sizesId = (await sizes.getAttribute("data-cell-id"))!;
    expect(await sizes.getAttribute("data-cell-status")).toBe("error");
    expect(await sizes.textContent()).toContain("no credentials given; run the cell again to enter them");
    const frame = sandboxFrame(page);
    expect(await slotOf(frame, sizesId)).toMatchObject({ status: "error" });

    // A wrong password: the server's reason and the fix, the same words as in the page, not the password.
    await sizes.locator("button.run").click();
    await answerWarehouseDialog(page, WRONG);
    await waitForSettled(page);
    expect(await sizes.getAttribute("data-cell-status")).toBe("error");
    const refused = await slotOf(sandboxFrame(page), sizesId);
    expect(refused.text).toContain("check the user name and password too");
    expect(refused.text).toContain("Run the cell again to enter them again.");
    expect((await sizes.textContent()) ?? "").toContain("Run the cell again to enter them again.");

    // The right password: every cell ok in the app, the rows in the frame (the local total reads them).
    await sizes.locator("button.run").click();
    await page.waitForSelector(`${WAREHOUSE_DIALOG}[open]`);
    expect(await page.locator(`${WAREHOUSE_DIALOG} .refused`).textContent()).toContain(
      "check the user name and password",
    );
    await answerWarehouseDialog(page, password);
    await waitForSettled(page);
    const cells = await cellSnapshots(page);
    expect(cells.filter((c) => c.status !== "ok")).toEqual([]);
    const current = sandboxFrame(page);
    const totalId = (await page.locator("[data-cell-kind=sql]").nth(1).getAttribute("data-cell-id"))!;
    expect(await slotOf(current, sizesId)).toMatchObject({ status: "ok" });
    expect((await slotOf(current, totalId)).text).toContain(CLICKHOUSE.ordersRows.toLocaleString("en-US"));
    expect(await page.locator("main .outputs").count()).toBe(0);

    // Every request to the warehouse came from the app's document, none from the frame.
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((r) => !r.fromApp)).toEqual([]);

    // What the frame received: the remote result's bytes among it (the recording works) ...
    const { messages, realm } = await frameKnows(current);
    expect(messages.some((m) => m.includes('"queryId"') && m.includes('"bytes"') && m.includes("category"))).toBe(true);
    // ... and neither password nor the user name in any of it, nor in the frame's document or globals.
    for (const [what, text] of [
      ["a message to the frame", messages.join("\n")],
      ["the frame's document and globals", realm],
    ] as const) {
      expect(text.includes(password), `${what} holds the password`).toBe(false);
      expect(text.includes(WRONG), `${what} holds the wrong password`).toBe(false);
      expect(new RegExp(`\\b${user}\\b`).test(text), `${what} holds the user name`).toBe(false);
    }
    expect(w.pageErrors).toEqual([]);
    expect(w.blockedRequests).toEqual([]);
    await w.close();
  }, 240_000);

  test("?sandbox=1: Stop while a remote cell runs shows its progress in the app, then tears the frame down and the server's query is killed", async () => {
    const w = await workbench.open();
    const { page } = w;
    await openSandboxed(page, "__test-notebooks__/warehouse-slow.md");
    await answerWarehouseDialog(page, password);
    const cell = page.locator("[data-cell-kind=sql]").first();
    // Progress crosses from the frame's state: the app's cell shows the server's rows read.
    await expect
      .poll(
        () =>
          cell
            .locator("[data-remote-progress]")
            .textContent()
            .catch(() => "")
            .then(rowsReadOnServer),
        { timeout: 60_000 },
      )
      .toBeGreaterThan(0);
    expect(await slowQueriesRunning(0)).toBe("1\n");
    const frame = sandboxFrame(page);
    await page.locator("button[data-action=stop]").click();
    await expect.poll(() => frame.isDetached()).toBe(true);
    await expect.poll(() => cell.getAttribute("data-cell-status")).toBe("error");
    expect(await cell.innerText()).toContain("Stopped by you");
    // The app's request went with the frame: aborted, and the query killed on both shards.
    await expect
      .poll(() => Promise.all([slowQueriesRunning(0), slowQueriesRunning(1)]), { timeout: 10_000 })
      .toEqual(["0\n", "0\n"]);
    expect(w.pageErrors).toEqual([]);
    await w.close();
  }, 120_000);
});
