/**
 * Where a CSV load's time goes in duckdb-wasm (the Node bundle, as `segbook run` and the engine bench
 * use it): every SQL statement and driver call loadFile makes, with its time, for one file.
 * Not a benchmark row: a tool for reading before changing the CSV path.
 *
 * Run: `npx tsx scripts/bench/csv-profile.ts FILE [runs]`
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { createDuckDB, NODE_RUNTIME, VoidLogger } from "@duckdb/duckdb-wasm/blocking";
import type { EngineDriver } from "../../src/engine/driver.ts";
import { createEngineCore } from "../../src/engine/engine-core.ts";
import { nodeReader } from "../../src/engine/node.ts";

const file = process.argv[2]!;
const runs = Number(process.argv[3] ?? 3);
const require = createRequire(import.meta.url);
const bundles = {
  mvp: { mainModule: require.resolve("@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm"), mainWorker: "" },
  eh: { mainModule: require.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm"), mainWorker: "" },
};
const db = await createDuckDB(bundles, new VoidLogger(), NODE_RUNTIME);
await db.instantiate(() => undefined);
db.open({});
const conn = db.connect().useUnsafe((_b: unknown, id: number) => id);
const log: string[] = [];
const timed = <T>(what: string, f: () => T): T => {
  const t0 = performance.now();
  const r = f();
  log.push(`${(performance.now() - t0).toFixed(1).padStart(8)} ms  ${what.replace(/\s+/g, " ").slice(0, 160)}`);
  return r;
};
const driver: EngineDriver = {
  takesBuffers: false,
  query: (sql) => timed(sql, () => db.runQuery(conn, sql)),
  prepareQuery(sql, params) {
    return timed(`prepared ${sql}`, () => {
      const s = db.createPrepared(conn, sql);
      try {
        return db.runPrepared(conn, s, params);
      } finally {
        db.closePrepared(conn, s);
      }
    });
  },
  registerBuffer: (name, bytes) =>
    timed(`registerFileBuffer ${name} ${bytes.length}`, () => db.registerFileBuffer(name, bytes)),
  insertArrow: (t, ipc) => db.insertArrowFromIPCStream(conn, ipc, { name: t }),
  insertJSON: (f, t) => db.insertJSONFromPath(conn, f, { name: t }),
  dropFile: (f) => timed(`dropFile ${f}`, () => db.dropFile(f)),
  version: () => db.getVersion(),
  close() {},
};
const engine = await createEngineCore(driver, nodeReader({}));
void readFileSync;
for (let i = 0; i < runs; ++i) {
  log.length = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await engine.loadFile("orders", { kind: "path", path: file });
  const total = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // CPU time of the whole process (every thread): less swayed than wall time by a busy machine.
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `--- run ${i + 1}: ${total.toFixed(0)} ms (process CPU ${cpuMs.toFixed(0)} ms), ${result.numRows} rows, notes ${JSON.stringify(result.notes)}`,
  );
  const sum = log.reduce((s, l) => s + Number(l.trim().split(" ")[0]), 0);
  console.log(log.join("\n"));
  console.log(
    `   (SQL and driver calls ${sum.toFixed(0)} ms; the rest, reading and hashing in JS, ${(total - sum).toFixed(0)} ms)`,
  );
}
