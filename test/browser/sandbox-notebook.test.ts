/**
 * The app's own notebook running in the sandbox frame (`?sandbox=1`, docs/sandbox.md stages 3b, 3d,
 * 3e) on the built site: the default notebook runs green in the frame with its outputs there and none
 * in the page, the app's cells show the frame's statuses, an edit in the app's editor re-runs in the
 * frame, Monaco waits for the frame's first run, and Inputs bound with `view` in a frame cell drive a
 * dependent cell.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { Frame } from "playwright-core";
import { parse } from "../../src/notebook/index.ts";
import { DEFAULT_NOTEBOOK_URL } from "../../src/ui/notebook-url.ts";
import { shareFragment } from "../../src/ui/persistence/share-link.ts";
import { editCell } from "./helpers/persistence.ts";
import { repoRoot } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import {
  assetsContaining,
  cellSnapshots,
  waitForSettled,
  type CellSnapshot,
  sandboxFrame,
} from "./helpers/workbench.ts";
import type { WatchedPage } from "./helpers/browser.ts";

type SandboxWindow = Window & {
  segbookSandbox?: { ready(): Promise<void>; open(text: string): Promise<unknown> };
  segbook?: { notebook: { settled(): Promise<void> } };
};

/** Each frame cell's id and status, in the frame's order. */
function frameStatuses(frame: Frame): Promise<{ id: string; status: string }[]> {
  return frame.$$eval(".sandbox-cell", (cells) =>
    cells.map((cell) => ({
      id: (cell as HTMLElement).dataset.cellId ?? "",
      status: (cell as HTMLElement).dataset.status ?? "",
    })),
  );
}

/** The app's cells as id → status, for comparing with the frame's. */
function appStatuses(cells: CellSnapshot[]): { id: string; status: string }[] {
  return cells.map(({ id, status }) => ({ id, status }));
}

/** Opens `?sandbox=1` (and `notebook` when given) and waits until the app's notebook has settled in the frame. */
async function openSandboxed(w: WatchedPage, url: string): Promise<void> {
  await w.page.goto(url);
  await w.page.waitForFunction(() =>
    Boolean((window as SandboxWindow).segbookSandbox && (window as SandboxWindow).segbook),
  );
  await w.page.evaluate(() => (window as SandboxWindow).segbookSandbox!.ready());
  await waitForSettled(w.page);
}

describe("the app's notebook in the sandbox frame", () => {
  const workbench = useWorkbench("built");

  test("the default notebook runs green in the frame: outputs there and none in the page, the app's statuses match, no runaway confirm", async () => {
    const w = await workbench.open();
    const dialogs: string[] = [];
    w.page.on("dialog", (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    // What the page itself loads: the runtime (compiler, Session) must not be among it.
    const scripts: string[] = [];
    w.page.on("request", (request) => {
      if (request.frame() === w.page.mainFrame() && request.resourceType() === "script") scripts.push(request.url());
    });
    await openSandboxed(w, `${workbench.url()}?sandbox=1`);

    const expected = parse(readFileSync(`${repoRoot}/${DEFAULT_NOTEBOOK_URL}`, "utf8")).notebook;
    const cells = await cellSnapshots(w.page);
    expect(cells.map((c) => c.kind)).toEqual(expected.cells.map((c) => c.kind));
    expect(
      cells.every((c) => c.status === "ok" && c.runs === 1),
      JSON.stringify(cells),
    ).toBe(true);
    // The data panel shows the tables the frame's session loaded (row counts come from the frame's report).
    const sources = await w.page.$$eval("[data-source-name]", (items) =>
      items.map((item) => `${item.getAttribute("data-source-name")}: ${item.getAttribute("data-source-status")}`),
    );
    expect(sources).toEqual(Object.keys(expected.frontMatter.data).map((name) => `${name}: ok`));
    const customerRows = readFileSync(`${repoRoot}/notebooks/data/customers.csv`, "utf8").trim().split("\n").length - 1;
    await expect
      .poll(() => w.page.locator('[data-source-name="customers"] .status').textContent())
      .toContain(`${customerRows.toLocaleString("en-US")} rows`);

    // The frame's cells are the app's, in the same order, with the same statuses.
    const frame = sandboxFrame(w.page);
    expect(await frameStatuses(frame)).toEqual(appStatuses(cells));
    // Outputs are in the frame: the chart, the tables (grids) and the interpolated Markdown ...
    const inFrame = await frame.evaluate(() => ({
      svgs: document.querySelectorAll('.sandbox-cell[data-kind="ts"] svg').length,
      grids: document.querySelectorAll(
        '.sandbox-cell[data-kind="sql"] [role="grid"], .sandbox-cell[data-kind="sql"] table',
      ).length,
      text: document.body.innerText,
    }));
    expect(inFrame.svgs).toBeGreaterThan(0);
    expect(inFrame.grids).toBeGreaterThan(0);
    expect(inFrame.text).toMatch(/segment has \d+ customers/);
    // ... and none in the page: no cell output, no chart.
    const inPage = await w.page.evaluate(() => ({
      outputs: document.querySelectorAll("main .outputs").length,
      svgs: document.querySelectorAll("main .cell svg:not(.codicon)").length,
      text: document.querySelector("main")!.textContent ?? "",
    }));
    expect(inPage.outputs).toBe(0);
    expect(inPage.text).not.toMatch(/segment has \d+ customers/);
    expect(scripts.filter((url) => /\/session-[\w-]+\.js$/.test(url))).toEqual([]);

    // An edit in the app's editor runs in the frame: the threshold's readers re-run there, and the
    // Markdown at the end (the top segment's customers) follows.
    const summary = () => frame.evaluate(() => /segment has \d+ customers[^\n]*/.exec(document.body.innerText)?.[0]);
    const before = await summary();
    await editCell(w.page, "const threshold", "const threshold: number = 123;");
    await expect.poll(summary, { timeout: 30_000 }).not.toBe(before);
    await waitForSettled(w.page);
    const after = await cellSnapshots(w.page);
    expect(after.every((c) => c.status === "ok")).toBe(true);
    const segments = after[expected.cells.findIndex((c) => c.kind === "sql" && c.name === "segments")]!;
    expect(segments.runs).toBe(2);
    expect(await frameStatuses(frame)).toEqual(appStatuses(after));

    // Run all (the toolbar) re-runs every cell in the frame.
    await w.page.getByRole("button", { name: "Run all" }).click();
    await expect.poll(async () => (await cellSnapshots(w.page)).every((c) => c.runs >= 2)).toBe(true);
    await waitForSettled(w.page);
    expect((await cellSnapshots(w.page)).every((c) => c.status === "ok")).toBe(true);

    // For whoever looks at the frame's outputs (stage 4 styles them): the frame in view, both themes.
    await w.page.locator("iframe.segbook-sandbox").scrollIntoViewIfNeeded();
    await w.page.screenshot({ path: "test-results/sandbox-notebook-light.png" });
    await w.page.emulateMedia({ colorScheme: "dark" });
    await w.page.screenshot({ path: "test-results/sandbox-notebook-dark.png" });
    expect(dialogs).toEqual([]);
    expect(w.blockedRequests).toEqual([]);
    expect(w.pageErrors).toEqual([]);
  });

  test("Monaco is fetched only once the frame's first run of the default notebook has loaded its data", async () => {
    const w = await workbench.open();
    // When a data source last became ok (page clock), recorded from before the app's scripts.
    await w.page.addInitScript(() => {
      const scope = globalThis as unknown as { __dataOk: number };
      scope.__dataOk = 0;
      new MutationObserver((mutations) => {
        const ok = mutations.some((m) => (m.target as Element).getAttribute("data-source-status") === "ok");
        if (ok) scope.__dataOk = performance.now();
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-source-status"] });
    });
    await openSandboxed(w, `${workbench.url()}?sandbox=1`);
    // The editors still arrive, after the run.
    await w.page.waitForSelector("main[data-editor-phase=monaco] [data-cell-kind=ts] .monaco-editor");
    const monacoChunks = assetsContaining("MonacoEnvironment");
    const { monacoFetched, dataOk } = await w.page.evaluate(
      (chunks) => ({
        monacoFetched: performance
          .getEntriesByType("resource")
          .filter((r) => chunks.some((chunk) => r.name.endsWith(chunk)))
          .map((r) => r.startTime),
        dataOk: (globalThis as unknown as { __dataOk: number }).__dataOk,
      }),
      monacoChunks,
    );
    expect(dataOk).toBeGreaterThan(0);
    expect(monacoFetched.length).toBeGreaterThan(0);
    // The frame's states arrive by message: fetched when the app saw "not busy yet", Monaco competed
    // with the data load and the whole run (it was fetched as soon as the frame got the notebook).
    expect(Math.min(...monacoFetched)).toBeGreaterThan(dataOk);
    expect(w.pageErrors).toEqual([]);
  });

  test("a ?notebook= address that cannot be fetched says so and leaves no sandbox output area in the page", async () => {
    const w = await workbench.open();
    await w.page.goto(`${workbench.url()}?sandbox=1&notebook=notebooks/no-such-notebook.md`);
    await w.page.getByText("Could not open notebook").first().waitFor();
    // The frame is made as the notebook starts loading; a failed fetch disposes it, area and all.
    await w.page.waitForFunction(() => document.querySelectorAll(".segbook-sandbox-host, iframe").length === 0);
    expect(await w.page.locator(".segbook-sandbox-host").count()).toBe(0);
  });

  test("Inputs bound with view in a frame cell drive a dependent cell", async () => {
    const w = await workbench.open();
    await openSandboxed(w, `${workbench.url()}?sandbox=1`);
    const source = [
      "```ts",
      'const k = view(Inputs.range([1, 10], { value: 3, step: 1, label: "k" }));',
      "```",
      "",
      "Squared: ${k * k}.",
      "",
    ].join("\n");
    const statuses = (await w.page.evaluate((s) => (window as SandboxWindow).segbookSandbox!.open(s), source)) as {
      status: string;
    }[];
    expect(statuses.map((c) => c.status)).toEqual(["ok", "ok"]);
    const frame = sandboxFrame(w.page);
    expect(await frame.evaluate(() => document.body.innerText)).toContain("Squared: 9.");
    // The user moves the control (in the frame): the Markdown that reads `k` re-runs, the control's cell does not.
    await frame.locator('.sandbox-cell[data-kind="ts"] input[type="number"]').fill("7");
    await expect.poll(() => frame.evaluate(() => document.body.innerText)).toContain("Squared: 49.");
    const cells = await cellSnapshots(w.page);
    expect(cells.map((c) => `${c.kind} ${c.status} ${c.runs}`)).toEqual(["ts ok 1", "md ok 2"]);
    // The control itself is in the frame only.
    expect(await w.page.locator('main input[type="range"]').count()).toBe(0);
    expect(w.pageErrors).toEqual([]);
  });

  test("a shared notebook waits for the trust banner's Run, which runs it in the frame", async () => {
    const w = await workbench.open();
    const text = [
      "```sql answer",
      "SELECT 6 * 7 AS n",
      "```",
      "",
      "```ts",
      "const doubled = answer.numRows * 2;",
      "doubled",
      "```",
      "",
    ].join("\n");
    await w.page.goto(`${workbench.url()}?sandbox=1#${shareFragment({ text, from: DEFAULT_NOTEBOOK_URL })}`);
    await w.page.waitForSelector("[data-trust-banner] [data-action=trust]");
    await w.page.waitForFunction(() =>
      Boolean((window as SandboxWindow).segbookSandbox && (window as SandboxWindow).segbook),
    );
    await w.page.evaluate(() => (window as SandboxWindow).segbookSandbox!.ready());
    // Nothing ran: the app's cells wait, and the frame has no cell at all.
    expect((await cellSnapshots(w.page)).map((c) => `${c.kind} ${c.runs}`)).toEqual(["sql 0", "ts 0"]);
    expect(await sandboxFrame(w.page).locator(".sandbox-cell").count()).toBe(0);
    await w.page.click("[data-trust-banner] [data-action=trust]");
    await waitForSettled(w.page);
    const cells = await cellSnapshots(w.page);
    expect(cells.map((c) => `${c.kind} ${c.status} ${c.runs}`)).toEqual(["sql ok 1", "ts ok 1"]);
    const frame = sandboxFrame(w.page);
    expect(await frameStatuses(frame)).toEqual(appStatuses(cells));
    expect(await frame.locator('.sandbox-cell[data-kind="ts"]').innerText()).toContain("2");
    expect(w.pageErrors).toEqual([]);
  });
});
