/**
 * The app's side of the sandbox's engine port: answers the frame's engine requests (protocol.ts) on
 * the app's DuckDB, after locking it. Cells in the frame reach data only through here, so DuckDB must
 * not reach anything itself: `enable_external_access = false` closes files and URLs (`read_csv('https://…')`,
 * `ATTACH`, `COPY … TO`, `INSTALL`/`LOAD`) and `lock_configuration` keeps a cell from setting it back.
 * This is DuckDB's own enforcement (as src/cli/host-lock.ts does for `segbook run`), not a check of SQL text.
 */
import { tableFromIPC, tableToIPC } from "apache-arrow";
import { duckdbMessage } from "../../engine/errors.ts";
import type { Engine, LoadOptions } from "../../engine/engine.ts";
import { REGISTERED_FILE_DIRECTORY } from "../../engine/load.ts";
import { asResolvedData, type DataResolution, type ResolvedData } from "../../runtime/data-resolution.ts";
import type { EngineReply, EngineRequest, FrameResolution } from "./protocol.ts";

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
 * (the app reads it: its network, its file access). Returns what stops serving.
 *
 * @example
 * const channel = new MessageChannel();
 * const stop = serveEngine(channel.port1, () => startBrowserEngine());
 */
export function serveEngine(
  port: MessagePort,
  engine: () => Promise<Engine>,
  dataSource: DataSourceLookup = () => undefined,
): () => void {
  let locked: Promise<Engine> | undefined;
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
  const answer = async ({ id, method, args }: EngineRequest): Promise<void> => {
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
      const name = error instanceof Error ? error.name : "Error";
      port.postMessage({ id, ok: false, name, message: duckdbMessage(error) } satisfies EngineReply);
    }
  };
  port.onmessage = (event: MessageEvent<EngineRequest>) => void answer(event.data);
  return () => {
    port.onmessage = null;
    port.close();
  };
}
