/**
 * The notebook's privacy guard end to end: `segbook run --out` on a notebook whose front matter sets
 * `privacy: {minSegmentSize, personal}` masks personal columns in report.html and in exports, and
 * leaves members of small segments out of exported files: by the column the `segment` option names or
 * a `seg` result is marked with, and never by guessing from a column's name (such an export is refused).
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test, vi } from "vitest";
import { main } from "../../src/cli/main.ts";
import type { RunReport } from "../../src/cli/run-notebook.ts";
import { segbookInProcess } from "./segbook-bin.ts";

describe("segbook run with front matter privacy", () => {
  test("segbook run --out masks personal columns in report.html and suppresses small segments in exports", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "segbook-privacy-"));
    // In-process (the CLI's own main): a child process would add a Node start and compiling the CLI.
    const result = await segbookInProcess(
      "run",
      "test/cli/notebooks/privacy.md",
      "--out",
      out,
      "--allow-read",
      "notebooks/data",
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);

    const html = readFileSync(path.join(out, "report.html"), "utf8");
    expect(html).toContain("u***@example.com");
    expect(html).not.toMatch(/user\d+@example\.com/);
    expect(html).not.toMatch(/555-\d/);

    const csv = readFileSync(path.join(out, "members.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("customer_id,email,phone,segment");
    expect(csv).toHaveLength(1 + 400 - 5);
    expect(csv.some((line) => line.endsWith(",vip"))).toBe(false);
    expect(csv[1]).toMatch(/^6,u\*\*\*@example\.com,\*\*\*,\w+$/);
    const manifest = JSON.parse(readFileSync(path.join(out, "members.csv.manifest.json"), "utf8"));
    expect(manifest.rows).toBe(395);
    expect(manifest.privacy).toEqual({
      suppressed: {
        minSegmentSize: 10,
        segments: 1,
        members: 5,
        reason: "segments with fewer than 10 members are suppressed by the notebook's privacy.minSegmentSize",
      },
      segment: "segment",
      personal: { columns: ["email", "phone"], masked: true },
    });
    expect(Object.keys(manifest.segmentCounts)).not.toContain("vip");

    const full = readFileSync(path.join(out, "members-full.csv"), "utf8").trim().split("\n");
    expect(full[1]).toBe("6,user6@example.com,555-6," + csv[1]!.split(",")[3]);
    const fullManifest = JSON.parse(readFileSync(path.join(out, "members-full.csv.manifest.json"), "utf8"));
    expect(fullManifest.privacy.personal).toEqual({ columns: ["email", "phone"], masked: false });
  }, 120_000);

  test("segbook run --out under minSegmentSize: an unmarked SQL table is refused naming {segment}; with the option or a marked seg result the 3-member group is left out", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "segbook-privacy-cluster-"));
    const notebook = "test/cli/notebooks/privacy-cluster.md";
    // In-process, as bin/segbook.js runs it: the same argument parsing, run and --out files.
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    let code: number;
    try {
      code = await main(["run", notebook, "--out", out, "--threads", "1", "--allow-read", "notebooks/data"]);
    } finally {
      log.mockRestore();
    }
    expect(code, "a refused export fails the run").toBe(1);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as RunReport;
    const cell = (text: string) => {
      const found = report.cells.find((c) => c.label.startsWith(`cell ${text} `));
      expect(found, `cell ${text}`).toBeDefined();
      return found!;
    };
    // Cell 3 exports `grouped` (made in SQL, unmarked) with no option: refused, nothing written.
    expect(cell("3").status).toBe("error");
    expect(cell("3").error?.message).toBe(
      'seg.export: the notebook\'s privacy.minSegmentSize must know which column holds each row\'s segment to leave out small segments, and this table does not say (no seg result marked its segment column, and no segment option was passed; its columns are customer_id, region, cluster). Name the column: seg.export(table, {file: "refused.csv", segment: "cluster"}). The export was refused so that no small segment slips out.',
    );
    expect(report.firstFailure?.id).toBe(cell("3").id);
    expect(existsSync(path.join(out, "refused.csv"))).toBe(false);
    expect(existsSync(path.join(out, "refused.csv.manifest.json"))).toBe(false);

    // The same table with {segment: "cluster"}, and the k-means labels (marked) with no option.
    for (const [file, index] of [
      ["named.csv", "4"],
      ["labels.csv", "8"],
    ] as const) {
      expect(cell(index).status, file).toBe("ok");
      const csv = readFileSync(path.join(out, file), "utf8").trim().split("\n");
      expect(csv[0]).toMatch(/^customer_id,.*cluster$/);
      expect(csv, file).toHaveLength(1 + 400 - 3);
      for (const id of [1, 2, 3])
        expect(
          csv.some((line) => line.startsWith(`${id},`)),
          `${file}: ${id}`,
        ).toBe(false);
      const manifest = JSON.parse(readFileSync(path.join(out, `${file}.manifest.json`), "utf8"));
      expect(manifest.rows).toBe(397);
      expect(manifest.privacy).toEqual({
        suppressed: {
          minSegmentSize: 10,
          segments: 1,
          members: 3,
          reason: "segments with fewer than 10 members are suppressed by the notebook's privacy.minSegmentSize",
        },
        segment: "cluster",
        personal: { columns: [], masked: false },
      });
      expect(Object.values(manifest.segmentCounts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(397);
    }
  }, 120_000);
});
