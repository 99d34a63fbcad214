/**
 * `segbook run --out` writes a report a stakeholder can read: formatted numbers in Markdown and tables,
 * an array of objects as a table, and seg.scorecard as its table of marks with flag sentences.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { segbookInProcess } from "./segbook-bin.ts";

test("segbook run --out report.html shows formatted values, objects as a table and the scorecard's marks", async () => {
  const out = mkdtempSync(path.join(tmpdir(), "segbook-readable-"));
  const { code, stdout } = await segbookInProcess("run", "test/cli/notebooks/readable.md", "--out", out);
  expect(code, stdout).toBe(0);
  const html = readFileSync(path.join(out, "report.html"), "utf8");
  expect(html).toContain("Revenue: 7,308,392.");
  expect(html).toContain("<caption>orders · 90 rows × 3 columns, first 50 shown</caption>");
  expect(html).toContain('<td class="num" title="0.363992174">0.363992</td>');
  expect(html).toContain("<caption>1 row × 3 columns</caption>");
  expect(html).toContain('<td class="num">1,200</td>');
  expect(html).toContain('class="scorecard-table"');
  // Segment 0 has a note (✓); segments 1 and 2 have none (✗, and a sentence each).
  const marks = [...html.matchAll(/<td[^>]*data-test="actionable"[^>]*>(.)<\/td>/g)].map((m) => m[1]);
  expect(marks).toEqual(["✓", "✗", "✗"]);
  expect(html).toContain("Segment 1 has no action planned: add one to the scorecard's notes.");
  expect(html).not.toContain("__segbook_");
}, 120_000);
