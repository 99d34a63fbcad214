/**
 * `segbook run --engine native` (native DuckDB through @duckdb/node-api) against the default wasm
 * engine, in-process through the CLI's `main` (segbook-bin.ts). Same notebook, same data: the same
 * cell outputs and the same exported segment files.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { segbookInProcess } from "./segbook-bin.ts";
import { parquetToArrow } from "../../src/engine/parquet-to-arrow.ts";
import type { RunReport } from "../../src/cli/run-notebook.ts";

/** What a run computed, without timings. */
function cellsOf(report: RunReport) {
  return report.cells.map(({ id, label, status, outputs, error }) => ({ id, label, status, outputs, error }));
}

describe("segbook run --engine native", () => {
  test("segbook run notebooks/segmentation.md --engine native --json gives the default engine's cell outputs", async () => {
    const wasm = await segbookInProcess("run", "notebooks/segmentation.md", "--json");
    const native = await segbookInProcess("run", "notebooks/segmentation.md", "--engine", "native", "--json");
    expect(native.stderr).toBe("");
    expect([wasm.code, native.code]).toEqual([0, 0]);
    const [fromWasm, fromNative] = [JSON.parse(wasm.stdout) as RunReport, JSON.parse(native.stdout) as RunReport];
    expect(fromNative.ok).toBe(true);
    expect(fromNative.cells.length).toBeGreaterThan(20);
    expect(cellsOf(fromNative)).toEqual(cellsOf(fromWasm));
  }, 180_000);

  test("segbook run export.md --engine native --out DIR writes the default engine's segment files", async () => {
    const [wasmDir, nativeDir] = [0, 1].map(() => mkdtempSync(path.join(tmpdir(), "segbook-native-export-")));
    const runs = [
      await segbookInProcess("run", "test/cli/notebooks/export.md", "--out", wasmDir!),
      await segbookInProcess("run", "test/cli/notebooks/export.md", "--engine", "native", "--out", nativeDir!),
    ];
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

  test("segbook run --engine <unknown> exits 2 naming the choices", async () => {
    const { code, stderr } = await segbookInProcess("run", "notebooks/welcome.md", "--engine", "gpu");
    expect(code).toBe(2);
    expect(stderr).toContain('segbook run: --engine expects wasm or native, got "gpu"');
  });
});
