/**
 * The frame's side of the engine port: the engine calls cell code in the sandbox can make, each a
 * request to the app (engine-port.ts) with an id its reply repeats. Query results arrive as Arrow IPC
 * bytes and are decoded here, in the frame's realm.
 */
import { tableFromIPC, tableToIPC, type Table } from "apache-arrow";
import type { ColumnInfo, Engine, LoadResult } from "../../engine/engine.ts";
import type { EngineMethod, EngineReply, FrameResolution } from "./protocol.ts";

/**
 * The engine as the sandbox sees it: the runtime's `Engine`. Files are the app's business:
 * `loadFile(name, …)` asks the app to load the front matter's data source `name` (the app picks the
 * file; the frame's source is not sent), and `sniffCsv` refuses.
 */
export type FrameEngine = Engine & {
  query(sql: string, params?: readonly unknown[]): Promise<Table>;
  /** Asks the app to resolve front matter data source `name` (before its `loadFile`): options, checks, notes. */
  resolveData(name: string): Promise<FrameResolution>;
};

const NO_FILES = "Files are loaded by the app, not in the cell sandbox: name the file in the front matter's data";

/**
 * The engine behind `port`.
 *
 * @example
 * const engine = frameEngine(port);
 * const table = await engine.query("SELECT 42 AS answer");
 */
export function frameEngine(port: MessagePort): FrameEngine {
  let next = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  port.onmessage = (event: MessageEvent<EngineReply>) => {
    const reply = event.data;
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(Object.assign(new Error(reply.message), { name: reply.name }));
  };
  const call = (method: EngineMethod, ...args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      port.postMessage({ id, method, args });
    });
  return {
    query: async (sql, params) =>
      tableFromIPC((await call("query", sql, params ? [...params] : undefined)) as Uint8Array),
    exec: async (sql) => void (await call("exec", sql)),
    describe: async (name) => (await call("describe", name)) as ColumnInfo[],
    version: async () => (await call("version")) as string,
    insertArrow: async (name, table) => {
      const bytes = tableToIPC(table, "stream");
      await call("insertArrow", name, bytes);
    },
    resolveData: async (name) => (await call("resolveData", name)) as FrameResolution,
    // The runtime's data node calls this with the table's name; only the name and parse options leave.
    loadFile: async (name, _source, options) => (await call("loadData", name, options ?? {})) as LoadResult,
    sniffCsv: () => Promise.reject(new Error(NO_FILES)),
    // The app's engine outlives the frame; closing it is the app's decision.
    close: async () => {},
  };
}
