/**
 * `npm run bench`: measures what analysts wait for, side by side with what they would otherwise use,
 * and writes BENCHMARKS.md and bench-results.json. Options: `--sizes 1000000,10000000` (rows for the
 * engine suite), `--only engine,runtime,scaling,app,hash,cluster,cli` (cli: the command as whole processes;
 * scaling: RFM at growing sizes on both engines; hash: SHA-256 of 1 GiB in Chromium),
 * `--cluster-sizes 100000,1000000:10000,100000` (points for the k-means figures, then after ":" for the
 * O(n^2) silhouette figures), `--out DIR` (where the two files go; default the repository root),
 * `--skip-loads` (the engine suite without its CSV/Parquet load figures). With `--only`, figures of
 * the other suites are kept from the existing bench-results.json in that directory, each with the
 * date it was measured, so re-measuring one suite does not throw away the rest.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { machine, type Figure } from "./harness.ts";
import { engineSuite } from "./suite-engine.ts";
import { runtimeSuite } from "./suite-runtime.ts";
import { appSuite } from "./suite-app.ts";
import { clusterSuite, DEFAULT_CLUSTER_SIZES, parseClusterSizes } from "./suite-cluster.ts";
import { cliSuite } from "./suite-cli.ts";
import { scalingSuite } from "./suite-scaling.ts";
import { hashSuite } from "./suite-hash.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000000,10000000" },
    only: { type: "string" },
    "cluster-sizes": { type: "string", default: DEFAULT_CLUSTER_SIZES },
    out: { type: "string" },
    "skip-loads": { type: "boolean", default: false },
  },
});
const SUITES = ["runtime", "engine", "scaling", "app", "hash", "cluster", "cli"];
const only = new Set((values.only ?? SUITES.join(",")).split(","));
const sizes = values.sizes!.split(",").map(Number);
const clusterSizes = parseClusterSizes(values["cluster-sizes"]!);
const log = (line: string) => console.error(`[bench] ${line}`);
const root = path.resolve(import.meta.dirname, "../..");
const outDir = path.resolve(values.out ?? root);
const today = new Date().toISOString().slice(0, 10);

const figures: Figure[] = [];
const dir = mkdtempSync(path.join(tmpdir(), "segbook-bench-"));
// A suite that fails is reported and the run goes on, so the other suites' figures are still written.
const failed: string[] = [];
const suites: Record<string, () => Promise<Figure[]>> = {
  runtime: () => runtimeSuite(),
  engine: () => engineSuite(sizes, dir, log, { loads: !values["skip-loads"] }),
  scaling: () => scalingSuite(log),
  app: () => appSuite(),
  hash: () => hashSuite(),
  cluster: () => clusterSuite(clusterSizes, dir, log),
  cli: () => cliSuite(dir, log),
};
try {
  for (const name of SUITES) {
    if (!only.has(name)) continue;
    try {
      figures.push(...(await suites[name]!()));
    } catch (error) {
      failed.push(name);
      log(`${name} suite failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
for (const f of figures) f.date = today;
const resultsFile = path.join(outDir, "bench-results.json");
if ((values.only !== undefined || failed.length > 0) && existsSync(resultsFile)) {
  // Keep the suites not re-measured, in suite order, each figure with its own date.
  const previous = (JSON.parse(readFileSync(resultsFile, "utf8")) as { figures: Figure[] }).figures;
  // The engine suite's figures are labelled "load" and "rfm"; --skip-loads keeps the earlier loads.
  const runner = (f: Figure) => (f.suite === "load" || f.suite === "rfm" ? "engine" : f.suite);
  // A suite re-run in full replaces all its figures; a partial run (--skip-loads, --cluster-sizes, or
  // --sizes) replaces only the figures it measured again, by name.
  const partial =
    values["skip-loads"] || process.argv.some((a) => a.startsWith("--cluster-sizes") || a.startsWith("--sizes"));
  const measured = new Set(figures.map((f) => f.name));
  const kept = previous.filter((f) =>
    partial || failed.includes(runner(f)) ? !measured.has(f.name) : !only.has(runner(f)),
  );
  const merged = [...kept, ...figures];
  merged.sort((a, b) => SUITES.indexOf(runner(a)) - SUITES.indexOf(runner(b)));
  figures.splice(0, figures.length, ...merged);
}
const dates = [...new Set(figures.map((f) => f.date ?? "an earlier run"))].sort();
const separately = values.only !== undefined;

const format = (value: number, unit: string) =>
  unit === "kB"
    ? `${value.toFixed(0)} kB`
    : unit === "M rows"
      ? `${value}M rows`
      : value >= 100
        ? `${value.toFixed(0)} ms`
        : `${value.toFixed(2)} ms`;
// Nine significant digits: ratios that agree to 1e-7 must not print as a plain 1.
const formatExtra = (v: number) => `${Number(v.toPrecision(9))}`;
const rows = figures.map((f) => {
  const baselines = Object.entries(f.baselines ?? {})
    .map(([name, v]) => `${name}: ${format(v, f.unit)} (ours ${(f.median / v).toFixed(2)}×)`)
    .join("<br>");
  const dated = dates.length > 1 ? `measured ${f.date ?? "earlier"}` : undefined;
  const notes = [f.note, dated, ...Object.entries(f.extra ?? {}).map(([name, v]) => `${name}: ${formatExtra(v)}`)];
  return `| ${f.suite} | ${f.name} | ${format(f.median, f.unit)} | ${f.runs} | ${baselines || "–"} | ${notes.filter(Boolean).join("<br>") || "–"} |`;
});
const clusterLines = figures.some((f) => f.suite === "cluster")
  ? `- Cluster suite: ours is Segbook's k-means / silhouette kernels in Node, in-process on one thread (as one Web
  Worker runs them) and, in the rows marked "worker threads", split over a pool of worker threads as the browser's
  Web Worker pool splits them (same results bit for bit); baselines are scikit-learn (Debian \`/usr/bin/python3\`)
  on the same Gaussian-blob data file, with OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=1 and with its default threads;
  data loading is not timed.
`
  : "";
const markdown = `# Benchmarks

Produced by \`npm run bench\` (${dates.join(", ")}); every figure is a median of the runs shown, measured on
one machine${separately ? " (suites measured in separate runs with `--only`; each figure's ours and baselines in the same run)" : " in one run"}:

- Machine: ${machine()}
- Ours: duckdb-wasm (single-threaded, as in the browser without COOP/COEP) through Segbook's engine and runtime.
- Baselines: native DuckDB (\`@duckdb/node-api\`) with 1 thread and all threads, on the same data.
${clusterLines}- "ours N×" is our median divided by the baseline's: above 1 means slower than the baseline.

| suite | figure | ours (median) | runs | baselines | notes |
| --- | --- | --- | --- | --- | --- |
${rows.join("\n")}
`;
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, "BENCHMARKS.md"), markdown);
writeFileSync(resultsFile, `${JSON.stringify({ machine: machine(), figures }, null, 2)}\n`);
console.log(markdown);
if (failed.length) {
  log(`failed: ${failed.join(", ")} (their earlier figures, if any, were kept)`);
  process.exitCode = 1;
}
