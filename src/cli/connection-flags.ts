/**
 * `--connection NAME=URL` flags of `segbook run`, read before anything heavy loads: a bad flag is
 * answered at once. Credentials in the URL are taken out of it and never printed.
 */
import type { Credentials } from "../engine/remote/remote-engine.ts";

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
    // Shown and recorded without its userinfo (as runtime's displayUrl shows URLs).
    url.username = "";
    url.password = "";
    overrides[match[1]!] = { url: url.toString(), credentials };
  }
  return overrides;
}
