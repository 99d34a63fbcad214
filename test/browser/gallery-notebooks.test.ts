/**
 * Every shipped notebook in notebooks/ on the built site, opened with `?notebook=notebooks/<file>`:
 * each must settle with every cell and data source `ok`, no page errors and no request off the page's
 * origin. This is the browser half of test/cli's run-all-notebooks test. Notebooks whose front matter
 * `requires` data the site does not ship (e.g. the real Online Retail file) are left out.
 */
import { expect, test } from "vitest";
import { useWorkbench } from "./helpers/setup.ts";
import { cellSnapshots, expectDataSourcesOk, galleryNotebooks, waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();

const notebooks = galleryNotebooks();

test("notebooks/ holds the gallery notebooks", () => {
  expect(notebooks).toEqual(expect.arrayContaining(["welcome.md", "rfm.md", "behavioral.md", "psychographic.md"]));
});

test.each(notebooks)(
  "?notebook=notebooks/%s settles with every cell and data source ok",
  async (file) => {
    const w = await workbench.open();
    try {
      await w.page.goto(workbench.url(`notebooks/${file}`));
      await waitForSettled(w.page, 150_000);
      const cells = await cellSnapshots(w.page);
      expect(cells.length).toBeGreaterThan(3);
      const failed = cells.filter((c) => c.status !== "ok");
      const details = await Promise.all(
        failed.map(async (c) => ({
          ...c,
          text: ((await w.page.locator(`[data-cell-id="${c.id}"] .outputs`).textContent()) ?? "").slice(0, 300),
        })),
      );
      expect(details).toEqual([]);
      await expectDataSourcesOk(w.page);
      expect(w.pageErrors, "uncaught page errors").toEqual([]);
      expect(w.blockedRequests, "requests to anywhere but 127.0.0.1").toEqual([]);
    } finally {
      await w.close();
    }
  },
  180_000,
);
