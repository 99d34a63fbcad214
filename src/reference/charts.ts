/**
 * `seg.charts`: Observable Plot charts of `seg` results, drawn into the page (or the report) a cell
 * shows them in. Each returns a Promise of the chart element; `display(await seg.charts.rfmGrid(scored))`.
 * @module
 */
export { profileHeatmap, segmentSizes, clusterScatter, rfmGrid } from "../seg/charts.ts";
export { migrationChart as migration } from "../seg/charts-migration.ts";
