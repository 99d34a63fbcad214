/**
 * The command as users run it, whole processes (Node's start, loading, the work, exit), median of 5:
 * - `segbook --help`: the command's start-up (the compiled CLI, bin/cli-build.js), against Node's own
 *   start (`node -e 0`), which no command can beat;
 * - the analyst task of issue 15 on Online Retail (scripts/bench/analyst-task.md: clean, RFM, k-means
 *   k = 4 nInit = 10 on log1p + standardized RFM, the segments CSV written with --out) with
 *   `segbook run` (wasm) and `segbook run --engine native`, against the same steps in pandas +
 *   scikit-learn (analyst_task.py, Debian's /usr/bin/python3), both with their default threads.
 * The three task commands take turns in each round, so a busy moment of the machine is shared by all
 * three instead of landing on one. Both sides' segment sizes are reported, and the k-means objective
 * (inertia) of each side's labels on the same features: many partitions of these customers are
 * within 0.1% of the best, so sizes can differ between equally good fits (scikit-learn's own seeds do).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { median, type Figure } from "./harness.ts";

const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "bin/segbook.js");
const NOTEBOOK = "scripts/bench/analyst-task.md";
const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(root, "scripts/bench/analyst_task.py");
const RETAIL = path.resolve(root, "../shared/datasets/online_retail/online_retail.csv");
const RUNS = 5;

/** Wall time of one whole process in ms; throws with its output when it fails. */
function wall(command: string, args: string[]): { ms: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
  const ms = performance.now() - start;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
  return { ms, stdout: result.stdout };
}

/** A segments CSV (customer_id, recency, frequency, monetary, cluster) by customer. */
function segmentsOf(file: string): Map<string, { rfm: number[]; cluster: string }> {
  const rows = new Map<string, { rfm: number[]; cluster: string }>();
  for (const line of readFileSync(file, "utf8").trim().split("\n").slice(1)) {
    const [id, r, f, m, cluster] = line.split(",");
    rows.set(id!, { rfm: [Number(r), Number(f), Number(m)], cluster: cluster! });
  }
  return rows;
}

/** Cluster sizes, largest first. */
function sizesOf(rows: Map<string, { cluster: string }>): number[] {
  const counts = new Map<string, number>();
  for (const { cluster } of rows.values()) counts.set(cluster, (counts.get(cluster) ?? 0) + 1);
  return [...counts.values()].sort((a, b) => b - a);
}

/**
 * Within-cluster sum of squares of a partition on log1p + standardized (population std) RFM: the
 * k-means objective, computed the same way for both sides' labels.
 */
function inertiaOf(rows: Map<string, { rfm: number[]; cluster: string }>): number {
  const points = [...rows.values()].map((row) => ({ x: row.rfm.map(Math.log1p), cluster: row.cluster }));
  for (let j = 0; j < 3; ++j) {
    const mean = points.reduce((sum, p) => sum + p.x[j]!, 0) / points.length;
    const std = Math.sqrt(points.reduce((sum, p) => sum + (p.x[j]! - mean) ** 2, 0) / points.length);
    for (const p of points) p.x[j] = (p.x[j]! - mean) / std;
  }
  const groups = new Map<string, { x: number[] }[]>();
  for (const p of points) groups.set(p.cluster, [...(groups.get(p.cluster) ?? []), p]);
  let inertia = 0;
  for (const members of groups.values()) {
    for (let j = 0; j < 3; ++j) {
      const mean = members.reduce((sum, p) => sum + p.x[j]!, 0) / members.length;
      for (const p of members) inertia += (p.x[j]! - mean) ** 2;
    }
  }
  return inertia;
}

/** The cli suite; `log` reports progress on stderr. */
export async function cliSuite(dir: string, log: (line: string) => void): Promise<Figure[]> {
  log("cli: segbook --help");
  wall(process.execPath, [bin, "--help"]); // warm-up: file cache, and a build made stale by an edit
  const help: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < RUNS; ++i) {
    help.push(wall(process.execPath, [bin, "--help"]).ms);
    node.push(wall(process.execPath, ["-e", "0"]).ms);
  }
  const figures: Figure[] = [
    {
      suite: "cli",
      name: "`segbook --help`, whole process",
      median: median(help),
      runs: RUNS,
      unit: "ms",
      baselines: { "`node -e 0` (Node's own start)": median(node) },
      note: "the compiled command (build/cli); `--help` loads no engine, runtime or package",
      extra: { "load average over the last minute, at the end": os.loadavg()[0]! },
    },
  ];
  if (!existsSync(RETAIL)) {
    log(`cli: ${RETAIL} is missing; the analyst task is not measured`);
    return figures;
  }
  const out = mkdtempSync(path.join(dir, "cli-task-"));
  const commands = {
    // The data lives outside the notebook's folder: named with --data, as least privilege asks.
    wasm: () =>
      wall(process.execPath, [bin, "run", NOTEBOOK, "--data", `retail=${RETAIL}`, "--out", path.join(out, "wasm")]),
    native: () =>
      wall(process.execPath, [
        bin,
        "run",
        NOTEBOOK,
        "--data",
        `retail=${RETAIL}`,
        "--engine",
        "native",
        "--out",
        path.join(out, "native"),
      ]),
    python: () => wall(PYTHON, [SCRIPT, RETAIL, path.join(out, "python.csv")]),
  };
  const times: Record<keyof typeof commands, number[]> = { wasm: [], native: [], python: [] };
  try {
    for (let round = 0; round <= RUNS; ++round) {
      for (const [name, run] of Object.entries(commands) as [keyof typeof commands, () => { ms: number }][]) {
        log(`cli: analyst task, ${name}, ${round === 0 ? "warm-up" : `run ${round} of ${RUNS}`}`);
        const { ms } = run();
        if (round > 0) times[name].push(ms);
      }
    }
    const python = segmentsOf(path.join(out, "python.csv"));
    const ours = {
      wasm: segmentsOf(path.join(out, "wasm/segments.csv")),
      native: segmentsOf(path.join(out, "native/segments.csv")),
    };
    const pandas = median(times.python);
    return [
      ...figures,
      ...(["wasm", "native"] as const).map((engine): Figure => ({
        suite: "cli",
        name: `analyst task on Online Retail (541,909 lines): \`segbook run${engine === "native" ? " --engine native" : ""}\`, whole process`,
        median: median(times[engine]),
        runs: RUNS,
        unit: "ms",
        baselines: { "pandas + scikit-learn, whole process": pandas },
        note:
          `clean, RFM, k-means k = 4 nInit = 10 on log1p + z RFM, segments CSV written; segment sizes ` +
          `${sizesOf(ours[engine]).join("/")}, scikit-learn's ${sizesOf(python).join("/")}`,
        extra: {
          "customers ours / scikit-learn": ours[engine].size / python.size,
          "inertia ours / scikit-learn": inertiaOf(ours[engine]) / inertiaOf(python),
          // Whole processes feel every other process on the machine: say how busy it was.
          "load average over the last minute, at the end": os.loadavg()[0]!,
        },
      })),
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
