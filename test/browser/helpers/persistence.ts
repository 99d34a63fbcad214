/**
 * Driving the File menu, downloads, file pickers and cell editors in the persistence tests.
 */
import fs from "node:fs";
import path from "node:path";
import { parse, serialize } from "../../../src/notebook/index.ts";
import { repoRoot } from "./static-server.ts";
import type { BrowserContext, Download, Page } from "playwright-core";
import { codeCellId } from "./workbench.ts";

/** Opens the File menu and clicks the item with `data-action=action`. */
export async function fileAction(page: Page, action: string): Promise<void> {
  await page.click("[data-file-menu] [data-action=file-menu]");
  await page.click(`[data-file-menu] [data-action=${action}]`);
}

/** The file `action` downloads: its suggested name and its text. */
export async function downloaded(page: Page, action: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent("download"), action()]);
  return { name: download.suggestedFilename(), text: fs.readFileSync((await download.path())!, "utf8") };
}

/** Types `text` over the whole source of the code cell containing `wanted` (Monaco); returns its id. */
export async function typeInCell(page: Page, wanted: string, text: string): Promise<string> {
  await page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor");
  const id = await codeCellId(page, wanted);
  await page.locator(`[data-cell-id="${id}"] .monaco-editor .view-lines`).click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(text);
  return id;
}

/** Types `text` over the whole source of the code cell containing `wanted`, then Shift+Enter (runs it). */
export async function editCell(page: Page, wanted: string, text: string): Promise<void> {
  await typeInCell(page, wanted, text);
  await page.keyboard.press("Shift+Enter");
}

/** The text in cell `id`'s editor (Monaco's lines, or the textarea before Monaco). */
export async function editorText(page: Page, id: string): Promise<string> {
  return page.locator(`[data-cell-id="${id}"]`).evaluate((cell) => {
    const textarea = cell.querySelector("textarea.fallback") as HTMLTextAreaElement | null;
    if (textarea) return textarea.value;
    const lines = [...cell.querySelectorAll(".view-lines .view-line")] as HTMLElement[];
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return lines.map((line) => (line.textContent ?? "").replace(/\u00a0/g, " ")).join("\n");
  });
}

/** Answers the File System Access pickers with one real file in the origin-private file system. */
export async function fakePickers(context: BrowserContext, fileName: string): Promise<void> {
  await context.addInitScript((name) => {
    const handle = async () => (await navigator.storage.getDirectory()).getFileHandle(name, { create: true });
    Object.assign(window, {
      showSaveFilePicker: handle,
      showOpenFilePicker: async () => [await handle()],
    });
  }, fileName);
}

/** The text of file `name` in the page's origin-private file system. */
export async function readPrivateFile(page: Page, name: string): Promise<string> {
  return page.evaluate(
    async (n) => (await (await (await navigator.storage.getDirectory()).getFileHandle(n)).getFile()).text(),
    name,
  );
}

/** The test notebook most persistence tests edit (served beside the site). */
export const EDIT_MD = "__test-notebooks__/edit.md";
export const editSource = fs.readFileSync(path.join(repoRoot, "test/browser/notebooks/edit.md"), "utf8");

/** edit.md as it must be saved after its first code cell becomes `source`, computed with serialize. */
export function editedText(source: string): string {
  const { notebook } = parse(editSource);
  const first = notebook.cells.findIndex((c) => c.kind === "ts");
  notebook.cells[first] = { ...notebook.cells[first]!, source };
  return serialize(notebook);
}
