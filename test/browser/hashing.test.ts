/**
 * Hashing a big file on the built site in headless Chromium: a 70 MB CSV added with the file picker
 * streams through hash-wasm's incremental SHA-256 (WebAssembly, allowed by the page's CSP) in the
 * app's hashing worker across many slices, and the front matter records exactly node:crypto's digest, with no network request
 * made for the hashing.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { useWorkbench } from "./helpers/setup.ts";
import { waitForSettled } from "./helpers/workbench.ts";
import { expectCleanRun, type WatchedPage } from "./helpers/browser.ts";

const workbench = useWorkbench();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "segbook-hashing-"));
const BIG = path.join(dir, "big_customers.csv");

/** A ~70 MB CSV (more than 32 MB, so it streams in 8 MB slices), different bytes on every line. */
function writeBigCsv(file: string): string {
  const lines = ["customer_id,spend"];
  for (let i = 0; lines.length * 16 < 70 * 1024 * 1024; i++) lines.push(`${i},${(i * 7919) % 1_000_003}`);
  const bytes = Buffer.from(lines.join("\n") + "\n");
  fs.writeFileSync(file, bytes);
  expect(bytes.length).toBeGreaterThan(60 * 1024 * 1024);
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

describe("hashing", () => {
  let w: WatchedPage;
  let expected: string;
  beforeAll(async () => {
    expected = writeBigCsv(BIG);
    w = await workbench.open();
    await w.page.goto(workbench.url("__test-notebooks__/people.md"));
    await waitForSettled(w.page);
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("a 70 MB CSV added with the file picker is recorded with node:crypto's sha256, hashed without a network request", async () => {
    const requests: string[] = [];
    w.page.on("request", (r) => requests.push(r.url()));
    const workers: string[] = [];
    w.page.on("worker", (worker) => workers.push(worker.url()));
    await w.page.setInputFiles("input.data-file-input", BIG);
    await w.page.waitForFunction(
      () =>
        "big_customers" in
        (globalThis as unknown as { segbook: { notebook: { notebook: { frontMatter: { data: object } } } } }).segbook
          .notebook.notebook.frontMatter.data,
      undefined,
      { timeout: 120_000 },
    );
    const entry = await w.page.evaluate(
      () =>
        (
          globalThis as unknown as {
            segbook: { notebook: { notebook: { frontMatter: { data: Record<string, unknown> } } } };
          }
        ).segbook.notebook.notebook.frontMatter.data["big_customers"],
    );
    expect(entry).toEqual({ path: "big_customers.csv", sha256: expected });
    // Hashed in the app's hashing worker (src/ui/data/hash-worker.ts), not on the page's thread.
    expect(
      workers.filter((url) => /hash-worker/.test(url)),
      "hashing workers",
    ).toHaveLength(1);
    // The editor's lazy chunks may load meanwhile; the hash's WebAssembly is embedded, never fetched.
    expect(
      requests.filter((url) => /\.wasm(\?|$)/.test(url) || !url.startsWith(workbench.url(""))),
      "requests while hashing",
    ).toEqual([]);
    await w.page.waitForSelector('[data-loaded-file="big_customers"][data-load-status="ok"]', { timeout: 120_000 });
    await waitForSettled(w.page);
    expectCleanRun(w);
  }, 240_000);
});
