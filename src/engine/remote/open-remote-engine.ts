/**
 * Opens the remote engine a front matter connection names, by its `type`: one adapter per kind, each
 * loaded only when a notebook uses it (the page never downloads an adapter it does not need).
 */
import type { ConnectionSpec, Credentials, RemoteEngine } from "./remote-engine.ts";
import { noAdapterError } from "./remote-syntax.ts";

/**
 * The remote engine for connection `name` at `spec`, logged in with `credentials` (memory only).
 * @example const warehouse = await openRemoteEngine("warehouse", {type: "clickhouse", url}, {user, password});
 */
export async function openRemoteEngine(
  name: string,
  spec: ConnectionSpec,
  credentials: Credentials,
): Promise<RemoteEngine> {
  switch (spec.type) {
    case "clickhouse":
      return (await import("./clickhouse.ts")).createClickHouseEngine(name, spec, credentials);
    default:
      throw noAdapterError(name, spec.type);
  }
}
