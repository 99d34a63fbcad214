/**
 * The ClickHouse adapter of {@link RemoteEngine}: its HTTP interface through plain `fetch`, so the same
 * file runs in a static page (CORS) and in Node (`segbook run`). Works with Debian's 18.16 and with a
 * current ClickHouse:
 * - parameters: `{name:Type}` placeholders, bound natively (`param_name=`) on servers that have query
 *   parameters (19.11+), through the typed literal encoder of clickhouse-literals.ts on older ones;
 * - results: `TabSeparatedWithNamesAndTypes`, spoken by every version and read as it streams;
 * - row cap: the query is wrapped in `LIMIT cap + 1`, so the server never sends more than one row
 *   past the cap, and that row fails the query with a message to aggregate first;
 * - progress: rows read on the server (polled from `system.processes` by query id) and rows received;
 * - cancellation: the request is aborted and the query killed (`KILL QUERY … SYNC`), then checked gone.
 *
 * Credentials and CORS: a request with an `Authorization` or `X-ClickHouse-*` header is not a "simple"
 * request, so a page would first send an OPTIONS preflight, which 18.16 never answers (the request
 * hangs). In a page the user and password therefore travel as URL parameters of a simple POST
 * (text/plain body): no preflight, but they can appear in the server's and proxies' access logs —
 * use HTTPS and a read-only user with quotas. In Node there is no CORS, and they travel as
 * `X-ClickHouse-User`/`X-ClickHouse-Key` headers. Credentials are never logged nor put in messages.
 */
import {
  bindClickHouseLiterals,
  clickHouseParamText,
  clickHouseSqlPlaceholder,
  clickHouseStringLiteral,
  findClickHousePlaceholders,
} from "./clickhouse-literals.ts";
import {
  clickHouseAnswerError,
  clickHouseCancelledError,
  clickHouseNetworkError,
  clickHouseRowCapError,
  type ConnectionLabel,
} from "./clickhouse-errors.ts";
import { fieldDecoder, unescapeTsv, type FieldDecoder } from "./clickhouse-tsv.ts";
import {
  RemoteError,
  type ConnectionSpec,
  type Credentials,
  type RemoteColumn,
  type RemoteEngine,
  type RemoteProgress,
  type RemoteQueryOptions,
  type RemoteResult,
} from "./remote-engine.ts";

/** Options of {@link createClickHouseEngine} beyond the connection and credentials. */
export interface ClickHouseEngineOptions {
  /**
   * Where the user and password travel: `url` (simple request, no CORS preflight; the default in a
   * page) or `headers` (the default in Node).
   */
  credentialsIn?: "url" | "headers";
  /** How often running queries poll the server for rows read, in ms (default 250). */
  progressIntervalMs?: number;
  /**
   * Use the literal encoder even if the server has query parameters (tests compare the two paths).
   * Default: native parameters whenever the server has them.
   */
  forceLiteralParams?: boolean;
}

/** A ClickHouse {@link RemoteEngine}, plus what it learnt about the server. */
export interface ClickHouseEngine extends RemoteEngine {
  /** Whether this server binds `{name:Type}` natively (else values go through the literal encoder). */
  nativeParams(): Promise<boolean>;
}

interface ServerInfo {
  version: string;
  timeZone: string;
  nativeParams: boolean;
}

const FORMAT = "TabSeparatedWithNamesAndTypes";
/** A server exception written into a streaming body (18.16 and current wording). */
const SERVER_ERROR = /^Code: \d+[.,] (e\.displayText\(\) = )?DB::Exception/;

/**
 * Whether a server version has query parameters (`{name:Type}` + `param_name=`): 19.11 and later
 * (they arrived in the 19.x series; earlier 19.x use the encoder, which gives the same results).
 * @example clickHouseHasQueryParams("18.16.1") // false
 */
export function clickHouseHasQueryParams(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 19 || (major === 19 && minor >= 11);
}

const isNode = () =>
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string";

function randomId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // randomUUID needs a secure context; a page on plain http (intranet) has only getRandomValues.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The user's SQL as one SELECT we can wrap: trailing semicolons and whitespace dropped. */
function trimStatement(sql: string): string {
  return sql.replace(/[\s;]+$/, "");
}

/**
 * Connects to a ClickHouse server's HTTP interface. Nothing is sent until the first call.
 * @example
 * const warehouse = createClickHouseEngine("warehouse", { type: "clickhouse", url: "https://ch.example.com:8443" },
 *   { user: "analyst", password });
 * const country = warehouse.placeholder("country", "United Kingdom"); // {country:String}
 * const { columns, rows } = await warehouse.query(
 *   `SELECT customer_id, sum(amount) AS spend FROM orders WHERE country = ${country} GROUP BY customer_id`,
 *   { params: { country: "United Kingdom" }, maxRows: 1_000_000, onProgress: (p) => console.log(p.rowsRead) },
 * );
 */
export function createClickHouseEngine(
  name: string,
  spec: ConnectionSpec,
  credentials: Credentials = {},
  options: ClickHouseEngineOptions = {},
): ClickHouseEngine {
  let parsed: URL;
  try {
    parsed = new URL(spec.url);
  } catch {
    throw new RemoteError(
      "unreachable",
      `ClickHouse connection "${name}": "${spec.url}" is not a URL (e.g. https://ch.example.com:8443)`,
    );
  }
  const url = `${parsed.origin}${parsed.pathname}`;
  if (!/^https?:$/.test(parsed.protocol))
    throw new RemoteError(
      "unreachable",
      `ClickHouse connection "${name}" (${url}): use an http:// or https:// URL of its HTTP interface`,
    );
  if (parsed.username || parsed.password)
    throw new RemoteError(
      "credentials",
      `ClickHouse connection "${name}" (${url}): the URL holds a user or password; remove it from the URL and give the credentials when asked (they are never stored in the notebook)`,
    );
  const label: ConnectionLabel = { name, url, user: credentials.user, password: credentials.password };
  const inUrl = (options.credentialsIn ?? (isNode() ? "headers" : "url")) === "url";
  const progressInterval = options.progressIntervalMs ?? 250;

  /** A request's URL and init with credentials where they go; `extra` adds URL parameters. */
  function request(body: string, extra: Record<string, string>, signal?: AbortSignal): [string, RequestInit] {
    const search = new URLSearchParams();
    if (spec.database) search.set("database", spec.database);
    const headers: Record<string, string> = {};
    if (inUrl) {
      if (credentials.user) search.set("user", credentials.user);
      if (credentials.password) search.set("password", credentials.password);
    } else {
      if (credentials.user) headers["X-ClickHouse-User"] = credentials.user;
      if (credentials.password) headers["X-ClickHouse-Key"] = credentials.password;
    }
    for (const [k, v] of Object.entries(extra)) search.set(k, v);
    // A string body is sent as text/plain: with no custom header this stays a simple request.
    return [`${url}?${search}`, { method: "POST", body, headers, signal }];
  }

  /** fetch, with network failures turned into `unreachable` or (in a page) `cors`. */
  async function send(body: string, extra: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    const [target, init] = request(body, extra, signal);
    try {
      return await fetch(target, init);
    } catch (error) {
      if (signal?.aborted) throw error;
      throw await networkError(error);
    }
  }

  async function networkError(error: unknown): Promise<RemoteError> {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (isNode()) {
      const detail =
        cause?.code === "ECONNREFUSED"
          ? "connection refused (nothing listens at that port)"
          : cause?.code === "ENOTFOUND" || cause?.code === "EAI_AGAIN"
            ? "the host name is unknown (DNS)"
            : (cause?.message ?? (error as Error).message);
      return clickHouseNetworkError(label, "unreachable", detail);
    }
    // In a page a blocked CORS answer and a dead server are the same TypeError. An opaque no-cors
    // request (no credentials, no readable answer) tells them apart: it succeeds if the server answers.
    try {
      await fetch(`${url}?query=${encodeURIComponent("SELECT 1")}`, { mode: "no-cors" });
      return clickHouseNetworkError(label, "cors", "");
    } catch {
      return clickHouseNetworkError(
        label,
        "unreachable",
        "no answer (server down, wrong URL, or blocked by the network)",
      );
    }
  }

  /** Runs a small query as text (version, progress, kill); throws RemoteErrors. */
  async function small(sql: string, signal?: AbortSignal): Promise<string> {
    const response = await send(sql, {}, signal);
    const text = await response.text();
    if (!response.ok) throw clickHouseAnswerError(label, response.status, text);
    return text;
  }

  let info: Promise<ServerInfo> | undefined;
  function serverInfo(): Promise<ServerInfo> {
    info ??= small("SELECT version(), timezone() FORMAT TabSeparated").then(
      (text) => {
        const [version = "", timeZone = "UTC"] = text.trim().split("\t").map(unescapeTsv);
        return { version, timeZone, nativeParams: clickHouseHasQueryParams(version) && !options.forceLiteralParams };
      },
      (error: unknown) => {
        info = undefined; // a later call tries again (e.g. after the user fixed the password)
        throw error;
      },
    );
    return info;
  }

  const processQuery = (queryId: string) =>
    `SELECT read_rows FROM system.processes WHERE query_id = ${clickHouseStringLiteral(queryId)} FORMAT TabSeparated`;

  /** Kills the query and waits until the server no longer lists it (up to ~5 s). */
  async function kill(queryId: string): Promise<void> {
    const id = clickHouseStringLiteral(queryId);
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        // A request aborted just as it left may register after the first KILL: check and repeat.
        await small(`KILL QUERY WHERE query_id = ${id} SYNC FORMAT TabSeparated`, AbortSignal.timeout(5000));
        if ((await small(processQuery(queryId), AbortSignal.timeout(5000))).trim() === "") return;
      } catch {
        // The kill is best effort: the query's own error (cancelled) is what the user sees.
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async function query(sql: string, queryOptions: RemoteQueryOptions = {}): Promise<RemoteResult> {
    const { params = {}, maxRows, signal, onProgress } = queryOptions;
    if (maxRows !== undefined && !(Number.isSafeInteger(maxRows) && maxRows >= 0))
      throw new RemoteError(
        "query",
        `ClickHouse connection "${name}": the row cap must be a whole number ≥ 0, not ${maxRows}`,
      );
    if (signal?.aborted) throw clickHouseCancelledError(label);
    const server = await serverInfo();
    for (const p of findClickHousePlaceholders(sql))
      if (!Object.hasOwn(params, p.name))
        throw new RemoteError(
          "query",
          `ClickHouse connection "${name}": the query uses {${p.name}:${p.type}} but no value named "${p.name}" was given`,
        );
    const extra: Record<string, string> = {};
    let text = trimStatement(sql);
    if (server.nativeParams)
      for (const [key, value] of Object.entries(params)) extra[`param_${key}`] = clickHouseParamText(value);
    else text = bindClickHouseLiterals(text, params);
    // The newline before ")" ends a trailing -- comment of the user's SQL.
    if (maxRows !== undefined) text = `SELECT * FROM (\n${text}\n) LIMIT ${maxRows + 1}`;
    const queryId = randomId();
    extra.query_id = queryId;

    const progress: RemoteProgress = { rowsRead: 0, rowsReceived: 0 };
    const report = () => onProgress?.({ ...progress });
    const controller = new AbortController();
    let stopped: "cancelled" | "row-cap" | undefined;
    let killing: Promise<void> | undefined;
    const stop = (why: "cancelled" | "row-cap") => {
      stopped ??= why;
      controller.abort();
      killing ??= kill(queryId);
    };
    const onAbort = () => stop("cancelled");
    signal?.addEventListener("abort", onAbort);
    // Aborted while the server's version was asked for: nothing has been sent yet.
    if (signal?.aborted) {
      signal.removeEventListener("abort", onAbort);
      throw clickHouseCancelledError(label);
    }

    let polling = true;
    // The poll's own requests end with the query (so a finished query returns at once).
    const pollController = new AbortController();
    const poller = (async () => {
      while (polling) {
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, progressInterval);
          pollController.signal.addEventListener("abort", () => (clearTimeout(timer), resolve(undefined)), {
            once: true,
          });
        });
        if (!polling) break;
        try {
          const read = (await small(processQuery(queryId), pollController.signal)).trim();
          if (read && polling && Number(read) > progress.rowsRead) {
            progress.rowsRead = Number(read);
            report();
          }
        } catch {
          // Progress is informative; the query's own outcome decides success.
        }
      }
    })();

    try {
      const response = await send(`${text}\nFORMAT ${FORMAT}`, extra, controller.signal);
      if (!response.ok) throw clickHouseAnswerError(label, response.status, await response.text());
      const { columns, rows } = await readRows(
        response,
        server.timeZone,
        maxRows,
        () => {
          progress.rowsReceived++;
        },
        report,
        () => stop("row-cap"),
      );
      if (stopped)
        throw stopped === "row-cap" ? clickHouseRowCapError(label, maxRows!) : clickHouseCancelledError(label);
      return { columns, rows, queryId };
    } catch (error) {
      if (stopped === "row-cap") throw clickHouseRowCapError(label, maxRows!);
      if (stopped === "cancelled") {
        await killing;
        throw clickHouseCancelledError(label);
      }
      throw error;
    } finally {
      polling = false;
      pollController.abort();
      signal?.removeEventListener("abort", onAbort);
      await poller;
      await killing;
      report();
    }
  }

  /** Streams the TSV body: header lines, then rows decoded by column type, counted as they arrive. */
  async function readRows(
    response: Response,
    timeZone: string,
    maxRows: number | undefined,
    counted: () => void,
    report: () => void,
    overCap: () => void,
  ): Promise<{ columns: RemoteColumn[]; rows: unknown[][] }> {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let names: string[] | undefined;
    let columns: RemoteColumn[] = [];
    let decoders: FieldDecoder[] = [];
    const rows: unknown[][] = [];
    let rest = "";
    const line = (row: string) => {
      if (!names) {
        names = row.split("\t").map(unescapeTsv);
        return;
      }
      if (columns.length === 0) {
        const types = row.split("\t").map(unescapeTsv);
        columns = names.map((n, i) => ({ name: n, type: types[i] ?? "String" }));
        decoders = columns.map((c) => fieldDecoder(c.type, timeZone));
        return;
      }
      const fields = row.split("\t");
      // An error after the first rows (status 200 already sent) comes as a line of its own in the body.
      if (fields.length !== columns.length || SERVER_ERROR.test(row)) {
        if (/Code: \d+/.test(row)) throw clickHouseAnswerError(label, 500, row);
        throw new RemoteError(
          "query",
          `ClickHouse connection "${name}" (${url}) sent a row with ${fields.length} fields for ${columns.length} columns`,
        );
      }
      rows.push(fields.map((f, i) => decoders[i]!(f)));
      counted();
    };
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const lines = (rest + value).split("\n");
      rest = lines.pop()!;
      for (const row of lines) {
        if (row.startsWith("__exception__")) continue;
        line(row);
        if (maxRows !== undefined && rows.length > maxRows) {
          overCap();
          await reader.cancel().catch(() => {});
          return { columns, rows };
        }
      }
      report();
    }
    if (rest.trim()) line(rest);
    if (!names) throw new RemoteError("query", `ClickHouse connection "${name}" (${url}) sent an empty answer`);
    if (maxRows !== undefined && rows.length > maxRows) overCap();
    return { columns, rows };
  }

  return {
    name,
    dialect: "clickhouse",
    placeholder: clickHouseSqlPlaceholder,
    query,
    version: async () => (await serverInfo()).version,
    nativeParams: async () => (await serverInfo()).nativeParams,
  };
}
