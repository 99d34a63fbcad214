/**
 * `npm run bench`: measures what analysts wait for, side by side with what they would otherwise use,
 * and writes BENCHMARKS.md and bench-results.json. Options: `--sizes 1000000,10000000` (rows for the
 * engine suite), `--only engine,runtime,app,cluster`, `--cluster-sizes 100000,1000000:10000,100000` (points
 * for the k-means figures, then after ":" for the O(n^2) silhouette figures).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { machine, type Figure } from "./harness.ts";
import { engineSuite } from "./suite-engine.ts";
import { runtimeSuite } from "./suite-runtime.ts";
import { appSuite } from "./suite-app.ts";
import { clusterSuite, DEFAULT_CLUSTER_SIZES, parseClusterSizes } from "./suite-cluster.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000000,10000000" },
    only: { type: "string" },
    "cluster-sizes": { type: "string", default: DEFAULT_CLUSTER_SIZES },
  },
});
const only = new Set((values.only ?? "engine,runtime,app,cluster").split(","));
const sizes = values.sizes!.split(",").map(Number);
const clusterSizes = parseClusterSizes(values["cluster-sizes"]!);
const log = (line: string) => console.error(`[bench] ${line}`);
const root = path.resolve(import.meta.dirname, "../..");

const figures: Figure[] = [];
const dir = mkdtempSync(path.join(tmpdir(), "segbook-bench-"));
try {
  if (only.has("runtime")) figures.push(...(await runtimeSuite()));
  if (only.has("engine")) figures.push(...(await engineSuite(sizes, dir, log)));
  if (only.has("app")) figures.push(...(await appSuite()));
  if (only.has("cluster")) figures.push(...(await clusterSuite(clusterSizes, dir, log)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const format = (value: number, unit: string) =>
  unit === "kB" ? `${value.toFixed(0)} kB` : value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(2)} ms`;
// Nine significant digits: ratios that agree to 1e-7 must not print as a plain 1.
const formatExtra = (v: number) => `${Number(v.toPrecision(9))}`;
const rows = figures.map((f) => {
  const baselines = Object.entries(f.baselines ?? {})
    .map(([name, v]) => `${name}: ${format(v, f.unit)} (ours ${(f.median / v).toFixed(2)}×)`)
    .join("<br>");
  const notes = [f.note, ...Object.entries(f.extra ?? {}).map(([name, v]) => `${name}: ${formatExtra(v)}`)];
  return `| ${f.suite} | ${f.name} | ${format(f.median, f.unit)} | ${f.runs} | ${baselines || "–"} | ${notes.filter(Boolean).join("<br>") || "–"} |`;
});
const clusterLines = figures.some((f) => f.suite === "cluster")
  ? `- Cluster suite: ours is Segbook's k-means / silhouette kernels in-process in Node (one thread, as in a Web
  Worker); baselines are scikit-learn (Debian \`/usr/bin/python3\`) on the same Gaussian-blob data file, with
  OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=1 and with its default threads; data loading is not timed.
`
  : "";
const markdown = `# Benchmarks

Produced by \`npm run bench\` (${new Date().toISOString().slice(0, 10)}); every figure is a median of the
runs shown, measured on one machine in one run:

- Machine: ${machine()}
- Ours: duckdb-wasm (single-threaded, as in the browser without COOP/COEP) through Segbook's engine and runtime.
- Baselines: native DuckDB (\`@duckdb/node-api\`) with 1 thread and all threads, on the same data.
${clusterLines}- "ours N×" is our median divided by the baseline's: above 1 means slower than the baseline.

| suite | figure | ours (median) | runs | baselines | notes |
| --- | --- | --- | --- | --- | --- |
${rows.join("\n")}
`;
writeFileSync(path.join(root, "BENCHMARKS.md"), markdown);
writeFileSync(path.join(root, "bench-results.json"), `${JSON.stringify({ machine: machine(), figures }, null, 2)}\n`);
console.log(markdown);
