/**
 * Remote connections (`connections:` in the front matter, SQL cells with `engine=NAME`) in the
 * sandbox frame. The frame may not reach the network (its CSP has no `connect-src`) and never holds
 * the user's credentials, so a remote cell's query is run by the app: the frame binds the cell's
 * `${}` values in the connection type's own parameter syntax and sends the connection's name, the SQL,
 * the parameters and the row cap over the engine port (engine-port.ts); the app opens its notebook's
 * connection of that name (its dialog, its credentials) and answers the rows as Arrow.
 */
import { noAdapterError, remoteSyntax } from "../../engine/remote/remote-syntax.ts";
import { RemoteError, type RemoteEngine } from "../../engine/remote/remote-engine.ts";
import type { RemoteConnector } from "../../runtime/remote-cell.ts";
import type { FrameEngine } from "./frame-engine.ts";

/**
 * The frame session's connector: each connection is a remote engine whose queries the app runs.
 * Nothing is sent until a cell queries; the app asks for credentials then, as the page does at connect.
 *
 * @example
 * new Session({ engine, connect: connectThroughApp(engine) });
 * // a cell ```sql sizes engine=warehouse``` then runs on the app's "warehouse" connection
 */
export function connectThroughApp(engine: Pick<FrameEngine, "remoteQuery">): RemoteConnector {
  return async (name, spec) => {
    const syntax = remoteSyntax(spec.type);
    if (!syntax) throw noAdapterError(name, spec.type);
    const remote: RemoteEngine = {
      name,
      dialect: syntax.dialect,
      placeholder: syntax.placeholder,
      queryArrow: (sql, options) => engine.remoteQuery(name, sql, options),
      // The runtime uses queryArrow; rows for anything else that asks, typed as the adapter's were.
      query: async (sql, options) => {
        const { table, columns, queryId } = await engine.remoteQuery(name, sql, options);
        const vectors = columns.map((_, i) => table.getChildAt(i));
        const rows = Array.from({ length: table.numRows }, (_, row) =>
          vectors.map((vector) => vector?.get(row) ?? null),
        );
        return { columns, rows, queryId };
      },
      version: () =>
        Promise.reject(
          new RemoteError("query", `connection "${name}": its server version is not asked for from the cell sandbox`),
        ),
    };
    return remote;
  };
}
