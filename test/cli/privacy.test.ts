/**
 * The notebook's privacy guard end to end: `segbook run --out` on a notebook whose front matter sets
 * `privacy: {minSegmentSize, personal}` masks personal columns in report.html and in exports, and
 * leaves members of small segments out of exported files.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { segbook } from "./segbook-bin.ts";

describe("segbook run with front matter privacy", () => {
  test("segbook run --out masks personal columns in report.html and suppresses small segments in exports", () => {
    const out = mkdtempSync(path.join(tmpdir(), "segbook-privacy-"));
    const result = segbook("run", "test/cli/notebooks/privacy.md", "--out", out);
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
  }, 60_000);

  test("segbook run --out leaves a 3-member k-means cluster out of an export of data joined with km.labels", () => {
    const out = mkdtempSync(path.join(tmpdir(), "segbook-privacy-cluster-"));
    const result = segbook("run", "test/cli/notebooks/privacy-cluster.md", "--out", out);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const csv = readFileSync(path.join(out, "clusters.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("customer_id,region,cluster");
    expect(csv).toHaveLength(1 + 400 - 3);
    for (const id of [1, 2, 3]) expect(csv.some((line) => line.startsWith(`${id},`))).toBe(false);
    const manifest = JSON.parse(readFileSync(path.join(out, "clusters.csv.manifest.json"), "utf8"));
    expect(manifest.rows).toBe(397);
    expect(manifest.privacy.suppressed).toMatchObject({ minSegmentSize: 10, segments: 1, members: 3 });
    expect(manifest.privacy.segment).toBe("cluster");
    expect(Object.values(manifest.segmentCounts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(397);
  }, 60_000);
});
