/**
 * The remote engine kinds Segbook knows, by the `type` of a front matter connection. Adding Trino,
 * Spark Connect, BigQuery or Databricks SQL is one adapter file plus one line here.
 */
import { createClickHouseEngine } from "./clickhouse.ts";
import { RemoteError, type ConnectionSpec, type Credentials, type RemoteEngine } from "./remote-engine.ts";

/** Creates the adapter of one kind for a named connection. */
export type RemoteEngineFactory = (name: string, spec: ConnectionSpec, credentials?: Credentials) => RemoteEngine;

/**
 * The adapters by connection `type`.
 * @example Object.keys(REMOTE_ENGINES) // ["clickhouse"]
 */
export const REMOTE_ENGINES: Readonly<Record<string, RemoteEngineFactory>> = {
  clickhouse: createClickHouseEngine,
};

/**
 * The remote engine for a connection of the notebook, by its `type`; an unknown type is an error that
 * names the connection and the known types.
 * @example const warehouse = createRemoteEngine("warehouse", { type: "clickhouse", url }, { user, password });
 */
export function createRemoteEngine(name: string, spec: ConnectionSpec, credentials: Credentials = {}): RemoteEngine {
  const factory = Object.hasOwn(REMOTE_ENGINES, spec.type) ? REMOTE_ENGINES[spec.type] : undefined;
  if (!factory)
    throw new RemoteError(
      "query",
      `connection "${name}" has type "${spec.type}", which Segbook cannot connect to: use one of ${Object.keys(REMOTE_ENGINES).join(", ")}`,
    );
  return factory(name, spec, credentials);
}
