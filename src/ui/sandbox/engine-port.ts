/**
 * The app's side of the sandbox's engine port: answers the frame's engine requests (protocol.ts) on
 * the app's DuckDB, after locking it. Cells in the frame reach data only through here, so DuckDB must
 * not reach anything itself: `enable_external_access = false` closes files and URLs (`read_csv('https://…')`,
 * `ATTACH`, `COPY … TO`, `INSTALL`/`LOAD`) and `lock_configuration` keeps a cell from setting it back.
 * This is DuckDB's own enforcement (as src/cli/host-lock.ts does for `segbook run`), not a check of SQL text.
 *
 * Remote SQL cells reach their warehouse through here too: the frame names the connection and sends
 * the SQL, its parameters and the row cap; the app opens its own notebook's connection of that name
 * (asking for credentials in its dialog, keeping them) and answers the rows as Arrow bytes.
 */
import { tableFromIPC, tableToIPC } from "apache-arrow";
import { duckdbMessage } from "../../engine/errors.ts";
import type { Engine, LoadOptions } from "../../engine/engine.ts";
import { REGISTERED_FILE_DIRECTORY } from "../../engine/load.ts";
import { asResolvedData, type DataResolution, type ResolvedData } from "../../runtime/data-resolution.ts";
import { remoteResultToArrow } from "../../engine/remote/remote-arrow.ts";
import { RemoteError, type RemoteParam } from "../../engine/remote/remote-engine.ts";
import type { ConnectionSource } from "../../notebook/model.ts";
import { unknownEngineMessage } from "../../notebook/connections.ts";
import type { RemoteConnector } from "../../runtime/remote-cell.ts";
import type { EngineReply, EngineRequest, FrameResolution, RemoteQueryValue } from "./protocol.ts";
import { SandboxStopped } from "./sandbox-stopped.ts";

/**
 * The statements that lock DuckDB down before the frame's first request is served. The one directory
 * the engine registers files under stays readable, so the app can still load the front matter's data
 * after the lock (a cell reading it sees only what the app registered there, for this notebook).
 */
export const SANDBOX_LOCK_SQL =
  `SET allowed_directories = ['${REGISTERED_FILE_DIRECTORY}']; ` +
  "SET enable_external_access = false; SET lock_configuration = true;";

/**
 * The file the app loads for the front matter's data source `name`, or undefined when the open
 * notebook names no such source. The frame names only the table; where its bytes come from is the
 * app's decision, so a cell cannot make the app fetch anything else.
 */
export type DataSourceLookup = (name: string) => DataResolution | undefined | Promise<DataResolution | undefined>;

/**
 * The app's remote connections, as the engine port serves them to the frame: the open notebook's
 * front matter `connections:` (read at each request: the frame's names are looked up there, never
 * taken with a URL from the frame) and the app's connector (its credential dialog, its memory).
 */
export interface SandboxRemote {
  connections(): Readonly<Record<string, ConnectionSource>>;
  connect: RemoteConnector;
}

/**
 * Engines already locked, with their lock. The lock is for the engine's life (`lock_configuration`
 * refuses to set it again), and a notebook's engine serves every frame the notebook gets (Stop
 * builds a new one), so each engine is locked once.
 */
const locks = new WeakMap<Engine, Promise<void>>();

/**
 * Locks `engine` for the sandbox (once per engine; later calls share the first lock).
 *
 * @example
 * await lockForSandbox(engine);
 * await engine.exec("SET enable_external_access = true"); // rejects: the configuration is locked
 */
export function lockForSandbox(engine: Engine): Promise<void> {
  let lock = locks.get(engine);
  if (!lock) locks.set(engine, (lock = engine.exec(SANDBOX_LOCK_SQL)));
  return lock;
}

/**
 * Serves `port`'s engine requests on the engine `engine()` gives (asked once, at the first request,
 * and locked before anything runs on it). A failed lock fails every request: no cell query runs with
 * access to files or the network. `loadData` requests load the file `dataSource` names for the table
 * (the app reads it: its network, its file access); `remoteQuery` requests run on `remote`'s
 * connection of that name. Returns what stops serving: it also cancels every remote query still
 * running (the request is aborted, the server's query killed where the adapter can), with a
 * {@link SandboxStopped} as the reason.
 *
 * @example
 * const channel = new MessageChannel();
 * const stop = serveEngine(channel.port1, () => startBrowserEngine());
 */
export function serveEngine(
  port: MessagePort,
  engine: () => Promise<Engine>,
  dataSource: DataSourceLookup = () => undefined,
  remote?: SandboxRemote,
): () => void {
  let locked: Promise<Engine> | undefined;
  // Remote queries being served, by request id: cancelled by the frame, or all when serving stops.
  const remotes = new Map<number, AbortController>();
  // What `resolveData` found for a table, for its `loadData` (resolving reads files: once per load).
  const resolutions = new Map<string, Promise<ResolvedData>>();
  const resolve = async (name: string): Promise<ResolvedData> => {
    const found = await dataSource(name);
    if (!found) throw new Error(`data "${name}" is not a data source of this notebook's front matter`);
    return asResolvedData(found);
  };
  const lockedEngine = () =>
    (locked ??= engine().then(async (e) => {
      await lockForSandbox(e);
      return e;
    }));
  const remoteQuery = async (id: number, args: unknown[], signal: AbortSignal): Promise<RemoteQueryValue> => {
    const [name, sql, params, maxRows] = remoteArgs(args);
    if (!remote) throw new Error(`connection "${name}" cannot be opened here: this host runs no remote engines`);
    const connections = remote.connections();
    const spec = Object.hasOwn(connections, name) ? connections[name] : undefined;
    // The app's own front matter decides where a name leads; the frame cannot name a URL.
    if (!spec) throw new Error(unknownEngineMessage(name, Object.keys(connections)));
    const opened = await remote.connect(name, spec, signal);
    const result = await opened.query(sql, {
      params,
      ...(maxRows !== undefined && { maxRows }),
      signal,
      onProgress: (progress) => port.postMessage({ id, progress } satisfies EngineReply),
    });
    const bytes = tableToIPC(remoteResultToArrow(result), "stream");
    return { bytes, columns: result.columns, queryId: result.queryId };
  };
  const answer = async ({ id, method, args }: EngineRequest): Promise<void> => {
    if (method === "cancelRemote") return void remotes.get(Number(args[0]))?.abort();
    if (method === "remoteQuery") {
      // Set before anything is awaited: a cancel right behind the request finds it.
      const controller = new AbortController();
      remotes.set(id, controller);
      try {
        const value = await remoteQuery(id, args, controller.signal);
        port.postMessage({ id, ok: true, value } satisfies EngineReply, [value.bytes.buffer]);
      } catch (error) {
        port.postMessage(failure(id, error));
      } finally {
        remotes.delete(id);
      }
      return;
    }
    try {
      const e = await lockedEngine();
      let value: unknown;
      const transfer: Transferable[] = [];
      switch (method) {
        case "query": {
          const bytes = tableToIPC(await e.query(String(args[0]), args[1] as never), "stream");
          transfer.push(bytes.buffer);
          value = bytes;
          break;
        }
        case "exec":
          value = await e.exec(String(args[0]));
          break;
        case "describe":
          value = await e.describe(String(args[0]));
          break;
        case "version":
          value = await e.version();
          break;
        case "resolveData": {
          const name = String(args[0]);
          const resolving = resolve(name);
          resolutions.set(name, resolving);
          // The frame learns how to load and check it, never where the bytes come from.
          const { source: _source, ...rest } = await resolving;
          value = rest satisfies FrameResolution;
          break;
        }
        case "loadData": {
          const name = String(args[0]);
          const resolving = resolutions.get(name) ?? resolve(name);
          resolutions.delete(name);
          // The frame's options only say how to parse (format, CSV settings, columns), never what to read.
          value = await e.loadFile(name, (await resolving).source, (args[1] ?? {}) as LoadOptions);
          break;
        }
        case "insertArrow":
          // A table a cell made (e.g. from Arquero) becomes an engine table; bytes are Arrow IPC.
          value = await e.insertArrow(String(args[0]), tableFromIPC(args[1] as Uint8Array));
          break;
        default:
          throw new Error(`The sandbox asked the engine for "${String(method)}", which it does not offer`);
      }
      port.postMessage({ id, ok: true, value } satisfies EngineReply, transfer);
    } catch (error) {
      port.postMessage(failure(id, error));
    }
  };
  port.onmessage = (event: MessageEvent<EngineRequest>) => void answer(event.data);
  return () => {
    port.onmessage = null;
    port.close();
    for (const controller of remotes.values()) controller.abort(new SandboxStopped());
    remotes.clear();
  };
}

/** A failed request's reply: the message as the user reads it, and a remote failure's kind. */
function failure(id: number, error: unknown): EngineReply {
  const name = error instanceof Error ? error.name : "Error";
  if (error instanceof RemoteError) return { id, ok: false, name, message: error.message, failure: error.failure };
  return { id, ok: false, name, message: duckdbMessage(error) };
}

/** A `remoteQuery`'s arguments, checked: they come from the frame, whose code is the notebook's. */
function remoteArgs(args: unknown[]): [string, string, Record<string, RemoteParam>, number | undefined] {
  const [name, sql, params, maxRows] = args;
  const values = typeof params === "object" && params !== null ? Object.entries(params) : [];
  const plain = values.every(
    ([, value]) =>
      value === null || value instanceof Date || ["string", "number", "bigint", "boolean"].includes(typeof value),
  );
  if (
    typeof name !== "string" ||
    typeof sql !== "string" ||
    !plain ||
    !(maxRows === undefined || typeof maxRows === "number")
  )
    throw new TypeError(
      "A remote query from the sandbox needs a connection name, SQL text, plain parameters and a row cap",
    );
  return [name, sql, Object.fromEntries(values) as Record<string, RemoteParam>, maxRows];
}
