/**
 * `segbook run --engine native` (native DuckDB through @duckdb/node-api) and `--threads` against the
 * default run (wasm, kernels on 2 threads), in-process (the CLI's `main` and `runNotebookFile`, which
 * it calls). Same notebook, same data: the same cell outputs, the same segments and the same exported
 * segment files. notebooks/segmentation.md runs once per configuration.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { root, segbookInProcess } from "./segbook-bin.ts";
import { parquetToArrow } from "../../src/engine/parquet-to-arrow.ts";
import type { TableHandle } from "../../src/engine/table-handle-types.ts";
import { runNotebookFile, type RunReport } from "../../src/cli/run-notebook.ts";

/**
 * What a run computed, without timings, cell by cell in run order. Cells are named by their label
 * (number, kind, line): ids are numbered per process, and these runs share one.
 */
function cellsOf(report: RunReport) {
  return report.cells.map(({ label, status, outputs, error }) => ({ label, status, outputs, error }));
}

describe("segbook run --engine native", () => {
  test("segbook run notebooks/segmentation.md: --engine native gives the default run's cell outputs, --threads 1 its segments", async () => {
    /** A wasm run's report (as --json prints it) and the rows of its `clustered` table. */
    const wasmRun = async (threads: number) => {
      const { report, session, close } = await runNotebookFile(path.join(root, "notebooks/segmentation.md"), {
        threads,
      });
      try {
        expect(report.ok, JSON.stringify(report.firstFailure)).toBe(true);
        const id = session.ids().find((i) => session.state(i)?.outputs.includes("clustered"))!;
        const rows = await (session.state(id)!.value as TableHandle).rows();
        return { report: JSON.parse(JSON.stringify(report)) as RunReport, rows };
      } finally {
        await close();
      }
    };
    const threaded = await wasmRun(2);
    const alone = await wasmRun(1);
    expect(threaded.rows.length).toBeGreaterThan(0);
    expect(alone.rows).toEqual(threaded.rows);

    const native = await segbookInProcess("run", "notebooks/segmentation.md", "--engine", "native", "--json");
    expect(native.stderr).toBe("");
    expect(native.code).toBe(0);
    const fromNative = JSON.parse(native.stdout) as RunReport;
    expect(fromNative.ok).toBe(true);
    expect(fromNative.cells.length).toBeGreaterThan(20);
    expect(cellsOf(fromNative)).toEqual(cellsOf(threaded.report));
  }, 300_000);

  test("segbook run export.md --engine native --out DIR writes the default engine's segment files", async () => {
    const [wasmDir, nativeDir] = [0, 1].map(() => mkdtempSync(path.join(tmpdir(), "segbook-native-export-")));
    // export.md reads the shipped demo data, outside its folder: allowed explicitly.
    const run = (...args: string[]) =>
      segbookInProcess("run", "test/cli/notebooks/export.md", "--allow-read", "notebooks/data", ...args);
    const runs = [await run("--out", wasmDir!), await run("--engine", "native", "--out", nativeDir!)];
    expect(runs.map((run) => run.code)).toEqual([0, 0]);
    const read = (dir: string, file: string) => readFileSync(path.join(dir, file));
    // CSV: byte for byte.
    expect(read(nativeDir!, "regions.csv").equals(read(wasmDir!, "regions.csv"))).toBe(true);
    // Parquet: the same table; the files differ only where the writer names the DuckDB version.
    const [fromWasm, fromNative] = [read(wasmDir!, "regions.parquet"), read(nativeDir!, "regions.parquet")];
    const asRows = async (bytes: Buffer) =>
      (await parquetToArrow(new Uint8Array(bytes))).toArray().map((row) => row.toJSON() as unknown);
    expect(await asRows(fromNative)).toEqual(await asRows(fromWasm));
    const unversioned = (bytes: Buffer) => bytes.toString("latin1").replace(/DuckDB v\d+\.\d+\.\d+/g, "DuckDB");
    expect(unversioned(fromNative)).toBe(unversioned(fromWasm));
    // Manifests: the same apart from the engine version, the time and the Parquet file's digest.
    const manifest = (dir: string, file: string) => {
      const { engineVersion, createdAt, sha256, ...rest } = JSON.parse(read(dir, file).toString()) as Record<
        string,
        unknown
      >;
      return {
        engineVersion: String(engineVersion).slice(0, 3),
        createdAt: typeof createdAt,
        sha256: typeof sha256,
        rest,
      };
    };
    for (const file of ["regions.csv.manifest.json", "regions.parquet.manifest.json"]) {
      expect(manifest(nativeDir!, file)).toEqual(manifest(wasmDir!, file));
    }
    for (const dir of [wasmDir!, nativeDir!]) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test("segbook run analyst-task.md on Online Retail writes the same segments.csv bytes with --engine native, run after run", async () => {
    // Native DuckDB sums a customer's amounts on several threads in varying order; seg.rfm's monetary
    // used to differ in the last bit between runs (4310.000000000001 against 4310.0).
    const dirs = [0, 1, 2].map(() => mkdtempSync(path.join(tmpdir(), "segbook-native-retail-")));
    const run = (dir: string, ...args: string[]) =>
      segbookInProcess(
        "run",
        "scripts/bench/analyst-task.md",
        "--data",
        "retail=../shared/datasets/online_retail/online_retail.csv",
        "--out",
        dir,
        ...args,
      );
    const runs = [
      await run(dirs[0]!),
      await run(dirs[1]!, "--engine", "native"),
      await run(dirs[2]!, "--engine", "native"),
    ];
    expect(runs.map((done) => [done.code, done.stderr])).toEqual(runs.map(() => [0, ""]));
    const [wasm, ...natives] = dirs.map((dir) => readFileSync(path.join(dir, "segments.csv")));
    expect(wasm!.toString().split("\n").length).toBeGreaterThan(4000);
    for (const native of natives) expect(native.equals(wasm!)).toBe(true);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  test("segbook run --engine <unknown> exits 2 naming the choices", async () => {
    const { code, stderr } = await segbookInProcess("run", "notebooks/welcome.md", "--engine", "gpu");
    expect(code).toBe(2);
    expect(stderr).toContain('segbook run: --engine expects wasm or native, got "gpu"');
  });

  test("segbook run --engine native checks a pinned sha256 of Parquet and CSV data DuckDB reads in place, as wasm does", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "segbook-native-pinned-"));
    try {
      for (const file of ["people.parquet", "people.csv"])
        copyFileSync(path.join(root, "test/fixtures", file), path.join(dir, file));
      const hash = (file: string) =>
        createHash("sha256")
          .update(readFileSync(path.join(dir, file)))
          .digest("hex");
      const notebook = (parquetSha: string) => {
        const file = path.join(dir, `pinned-${parquetSha.slice(0, 4)}.md`);
        writeFileSync(
          file,
          `---\ndata:\n  p: {path: people.parquet, sha256: ${parquetSha}}\n  c: {path: people.csv, sha256: ${hash("people.csv")}}\n---\n\n` +
            "```sql counts\nSELECT (SELECT count(*) FROM p) AS p, (SELECT count(*) FROM c) AS c\n```\n",
        );
        return file;
      };
      const reports = async (file: string) => {
        const runs = [
          await segbookInProcess("run", file, "--json"),
          await segbookInProcess("run", file, "--engine", "native", "--json"),
        ];
        return runs.map((run) => {
          const report = JSON.parse(run.stdout) as RunReport;
          return { code: run.code, ok: report.ok, issues: report.issues, cells: cellsOf(report), stderr: run.stderr };
        });
      };
      const [wasmGood, nativeGood] = await reports(notebook(hash("people.parquet")));
      expect(nativeGood!.ok).toBe(true);
      expect(nativeGood).toEqual(wasmGood);
      const wrong = "ab".repeat(32);
      const [wasmBad, nativeBad] = await reports(notebook(wrong));
      expect(nativeBad!.ok).toBe(false);
      expect(JSON.stringify(nativeBad)).toContain(
        `the file's sha256 is ${hash("people.parquet")} but the notebook expects ${wrong}`,
      );
      expect(nativeBad).toEqual(wasmBad);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
