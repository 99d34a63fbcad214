/**
 * The scaling curve: `seg.rfm` as a cell calls it, on 1M, 10M and 50M generated transactions with
 * `segbook run --engine native`'s engine (native DuckDB, all cores), and on 1M, 10M and then doubling
 * sizes in duckdb-wasm (as in the tab) until one does not fit, so a reader sees how the cost grows and
 * where the tab stops. Each wasm size runs on a fresh engine, as a tab that loads that much would.
 * Beside each point, the same RFM written by hand in native DuckDB with all threads, in the same run.
 * No warm-up runs: the big points are too long to repeat.
 */
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { createNativeEngine } from "../../src/engine/native.ts";
import { formatBytes } from "../../src/engine/memory-budget.ts";
import { createCellDb } from "../../src/runtime/cell-db.ts";
import { rfm } from "../../src/seg/rfm.ts";
import { time, type Figure } from "./harness.ts";
import { transactionsQuery } from "./data.ts";
import { nativeConnection } from "./native.ts";
import { RFM_CALL } from "./suite-rfm.ts";
import { RFM_HAND_SQL } from "./rfm-sql.ts";

/** Native engine points (transactions). */
const NATIVE_SIZES = [1e6, 10e6, 50e6];
/** Wasm points: these, then doubling from the last until a size fails (at most {@link WASM_CEILING}). */
const WASM_SIZES = [1e6, 10e6];
const WASM_CEILING = 80e6;

const label = (rows: number) => `${rows / 1e6}M`;

/** seg.rfm on table `tx` of `engine`, as a cell re-run (the previous run's table dropped first). */
function rfmRunner(engine: Engine): { run: () => Promise<void>; dispose: () => Promise<void> } {
  let previous: (() => Promise<void>) | undefined;
  return {
    async run() {
      await previous?.();
      const cell = createCellDb(engine);
      previous = cell.dispose;
      await rfm({ db: cell.db, seed: 42 }, "tx", RFM_CALL);
    },
    dispose: async () => previous?.(),
  };
}

/** Bytes DuckDB holds in `engine` (its own accounting), for the wasm points' notes. */
async function heldBytes(engine: Engine): Promise<number> {
  const result = await engine.query("SELECT sum(memory_usage_bytes)::DOUBLE AS used FROM duckdb_memory()");
  return Number(result.getChild("used")?.get(0) ?? 0);
}

/** The hand-written RFM on `rows` transactions in native DuckDB with all threads (table made, then dropped). */
async function handRfm(
  nativeAll: Awaited<ReturnType<typeof nativeConnection>>,
  rows: number,
  runs: number,
): Promise<number> {
  await nativeAll.run(`CREATE OR REPLACE TABLE tx AS ${transactionsQuery(rows)}`);
  const hand = await time(() => nativeAll.run(`CREATE OR REPLACE TEMP TABLE rfm_hand AS ${RFM_HAND_SQL}`), runs, 0);
  await nativeAll.run("DROP TABLE IF EXISTS rfm_hand; DROP TABLE tx");
  return hand;
}

/** One point of the curve: ours against the hand SQL, with the cost per million transactions. */
function point(name: string, rows: number, runs: number, ours: number, hand: number, note: string): Figure {
  return {
    suite: "scaling",
    name,
    median: ours,
    runs,
    unit: "ms",
    baselines: { "same SQL by hand, native DuckDB, all threads": hand },
    note,
    extra: { "ms per million transactions": ours / (rows / 1e6) },
  };
}

/**
 * Measures the scaling curve; `log` reports progress.
 * @example figures.push(...(await scalingSuite(log)));
 */
export async function scalingSuite(log: (line: string) => void): Promise<Figure[]> {
  const figures: Figure[] = [];
  const nativeAll = await nativeConnection("all");
  try {
    const native = await createNativeEngine();
    try {
      for (const rows of NATIVE_SIZES) {
        const runs = rows >= 50e6 ? 1 : rows >= 10e6 ? 2 : 3;
        await native.exec(`CREATE OR REPLACE TABLE tx AS ${transactionsQuery(rows)}`);
        const runner = rfmRunner(native);
        const ours = await time(runner.run, runs, 0);
        await runner.dispose();
        await native.exec("DROP TABLE tx");
        figures.push(
          point(
            `RFM through seg.rfm, ${label(rows)} transactions, --engine native`,
            rows,
            runs,
            ours,
            await handRfm(nativeAll, rows, runs),
            "native DuckDB (@duckdb/node-api, all cores) as `segbook run --engine native` opens it; table made in the engine, only the RFM timed",
          ),
        );
        log(`scaling: native ${label(rows)} done`);
      }
    } finally {
      await native.close();
    }

    let largest = 0;
    let stop: string | undefined;
    const sizes = [...WASM_SIZES];
    while (sizes.length) {
      const rows = sizes.shift()!;
      const engine = await createNodeEngine();
      try {
        await engine.exec(`CREATE TABLE tx AS ${transactionsQuery(rows)}`);
        const runner = rfmRunner(engine);
        const runs = rows >= 10e6 ? 1 : 3;
        const ours = await time(runner.run, runs, 0);
        const held = await heldBytes(engine);
        await runner.dispose();
        figures.push(
          point(
            `RFM through seg.rfm, ${label(rows)} transactions, duckdb-wasm (as in the tab)`,
            rows,
            runs,
            ours,
            await handRfm(nativeAll, rows, runs),
            `one fresh duckdb-wasm engine per size; DuckDB held ${formatBytes(held)} after the RFM`,
          ),
        );
        largest = rows;
        log(`scaling: wasm ${label(rows)} done`);
        if (!sizes.length && rows >= WASM_SIZES.at(-1)! && rows * 2 <= WASM_CEILING) sizes.push(rows * 2);
      } catch (error) {
        stop = `${label(rows)} transactions failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
        log(`scaling: wasm ${stop}`);
      } finally {
        await engine.close().catch(() => {});
      }
    }
    figures.push({
      suite: "scaling",
      name: "largest RFM that ran in duckdb-wasm (the tab's limit)",
      median: largest / 1e6,
      runs: 1,
      unit: "M rows",
      note:
        (stop ? `the next size, ${stop}` : `every size up to ${label(WASM_CEILING)} ran`) +
        "; duckdb-wasm is 32-bit WebAssembly (one 4 GiB address space), in a tab as in Node",
    });
  } finally {
    nativeAll.close();
  }
  return figures;
}
