/**
 * Remote engines in `segbook run`: a front matter connection's credentials come from the environment
 * (`SEGBOOK_<NAME>_USER`, `SEGBOOK_<NAME>_PASSWORD`) or from the userinfo of `--connection NAME=URL`,
 * whose URL also replaces the front matter's. Credentials are never printed, written or echoed: every
 * message shows URLs without their userinfo.
 */
import type { ConnectionSpec, Credentials, RemoteEngine } from "../engine/remote/remote-engine.ts";
import { RemoteError } from "../engine/remote/remote-engine.ts";
import { openRemoteEngine } from "../engine/remote/open-remote-engine.ts";
import { connectionEnvNames } from "../notebook/connections.ts";
import type { RemoteConnector } from "../runtime/index.ts";
import type { ConnectionOverride } from "./connection-flags.ts";

// Parsing the flags is light (no engine, no runtime), so `segbook` checks them before loading a run.
export { parseConnectionFlags, type ConnectionOverride } from "./connection-flags.ts";

/**
 * The connector `segbook run` gives its session: the front matter's connection with the override's
 * URL, logged in with the override's credentials, else the environment's; one engine per connection.
 * @example new Session({engine, connect: cliConnector(parseConnectionFlags(flags), process.env)})
 */
export function cliConnector(
  overrides: Readonly<Record<string, ConnectionOverride>>,
  env: Readonly<Record<string, string | undefined>>,
  open: (name: string, spec: ConnectionSpec, credentials: Credentials) => Promise<RemoteEngine> = openRemoteEngine,
): RemoteConnector {
  const engines = new Map<string, Promise<RemoteEngine>>();
  return (name, spec) => {
    let engine = engines.get(name);
    if (!engine) {
      const override = overrides[name];
      const names = connectionEnvNames(name);
      const fromEnv: Credentials = {
        ...(env[names.user] !== undefined && { user: env[names.user] }),
        ...(env[names.password] !== undefined && { password: env[names.password] }),
      };
      const source = override?.credentials
        ? `the user and password of --connection ${name}=URL`
        : `${names.user} and ${names.password}`;
      engine = open(name, { ...spec, url: override?.url ?? spec.url }, override?.credentials ?? fromEnv).then((e) =>
        withCredentialsHint(e, `segbook run logged in with ${source}; set them to a user the server accepts`),
      );
      engines.set(name, engine);
    }
    return engine;
  };
}

/** The engine, with `hint` added to a refused-credentials error (where this host took them from). */
function withCredentialsHint(engine: RemoteEngine, hint: string): RemoteEngine {
  const explain = (error: unknown): never => {
    if (error instanceof RemoteError && error.failure === "credentials")
      throw new RemoteError("credentials", `${error.message} ${hint}.`);
    throw error;
  };
  return {
    name: engine.name,
    dialect: engine.dialect,
    placeholder: (param, value) => engine.placeholder(param, value),
    query: (sql, options) => engine.query(sql, options).catch(explain),
    version: () => engine.version().catch(explain),
  };
}
