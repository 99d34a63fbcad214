/**
 * The RFM figures of the engine suite: `seg.rfm` as a notebook cell calls it (a cell's db, its result
 * table created and owned by the cell) against the same computation written by hand as one SQL
 * statement (rfm-sql.ts) on the same duckdb-wasm engine, and that statement in native DuckDB with one
 * thread and with all threads. Before timing, the two results are compared row for row, so the
 * figures compare the same work.
 */
import type { Engine } from "../../src/engine/engine.ts";
import { createCellDb } from "../../src/runtime/cell-db.ts";
import { rfm } from "../../src/seg/rfm.ts";
import type { RfmOptions } from "../../src/seg/rfm.ts";
import { median, time, type Figure } from "./harness.ts";
import { RFM_HAND_SQL } from "./rfm-sql.ts";

/** A native connection as nativeConnection() makes it. */
interface NativeRunner {
  run(sql: string): Promise<void>;
}

/** The call a cell makes on the bench's transactions table (defaults: quintiles, "rf10" segments). */
export const RFM_CALL: RfmOptions = {
  id: "customer_id",
  date: "order_date",
  amount: "amount",
  invoice: "invoice",
};

/**
 * Like harness.ts's time(), for two functions whose ratio is the figure: their runs alternate
 * (a, b, a, b, …) so that a busy spell of the shared machine slows both rather than one of them.
 */
async function timeAlternating(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  runs: number,
): Promise<[number, number]> {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; ++i) {
    for (const [k, fn] of [a, b].entries()) {
      const start = performance.now();
      await fn();
      times[k]!.push(performance.now() - start);
    }
  }
  return [median(times[0]), median(times[1])];
}

/** Rows in one table and not the other (both ways), ignoring order. */
async function differingRows(engine: Engine, a: string, b: string): Promise<number> {
  const result = await engine.query(`SELECT
    (SELECT count(*) FROM (FROM ${a} EXCEPT ALL FROM ${b})) + (SELECT count(*) FROM (FROM ${b} EXCEPT ALL FROM ${a})) AS n`);
  return Number(result.getChild("n")!.get(0));
}

/**
 * Times seg.rfm and the hand-written SQL on table `tx` (already in `engine` and both native
 * connections) and returns two figures: seg.rfm against the hand SQL (same engine) and native DuckDB,
 * and the hand SQL in duckdb-wasm against native DuckDB.
 */
export async function rfmFigures(
  engine: Engine,
  native: { native1: NativeRunner; nativeAll: NativeRunner },
  label: string,
  runs: number,
): Promise<Figure[]> {
  // Each run is a cell re-run: the previous run's tables are dropped first (as CREATE OR REPLACE does
  // for the hand SQL), then seg.rfm makes its own.
  let previous: (() => Promise<void>) | undefined;
  let lastResult = "";
  const segRfm = async () => {
    await previous?.();
    const cell = createCellDb(engine);
    previous = cell.dispose;
    lastResult = (await rfm({ db: cell.db, seed: 42 }, "tx", RFM_CALL)).name;
  };
  const hand = (run: (sql: string) => Promise<unknown>) => () =>
    run(`CREATE OR REPLACE TEMP TABLE rfm_hand AS ${RFM_HAND_SQL}`);

  await segRfm();
  await hand((sql) => engine.query(sql))();
  const differing = await differingRows(engine, `temp."${lastResult}"`, "temp.rfm_hand");
  if (differing !== 0) throw new Error(`bench: seg.rfm and the hand-written RFM SQL differ in ${differing} rows`);

  const [ours, handWasm] = await timeAlternating(
    segRfm,
    hand((sql) => engine.query(sql)),
    runs,
  );
  await previous?.();
  const native1 = await time(hand(native.native1.run), runs);
  const nativeAll = await time(hand(native.nativeAll.run), runs);
  const note = "quintile scores as pandas qcut, rf10 segments; seg.rfm's table checked equal to the hand SQL's";
  return [
    {
      suite: "rfm",
      name: `RFM through seg.rfm (duckdb-wasm), ${label} transactions`,
      median: ours,
      runs,
      unit: "ms",
      baselines: {
        "same SQL by hand, duckdb-wasm": handWasm,
        "same SQL by hand, native DuckDB, 1 thread": native1,
        "same SQL by hand, native DuckDB, all threads": nativeAll,
      },
      note,
    },
    {
      suite: "rfm",
      name: `RFM as hand-written SQL (duckdb-wasm), ${label} transactions`,
      median: handWasm,
      runs,
      unit: "ms",
      baselines: { "native DuckDB, 1 thread": native1, "native DuckDB, all threads": nativeAll },
      note: "the one statement seg.rfm is compared with",
    },
  ];
}
