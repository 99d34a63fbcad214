/**
 * Engine figures: loading CSV and Parquet, and the RFM aggregation, in our engine (duckdb-wasm, as
 * the browser and `segbook run` use it) against native DuckDB with one thread and with all threads.
 */
import path from "node:path";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { time, type Figure } from "./harness.ts";
import { rfmFigures } from "./suite-rfm.ts";
import { transactionsQuery } from "./data.ts";
import { nativeConnection } from "./native.ts";
import { nativeIngestFigures } from "./suite-native-ingest.ts";
import { parquetWasmFigures } from "./suite-parquet.ts";

/** Options of {@link engineSuite}. */
export interface EngineSuiteOptions {
  /** Time loading CSV and Parquet files (default true); false measures only the RFM figures. */
  loads?: boolean;
}

type NativeConnection = Awaited<ReturnType<typeof nativeConnection>>;

/** Loads of CSV and Parquet files of `rows` transactions (written into `dir`) in every engine. */
async function loadFigures(
  engine: Engine,
  rows: number,
  label: string,
  runs: number,
  dir: string,
  { writer, native1, nativeAll }: { writer: NativeConnection; native1: NativeConnection; nativeAll: NativeConnection },
  log: (line: string) => void,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const csv = path.join(dir, `tx-${label}.csv`);
  const parquet = path.join(dir, `tx-${label}.parquet`);
  await writer.run(`COPY (${transactionsQuery(rows)}) TO '${csv}' (HEADER)`);
  await writer.run(`COPY (${transactionsQuery(rows)}) TO '${parquet}' (FORMAT parquet)`);
  log(`engine: data for ${label} rows written`);

  const loadNative = (kind: "csv" | "parquet", c: typeof native1) => () =>
    c.run(
      `CREATE OR REPLACE TABLE tx AS SELECT * FROM ${kind === "csv" ? `read_csv('${csv}')` : `read_parquet('${parquet}')`}`,
    );
  for (const kind of ["csv", "parquet"] as const) {
    const file = kind === "csv" ? csv : parquet;
    const ours = await time(() => engine.loadFile("tx", { kind: "path", path: file }), runs);
    figures.push({
      suite: "load",
      name: `load ${kind.toUpperCase()}, ${label} rows`,
      median: ours,
      runs,
      unit: "ms",
      baselines: {
        "native DuckDB, 1 thread": await time(loadNative(kind, native1), runs),
        "native DuckDB, all threads": await time(loadNative(kind, nativeAll), runs),
      },
    });
    log(`engine: load ${kind} ${label} done`);
  }
  return figures;
}

/** Runs the engine suite for each size (rows), writing data files into `dir`. */
export async function engineSuite(
  sizes: number[],
  dir: string,
  log: (line: string) => void,
  options: EngineSuiteOptions = {},
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const writer = await nativeConnection("all");
  const native1 = await nativeConnection(1);
  const nativeAll = await nativeConnection("all");
  const engine = await createNodeEngine();
  try {
    if (options.loads !== false) figures.push(...(await parquetWasmFigures(engine, native1, dir, log)));
    for (const rows of sizes) {
      const label = rows >= 1e6 ? `${rows / 1e6}M` : `${rows / 1e3}k`;
      const runs = rows >= 5e6 ? 2 : 3;
      if (options.loads !== false)
        figures.push(...(await loadFigures(engine, rows, label, runs, dir, { writer, native1, nativeAll }, log)));

      // The aggregation runs on tables made by the same SQL everywhere, so only the RFM itself is timed.
      await engine.exec(`CREATE OR REPLACE TABLE tx AS ${transactionsQuery(rows)}`);
      await native1.run(`CREATE OR REPLACE TABLE tx AS ${transactionsQuery(rows)}`);
      await nativeAll.run(`CREATE OR REPLACE TABLE tx AS ${transactionsQuery(rows)}`);
      figures.push(...(await rfmFigures(engine, { native1, nativeAll }, label, Math.max(runs, 3))));
      log(`engine: rfm ${label} done`);
    }
    // `--engine native` ingest of the generated orders (Parquet and CSV) against native DuckDB.
    if (options.loads !== false) figures.push(...(await nativeIngestFigures(dir, log)));
  } finally {
    await engine.close();
    writer.close();
    native1.close();
    nativeAll.close();
  }
  return figures;
}
