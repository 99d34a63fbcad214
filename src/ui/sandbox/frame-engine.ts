/**
 * The frame's side of the engine port: the engine calls cell code in the sandbox can make, each a
 * request to the app (engine-port.ts) with an id its reply repeats. Query results arrive as Arrow IPC
 * bytes and are decoded here, in the frame's realm.
 */
import { tableFromIPC, tableToIPC, type Table } from "apache-arrow";
import type { ColumnInfo, Engine, LoadResult } from "../../engine/engine.ts";
import {
  RemoteError,
  type RemoteArrowResult,
  type RemoteColumn,
  type RemoteQueryOptions,
} from "../../engine/remote/remote-engine.ts";
import type { EngineMethod, EngineReply, FrameResolution, RemoteQueryValue } from "./protocol.ts";
import { SandboxStopped } from "./sandbox-stopped.ts";

/**
 * The engine as the sandbox sees it: the runtime's `Engine`. Files are the app's business:
 * `loadFile(name, …)` asks the app to load the front matter's data source `name` (the app picks the
 * file; the frame's source is not sent), and `sniffCsv` refuses.
 */
export type FrameEngine = Engine & {
  query(sql: string, params?: readonly unknown[]): Promise<Table>;
  /** Asks the app to resolve front matter data source `name` (before its `loadFile`): options, checks, notes. */
  resolveData(name: string): Promise<FrameResolution>;
  /**
   * Asks the app to run `sql` on its connection `connection` (the app's front matter and credentials):
   * only the name, the SQL, the parameters and the row cap leave; aborting `signal` cancels it there.
   */
  remoteQuery(
    connection: string,
    sql: string,
    options?: RemoteQueryOptions,
  ): Promise<RemoteArrowResult & { columns: RemoteColumn[] }>;
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
  const pending = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void; onProgress?: RemoteQueryOptions["onProgress"] }
  >();
  port.onmessage = (event: MessageEvent<EngineReply>) => {
    const reply = event.data;
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    if ("progress" in reply) return waiting.onProgress?.(reply.progress);
    pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.value);
    // A remote failure stays a RemoteError of its kind: the runtime words a row cap as in the page.
    else if (reply.failure) waiting.reject(new RemoteError(reply.failure, reply.message));
    else waiting.reject(Object.assign(new Error(reply.message), { name: reply.name }));
  };
  // The app stopped serving (the frame is being torn down; in Node, the test's stop): nothing will answer.
  port.addEventListener("close", () => {
    for (const waiting of pending.values()) waiting.reject(new SandboxStopped());
    pending.clear();
  });
  const call = (method: EngineMethod, args: unknown[], options: Omit<RemoteQueryOptions, "params"> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject, ...(options.onProgress && { onProgress: options.onProgress }) });
      port.postMessage({ id, method, args });
      // The app cancels its request (and the server's query); its reply then says so.
      options.signal?.addEventListener(
        "abort",
        () => pending.has(id) && port.postMessage({ id: ++next, method: "cancelRemote", args: [id] }),
        { once: true },
      );
      if (options.signal?.aborted) port.postMessage({ id: ++next, method: "cancelRemote", args: [id] });
    });
  return {
    query: async (sql, params) =>
      tableFromIPC((await call("query", [sql, params ? [...params] : undefined])) as Uint8Array),
    exec: async (sql) => void (await call("exec", [sql])),
    describe: async (name) => (await call("describe", [name])) as ColumnInfo[],
    version: async () => (await call("version", [])) as string,
    insertArrow: async (name, table) => {
      const bytes = tableToIPC(table, "stream");
      await call("insertArrow", [name, bytes]);
    },
    resolveData: async (name) => (await call("resolveData", [name])) as FrameResolution,
    // The runtime's data node calls this with the table's name; only the name and parse options leave.
    loadFile: async (name, _source, options) => (await call("loadData", [name, options ?? {}])) as LoadResult,
    remoteQuery: async (connection, sql, { params = {}, maxRows, signal, onProgress } = {}) => {
      const value = (await call("remoteQuery", [connection, sql, { ...params }, maxRows], {
        ...(signal && { signal }),
        ...(onProgress && { onProgress }),
      })) as RemoteQueryValue;
      return { table: tableFromIPC(value.bytes), columns: value.columns, queryId: value.queryId };
    },
    sniffCsv: () => Promise.reject(new Error(NO_FILES)),
    // The app's engine outlives the frame; closing it is the app's decision.
    close: async () => {},
  };
}
