/**
 * Front matter `connections:`: where each remote engine is (a team's warehouse), never how to log in.
 * A notebook file is shared, committed and autosaved, so a credential in it is refused outright, with
 * a message saying where credentials go instead (the browser's dialog, or the environment of
 * `segbook run`).
 */
import type { ConnectionSource, FormatIssue } from "./model.ts";
import { CONNECTION_TYPES } from "./model.ts";
import { IDENTIFIER_HINT, isSqlIdentifier } from "./identifiers.ts";
import { describe, isPlainObject } from "./yaml-value.ts";

type Report = (severity: FormatIssue["severity"], path: readonly string[], message: string) => void;

const CONNECTION_KEYS: ReadonlySet<string> = new Set(["type", "url", "database"]);

/** Keys that hold or look like a credential: never accepted in the file. */
const CREDENTIAL_KEY =
  /^(user|username|user_name|login|password|passwd|pass|pwd|secret|token|credentials?|auth|authorization|bearer)$|token|secret|passw|api_?key|access_?key|private_?key/i;

/**
 * Whether a front matter key holds or looks like a credential (`password`, `user`, `apiKey`, `token`, ...).
 * @example isCredentialKey("password") // true
 */
export function isCredentialKey(key: string): boolean {
  return CREDENTIAL_KEY.test(key);
}

/**
 * The environment variables `segbook run` reads a connection's credentials from: `SEGBOOK_`, the
 * connection name in capitals, then `_USER` / `_PASSWORD`.
 * @example connectionEnvNames("warehouse") // {user: "SEGBOOK_WAREHOUSE_USER", password: "SEGBOOK_WAREHOUSE_PASSWORD"}
 */
export function connectionEnvNames(name: string): { user: string; password: string } {
  const stem = `SEGBOOK_${name.toUpperCase()}`;
  return { user: `${stem}_USER`, password: `${stem}_PASSWORD` };
}

/**
 * Where credentials go instead of the file, for messages.
 * @example credentialsAdvice("warehouse") // "… SEGBOOK_WAREHOUSE_USER and SEGBOOK_WAREHOUSE_PASSWORD …"
 */
export function credentialsAdvice(name: string): string {
  const env = connectionEnvNames(name);
  return `the browser asks for them when a cell first needs connection "${name}" and keeps them for the tab's session only; \`segbook run\` reads ${env.user} and ${env.password} from the environment, or a URL given with --connection ${name}=URL`;
}

/**
 * What a cell with `engine=NAME` is told when the front matter has no connection NAME.
 * @example unknownEngineMessage("wh", ["warehouse"]) // 'engine=wh names no connection; the front matter "connections:" has warehouse'
 */
export function unknownEngineMessage(engine: string, known: readonly string[]): string {
  const has = known.length
    ? `the front matter "connections:" has ${known.join(", ")}`
    : `the front matter has no "connections:"; add one, e.g. "connections: {${engine}: {type: clickhouse, url: https://warehouse.example.com:8443}}"`;
  return `engine=${engine} names no connection; ${has}`;
}

/**
 * Validates `connections: {NAME: {type, url, database}}`; an entry with any error is left out whole
 * (its cells then say the connection is unknown), so nothing half-checked is dialled.
 * @example readConnections({warehouse: {type: "clickhouse", url: "https://ch.example.com:8443"}}, report)
 */
export function readConnections(value: unknown, report: Report): Record<string, ConnectionSource> {
  const connections: Record<string, ConnectionSource> = {};
  if (!isPlainObject(value)) {
    report(
      "error",
      ["connections"],
      `"connections" must be a map of name to engine, e.g. "connections: {warehouse: {type: clickhouse, url: https://warehouse.example.com:8443, database: analytics}}", got ${describe(value)}`,
    );
    return connections;
  }
  for (const [name, entry] of Object.entries(value)) {
    const path = ["connections", name];
    if (!isSqlIdentifier(name)) {
      report(
        "error",
        path,
        `connection name "${name}" is not a valid identifier; ${IDENTIFIER_HINT}; the connection is left out until renamed`,
      );
      continue;
    }
    const connection = readConnection(name, entry, path, report);
    if (connection) connections[name] = connection;
  }
  return connections;
}

function readConnection(
  name: string,
  entry: unknown,
  path: readonly string[],
  report: Report,
): ConnectionSource | null {
  const example = `"${name}: {type: clickhouse, url: https://warehouse.example.com:8443, database: analytics}"`;
  if (!isPlainObject(entry)) {
    report(
      "error",
      path,
      `connections.${name} must be a map such as ${example}, got ${describe(entry)}; it is left out until fixed`,
    );
    return null;
  }
  let ok = true;
  const fail = (key: string | null, message: string) => {
    report("error", key === null ? path : [...path, key], `${message}; connection "${name}" is left out until fixed`);
    ok = false;
  };
  for (const key of Object.keys(entry)) {
    if (isCredentialKey(key)) {
      fail(
        key,
        `connections.${name}.${key} looks like a credential, and credentials never go in the notebook file (it is saved, shared and committed): remove it; ${credentialsAdvice(name)}`,
      );
    } else if (!CONNECTION_KEYS.has(key)) {
      report("warning", [...path, key], `unknown key "connections.${name}.${key}" is kept but not used`);
    }
  }
  const { type, url, database } = entry;
  if (typeof type !== "string" || !CONNECTION_TYPES.includes(type)) {
    const got = type === undefined || type === null ? "none" : describe(type);
    fail(
      "type",
      `connections.${name}.type must be one of ${CONNECTION_TYPES.join(", ")} (the known engines), got ${got}`,
    );
  }
  if (typeof url !== "string" || url === "") {
    fail("url", `connections.${name} needs a url, the engine's HTTP address, as in ${example}`);
  } else {
    const problem = urlProblem(url);
    if (problem === "userinfo") {
      fail(
        "url",
        `connections.${name}.url carries a user or password; credentials never go in the notebook file: write the URL without "user:password@"; ${credentialsAdvice(name)}`,
      );
    } else if (problem) {
      fail(
        "url",
        `connections.${name}.url must be an http:// or https:// address such as https://warehouse.example.com:8443, got ${JSON.stringify(url)}`,
      );
    }
  }
  if (database !== undefined && database !== null && (typeof database !== "string" || database === "")) {
    fail(
      "database",
      `connections.${name}.database must be a database name such as analytics, got ${describe(database)}`,
    );
  }
  if (!ok) return null;
  return { type: type as string, url: url as string, ...(typeof database === "string" && { database }) };
}

/** Why a URL cannot be a connection's address: not http(s), or it holds a user or password. */
function urlProblem(url: string): "invalid" | "userinfo" | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "invalid";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "invalid";
  if (parsed.username !== "" || parsed.password !== "") return "userinfo";
  return null;
}
