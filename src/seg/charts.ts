/**
 * Standard segmentation charts, drawn with Observable Plot: a profile heatmap, segment sizes, a
 * cluster scatter (e.g. on PCA coordinates) and an RFM grid. Each returns what `Plot.plot` returns
 * (an SVG, or a figure when it has a legend), so a cell can display it as is. In Node, pass
 * `{document}` (e.g. linkedom's) since Plot draws into a DOM; the browser's is used otherwise.
 */
import * as Plot from "@observablehq/plot";
import { isTableHandle } from "../engine/is-table-handle.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";

/** Options every chart takes. */
export interface ChartOptions {
  /** The document to draw into (required in Node; defaults to the browser's). */
  document?: Document;
  width?: number;
  height?: number;
  title?: string;
}

/** Rows, or a table whose rows are read. */
export type ChartData = TableHandle | readonly Record<string, unknown>[];

/** What the charts return: Plot's element. */
export type Chart = ReturnType<typeof Plot.plot>;

type Row = Record<string, unknown>;

async function rowsOf(data: ChartData, fn: string): Promise<Row[]> {
  if (isTableHandle(data)) return data.rows();
  if (Array.isArray(data)) return data as Row[];
  throw new TypeError(`seg.charts.${fn}: expected rows (an array of objects) or a table, got ${typeof data}`);
}

function requireFields(rows: readonly Row[], fields: readonly string[], fn: string): void {
  const first = rows[0];
  if (!first) return;
  const missing = fields.filter((f) => !(f in first));
  if (missing.length) {
    throw new Error(
      `seg.charts.${fn}: rows have no ${missing.map((m) => `"${m}"`).join(", ")}; their fields are ${Object.keys(first).join(", ")}`,
    );
  }
}

/** Plot's top-level options from ours (undefined entries left out so Plot's defaults apply). */
function frame(options: ChartOptions): Plot.PlotOptions {
  const out: Plot.PlotOptions = {};
  if (options.document) out.document = options.document;
  if (options.width !== undefined) out.width = options.width;
  if (options.height !== undefined) out.height = options.height;
  if (options.title !== undefined) out.title = options.title;
  return out;
}

const label = (value: unknown) => (value === null || value === undefined ? "(null)" : String(value));
const unique = (values: readonly string[]) => [...new Set(values)];

// Bands around "average" (index 100, z 0): a red-to-blue diverging scheme of 7 colours.
const INDEX_BANDS = [50, 80, 95, 105, 120, 150];
const Z_BANDS = [-1, -0.5, -0.2, 0.2, 0.5, 1];
const BAND_COLOURS = ["#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"];

/** Options for {@link profileHeatmap}. */
export interface ProfileHeatmapOptions extends ChartOptions {
  /** Colour by `index` (default; diverging around 100) or `z_score` (diverging around 0). */
  value?: "index" | "z_score";
}

/**
 * A segment x feature heatmap of a profile (seg.profile's result or its rows): each cell is coloured
 * by the index vs population (or z-score) and labelled with it; categorical levels appear as
 * `feature = level` rows.
 * @example
 * const p = await seg.profile(customers, {segment: "region", features: ["age", "channel"]});
 * await seg.charts.profileHeatmap(p); // an <svg> figure: regions across, features down
 */
export async function profileHeatmap(profile: ChartData, options: ProfileHeatmapOptions = {}): Promise<Chart> {
  const value = options.value ?? "index";
  const rows = await rowsOf(profile, "profileHeatmap");
  requireFields(rows, ["segment", "feature", "level", value], "profileHeatmap");
  const cells = rows
    .filter((row) => typeof row[value] === "number")
    .map((row) => ({
      segment: label(row.segment),
      feature: row.level === null || row.level === undefined ? String(row.feature) : `${row.feature} = ${row.level}`,
      value: row[value] as number,
    }));
  const text =
    value === "index" ? (d: { value: number }) => d.value.toFixed(0) : (d: { value: number }) => d.value.toFixed(2);
  return Plot.plot({
    ...frame(options),
    marginLeft: 140,
    x: { label: "segment", domain: unique(cells.map((c) => c.segment)), axis: "top" },
    y: { label: null, domain: unique(cells.map((c) => c.feature)) },
    // Threshold bands rather than a continuous ramp: "well above / about / well below average" is
    // how profiles are read, and the legend needs no <canvas> (linkedom in Node has none).
    color: {
      type: "threshold",
      domain: value === "index" ? INDEX_BANDS : Z_BANDS,
      range: BAND_COLOURS,
      legend: true,
      label: value === "index" ? "index vs population (100 = average)" : "z-score",
    },
    marks: [
      Plot.cell(cells, { x: "segment", y: "feature", fill: "value", inset: 0.5 }),
      Plot.text(cells, { x: "segment", y: "feature", text, fill: "black" }),
    ],
  });
}

/** Options for {@link segmentSizes}. */
export interface SegmentSizesOptions extends ChartOptions {
  /** The segment column. */
  segment: string;
}

/**
 * Horizontal bars with the number of rows per segment (largest first), labelled `count (share%)`.
 * @example
 * await seg.charts.segmentSizes(customers, {segment: "region"}); // a bar per region, largest first
 */
export async function segmentSizes(data: ChartData, options: SegmentSizesOptions): Promise<Chart> {
  if (!options || typeof options.segment !== "string") {
    throw new Error('seg.charts.segmentSizes: pass {segment: "column"}');
  }
  const values = isTableHandle(data)
    ? Array.from((await data.column(options.segment)) as ArrayLike<unknown>)
    : (await rowsOf(data, "segmentSizes")).map((row) => {
        if (!(options.segment in row)) requireFields([row], [options.segment], "segmentSizes");
        return row[options.segment];
      });
  const counts = new Map<string, number>();
  for (const value of values) counts.set(label(value), (counts.get(label(value)) ?? 0) + 1);
  const total = values.length;
  const bars = [...counts]
    .map(([segment, count]) => ({ segment, count, share: count / total }))
    .sort((a, b) => b.count - a.count || a.segment.localeCompare(b.segment));
  return Plot.plot({
    ...frame(options),
    marginLeft: 100,
    marginRight: 80,
    x: { label: "customers", grid: true },
    y: { label: null, domain: bars.map((b) => b.segment) },
    marks: [
      Plot.barX(bars, { x: "count", y: "segment", fill: "steelblue" }),
      Plot.text(bars, {
        x: "count",
        y: "segment",
        text: (d: (typeof bars)[number]) => `${d.count} (${(d.share * 100).toFixed(1)}%)`,
        textAnchor: "start",
        dx: 4,
      }),
      Plot.ruleX([0]),
    ],
  });
}

/** Options for {@link clusterScatter}. */
export interface ClusterScatterOptions extends ChartOptions {
  /** Horizontal coordinate column (default `PC1`). */
  x?: string;
  /** Vertical coordinate column (default `PC2`). */
  y?: string;
  /** The segment column colouring the dots. */
  segment: string;
}

/**
 * Dots coloured by segment on two coordinates (by default seg.pca's `PC1`/`PC2`), with a legend.
 * @example
 * const spend = await sql`SELECT customer_id, count(*) AS orders, sum(amount) AS spend, any_value(category) AS category FROM ${orders} GROUP BY ALL`;
 * const coords = await seg.pca(spend, {features: ["orders", "spend"]});
 * await seg.charts.clusterScatter(coords, {segment: "category"}); // dots on PC1 x PC2
 */
export async function clusterScatter(data: ChartData, options: ClusterScatterOptions): Promise<Chart> {
  if (!options || typeof options.segment !== "string") {
    throw new Error('seg.charts.clusterScatter: pass {segment: "column"} (and {x, y} unless they are PC1/PC2)');
  }
  const x = options.x ?? "PC1";
  const y = options.y ?? "PC2";
  const rows = await rowsOf(data, "clusterScatter");
  requireFields(rows, [x, y, options.segment], "clusterScatter");
  const points = rows
    .filter((row) => typeof row[x] === "number" && typeof row[y] === "number")
    .map((row) => ({ x: row[x] as number, y: row[y] as number, segment: label(row[options.segment]) }));
  return Plot.plot({
    ...frame(options),
    grid: true,
    x: { label: x },
    y: { label: y },
    color: { type: "categorical", legend: true, domain: unique(points.map((p) => p.segment)).sort() },
    marks: [Plot.dot(points, { x: "x", y: "y", fill: "segment", r: 2.5, fillOpacity: 0.8 })],
  });
}

/** Options for {@link rfmGrid}. */
export interface RfmGridOptions extends ChartOptions {
  /** Recency score column (default `r_score`, as seg.rfm writes it). */
  r?: string;
  /** Frequency score column (default `f_score`). */
  f?: string;
}

/**
 * The classic R x F grid: one cell per (recency score, frequency score) with its customer count,
 * shaded by count; high recency at the top, high frequency on the right.
 * @example
 * const scored = await seg.rfm(orders, {id: "customer_id", date: "order_date", amount: "amount"});
 * await seg.charts.rfmGrid(scored); // the 5 x 5 R x F grid, customers per cell
 */
export async function rfmGrid(data: ChartData, options: RfmGridOptions = {}): Promise<Chart> {
  const r = options.r ?? "r_score";
  const f = options.f ?? "f_score";
  const rows = await rowsOf(data, "rfmGrid");
  requireFields(rows, [r, f], "rfmGrid");
  const counts = new Map<string, { r: number; f: number; count: number }>();
  for (const row of rows) {
    const rs = Number(row[r]);
    const fs = Number(row[f]);
    if (!Number.isFinite(rs) || !Number.isFinite(fs)) continue;
    const key = `${rs}|${fs}`;
    const cell = counts.get(key) ?? { r: rs, f: fs, count: 0 };
    cell.count++;
    counts.set(key, cell);
  }
  const cells = [...counts.values()].sort((a, b) => a.r - b.r || a.f - b.f);
  const scores = (key: "r" | "f") => [...new Set(cells.map((c) => c[key]))].sort((a, b) => a - b);
  return Plot.plot({
    ...frame(options),
    x: { label: "frequency score", domain: scores("f"), axis: "top" },
    y: { label: "recency score", domain: scores("r").reverse() },
    // Quantized, so the legend is swatches (no <canvas>, which linkedom in Node lacks).
    color: { type: "quantize", n: 5, scheme: "Blues", legend: true, label: "customers" },
    marks: [
      Plot.cell(cells, { x: "f", y: "r", fill: "count", inset: 0.5 }),
      Plot.text(cells, { x: "f", y: "r", text: "count", fill: "black" }),
    ],
  });
}
