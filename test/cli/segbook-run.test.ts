/**
 * `segbook run` as users run it: the real bin script in a child process, on the real engine.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { root, segbook } from "./segbook-bin.ts";

const shipped = readdirSync(path.join(root, "notebooks")).filter((f) => f.endsWith(".md"));

describe("segbook run", () => {
  test("shipped notebooks exist", () => {
    expect(shipped).toContain("welcome.md");
  });

  test.each(shipped)(
    "segbook run notebooks/%s --out DIR exits 0 with every cell ok",
    (file) => {
      // --out: a notebook may end with seg.export, which needs a folder to write to in a headless run.
      const out = mkdtempSync(path.join(tmpdir(), "segbook-shipped-"));
      const { code, stdout, stderr } = segbook("run", `notebooks/${file}`, "--out", out);
      expect(stderr).toBe("");
      expect(code, stdout).toBe(0);
      const lines = stdout.trim().split("\n");
      expect(lines.at(-1)).toMatch(new RegExp(`^ok notebooks/${file}: \\d+ cells`));
      // A data source's load notes follow its line, indented (see LoadResult.notes).
      for (const line of lines.slice(0, -1)) expect(line).toMatch(/^(ok {6}(cell \d+|data ")| {8}note: )/);
    },
    // online-retail.md loads and models the real 541,909-line Online Retail file.
    120_000,
  );

  test("segbook run <failing notebook> exits 1 naming the cell, its file line and its error", () => {
    const { code, stdout } = segbook("run", "test/cli/notebooks/failing.md");
    expect(code).toBe(1);
    expect(stdout).toMatch(/^error {3}cell 4 \(ts, line 17\).*: missingName is not defined$/m);
    expect(stdout).toMatch(/^blocked cell 5 \(ts, line 22\): blocked by broken$/m);
    expect(stdout.trim().split("\n").at(-1)).toBe(
      "FAILED test/cli/notebooks/failing.md: cell 4 (ts, line 17) failed: missingName is not defined",
    );
  }, 60_000);

  test("segbook run --cell-timeout stops a cell whose loop never ends and runs the rest", () => {
    const { code, stdout } = segbook("run", "test/cli/notebooks/runaway.md", "--cell-timeout", "0.5");
    expect(code).toBe(1);
    expect(stdout).toMatch(/^error {3}cell 2 \(ts, line 10\).*: Stopped at line 2: the loop there ran for \d+\.\d s/m);
    expect(stdout).toMatch(/^ok {6}cell 3 \(ts, line 17\)/m);
    expect(segbook("run", "test/cli/notebooks/runaway.md", "--cell-timeout", "soon").stderr).toMatch(
      /--cell-timeout expects a number of seconds above 0/,
    );
  }, 60_000);

  test("segbook run --threads refuses anything but a whole number >= 1", () => {
    for (const bad of ["0", "two", "1.5"]) {
      const { code, stderr } = segbook("run", "test/cli/notebooks/failing.md", "--threads", bad);
      expect(code).toBe(2);
      expect(stderr).toContain(
        `--threads expects a whole number of threads, 1 or more (e.g. --threads 4), got "${bad}"`,
      );
    }
  }, 60_000);

  test("segbook run --json prints a machine-readable report", () => {
    const { code, stdout } = segbook("run", "test/cli/notebooks/failing.md", "--json");
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
    expect(html).toContain('<caption><span class="table-name">counted</span> · 1 row</caption>');
    expect(html).toContain('<td class="num">200</td>');
  }, 60_000);

  test("segbook run --out DIR receives seg.export files with their manifests", () => {
    const out = mkdtempSync(path.join(tmpdir(), "segbook-export-"));
    const { code, stdout } = segbook("run", "test/cli/notebooks/export.md", "--out", out);
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
  }, 60_000);

  test("segbook run without --out fails a seg.export and says how to fix it", () => {
    const { code, stdout } = segbook("run", "test/cli/notebooks/export.md");
    expect(code).toBe(1);
    expect(stdout).toMatch(/run segbook with --out DIR to choose where exports go/);
  }, 60_000);

  test.each([
    [["frobnicate"], /unknown command "frobnicate"/],
    [["run"], /expected exactly one notebook file/],
    [["run", "x.md", "--data", "bad"], /--data expects NAME=PATH/],
    [["run", "does-not-exist.md"], /cannot run does-not-exist.md: .*no such file/],
  ])("segbook %j exits 2 with a usage message", (args, message) => {
    const { code, stderr } = segbook(...(args as string[]));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
