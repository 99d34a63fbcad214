/**
 * A notebook whose data file is not on the server: the data source row says the file is missing and
 * offers to choose it from disk. A file with the notebook's sha256 loads silently; one with other
 * content loads with the visible warning "data changed since this notebook was written". A load's
 * notes (what was assumed about a messy file) show under the row.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "./helpers/static-server.ts";
import { useWorkbench } from "./helpers/setup.ts";
import { waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();
/** The file the notebook's front matter sha256 is of. */
const ORDERS = fs.readFileSync(path.join(repoRoot, "test/fixtures/bad-data/float-ids.csv"));
const ROW = '[data-source-name="orders"]';

async function openMissing() {
  const w = await workbench.open();
  await w.page.goto(workbench.url("__test-notebooks__/data-missing.md"));
  await w.page.waitForSelector(`${ROW}[data-source-status="error"]`, { timeout: 60_000 });
  return w;
}

describe("missing data files", () => {
  test("DataSources shows a missing file and loads the chosen one when its sha256 matches", async () => {
    const { page } = await openMissing();
    await expect(page.locator(`${ROW} .missing`).textContent()).resolves.toBe(
      "missing: orders.csv is not on the server",
    );
    await page
      .getByLabel("Choose orders.csv from disk")
      .setInputFiles({ name: "orders.csv", mimeType: "text/csv", buffer: ORDERS });
    await page.waitForSelector(`${ROW}[data-source-status="ok"]`, { timeout: 60_000 });
    await waitForSettled(page);
    const notes = await page.locator(`${ROW} .note`).allTextContents();
    expect(notes).toEqual([expect.stringMatching(/column customer_id: read 12583\.0 as DOUBLE/)]);
    expect(await page.locator(`${ROW} .note.warning`).count()).toBe(0);
    await expect(page.locator(`${ROW} .status`).textContent()).resolves.toMatch(/3 rows × 2 columns/);
  });

  test("DataSources loads a chosen file with other content and warns that the data changed", async () => {
    const { page } = await openMissing();
    const changed = Buffer.concat([ORDERS, Buffer.from("99999.0,1\n")]);
    await page
      .getByLabel("Choose orders.csv from disk")
      .setInputFiles({ name: "orders.csv", mimeType: "text/csv", buffer: changed });
    await page.waitForSelector(`${ROW}[data-source-status="ok"]`, { timeout: 60_000 });
    await waitForSettled(page);
    await expect(page.locator(`${ROW} .note.warning`).textContent()).resolves.toMatch(
      /^data changed since this notebook was written/,
    );
    await expect(page.locator(`${ROW} .status`).textContent()).resolves.toMatch(/4 rows × 2 columns/);
  });
});
