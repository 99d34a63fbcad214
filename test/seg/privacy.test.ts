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
import { assign } from "../../src/seg/assign.ts";
import { kmeans } from "../../src/seg/kmeans.ts";
import { gmm } from "../../src/seg/gmm.ts";
import { kprototypes } from "../../src/seg/kprototypes.ts";
import { rfm } from "../../src/seg/rfm.ts";
import { tiers } from "../../src/seg/tiers.ts";
import { maskSql, maskValue, personalColumns } from "../../src/seg/privacy.ts";
import { profile } from "../../src/seg/profile.ts";
import { segments } from "../../src/seg/rules.ts";
import { SEGMENT_COLUMN, segmentColumnOf } from "../../src/seg/seg-result.ts";
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
    expect(result.info.suppression).toMatchObject({ minSegmentSize: 10, segments: 1, members: 3 });
    // Without privacy rules the profile is unchanged: no suppressed column.
    const plain = await profile(ctx, "members", { segment: "segment", features: ["spend"] });
    expect(plain.columns.map((c) => c.name)).not.toContain("suppressed");
    expect((await plain.rows())[2]!.size).toBe(3);
  });

  it("exportSegments() leaves out small segments, masks personal columns and records both", async () => {
    const sink = memorySink();
    const guarded = { ...ctx, sink, privacy: { minSegmentSize: 10, personal: ["email"] } };
    const result = await exportSegments(guarded, "members", { file: "members.csv", segment: "segment" });
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
      segment: "segment",
      personal: { columns: ["Email"], masked: true },
    });

    const open = await exportSegments(guarded, "members", {
      file: "open.csv",
      segment: "segment",
      includePersonal: true,
    });
    expect(new TextDecoder().decode(sink.files.get("open.csv")).split("\n")[1]).toBe("0,person0@mail.example,a,0.0");
    expect(open.manifest.privacy?.personal).toEqual({ columns: ["Email"], masked: false });

    const none = await exportSegments({ ...ctx, sink }, "members", { file: "none.csv" });
    expect(none.manifest.rows).toBe(35);
    expect(none.manifest).not.toHaveProperty("privacy");
  });
});

describe("seg.export's segment column under privacy.minSegmentSize", () => {
  const guardedCtx = (sink: ExportSink) => ({ ...ctx, sink, privacy: { minSegmentSize: 10 } });
  const text = (sink: ReturnType<typeof memorySink>, name: string) => new TextDecoder().decode(sink.files.get(name));
  // The 3 members of the small group: ids 32..34 (spend 32..34, far from the others after the
  // feature below), whose e-mails must not appear in any exported byte.
  const smallEmails = ["person32@mail.example", "person33@mail.example", "person34@mail.example"];
  const suppressed = {
    minSegmentSize: 10,
    segments: 1,
    members: 3,
    reason: "segments with fewer than 10 members are suppressed by the notebook's privacy.minSegmentSize",
  };

  it("exportSegments() of data joined with seg.kmeans' labels leaves the 3-member cluster out", async () => {
    // A feature that puts ids 0-11, 12-31 and 32-34 in three well-separated groups.
    const features = await ctx.db.query(
      `SELECT id, Email, CASE WHEN id < 12 THEN 0 WHEN id < 32 THEN 100 ELSE 1000 END + id % 3 AS x FROM members`,
    );
    const km = await kmeans(ctx, features, { features: ["x"], id: "id", k: 3 });
    expect(segmentColumnOf(km)).toBe("cluster");
    // What a notebook does: a SQL join of the data with ${km} (the join's result carries no marker).
    const joined = await ctx.db.query(
      `SELECT f.id, f.Email, l.cluster FROM "${features.name}" f JOIN "${km.name}" l USING (id) ORDER BY f.id`,
    );
    const sizes = (await joined.rows()).reduce<Map<unknown, number>>(
      (m, r) => m.set(r.cluster, (m.get(r.cluster) ?? 0) + 1),
      new Map(),
    );
    expect([...sizes.values()].sort((a, b) => a - b)).toEqual([3, 12, 20]);

    // The join is made in SQL, so the export names its segment column; the marked labels need not.
    for (const [name, table, options] of [
      ["joined.csv", joined, { segment: "cluster" }],
      ["labels.csv", km, {}],
    ] as const) {
      const sink = memorySink();
      const result = await exportSegments(guardedCtx(sink), table, { file: name, ...options });
      const csv = text(sink, name);
      expect(csv.trim().split("\n")).toHaveLength(1 + 32);
      for (const id of [32, 33, 34]) expect(csv).not.toMatch(new RegExp(`^${id},`, "m"));
      for (const email of smallEmails) expect(csv).not.toContain(email);
      expect(result.manifest.privacy).toEqual({
        suppressed,
        segment: "cluster",
        personal: { columns: [], masked: false },
      });
      expect(Object.values(result.manifest.segmentCounts!).sort((a, b) => a - b)).toEqual([12, 20]);
      expect(text(sink, `${name}.manifest.json`)).toContain('"segment": "cluster"');
    }

    // The same export as Parquet: the small cluster's e-mails are not in its bytes either.
    const sink = memorySink();
    await exportSegments(guardedCtx(sink), joined, { file: "joined.parquet", segment: "cluster" });
    const bytes = Buffer.from(sink.files.get("joined.parquet")!).toString("latin1");
    expect(bytes).toContain("person0@mail.example");
    for (const email of smallEmails) expect(bytes).not.toContain(email);
  });

  const x = `CASE WHEN id < 12 THEN 0 WHEN id < 32 THEN 100 ELSE 1000 END + id % 3`;
  it.each([
    ["kmeans(...)", "cluster", async () => kmeans(ctx, `members`, { features: ["spend"], id: "id", k: 2 })],
    [
      "assign(...)",
      "cluster",
      async () =>
        assign(ctx, "members", { model: (await kmeans(ctx, "members", { features: ["spend"], k: 2 })).model }),
    ],
    [
      "kmeans(...).model.assign(...)",
      "cluster",
      async () => (await kmeans(ctx, "members", { features: ["spend"], k: 2 })).model.assign("members"),
    ],
    [
      "gmm(...)",
      "cluster",
      async () => gmm(ctx, await ctx.db.query(`SELECT id, ${x} AS x FROM members`), { features: ["x"], k: 2 }),
    ],
    [
      "kprototypes(...)",
      "cluster",
      async () => kprototypes(ctx, "members", { features: ["spend"], categorical: ["segment"], k: 2 }),
    ],
    [
      "rfm(...)",
      "segment",
      async () =>
        rfm(ctx, await ctx.db.query(`SELECT id, DATE '2024-01-01' + CAST(id AS INTEGER) AS day, spend FROM members`), {
          id: "id",
          date: "day",
          amount: "spend",
        }),
    ],
    ["tiers(...)", "tier", async () => tiers(ctx, "members", { value: "spend", id: "id" })],
    ["tiers(..., {as})", "band", async () => tiers(ctx, "members", { value: "spend", id: "id", as: "band" })],
    [
      "segments(..., {as})",
      "grp",
      async () => segments(ctx, "members", { definitions: { late: "id >= 32" }, as: "grp" }),
    ],
  ])("segmentColumnOf(%s) is %s, a non-enumerable mark", async (_, column, make) => {
    const result = await make();
    expect(segmentColumnOf(result)).toBe(column);
    expect(result.columns.map((c) => c.name)).toContain(column);
    // Invisible to cells: a non-enumerable symbol, so spreading or listing the result never shows it.
    expect(Object.getOwnPropertyDescriptor(result, SEGMENT_COLUMN)?.enumerable).toBe(false);
    expect(Object.getOwnPropertySymbols({ ...result })).not.toContain(SEGMENT_COLUMN);
  });

  it("segmentColumnOf() is undefined for plain tables and values, and overlapping rule segments", async () => {
    expect(segmentColumnOf(await ctx.db.query(`SELECT * FROM members`))).toBeUndefined();
    expect(segmentColumnOf(null)).toBeUndefined();
    expect(segmentColumnOf("members")).toBeUndefined();
    const overlapping = await segments(ctx, "members", {
      definitions: { late: "id >= 32", early: "id < 5" },
      exclusive: false,
    });
    expect(segmentColumnOf(overlapping)).toBeUndefined();
  });

  it("exportSegments() suppresses by the column a seg result marked, whatever its name", async () => {
    const grouped = await segments(ctx, "members", {
      definitions: [{ name: "late", where: "id >= 32" }],
      as: "grp",
      other: "rest",
    });
    expect(segmentColumnOf(grouped)).toBe("grp");
    // "members" also has a `segment` column; the mark says the segments of this result are in `grp`.
    const sink = memorySink();
    const result = await exportSegments(guardedCtx(sink), grouped, { file: "grp.csv" });
    expect(result.manifest.rows).toBe(32);
    expect(result.manifest.segmentCounts).toEqual({ rest: 32 });
    expect(result.manifest.privacy?.segment).toBe("grp");
    for (const email of smallEmails) expect(text(sink, "grp.csv")).not.toContain(email);
  });

  it("exportSegments(t, {file, segment}) suppresses by the column it names", async () => {
    const banded = await ctx.db.query(
      `SELECT id, Email, CASE WHEN id >= 32 THEN 'top' ELSE 'base' END AS band FROM members`,
    );
    const sink = memorySink();
    const result = await exportSegments(guardedCtx(sink), banded, { file: "band.csv", segment: "band" });
    expect(result.manifest.rows).toBe(32);
    expect(result.manifest.segmentCounts).toEqual({ base: 32 });
    expect(result.manifest.privacy).toMatchObject({ suppressed, segment: "band" });
    for (const email of smallEmails) expect(text(sink, "band.csv")).not.toContain(email);

    // Naming the column also wins over a `segment` column: members' own segments (12, 20, 3) are not used.
    const byCluster = await ctx.db.query(
      `SELECT *, CASE WHEN id >= 32 THEN 1 ELSE 0 END AS cluster FROM members WHERE segment <> 'c' OR id >= 32`,
    );
    const chosen = await exportSegments(guardedCtx(memorySink()), byCluster, {
      file: "chosen.csv",
      segment: "cluster",
    });
    expect(chosen.manifest.segmentCounts).toEqual({ "0": 32 });

    // Without a minimum the option still says what segmentCounts counts.
    const counted = await exportSegments({ ...ctx, sink: memorySink() }, banded, {
      file: "counted.csv",
      segment: "band",
    });
    expect(counted.manifest.segmentCounts).toEqual({ base: 32, top: 3 });
    expect(counted.manifest).not.toHaveProperty("privacy");
  });

  it.each([
    [
      "no segment column",
      `SELECT id, Email, spend FROM members`,
      {},
      /^seg\.export: the notebook's privacy\.minSegmentSize must know which column holds each row's segment to leave out small segments, and this table does not say \(no seg result marked its segment column, and no segment option was passed; its columns are id, Email, spend\)\. Name the column: seg\.export\(table, \{file: "refused\.csv", segment: "cluster"\}\)\. The export was refused so that no small segment slips out\.$/,
    ],
    [
      // Made in SQL: a column's name is no proof that it holds the segments.
      "a column named segment but no mark",
      `SELECT * FROM members`,
      {},
      /its columns are id, Email, segment, spend\)\. Name the column: seg\.export\(table, \{file: "refused\.csv", segment: "segment"\}\)/,
    ],
    [
      "a column named cluster but no mark",
      `SELECT id, Email, CASE WHEN id >= 32 THEN 1 ELSE 0 END AS cluster FROM members`,
      {},
      /Name the column: seg\.export\(table, \{file: "refused\.csv", segment: "cluster"\}\)/,
    ],
    [
      "both segment and cluster",
      `SELECT *, 0 AS cluster FROM members`,
      {},
      /its columns are id, Email, segment, spend, cluster\)\. Name the column: seg\.export\(table, \{file: "refused\.csv", segment: "cluster"\}\)/,
    ],
    [
      "an unknown column named",
      `SELECT * FROM members`,
      { segment: "segmnt" },
      /unknown column "segmnt".*Did you mean "segment"\?/,
    ],
    [
      "a non-string segment option",
      `SELECT * FROM members`,
      { segment: 3 },
      /segment must be the name of the column.*got 3$/,
    ],
  ])("exportSegments() under minSegmentSize refuses a table with %s", async (_, query, options, error) => {
    const table = await ctx.db.query(query);
    const sink = memorySink();
    await expect(
      exportSegments(guardedCtx(sink), table, { file: "refused.csv", ...(options as { segment?: string }) }),
    ).rejects.toThrow(error);
    expect(sink.files.size).toBe(0);
  });

  it("exportSegments() without a minimum exports a table with no segment column as before", async () => {
    const sink = memorySink();
    const table = await ctx.db.query(`SELECT id, spend FROM members`);
    const result = await exportSegments({ ...ctx, sink, privacy: { personal: ["email"] } }, table, {
      file: "plain.csv",
    });
    expect(result.manifest.rows).toBe(35);
    expect(result.manifest.segmentCounts).toBeNull();
    expect(result.manifest.privacy).toEqual({
      suppressed: null,
      segment: null,
      personal: { columns: [], masked: false },
    });
  });
});
