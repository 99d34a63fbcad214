/**
 * `segbook run` on the real engine. The README's forms (no flags, a failing cell's exit code, `--data`
 * with `--out`) run the real bin script in a child process; every other option runs in-process
 * through the CLI's `main` (segbook-bin.ts), which is the code the bin script calls.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { root, segbook, segbookInProcess } from "./segbook-bin.ts";

/** test/cli/notebooks/export.md reads the shipped demo data, outside its folder: allowed explicitly. */
const READ_DEMO = ["--allow-read", "notebooks/data"];

describe("segbook run", () => {
  test("segbook run <failing notebook> exits 1 naming the cell, its file line and its error", () => {
    const { code, stdout } = segbook("run", "test/cli/notebooks/failing.md");
    expect(code).toBe(1);
    expect(stdout).toMatch(/^error {3}cell 4 \(ts, line 17\).*: missingName is not defined$/m);
    expect(stdout).toMatch(/^blocked cell 5 \(ts, line 22\): blocked by broken$/m);
    expect(stdout.trim().split("\n").at(-1)).toBe(
      "FAILED test/cli/notebooks/failing.md: cell 4 (ts, line 17) failed: missingName is not defined",
    );
  }, 60_000);

  test("segbook run --cell-timeout stops a cell whose loop never ends and runs the rest", async () => {
    const { code, stdout } = await segbookInProcess("run", "test/cli/notebooks/runaway.md", "--cell-timeout", "0.5");
    expect(code).toBe(1);
    expect(stdout).toMatch(/^error {3}cell 2 \(ts, line 10\).*: Stopped at line 2: the loop there ran for \d+\.\d s/m);
    expect(stdout).toMatch(/^ok {6}cell 3 \(ts, line 17\)/m);
    expect((await segbookInProcess("run", "test/cli/notebooks/runaway.md", "--cell-timeout", "soon")).stderr).toMatch(
      /--cell-timeout expects a number of seconds above 0/,
    );
  }, 60_000);

  test("segbook run --threads refuses anything but a whole number >= 1", async () => {
    for (const bad of ["0", "two", "1.5"]) {
      const { code, stderr } = await segbookInProcess("run", "test/cli/notebooks/failing.md", "--threads", bad);
      expect(code).toBe(2);
      expect(stderr).toContain(
        `--threads expects a whole number of threads, 1 or more (e.g. --threads 4), got "${bad}"`,
      );
    }
  }, 60_000);

  test("segbook run --json prints a machine-readable report", async () => {
    const { code, stdout } = await segbookInProcess("run", "test/cli/notebooks/failing.md", "--json");
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(false);
    expect(report.firstFailure).toMatchObject({
      label: "cell 4 (ts, line 17)",
      status: "error",
      error: { message: "missingName is not defined" },
    });
    expect(report.cells.map((c: { status: string }) => c.status)).toEqual(["ok", "ok", "ok", "error", "blocked"]);
  }, 60_000);

  test("segbook run --data NAME=PATH supplies a table and --out writes the report", () => {
    const out = mkdtempSync(path.join(tmpdir(), "segbook-out-"));
    const { code, stdout } = segbook(
      "run",
      "test/cli/notebooks/override.md",
      "--data",
      "mall=../shared/datasets/mall_customers/Mall_Customers.csv",
      "--out",
      out,
    );
    expect(code, stdout).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8"));
    expect(report.cells.map((c: { label: string }) => c.label)).toEqual([
      'data "mall"',
      'cell 1 (sql "counted", line 6)',
      "cell 2 (ts, line 10)",
    ]);
    const html = readFileSync(path.join(out, "report.html"), "utf8");
    expect(html).toContain("<caption>counted · 1 row × 1 column</caption>");
    expect(html).toContain('<td class="num">200</td>');
  }, 60_000);

  test("segbook run --out DIR receives seg.export files with their manifests", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "segbook-export-"));
    const { code, stdout } = await segbookInProcess("run", "test/cli/notebooks/export.md", "--out", out, ...READ_DEMO);
    expect(code, stdout).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual([
      "regions.csv",
      "regions.csv.manifest.json",
      "regions.parquet",
      "regions.parquet.manifest.json",
      "report.html",
      "report.json",
    ]);
    const manifest = JSON.parse(readFileSync(path.join(out, "regions.csv.manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ rows: 400, seed: 7, parameters: { rule: "region" } });
    expect(readFileSync(path.join(out, "regions.csv"), "utf8").split("\n")[0]).toBe("customer_id,segment");
    // Each export is listed under the cell that made it.
    expect(stdout).toMatch(
      /^ok {6}cell 2 \(ts, line 13\).*\n {8}export: regions\.csv \(400 rows, \d+ KB\) written to .*regions\.csv with its manifest$/m,
    );
  }, 60_000);

  test("segbook run without --out prepares each export, says it was not written and how to write it, and exits 0", async () => {
    const { code, stdout } = await segbookInProcess("run", "test/cli/notebooks/export.md", ...READ_DEMO);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain(
      [
        "        export: regions.csv (400 rows, 4 KB) prepared, not written; add --out DIR to write it and its manifest",
        "        export: regions.parquet (400 rows, 2 KB) prepared, not written; add --out DIR to write it and its manifest",
      ].join("\n"),
    );
    expect(readdirSync(path.join(root, "test/cli/notebooks")).filter((f) => /regions/.test(f))).toEqual([]);
  }, 60_000);

  test.each([[["run", "--help"]], [["run", "x.md", "-h"]], [["--help"]]])(
    "segbook %j prints the usage and exits 0",
    async (args) => {
      const { code, stdout } = await segbookInProcess(...args);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^usage: segbook run <notebook\.md> /);
    },
  );

  test.each([
    [["frobnicate"], /unknown command "frobnicate"/],
    [["run"], /expected exactly one notebook file/],
    [["run", "x.md", "--data", "bad"], /--data expects NAME=PATH/],
    [["run", "does-not-exist.md"], /cannot run does-not-exist.md: .*no such file/],
  ])("segbook %j exits 2 with a usage message", async (args, message) => {
    const { code, stderr } = await segbookInProcess(...(args as string[]));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
