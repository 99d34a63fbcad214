/**
 * seg.charts.migration: a from x to grid of seg.migration's transition table, each cell shaded by its
 * row share (where the `from` segment's customers went) and labelled with the count.
 */
import * as Plot from "@observablehq/plot";
import { isTableHandle } from "../engine/is-table-handle.ts";
import type { Chart, ChartData, ChartOptions } from "./charts.ts";

/** Options of {@link migrationChart}. */
export type MigrationChartOptions = ChartOptions;

type Row = Record<string, unknown>;

async function rowsOf(data: ChartData): Promise<Row[]> {
  if (isTableHandle(data)) return data.rows();
  if (Array.isArray(data)) return data as Row[];
  throw new TypeError(`seg.charts.migration: expected seg.migration's result or its rows, got ${typeof data}`);
}

/**
 * The migration grid: earlier segments (and `new`) down the side, later segments (and `gone`) across
 * the top; the shade is the share of the row's customers in the cell, the label the count.
 * @example
 * const before = await sql`SELECT customer_id, CASE WHEN sum(amount) > 300 THEN 'high' ELSE 'low' END AS segment
 *   FROM ${orders} WHERE order_date < DATE '2024-01-01' GROUP BY ALL`;
 * const after = await sql`SELECT customer_id, CASE WHEN sum(amount) > 300 THEN 'high' ELSE 'low' END AS segment FROM ${orders} GROUP BY ALL`;
 * await seg.charts.migration(await seg.migration(before, {after, id: "customer_id", segment: "segment"}));
 */
export async function migrationChart(data: ChartData, options: MigrationChartOptions = {}): Promise<Chart> {
  const rows = await rowsOf(data);
  const first = rows[0];
  const missing = first ? ["from", "to", "count", "row_share"].filter((f) => !(f in first)) : [];
  if (missing.length) {
    throw new Error(
      `seg.charts.migration: rows have no ${missing.map((m) => `"${m}"`).join(", ")}; pass seg.migration's result`,
    );
  }
  const cells = rows.map((row) => ({
    from: String(row.from),
    to: String(row.to),
    count: Number(row.count),
    share: row.row_share === null ? 0 : Number(row.row_share),
  }));
  const unique = (values: string[]) => [...new Set(values)];
  const frame: Plot.PlotOptions = {};
  if (options.document) frame.document = options.document;
  if (options.width !== undefined) frame.width = options.width;
  if (options.height !== undefined) frame.height = options.height;
  if (options.title !== undefined) frame.title = options.title;
  return Plot.plot({
    ...frame,
    marginLeft: 100,
    x: { label: "to", domain: unique(cells.map((c) => c.to)), axis: "top" },
    y: { label: "from", domain: unique(cells.map((c) => c.from)) },
    // Threshold bands give a swatch legend (no <canvas>, which linkedom in Node lacks).
    color: {
      type: "threshold",
      domain: [0.05, 0.2, 0.4, 0.6, 0.8],
      scheme: "Blues",
      legend: true,
      label: "share of the row's customers",
    },
    marks: [
      Plot.cell(cells, { x: "to", y: "from", fill: "share", inset: 0.5 }),
      Plot.text(cells, {
        x: "to",
        y: "from",
        text: (d: (typeof cells)[number]) => String(d.count),
        fill: (d: (typeof cells)[number]) => (d.share >= 0.6 ? "white" : "black"),
      }),
    ],
  });
}
