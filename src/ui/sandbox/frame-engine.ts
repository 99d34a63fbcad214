/**
 * The frame's side of the engine port: the engine calls cell code in the sandbox can make, each a
 * request to the app (engine-port.ts) with an id its reply repeats. Query results arrive as Arrow IPC
 * bytes and are decoded here, in the frame's realm.
 */
import { tableFromIPC, type Table } from "apache-arrow";
import type { ColumnInfo } from "../../engine/engine.ts";
import type { EngineMethod, EngineReply } from "./protocol.ts";

/** The engine as the sandbox sees it. */
export interface FrameEngine {
  query(sql: string, params?: readonly unknown[]): Promise<Table>;
  exec(sql: string): Promise<void>;
  describe(name: string): Promise<ColumnInfo[]>;
  version(): Promise<string>;
}

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
  };
}
