/**
 * The app's side of the sandbox's engine port: answers the frame's engine requests (protocol.ts) on
 * the app's DuckDB, after locking it. Cells in the frame reach data only through here, so DuckDB must
 * not reach anything itself: `enable_external_access = false` closes files and URLs (`read_csv('https://…')`,
 * `ATTACH`, `COPY … TO`, `INSTALL`/`LOAD`) and `lock_configuration` keeps a cell from setting it back.
 * This is DuckDB's own enforcement (as src/cli/host-lock.ts does for `segbook run`), not a check of SQL text.
 */
import { tableFromIPC, tableToIPC } from "apache-arrow";
import { duckdbMessage } from "../../engine/errors.ts";
import type { Engine } from "../../engine/engine.ts";
import type { EngineReply, EngineRequest } from "./protocol.ts";

/** The statements that lock DuckDB down before the frame's first request is served. */
export const SANDBOX_LOCK_SQL = "SET enable_external_access = false; SET lock_configuration = true;";

/**
 * Serves `port`'s engine requests on the engine `engine()` gives (asked once, at the first request,
 * and locked before anything runs on it). A failed lock fails every request: no cell query runs with
 * access to files or the network. Returns what stops serving.
 *
 * @example
 * const channel = new MessageChannel();
 * const stop = serveEngine(channel.port1, () => startBrowserEngine());
 */
export function serveEngine(port: MessagePort, engine: () => Promise<Engine>): () => void {
  let locked: Promise<Engine> | undefined;
  const lockedEngine = () =>
    (locked ??= engine().then(async (e) => {
      await e.exec(SANDBOX_LOCK_SQL);
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
