/**
 * The typed editor in the built workbench: a named SQL result's columns complete as fields of its
 * rows in a TS cell, SQL cells complete tables and columns from the live schema, a type error is a
 * marker while the cell still runs, and Shift+Alt+F formats a TS cell. `seg` is typed from the
 * declarations generated from the source at build time: a clustering result completes `model`,
 * option names complete, and a misspelt option is a marker.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import type { Page } from "playwright-core";
import { useWorkbench } from "./helpers/setup.ts";
import { repoRoot } from "./helpers/static-server.ts";
import { assetsContaining, codeCellId, entryScript, staticGraph, waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();

/** The parts of Monaco the page-side code below uses (reached through the `segbook` console handle). */
interface ModelLike {
  uri: { toString(): string };
  getValue(): string;
  setValue(text: string): void;
  getPositionAt(offset: number): unknown;
}
interface EditorLike {
  getModel(): ModelLike | null;
  focus(): void;
  setPosition(position: unknown): void;
  trigger(source: string, action: string, payload: unknown): void;
}
interface PageGlobals {
  segbook: {
    notebook: {
      editors: {
        monaco: {
          monaco: {
            editor: {
              getEditors(): EditorLike[];
              getModels(): ModelLike[];
              getModelMarkers(filter: { resource: unknown }): { message: string }[];
            };
          };
        };
      };
    };
  };
}

/**
 * Puts `text` in cell `id`'s editor with the cursor at `cursor` (a marker in the text, removed),
 * opens Monaco's suggestions there and returns their labels.
 */
async function suggestionsAt(page: Page, id: string, text: string): Promise<string[]> {
  await page.evaluate(
    ({ id, text }) => {
      const { monaco } = (globalThis as unknown as PageGlobals).segbook.notebook.editors.monaco;
      const editor = monaco.editor.getEditors().find((e) => e.getModel()?.uri.toString().includes(`cell-${id}.`))!;
      const model = editor.getModel()!;
      const offset = text.indexOf("|");
      model.setValue(text.replace("|", ""));
      editor.focus();
      editor.setPosition(model.getPositionAt(offset));
      editor.trigger("test", "editor.action.triggerSuggest", {});
    },
    { id, text },
  );
  await page.waitForSelector(".suggest-widget.visible .monaco-list-row", { timeout: 20_000 });
  return page.$$eval(".suggest-widget.visible .monaco-list-row .label-name", (rows) =>
    rows.map((r) => (r.textContent ?? "").trim()),
  );
}

async function closeSuggestions(page: Page): Promise<void> {
  await page.keyboard.press("Escape");
}

/** The messages of Monaco's markers (squiggles) on cell `id`. */
function markersOf(page: Page, id: string): Promise<string[]> {
  return page.evaluate((id) => {
    const { monaco } = (globalThis as unknown as PageGlobals).segbook.notebook.editors.monaco;
    const model = monaco.editor.getModels().find((m) => m.uri.toString().includes(`cell-${id}.`))!;
    return monaco.editor.getModelMarkers({ resource: model.uri }).map((m) => m.message);
  }, id);
}

test("the TS service knows table columns, SQL completes tables and columns, type errors are markers only", async () => {
  const w = await workbench.open();
  const { page } = w;
  await page.goto(workbench.url("__test-notebooks__/typed.md"));
  await waitForSettled(page);
  await page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor");
  const rowsId = await codeCellId(page, "const first");
  const sqlId = await codeCellId(page, "SELECT customer_id FROM segments");
  const mistypedId = await codeCellId(page, "const mistyped");
  const messyId = await codeCellId(page, "const   messy");

  // A type error: a marker in the editor, yet the cell ran and shows its value.
  await expect
    .poll(
      () =>
        page.evaluate((id) => {
          const { monaco } = (globalThis as unknown as PageGlobals).segbook.notebook.editors.monaco;
          const model = monaco.editor.getModels().find((m) => m.uri.toString().includes(`cell-${id}.`))!;
          return monaco.editor.getModelMarkers({ resource: model.uri }).map((m) => m.message);
        }, mistypedId),
      { timeout: 30_000 },
    )
    .toEqual([expect.stringMatching(/not assignable to type 'number'/)]);
  expect(await page.locator(`[data-cell-id="${mistypedId}"]`).getAttribute("data-cell-status")).toBe("ok");

  // `segments` is a TableHandle whose rows have the SQL result's columns (the schema is declared
  // once the data panel has listed the tables, so ask again until it has).
  await expect
    .poll(
      async () => {
        const labels = await suggestionsAt(page, rowsId, "const rows = await segments.rows();\nrows[0].|");
        await closeSuggestions(page);
        return labels;
      },
      { timeout: 30_000, interval: 500 },
    )
    .toEqual(expect.arrayContaining(["customer_id", "segment"]));

  // SQL: the table and its columns; after `segments.` only its columns.
  const sqlLabels = await suggestionsAt(page, sqlId, "SELECT | FROM segments");
  await closeSuggestions(page);
  expect(sqlLabels).toEqual(expect.arrayContaining(["segments", "customer_id", "segment"]));
  const qualified = await suggestionsAt(page, sqlId, "SELECT segments.| FROM segments");
  await closeSuggestions(page);
  expect(qualified.sort()).toEqual(["customer_id", "segment"]);

  // Format on demand: Shift+Alt+F in a TS cell.
  await page.evaluate((id) => {
    const { monaco } = (globalThis as unknown as PageGlobals).segbook.notebook.editors.monaco;
    monaco.editor
      .getEditors()
      .find((e) => e.getModel()?.uri.toString().includes(`cell-${id}.`))!
      .focus();
  }, messyId);
  await page.keyboard.press("Shift+Alt+F");
  await expect
    .poll(() =>
      page.evaluate((id) => {
        const { monaco } = (globalThis as unknown as PageGlobals).segbook.notebook.editors.monaco;
        return monaco.editor
          .getModels()
          .find((m) => m.uri.toString().includes(`cell-${id}.`))!
          .getValue();
      }, messyId),
    )
    .toBe("const messy = { a: 1, b: [1, 2] }");
  expect(w.pageErrors).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
});

test("seg is typed from the source: `km.` completes model, kmeans options complete, a misspelt option is a marker", async () => {
  // The generated declarations ship in Monaco's lazy chunk, never in the first-paint graph.
  const declarationFiles = assetsContaining("segbook/seg/namespace");
  expect(declarationFiles.length, "the generated declarations are in the build").toBeGreaterThan(0);
  expect(staticGraph(entryScript()).filter((f) => declarationFiles.includes(f))).toEqual([]);

  const w = await workbench.open();
  const { page } = w;
  await page.goto(workbench.url("__test-notebooks__/typed-seg.md"));
  await waitForSettled(page);
  await page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor");
  const fittedId = await codeCellId(page, "const fitted");
  const misspeltId = await codeCellId(page, "const misspelt");

  // `km` is another cell's output: a ClusterResult whose members include `model`.
  await expect
    .poll(
      async () => {
        const labels = await suggestionsAt(page, fittedId, "const fitted = km.|");
        await closeSuggestions(page);
        return labels;
      },
      { timeout: 30_000, interval: 500 },
    )
    .toEqual(expect.arrayContaining(["model"]));

  // Inside the options object: kmeans' option names, from KmeansOptions in the source; the list as
  // the user sees it, in both themes.
  const shots = path.join(repoRoot, "test-results", "screenshots");
  fs.mkdirSync(shots, { recursive: true });
  for (const theme of ["light", "dark"]) {
    if (theme === "dark") await page.locator("[data-theme-toggle]").click();
    const options = await suggestionsAt(page, fittedId, "const fitted = await seg.kmeans(shoppers, { | });");
    expect(options).toEqual(expect.arrayContaining(["features", "k", "id", "nInit"]));
    await page.screenshot({ path: path.join(shots, `typed-seg-options-${theme}.png`) });
    await closeSuggestions(page);
  }
  await page.locator("[data-theme-toggle]").click();

  // A misspelt option is a squiggle naming it (Monaco marker), with the right spelling suggested.
  await expect
    .poll(() => markersOf(page, misspeltId), { timeout: 30_000 })
    .toEqual([expect.stringMatching(/'featurs'.*Did you mean to write 'features'/)]);
  // A correct cell has none.
  await page.evaluate((id) => {
    const { monaco } = (globalThis as unknown as PageGlobals).segbook.notebook.editors.monaco;
    monaco.editor
      .getModels()
      .find((m) => m.uri.toString().includes(`cell-${id}.`))!
      .setValue("const fitted: number = km.model.k;");
  }, fittedId);
  await expect.poll(() => markersOf(page, fittedId), { timeout: 30_000 }).toEqual([]);
  expect(w.pageErrors).toEqual([]);
});
