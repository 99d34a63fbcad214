/**
 * The runner never lies: a cell that awaits a promise nothing can settle fails the run (a real process,
 * for its exit code: Node would otherwise end it with 0 and no output), the whole-run `--timeout`
 * fails the run naming the cells still running, a notebook saved with a UTF-8 BOM keeps its front
 * matter (privacy masking in report.html), front matter nested too deeply is a clear error with the
 * process alive, and prototype keys in `data` are reported, not dropped.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { RunReport } from "../../src/cli/run-notebook.ts";
import { root, segbookAsync, segbookInProcess } from "./segbook-bin.ts";

/** A folder with `text` as notebook.md (and the customers CSV beside it); returns the notebook's path. */
function notebookFile(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "segbook-honest-"));
  copyFileSync(path.join(root, "notebooks/data/customers.csv"), path.join(dir, "customers.csv"));
  const file = path.join(dir, "notebook.md");
  writeFileSync(file, text);
  return file;
}

describe("segbook run never lies", () => {
  test("segbook run <cell awaiting a promise that never settles> exits 1 naming the cell (a real process)", async () => {
    const { code, stdout } = await segbookAsync("run", "test/cli/notebooks/unsettled.md");
    expect(code, stdout).toBe(1);
    expect(stdout).toMatch(/^ok {6}cell 1 \(ts, line 6\)/m);
    expect(stdout).toMatch(
      /^error {3}cell 2 \(ts, line 10\): never settled: it awaits a promise that nothing is left to resolve/m,
    );
    expect(stdout).toMatch(/^error {3}cell 3 \(ts, line 14\): did not run: it waits on cell 2 \(ts, line 10\)$/m);
    expect(stdout.trim().split("\n").at(-1)).toBe(
      "FAILED test/cli/notebooks/unsettled.md: cells never settled (they await a promise nothing is left to resolve): cell 2 (ts, line 10), cell 3 (ts, line 14)",
    );
  }, 120_000);

  test("segbook run --timeout 2 fails the run naming the cells still running, and the process ends (a real process)", async () => {
    const started = Date.now();
    const { code, stdout } = await segbookAsync("run", "test/cli/notebooks/slow.md", "--timeout", "2");
    expect(code, stdout).toBe(1);
    // The cell's own timer (a minute) does not keep the process alive once the run is reported.
    expect(Date.now() - started).toBeLessThan(55_000);
    expect(stdout).toMatch(
      /^error {3}cell 2 \(ts, line 10\): still running when the run's --timeout of 2 s ran out; raise --timeout if it needs longer$/m,
    );
    expect(stdout.trim().split("\n").at(-1)).toBe(
      "FAILED test/cli/notebooks/slow.md: the run timed out (--timeout) with cells still running: cell 2 (ts, line 10), cell 3 (ts, line 15)",
    );
  }, 120_000);

  test("segbook run --timeout refuses anything but seconds above 0", async () => {
    for (const bad of ["0", "soon", "Infinity"]) {
      const { code, stderr } = await segbookInProcess("run", "test/cli/notebooks/unsettled.md", "--timeout", bad);
      expect(code).toBe(2);
      expect(stderr).toContain(`--timeout expects a number of seconds above 0 (e.g. --timeout 600), got "${bad}"`);
    }
  });

  test("segbook run --json on a timed-out run reports the unsettled cells", async () => {
    const { code, stdout } = await segbookInProcess("run", "test/cli/notebooks/slow.md", "--timeout", "1", "--json");
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as RunReport;
    expect(report.ok).toBe(false);
    expect(report.unsettled).toEqual({ reason: "timeout", cells: ["cell 2 (ts, line 10)", "cell 3 (ts, line 15)"] });
  }, 60_000);

  test("segbook run <notebook saved with a UTF-8 BOM> keeps its front matter: seed, data and privacy masking", async () => {
    const file = notebookFile(
      "\uFEFF---\ntitle: With a BOM\nseed: 11\ndata:\n  customers: customers.csv\nprivacy:\n  personal: [email]\n---\n\n" +
        "```sql people\nSELECT customer_id, 'user' || customer_id || '@example.com' AS email FROM customers ORDER BY 1 LIMIT 3\n```\n",
    );
    const out = mkdtempSync(path.join(tmpdir(), "segbook-bom-out-"));
    const { code, stdout } = await segbookInProcess("run", file, "--out", out, "--threads", "1");
    expect(code, stdout).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as RunReport;
    expect(report.title).toBe("With a BOM");
    expect(report.seed).toBe(11);
    const html = readFileSync(path.join(out, "report.html"), "utf8");
    expect(html).toContain("<td>u***@example.com</td>");
    expect(html).not.toMatch(/user\d+@example\.com/);
  }, 60_000);

  test("segbook run <front matter nested 20,000 levels deep> reports a clear error and the process lives on", async () => {
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    const file = notebookFile(`---\ntitle: Deep\nextra: ${deep}\n---\n\n\`\`\`ts\n1 + 1\n\`\`\`\n`);
    const { code, stdout } = await segbookInProcess("run", file, "--threads", "1");
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^error .*notebook\.md:1: front matter: nests 20001 levels deep, more than the 32 front matter may have; it is kept as written but ignored \(no data, seed or privacy\) until fixed$/m,
    );
    expect(stdout.trim().split("\n").at(-1)).toBe(`FAILED ${file}: the notebook has format errors; see above`);
    expect(process.exitCode ?? 0).toBe(0);
  }, 60_000);

  test("segbook run <data with __proto__, constructor and prototype keys> reports each as an error", async () => {
    const file = notebookFile(
      "---\ndata:\n  __proto__: customers.csv\n  constructor: customers.csv\n  prototype: customers.csv\n  customers: customers.csv\n---\n\n```sql\nSELECT count(*) AS n FROM customers\n```\n",
    );
    const { code, stdout } = await segbookInProcess("run", file, "--threads", "1", "--json");
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as RunReport;
    const messages = report.issues.map((i) => `${i.line} ${i.message}`);
    expect(messages).toEqual([
      '3 front matter: data table name "__proto__" is reserved (every JavaScript object has it); the table is left out until renamed, e.g. "proto_data"',
      '4 front matter: data table name "constructor" is reserved (every JavaScript object has it); the table is left out until renamed, e.g. "constructor_data"',
      '5 front matter: data table name "prototype" is reserved (every JavaScript object has it); the table is left out until renamed, e.g. "prototype_data"',
    ]);
    // The other source still loads and its cell runs.
    expect(report.cells.find((c) => c.label === 'data "customers"')?.status).toBe("ok");
  }, 60_000);
});
