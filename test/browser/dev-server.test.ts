/**
 * `npm run dev`, the README's first command, driven as a newcomer would: the dev server (started by
 * the harness exactly as the README says) runs the default notebook and a heavy shipped notebook
 * green, its Monaco workers type-check, and its gallery lists the shipped notebooks. The built site
 * is tested everywhere else; these catch what only the dev server does differently (unbundled
 * workers with a query string of their own, dependencies optimized on demand).
 */
import { expect, test } from "vitest";
import type { WatchedPage } from "./helpers/browser.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { cellSnapshots, codeCellId, waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench("dev");

/** The dev server compiles modules as they are first asked for: slower than the built site. */
const DEV_SETTLE_MS = 180_000;

/** Every data source's name and status. */
function sourceStatuses(w: WatchedPage) {
  return w.page.$$eval("[data-source-status]", (elements) =>
    elements.map((e) => `${e.getAttribute("data-source-name")}: ${e.getAttribute("data-source-status")}`),
  );
}

/** Opens `notebook` (the default one when undefined), waits until it settles and checks it is green. */
async function expectGreen(w: WatchedPage, notebook?: string): Promise<void> {
  await w.page.goto(workbench.url(notebook));
  await waitForSettled(w.page, DEV_SETTLE_MS);
  const cells = await cellSnapshots(w.page);
  expect(cells.length).toBeGreaterThan(3);
  expect(cells.filter((c) => c.status !== "ok")).toEqual([]);
  const sources = await sourceStatuses(w);
  expect(sources.filter((s) => !s.endsWith(": ok"))).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
  expect(w.pageErrors).toEqual([]);
  expect(w.blockedRequests).toEqual([]);
}

test(
  "npm run dev runs the default notebook (every cell and data source ok, no errors) and type-checks in Monaco's worker",
  { timeout: 240_000 },
  async () => {
    const w = await workbench.open();
    await expectGreen(w);
    expect(await sourceStatuses(w)).not.toEqual([]);
    // The terminal of `npm run dev` stays quiet: no error (a failed transform is an "Internal server
    // error" there) and no warning.
    expect(
      workbench
        .server()
        .output()
        .split("\n")
        .filter((line) => /error|warn|sourcemap/i.test(line)),
    ).toEqual([]);
    // DuckDB ran in the boot script, which the dev server serves as a classic worker.
    expect(w.page.workers().map((worker) => new URL(worker.url()).pathname)).toContain(
      "/src/engine/duckdb-boot-worker.ts",
    );

    // A type error shows as a squiggle: Monaco's TypeScript worker, compiled by the dev server on first use, runs.
    await w.page.waitForSelector("[data-cell-kind=ts] .monaco-editor", { timeout: 60_000 });
    const id = await codeCellId(w.page, "const threshold");
    await w.page.locator(`[data-cell-id="${id}"] .monaco-editor .view-lines`).click();
    await w.page.keyboard.press("End");
    await w.page.keyboard.type(" const notANumber: number = 'x'; seg.kmeans('t', { featurs: [], k: 2 });");
    await expect
      .poll(() => w.page.locator(".monaco-editor .squiggly-error").count(), { timeout: 90_000, interval: 500 })
      .toBeGreaterThan(0);
    // `seg` is typed by the declarations the dev server generated from the source (cell-types-plugin.ts).
    const markers = () =>
      w.page.evaluate((id) => {
        type Model = { uri: { toString(): string } };
        const { editor } = (
          globalThis as unknown as {
            segbook: { notebook: { editors: { monaco: { monaco: { editor: MonacoEditorApi } } } } };
          }
        ).segbook.notebook.editors.monaco.monaco;
        interface MonacoEditorApi {
          getModels(): Model[];
          getModelMarkers(filter: { resource: Model["uri"] }): { message: string }[];
        }
        const model = editor.getModels().find((m) => m.uri.toString().includes(`cell-${id}.`))!;
        return editor.getModelMarkers({ resource: model.uri }).map((m) => m.message);
      }, id);
    await expect
      .poll(markers, { timeout: 90_000, interval: 500 })
      .toEqual(
        expect.arrayContaining([
          expect.stringMatching(/not assignable to type 'number'/),
          expect.stringMatching(/'featurs'/),
        ]),
      );
    expect(w.pageErrors).toEqual([]);
    expect(w.blockedRequests).toEqual([]);
  },
);

test(
  "npm run dev runs ?notebook=notebooks/segmentation.md (seg kernels on their workers)",
  { timeout: 240_000 },
  async () => {
    const w = await workbench.open();
    await expectGreen(w, "notebooks/segmentation.md");
    expect(w.page.workers().map((worker) => new URL(worker.url()).pathname)).toContain("/src/ui/kernel-worker.ts");
  },
);

test("on npm run dev, a boot script the server refuses is named with the server's answer", async () => {
  const w = await workbench.open();
  // The symptom of issue 13: the dev server answered 500 for the boot script, and the page blamed
  // DuckDB's worker script.
  await w.context.route(
    (url) => url.pathname === "/src/engine/duckdb-boot-worker.ts",
    (route) => route.fulfill({ status: 500, contentType: "text/plain", body: "Internal Server Error" }),
  );
  await w.page.goto(workbench.url());
  await w.page.waitForSelector("main[data-engine-phase=failed]", { timeout: 60_000 });
  expect((await w.page.locator("main .failure").first().textContent())?.trim()).toMatch(
    /^Could not start DuckDB: DuckDB's boot script http:\/\/127\.0\.0\.1:\d+\/src\/engine\/duckdb-boot-worker\.ts\?worker_file&type=classic failed to start: the server answered HTTP 500 Internal Server Error \(it loads DuckDB's worker script \/node_modules\/@duckdb\/duckdb-wasm\/dist\/duckdb-browser-eh\.worker\.js and wasm \/node_modules\/@duckdb\/duckdb-wasm\/dist\/duckdb-eh\.wasm\)$/,
  );
  expect(w.pageErrors).toEqual([]);
});

test("npm run dev serves the gallery from notebooks/index.json", async () => {
  const w = await workbench.open();
  await w.page.goto(`${workbench.server().baseUrl}?gallery`);
  await w.page.waitForSelector("[data-gallery-entry]");
  const entries = await w.page.$$eval("[data-gallery-entry]", (elements) =>
    elements.map((e) => e.getAttribute("data-gallery-entry")),
  );
  expect(entries).toContain("welcome.md");
  expect(entries).toContain("segmentation.md");
  expect(w.consoleErrors).toEqual([]);
  expect(w.pageErrors).toEqual([]);
});

test("the test dev server serves test notebooks and fixtures beside the site, as the built site's server does", async () => {
  const w = await workbench.open();
  await w.page.goto(workbench.url("__test-notebooks__/people.md"));
  await waitForSettled(w.page, DEV_SETTLE_MS);
  expect((await cellSnapshots(w.page)).filter((c) => c.status !== "ok")).toEqual([]);
  expect(workbench.server().requests).toContain("/__fixtures__/people.csv");
  const missing = await fetch(`${workbench.server().baseUrl}__fixtures__/no-such-file.csv`);
  expect(missing.status).toBe(404);
});

test("npm run dev loads a Parquet data source through parquet-wasm, its wasm served by the dev server", async () => {
  const w = await workbench.open();
  await w.page.goto(workbench.url("__test-notebooks__/people-parquet.md"));
  await waitForSettled(w.page, DEV_SETTLE_MS);
  expect((await cellSnapshots(w.page)).filter((c) => c.status !== "ok")).toEqual([]);
  expect(await sourceStatuses(w)).toEqual(["people: ok"]);
  // One wasm URL, with no query string added to it (Vite's own `?import`/`?url` forms aside).
  const wasm = workbench.server().requests.filter((r) => r.includes("parquet_wasm_bg"));
  expect(wasm.length).toBeGreaterThan(0);
  expect(wasm.filter((r) => (r.match(/\?/g) ?? []).length > 1)).toEqual([]);
  expect(w.blockedRequests).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
  expect(w.pageErrors).toEqual([]);
});
