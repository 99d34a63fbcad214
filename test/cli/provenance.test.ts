/**
 * `segbook run --out` writes export manifests whose provenance fills itself in: a notebook pinning
 * its data file's sha256 exports a table derived from it (through SQL and k-means) with no `inputs`
 * passed, and the manifest written beside the file names the notebook, the cell, the seed, that file
 * with its path and sha256 (and not a source the table does not depend on), the k-means fitted
 * upstream with its parameters, and the app and engine versions; report.json lists the same sources.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test, vi } from "vitest";
import { main } from "../../src/cli/main.ts";
import type { RunReport } from "../../src/cli/run-notebook.ts";
import type { ExportManifest } from "../../src/seg/export.ts";
import { root } from "./segbook-bin.ts";

const NOTEBOOK = "test/cli/notebooks/provenance.md";
const PEOPLE = "test/fixtures/provenance/people.csv";

describe("segbook run --out: export manifests with provenance", () => {
  test("seg.export(derived, {file}) with no inputs: the manifest segbook run --out writes has the pinned file's path and sha256, the notebook, cell, seed, model and versions", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "segbook-provenance-"));
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    let code: number;
    try {
      code = await main(["run", NOTEBOOK, "--out", out, "--threads", "1", "--allow-read", "test/fixtures"]);
    } finally {
      log.mockRestore();
    }
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as RunReport;
    expect(code, JSON.stringify(report.firstFailure)).toBe(0);

    const sha256 = createHash("sha256")
      .update(readFileSync(path.join(root, PEOPLE)))
      .digest("hex");
    // The front matter pins that very hash (the load checked it).
    expect(readFileSync(path.join(root, NOTEBOOK), "utf8")).toContain(`sha256: ${sha256}`);
    const manifest = JSON.parse(readFileSync(path.join(out, "derived.csv.manifest.json"), "utf8")) as ExportManifest;
    expect(manifest.notebook).toEqual({ title: "Provenance of an export", location: NOTEBOOK });
    expect(manifest.cell).toEqual({ position: 5, name: null });
    expect(manifest.seed).toBe(11);
    // The path as the front matter gives it; `regions` is loaded but the export does not read it.
    expect(manifest.sources).toEqual([
      { name: "people", path: "../../fixtures/provenance/people.csv", sha256, read: "whole" },
    ]);
    expect(manifest.inputs).toEqual({ people: sha256 });
    expect(manifest.models).toEqual([
      expect.objectContaining({
        cell: expect.objectContaining({ position: 3 }),
        variable: "km",
        method: "kmeans",
        k: 2,
        features: ["score"],
        id: "id",
        seed: 11,
      }),
    ]);
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
    expect(manifest.appVersion).toBe(pkg.version);
    expect(manifest.engineVersion).toMatch(/^v\d+\.\d+\.\d+/);
    expect(manifest.rows).toBe(readFileSync(path.join(out, "derived.csv"), "utf8").trim().split("\n").length - 1);

    // report.json says the same of the export.
    const exported = report.cells.flatMap((c) => c.exports ?? []);
    expect(exported).toEqual([
      expect.objectContaining({
        file: "derived.csv",
        sources: manifest.sources,
        location: path.join(out, "derived.csv"),
      }),
    ]);
  }, 120_000);
});
