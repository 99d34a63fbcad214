/**
 * Parquet ingest in wasm on the generated orders (`segbook generate --customers 90000`: 1,044,966
 * orders, the file of issue #15): duckdb-wasm through parquet-wasm (as the browser and `segbook run`
 * load it), the same with `columns` (3 of 10), and the JavaScript reader it replaced (hyparquet ->
 * Arrow JS -> insertArrow), each against native DuckDB at 1 thread reading the same columns.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { writeShopFiles } from "../../src/cli/shop-files.ts";
import type { Engine } from "../../src/engine/engine.ts";
import { parquetToArrow } from "../../src/engine/parquet-to-arrow.ts";
import { time, type Figure } from "./harness.ts";
import type { nativeConnection } from "./native.ts";

type NativeConnection = Awaited<ReturnType<typeof nativeConnection>>;

/** The three columns an RFM reads. */
const RFM_COLUMNS = ["customer_id", "order_date", "amount"];

/** Parquet ingest figures for the generated orders, written into `dir`. */
export async function parquetWasmFigures(
  engine: Engine,
  native1: NativeConnection,
  dir: string,
  log: (line: string) => void,
): Promise<Figure[]> {
  const shop = path.join(dir, "shop");
  const counts = writeShopFiles({ customers: 90_000, seed: 42, accounts: 9000 }, shop, "parquet");
  const file = path.join(shop, "orders.parquet");
  const label = `generated orders (${counts.orders.toLocaleString("en-US")} rows)`;
  log(`parquet: ${label} written`);
  const runs = 5;
  const nativeLoad = (columns?: string[]) => () =>
    native1.run(
      `CREATE OR REPLACE TABLE o AS SELECT ${columns ? columns.join(", ") : "*"} FROM read_parquet('${file}')`,
    );
  const figures: Figure[] = [];
  figures.push({
    suite: "load",
    name: `load Parquet in wasm (parquet-wasm), ${label}`,
    median: await time(() => engine.loadFile("o", { kind: "path", path: file }), runs),
    runs,
    unit: "ms",
    baselines: { "native DuckDB, 1 thread": await time(nativeLoad(), runs) },
    note: "file read, sha256, decode in WebAssembly, Arrow IPC appended batch by batch",
  });
  figures.push({
    suite: "load",
    name: `load Parquet in wasm, columns: 3 of 10, ${label}`,
    median: await time(() => engine.loadFile("o", { kind: "path", path: file }, { columns: RFM_COLUMNS }), runs),
    runs,
    unit: "ms",
    baselines: { "native DuckDB, 1 thread": await time(nativeLoad(RFM_COLUMNS), runs) },
  });
  const bytes = new Uint8Array(readFileSync(file));
  figures.push({
    suite: "load",
    name: `load Parquet in wasm, JavaScript reader (hyparquet, before parquet-wasm), ${label}`,
    median: await time(async () => engine.insertArrow("o", await parquetToArrow(bytes)), 3),
    runs: 3,
    unit: "ms",
    baselines: { "native DuckDB, 1 thread": await time(nativeLoad(), runs) },
    note: "decode only (no file read or sha256): kept for nested columns, UUID, FLOAT16, INT96",
  });
  log("parquet: generated orders done");
  return figures;
}
