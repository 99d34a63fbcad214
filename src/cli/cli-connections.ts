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
import { displayUrl, type RemoteConnector } from "../runtime/index.ts";

/** One `--connection NAME=URL`: the URL without userinfo, and the credentials that were in it. */
export interface ConnectionOverride {
  url: string;
  credentials: Credentials | undefined;
}

/**
 * Reads `--connection NAME=URL` flags; user and password in the URL (`https://ana:pw@host`) are taken
 * as the connection's credentials and removed from the URL. A bad flag's message never repeats it.
 * @example parseConnectionFlags(["warehouse=http://ana:pw@127.0.0.1:8123"]) // {warehouse: {url: "http://127.0.0.1:8123/", credentials: {user: "ana", password: "pw"}}}
 */
export function parseConnectionFlags(entries: readonly string[]): Record<string, ConnectionOverride> {
  const overrides: Record<string, ConnectionOverride> = {};
  for (const entry of entries) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(entry);
    let url: URL | undefined;
    try {
      url = match ? new URL(match[2]!) : undefined;
    } catch {
      url = undefined;
    }
    if (!match || !url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      // The entry may hold a password: say what is wrong without printing it.
      const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(entry)?.[1];
      throw new Error(
        `--connection expects NAME=URL with an http:// or https:// URL (e.g. --connection warehouse=https://ch.example.com:8443)${name ? `; the URL given for "${name}" is not one` : ""}`,
      );
    }
    const credentials =
      url.username || url.password
        ? { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
        : undefined;
    overrides[match[1]!] = { url: displayUrl(url.toString()), credentials };
  }
  return overrides;
}

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
