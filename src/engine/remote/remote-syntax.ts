/**
 * What a remote engine's SQL looks like, by connection type, without opening it: its dialect and its
 * parameter references. The sandbox frame binds a remote cell's `${}` values with these (it never
 * holds the connection: the app runs the query), and the adapters use the same functions, so the
 * text the frame sends is what the page would send.
 */
import { clickHouseSqlPlaceholder } from "./clickhouse-literals.ts";
import { RemoteError, type RemoteEngine } from "./remote-engine.ts";

/** A remote engine's syntax: what binding a cell's SQL needs. */
export type RemoteSyntax = Pick<RemoteEngine, "dialect" | "placeholder">;

const SYNTAX: Readonly<Record<string, RemoteSyntax>> = {
  clickhouse: { dialect: "clickhouse", placeholder: clickHouseSqlPlaceholder },
};

/**
 * The syntax of connection type `type`, or undefined when Segbook has no adapter for it.
 * @example remoteSyntax("clickhouse")?.placeholder("p1", "DE") // "{p1:String}"
 */
export function remoteSyntax(type: string): RemoteSyntax | undefined {
  return Object.hasOwn(SYNTAX, type) ? SYNTAX[type] : undefined;
}

/**
 * The error for a connection whose type has no adapter.
 * @example throw noAdapterError("warehouse", "trino");
 */
export function noAdapterError(name: string, type: string): RemoteError {
  return new RemoteError(
    "unreachable",
    `connection "${name}": Segbook has no adapter for engine type "${type}"; the known types are ${Object.keys(SYNTAX).join(", ")}`,
  );
}
