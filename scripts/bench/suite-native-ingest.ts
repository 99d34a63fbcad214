/**
 * Ingest through `segbook run --engine native`'s load path (createNativeEngine().loadFile on a path,
 * as the CLI loads front-matter data: the file hashed, read by native DuckDB's own read_parquet /
 * read_csv, its column notes computed) against native DuckDB with 1 thread (and all threads) running
 * `CREATE TABLE AS SELECT * FROM read_parquet/read_csv` on the same file, in the same run. The data
 * is the generated shop's orders (`segbook generate --customers 90000`: 1,044,966 rows).
 */
import path from "node:path";
import { createNativeEngine } from "../../src/engine/native.ts";
import { shopFile, writeShopFiles } from "../../src/cli/shop-files.ts";
import { time, type Figure } from "./harness.ts";
import { nativeConnection } from "./native.ts";

/** Customers generated: 90,000 give 1,044,966 orders (seed 42), the measurement. */
const CUSTOMERS = 90_000;

/**
 * Times loading the generated orders as Parquet and as CSV through the native engine and through
 * native DuckDB, writing the files into `dir`.
 * @example figures.push(...(await nativeIngestFigures(dir, log)));
 */
export async function nativeIngestFigures(dir: string, log: (line: string) => void, runs = 3): Promise<Figure[]> {
  const figures: Figure[] = [];
  const native1 = await nativeConnection(1);
  const nativeAll = await nativeConnection("all");
  // As `segbook run --engine native` opens it: DuckDB's default threads.
  const engine = await createNativeEngine();
  try {
    for (const format of ["parquet", "csv"] as const) {
      const shop = path.join(dir, `shop-${format}`);
      const counts = writeShopFiles({ customers: CUSTOMERS, seed: 42 }, shop, format);
      const file = shopFile(shop, "orders", format);
      log(`engine: generated ${counts.orders} orders as ${format}`);
      const reader = format === "csv" ? "read_csv" : "read_parquet";
      const baseline = (c: typeof native1) => () =>
        c.run(`CREATE OR REPLACE TABLE orders AS SELECT * FROM ${reader}('${file.replaceAll("'", "''")}')`);
      const ours = await time(() => engine.loadFile("orders", { kind: "path", path: file }), runs);
      figures.push({
        suite: "load",
        name: `load ${format === "csv" ? "CSV" : "Parquet"}, generated orders (${counts.orders.toLocaleString("en-US")} rows), --engine native`,
        median: ours,
        runs,
        unit: "ms",
        baselines: {
          "native DuckDB, 1 thread": await time(baseline(native1), runs),
          "native DuckDB, all threads": await time(baseline(nativeAll), runs),
        },
        note:
          "ours here: `segbook run --engine native`'s loadFile on the path (default threads; sha256, DuckDB's own " +
          "reader, column notes) against CREATE TABLE AS SELECT * FROM read_*",
      });
      log(`engine: native ingest ${format} done`);
    }
  } finally {
    await engine.close();
    native1.close();
    nativeAll.close();
  }
  return figures;
}
