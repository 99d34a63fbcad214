/**
 * Reliability on the built site: a runaway cell (`while (true) {}` holds the page, the browser asks
 * whether to stop it, and after "stop" the notebook, its loaded data and the editor keep working), and
 * running out of memory (the cell says what to do; the next cells still run).
 */
import { expect, test } from "vitest";
import { useWorkbench } from "./helpers/setup.ts";
import { cellSnapshots, codeCellId, waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();

test("a while (true) cell is stopped from the confirm dialog and the notebook keeps working", async () => {
  const w = await workbench.open();
  const dialogs: string[] = [];
  w.page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
  await w.page.goto(workbench.url("__test-notebooks__/runaway.md"));
  await waitForSettled(w.page);

  expect(dialogs).toHaveLength(1);
  expect(dialogs[0]).toMatch(/^Cell 2 has been running for \d+ s without pausing \(a loop at its line 2\)/);
  const loopId = await codeCellId(w.page, "while (true)");
  const readerId = await codeCellId(w.page, "spun + 1");
  const countId = await codeCellId(w.page, "const count");
  const byId = new Map((await cellSnapshots(w.page)).map((c) => [c.id, c]));
  expect(byId.get(loopId)?.status).toBe("error");
  expect(byId.get(readerId)?.status).toBe("blocked");
  expect(byId.get(countId)?.status).toBe("ok");
  const loopCell = w.page.locator(`[data-cell-id="${loopId}"]`);
  expect(await loopCell.textContent()).toContain("Stopped at line 2: the loop there ran for");

  // The data is still there and the page still answers.
  const rows = await w.page.evaluate(async () => {
    const g = globalThis as unknown as { segbook: { engine: { query(sql: string): Promise<{ numRows: number }> } } };
    return (await g.segbook.engine.query("SELECT * FROM people")).numRows;
  });
  expect(rows).toBe(2);

  // Fixing the cell runs it and its reader.
  await w.page.waitForSelector("main[data-editor-phase=monaco] .monaco-editor");
  await loopCell.locator(".monaco-editor .view-lines").click();
  await w.page.keyboard.press("ControlOrMeta+A");
  await w.page.keyboard.type("const spun = 41;");
  await w.page.keyboard.press("Shift+Enter");
  await expect
    .poll(async () => (await cellSnapshots(w.page)).find((c) => c.id === readerId)?.status, { timeout: 30_000 })
    .toBe("ok");
  expect(await w.page.locator(`[data-cell-id="${readerId}"] .outputs`).textContent()).toContain("42");
  expect(w.pageErrors).toEqual([]);
  expect(w.blockedRequests).toEqual([]);
});

test("running out of DuckDB memory shows what to do in the cell and the next cell still runs", async () => {
  const w = await workbench.open();
  await w.page.goto(workbench.url("__test-notebooks__/oom.md"));
  await waitForSettled(w.page);
  const bigId = await w.page.$eval("[data-cell-kind=sql]", (e) => e.getAttribute("data-cell-id") ?? "");
  const nextId = await codeCellId(w.page, "40 + 2");
  const byId = new Map((await cellSnapshots(w.page)).map((c) => [c.id, c]));
  expect(byId.get(bigId)?.status).toBe("error");
  expect(byId.get(nextId)?.status).toBe("ok");
  const text = (await w.page.locator(`[data-cell-id="${bigId}"]`).textContent()) ?? "";
  expect(text).toContain("Out of memory: DuckDB could not allocate more in this tab");
  expect(text).toContain("USING SAMPLE 10%");
  const answer = await w.page.evaluate(async () => {
    const g = globalThis as unknown as { segbook: { engine: { query(sql: string): Promise<{ numRows: number }> } } };
    return (await g.segbook.engine.query("SELECT 1 AS one")).numRows;
  });
  expect(answer).toBe(1);
  expect(w.pageErrors).toEqual([]);
});
