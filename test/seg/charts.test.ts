/**
 * seg.charts drawn in Node with linkedom's document: assertions on the SVG itself (cells, labels,
 * colours) plus normalised golden snapshots in test/seg/charts/ (a mismatch writes `*-changed.svg`
 * next to the golden; UPDATE_GOLDEN=1 rewrites goldens, refused on CI).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { mulberry32 } from "../../src/random/index.ts";
import { clusterScatter, profileHeatmap, rfmGrid, segmentSizes, type Chart } from "../../src/seg/charts.ts";
import type { SegContext } from "../../src/seg/context.ts";
import { profile } from "../../src/seg/profile.ts";
import { openDatasets, segContext } from "../helpers/datasets.ts";

const goldenDir = new URL("./charts/", import.meta.url);
const document = parseHTML("<!doctype html><html><head></head><body></body></html>").document as unknown as Document;

let engine: Engine;
let ctx: SegContext;

beforeAll(async () => {
  engine = await openDatasets(["mall"]);
  ctx = segContext(engine);
});

afterAll(async () => {
  await engine?.close();
});

/** One tag per line, so golden diffs are readable. */
function normalise(chart: Chart): string {
  return (chart as unknown as Element).outerHTML.replace(/>\s*</g, ">\n<") + "\n";
}

function expectGolden(name: string, chart: Chart): void {
  const actual = normalise(chart);
  const golden = new URL(`${name}.svg`, goldenDir);
  const changed = new URL(`${name}-changed.svg`, goldenDir);
  if (process.env.UPDATE_GOLDEN === "1") {
    if (process.env.CI) throw new Error("UPDATE_GOLDEN=1 is refused on CI: update goldens locally and commit them");
    writeFileSync(golden, actual);
  }
  if (!existsSync(golden)) {
    writeFileSync(changed, actual);
    throw new Error(`no golden ${name}.svg; review ${name}-changed.svg and run with UPDATE_GOLDEN=1 to accept it`);
  }
  if (readFileSync(golden, "utf8") !== actual) {
    writeFileSync(changed, actual);
    expect.fail(`${name}.svg differs; see test/seg/charts/${name}-changed.svg (UPDATE_GOLDEN=1 to accept)`);
  }
  rmSync(changed, { force: true });
}

/** The texts of an element's <text> nodes. */
function texts(chart: Chart, selector = "text"): string[] {
  return Array.from((chart as unknown as Element).querySelectorAll(selector), (node) => node.textContent ?? "");
}

describe("seg.charts in Node (linkedom)", () => {
  it("profileHeatmap(profile, {document}) draws one labelled cell per segment x feature, coloured by index", async () => {
    const bands = await ctx.db.query(
      `SELECT *, CASE WHEN Age < 30 THEN '18-29' WHEN Age < 45 THEN '30-44' ELSE '45+' END AS band FROM mall`,
    );
    const p = await profile(ctx, bands, {
      segment: "band",
      features: ["Annual Income (k$)", "Spending Score (1-100)", "Gender"],
    });
    const rows = await p.rows();
    const chart = await profileHeatmap(p, { document });
    const svg =
      (chart as unknown as Element).querySelector("svg[class$='plot-d6a7b5']") ?? (chart as unknown as Element);
    const cells = svg.querySelectorAll("g[aria-label='cell'] rect");
    expect(cells.length).toBe(rows.length);
    const labels = texts(chart, "g[aria-label='text'] text");
    expect(labels).toEqual(rows.map((row) => (row.index as number).toFixed(0)));
    expect(texts(chart)).toContain("Gender = Female");
    expectGolden("profile-heatmap", chart);
  });

  it("segmentSizes(table, {segment, document}) draws bars largest first labelled with count and share", async () => {
    const chart = await segmentSizes(await ctx.db.table("mall"), { segment: "Gender", document });
    const counts = await engine.query(`SELECT "Gender", count(*)::INTEGER AS n FROM mall GROUP BY 1 ORDER BY n DESC`);
    const expected = counts.toArray().map((row) => `${row.n} (${((row.n / 200) * 100).toFixed(1)}%)`);
    expect(texts(chart, "g[aria-label='text'] text")).toEqual(expected);
    expect((chart as unknown as Element).querySelectorAll("g[aria-label='bar'] rect").length).toBe(2);
    expectGolden("segment-sizes", chart);
  });

  it("clusterScatter(rows, {x, y, segment, document}) draws a dot per row with a colour per segment", async () => {
    const random = mulberry32(5);
    const rows = Array.from({ length: 30 }, (_, i) => ({
      PC1: Math.round((random() * 4 - 2 + (i % 3)) * 100) / 100,
      PC2: Math.round((random() * 4 - 2 - (i % 3)) * 100) / 100,
      cluster: `c${i % 3}`,
    }));
    const chart = await clusterScatter(rows, { segment: "cluster", document, width: 400, height: 300 });
    const dots = Array.from((chart as unknown as Element).querySelectorAll("g[aria-label='dot'] circle"));
    expect(dots).toHaveLength(30);
    expect(new Set(dots.map((dot) => dot.getAttribute("fill"))).size).toBe(3);
    expectGolden("cluster-scatter", chart);
  });

  it("rfmGrid(rows, {document}) draws one cell per (R, F) pair labelled with its count", async () => {
    const rows: { r_score: number; f_score: number }[] = [];
    for (let r = 1; r <= 3; r++)
      for (let f = 1; f <= 3; f++) for (let k = 0; k < r * f; k++) rows.push({ r_score: r, f_score: f });
    const chart = await rfmGrid(rows, { document, width: 300, height: 240 });
    expect(
      texts(chart, "g[aria-label='text'] text")
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual([1, 2, 2, 3, 3, 4, 6, 6, 9]);
    expect((chart as unknown as Element).querySelectorAll("g[aria-label='cell'] rect").length).toBe(9);
    expectGolden("rfm-grid", chart);
  });

  it("clusterScatter(rows, {segment}) names the missing field", async () => {
    await expect(clusterScatter([{ a: 1 }], { segment: "cluster", document })).rejects.toThrow(
      'seg.charts.clusterScatter: rows have no "PC1", "PC2", "cluster"; their fields are a',
    );
  });
});
