/**
 * The privacy guard: front matter `privacy:` validation, masking (JS and SQL agree), seg.profile's
 * small-segment suppression and seg.export's member suppression, masking and manifest.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { readFrontMatter } from "../../src/notebook/front-matter.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { exportSegments, type ExportSink } from "../../src/seg/export.ts";
import { maskSql, maskValue, personalColumns } from "../../src/seg/privacy.ts";
import { profile } from "../../src/seg/profile.ts";
import { segContext } from "../helpers/datasets.ts";

let engine: Engine;
let ctx: SegContext;

function memorySink(): ExportSink & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    async accept(prepared) {
      for (const file of [prepared.file, prepared.manifestFile]) files.set(file.name, file.bytes);
      return prepared;
    },
  };
}

beforeAll(async () => {
  engine = await createNodeEngine();
  ctx = segContext(engine);
  // 3 segments: a (12 members), b (20), c (3).
  await engine.exec(`CREATE TABLE members AS
    SELECT i AS id, 'person' || i || '@mail.example' AS Email, CASE WHEN i < 12 THEN 'a' WHEN i < 32 THEN 'b' ELSE 'c' END AS segment,
      CAST(i AS DOUBLE) AS spend
    FROM range(0, 35) AS r(i)`);
});

afterAll(async () => {
  await engine?.close();
});

describe("readFrontMatter(privacy)", () => {
  it("readFrontMatter() keeps a valid privacy map", () => {
    const { frontMatter, issues } = readFrontMatter("privacy:\n  minSegmentSize: 10\n  personal: [email, phone]\n");
    expect(issues).toEqual([]);
    expect(frontMatter.privacy).toEqual({ minSegmentSize: 10, personal: ["email", "phone"] });
  });

  it.each([
    [
      "privacy: 10\n",
      2,
      `front matter: "privacy" must be a map such as "privacy: {minSegmentSize: 10, personal: [email]}", got 10`,
    ],
    [
      "privacy:\n  minSegmentSize: 2.5\n",
      3,
      "front matter: privacy.minSegmentSize must be a whole number >= 1 such as 10, got 2.5; no minimum applies until fixed",
    ],
    [
      "privacy:\n  personal: email\n",
      3,
      'front matter: privacy.personal must be a list of column names such as [email, phone], got "email"; nothing is masked until fixed',
    ],
  ])("readFrontMatter(%j) reports an error on the right line", (source, line, message) => {
    const { issues } = readFrontMatter(source);
    expect(issues).toEqual([{ severity: "error", line, message }]);
  });

  it("readFrontMatter() warns about unknown privacy keys", () => {
    const { frontMatter, issues } = readFrontMatter("privacy:\n  minSegmentSize: 5\n  kAnonymity: 3\n");
    expect(frontMatter.privacy).toEqual({ minSegmentSize: 5 });
    expect(issues).toEqual([
      { severity: "warning", line: 4, message: 'front matter: unknown key "privacy.kAnonymity" is kept but not used' },
    ]);
  });
});

describe("masking", () => {
  it("maskValue() and maskSql() mask e-mails to first letter + domain and everything else to ***", async () => {
    const values = ["jane@example.com", "x@y", "@odd", "555-1234", "", null];
    const js = values.map(maskValue);
    expect(js).toEqual(["j***@example.com", "x***@y", "***", "***", "***", null]);
    // The same values through DuckDB, one per row.
    const rows = await engine.query(
      `SELECT ${maskSql("v")} AS m FROM (VALUES (1, 'jane@example.com'), (2, 'x@y'), (3, '@odd'), (4, '555-1234'), (5, ''), (6, NULL)) AS t(i, v) ORDER BY i`,
    );
    expect(rows.toArray().map((r) => (r as { m: string | null }).m)).toEqual(js);
  });

  it("personalColumns() matches names case-insensitively", () => {
    expect(personalColumns({ personal: ["email", "PHONE"] }, ["id", "Email", "phone", "name"])).toEqual([
      "Email",
      "phone",
    ]);
    expect(personalColumns(undefined, ["email"])).toEqual([]);
  });
});

describe("privacy in seg functions", () => {
  it("profile() under minSegmentSize nulls the numbers of small segments and flags them", async () => {
    const guarded = { ...ctx, privacy: { minSegmentSize: 10 } };
    const result = await profile(guarded, "members", { segment: "segment", features: ["spend"] });
    const rows = await result.rows();
    expect(rows.map((r) => [r.segment, r.feature, r.size, r.suppressed])).toEqual([
      ["a", "spend", 12, false],
      ["b", "spend", 20, false],
      ["c", "spend", null, true],
    ]);
    expect(rows[2]).toMatchObject({ customer_share: null, mean: null, median: null, index: null, z_score: null });
    expect(result.suppression).toMatchObject({ minSegmentSize: 10, segments: 1, members: 3 });
    // Without privacy rules the profile is unchanged: no suppressed column.
    const plain = await profile(ctx, "members", { segment: "segment", features: ["spend"] });
    expect(plain.columns.map((c) => c.name)).not.toContain("suppressed");
    expect((await plain.rows())[2]!.size).toBe(3);
  });

  it("exportSegments() leaves out small segments, masks personal columns and records both", async () => {
    const sink = memorySink();
    const guarded = { ...ctx, sink, privacy: { minSegmentSize: 10, personal: ["email"] } };
    const result = await exportSegments(guarded, "members", "members.csv");
    const lines = new TextDecoder().decode(sink.files.get("members.csv")).trim().split("\n");
    expect(lines).toHaveLength(1 + 32);
    expect(lines[1]).toBe("0,p***@mail.example,a,0.0");
    expect(result.manifest.segmentCounts).toEqual({ a: 12, b: 20 });
    expect(result.manifest.privacy).toEqual({
      suppressed: {
        minSegmentSize: 10,
        segments: 1,
        members: 3,
        reason: "segments with fewer than 10 members are suppressed by the notebook's privacy.minSegmentSize",
      },
      personal: { columns: ["Email"], masked: true },
    });

    const open = await exportSegments(guarded, "members", "open.csv", { includePersonal: true });
    expect(new TextDecoder().decode(sink.files.get("open.csv")).split("\n")[1]).toBe("0,person0@mail.example,a,0.0");
    expect(open.manifest.privacy?.personal).toEqual({ columns: ["Email"], masked: false });

    const none = await exportSegments({ ...ctx, sink }, "members", "none.csv");
    expect(none.manifest.rows).toBe(35);
    expect(none.manifest).not.toHaveProperty("privacy");
  });
});
