/**
 * `npm run bench`: measures what analysts wait for, side by side with what they would otherwise use,
 * and writes BENCHMARKS.md and bench-results.json. Options: `--sizes 1000000,10000000` (rows for the
 * engine suite), `--only engine,runtime,app,cluster`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { machine, type Figure } from "./harness.ts";
import { engineSuite } from "./suite-engine.ts";
import { runtimeSuite } from "./suite-runtime.ts";
import { appSuite } from "./suite-app.ts";

const { values } = parseArgs({
  options: { sizes: { type: "string", default: "1000000,10000000" }, only: { type: "string" } },
});
const only = new Set((values.only ?? "engine,runtime,app").split(","));
const sizes = values.sizes!.split(",").map(Number);
const log = (line: string) => console.error(`[bench] ${line}`);
const root = path.resolve(import.meta.dirname, "../..");

const figures: Figure[] = [];
const dir = mkdtempSync(path.join(tmpdir(), "segbook-bench-"));
try {
  if (only.has("runtime")) figures.push(...(await runtimeSuite()));
  if (only.has("engine")) figures.push(...(await engineSuite(sizes, dir, log)));
  if (only.has("app")) figures.push(...(await appSuite()));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const format = (value: number, unit: string) =>
  unit === "kB" ? `${value.toFixed(0)} kB` : value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(2)} ms`;
const rows = figures.map((f) => {
  const baselines = Object.entries(f.baselines ?? {})
    .map(([name, v]) => `${name}: ${format(v, f.unit)} (ours ${(f.median / v).toFixed(2)}×)`)
    .join("<br>");
  return `| ${f.suite} | ${f.name} | ${format(f.median, f.unit)} | ${f.runs} | ${baselines || "–"} |${f.note ? ` ${f.note}` : ""}`;
});
const markdown = `# Benchmarks

Produced by \`npm run bench\` (${new Date().toISOString().slice(0, 10)}); every figure is a median of the
runs shown, measured on one machine in one run:

- Machine: ${machine()}
- Ours: duckdb-wasm (single-threaded, as in the browser without COOP/COEP) through Segbook's engine and runtime.
- Baselines: native DuckDB (\`@duckdb/node-api\`) with 1 thread and all threads, on the same data.
- "ours N×" is our median divided by the baseline's: above 1 means slower than the baseline.

| suite | figure | ours (median) | runs | baselines |
| --- | --- | --- | --- | --- |
${rows.join("\n")}
`;
writeFileSync(path.join(root, "BENCHMARKS.md"), markdown);
writeFileSync(path.join(root, "bench-results.json"), `${JSON.stringify({ machine: machine(), figures }, null, 2)}\n`);
console.log(markdown);
