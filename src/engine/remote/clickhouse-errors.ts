/**
 * ClickHouse failures as {@link RemoteError}s whose message names the connection, says what failed
 * and how to fix it. Messages never carry credentials: the URL shown is origin and path only, and any
 * occurrence of the password in server text is masked.
 */
import { RemoteError, type RemoteFailure } from "./remote-engine.ts";

/** What the messages name: the connection and where it points. */
export interface ConnectionLabel {
  name: string;
  /** Origin and path of the server URL (never user info or query string). */
  url: string;
  user?: string;
  password?: string;
}

const CREDENTIAL_CODES = new Set([192, 193, 194, 195, 516]); // unknown user, wrong/required password, IP not allowed, auth failed
const ROW_CAP_CODES = new Set([158, 396]); // TOO_MANY_ROWS, TOO_MANY_ROWS_OR_BYTES
const TIMEOUT_CODES = new Set([159, 160]); // TIMEOUT_EXCEEDED, TOO_SLOW
const CANCELLED_CODES = new Set([394]); // QUERY_WAS_CANCELLED
const QUOTA_CODES = new Set([201]); // QUOTA_EXPIRED

/** How a page asks IT to open ClickHouse to notebooks (also in README, "Remote engines"). */
export const CLICKHOUSE_CORS_FIX =
  "IT must let the notebook's user answer pages: in users.xml give that user a profile with " +
  "add_http_cors_header = 1 and readonly = 2 (or 1), and a quota";

/**
 * The server's message without its wrapping (`Code: 60, e.displayText() = DB::Exception: …` on 18.16,
 * `Code: 60. DB::Exception: … (UNKNOWN_TABLE) (version 24.3)` now), its first line only.
 * @example clickHouseServerMessage("Code: 60. DB::Exception: Table x does not exist. (UNKNOWN_TABLE) (version 24.3.1)") // { code: 60, message: "Table x does not exist. (UNKNOWN_TABLE)" }
 */
export function clickHouseServerMessage(body: string): { code: number | undefined; message: string } {
  const code = /Code: (\d+)/.exec(body)?.[1];
  const message = (body.trim().split("\n")[0] ?? "")
    .replace(/^Code: \d+[.,]\s*/, "")
    .replace(/^e\.displayText\(\) = /, "")
    .replace(/^DB::Exception: /, "")
    .replace(/, e\.what\(\) = DB::Exception$/, "")
    .replace(/\s*\(version [^)]*\)\s*$/, "")
    .trim();
  return { code: code === undefined ? undefined : Number(code), message: message || body.trim().slice(0, 500) };
}

const mask = (text: string, label: ConnectionLabel) => (label.password ? text.split(label.password).join("***") : text);

const who = (label: ConnectionLabel) => `ClickHouse connection "${label.name}" (${label.url})`;

/**
 * The RemoteError for an error answer of the server (HTTP status and body).
 * @example clickHouseAnswerError(label, 401, "Code: 193, e.displayText() = DB::Exception: Wrong password for user ana")
 */
export function clickHouseAnswerError(label: ConnectionLabel, status: number, body: string): RemoteError {
  const { code, message } = clickHouseServerMessage(mask(body, label));
  const fail = (failure: RemoteFailure, text: string) => new RemoteError(failure, mask(text, label));
  if ((code !== undefined && CREDENTIAL_CODES.has(code)) || (code === undefined && (status === 401 || status === 403)))
    return fail(
      "credentials",
      `${who(label)} refused user "${label.user || "default"}": ${message}. ` +
        "Check the user name and password (IT gives notebooks a read-only user).",
    );
  if (code !== undefined && ROW_CAP_CODES.has(code))
    return fail("row-cap", `${who(label)}: ${message}. Aggregate on the server first, or raise the cell's row cap.`);
  if (code !== undefined && TIMEOUT_CODES.has(code))
    return fail(
      "timeout",
      `${who(label)} stopped the query at its time limit: ${message}. Make the query cheaper (filter, aggregate) or ask IT for a longer max_execution_time.`,
    );
  if (code !== undefined && CANCELLED_CODES.has(code))
    return fail("cancelled", `${who(label)}: the query was cancelled.`);
  if (code !== undefined && QUOTA_CODES.has(code))
    return fail(
      "query",
      `${who(label)} refused the query: the user's quota is used up (${message}). Wait for the quota's interval or ask IT to raise it.`,
    );
  return fail("query", `${who(label)} rejected the query: ${message}`);
}

/**
 * The RemoteError when the server could not be reached at all (`cors` when a page's request was
 * blocked by the browser although the server answers).
 * @example clickHouseNetworkError(label, "unreachable", "connection refused")
 */
export function clickHouseNetworkError(
  label: ConnectionLabel,
  failure: "unreachable" | "cors",
  detail: string,
): RemoteError {
  if (failure === "cors")
    return new RemoteError(
      "cors",
      `${who(label)} answers, but the browser blocked its answer to this page (CORS). ${CLICKHOUSE_CORS_FIX}. ` +
        "ClickHouse also leaves that header off when it refuses a user, so check the user name and password too.",
    );
  return new RemoteError(
    "unreachable",
    mask(
      `Could not reach ${who(label)}: ${detail}. Check the URL and port, that the server is running, and that ` +
        "this machine may reach it (VPN, firewall, proxy).",
      label,
    ),
  );
}

/**
 * The RemoteError for a result larger than the row cap.
 * @example clickHouseRowCapError(label, 100000)
 */
export function clickHouseRowCapError(label: ConnectionLabel, maxRows: number): RemoteError {
  return new RemoteError(
    "row-cap",
    `The result of ${who(label)} has more than ${maxRows.toLocaleString("en-US")} rows, the cell's row cap: ` +
      "aggregate on the server first (GROUP BY in the query, so fewer rows come back), or raise the cell's row cap.",
  );
}

/**
 * The RemoteError for a query the user cancelled (the server query has been killed).
 * @example clickHouseCancelledError(label)
 */
export function clickHouseCancelledError(label: ConnectionLabel): RemoteError {
  return new RemoteError("cancelled", `The query on ${who(label)} was cancelled (and stopped on the server).`);
}
