/**
 * clickHouseServerMessage(body) and clickHouseAnswerError(label, status, body): error answers of 18.16
 * (copied from the loopback cluster) and of a current ClickHouse (thrown by chdb 26 here) become
 * RemoteErrors of the right failure whose message names the connection and never the password.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { clickHouseAnswerError, clickHouseServerMessage } from "../../../src/engine/remote/clickhouse-errors.ts";

const chdb = createRequire(import.meta.url)("chdb") as { query(sql: string, format: string): string };
/** The message a current ClickHouse gives for `sql`. */
function currentError(sql: string): string {
  try {
    chdb.query(sql, "TSV");
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${sql} did not fail`);
}

const label = { name: "warehouse", url: "https://ch.example.com:8443/", user: "ana", password: "p4ss-w0rd" };

describe("clickHouseServerMessage(body)", () => {
  it.each<[string, number, string]>([
    [
      "Code: 60, e.displayText() = DB::Exception: Table default.nope doesn't exist., e.what() = DB::Exception\n",
      60,
      "Table default.nope doesn't exist.",
    ],
    [
      "Code: 60. DB::Exception: Table x does not exist. (UNKNOWN_TABLE) (version 24.3.1.1)",
      60,
      "Table x does not exist. (UNKNOWN_TABLE)",
    ],
    ["Something else entirely", Number.NaN, "Something else entirely"],
  ])("reads %j", (body, code, message) => {
    const parsed = clickHouseServerMessage(body);
    expect(parsed.code ?? Number.NaN).toEqual(code);
    expect(parsed.message).toBe(message);
  });

  it("reads a current ClickHouse's message (chdb)", () => {
    const parsed = clickHouseServerMessage(currentError("SELECT * FROM nope"));
    expect(parsed.code).toBe(60);
    expect(parsed.message).toMatch(/^Unknown table expression identifier 'nope'.*\(UNKNOWN_TABLE\)$/);
  });
});

describe("clickHouseAnswerError(label, status, body)", () => {
  it.each<[string, number, string, string]>([
    [
      "18.16 wrong password",
      401,
      "Code: 193, e.displayText() = DB::Exception: Wrong password for user ana, e.what() = DB::Exception",
      "credentials",
    ],
    [
      "18.16 unknown user",
      401,
      "Code: 192, e.displayText() = DB::Exception: Unknown user ana, e.what() = DB::Exception",
      "credentials",
    ],
    [
      "current auth failure",
      516,
      "Code: 516. DB::Exception: ana: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED) (version 25.8.1.1)",
      "credentials",
    ],
    ["a bare 403", 403, "Forbidden", "credentials"],
    [
      "too many rows",
      500,
      "Code: 396. DB::Exception: Limit for result exceeded, max rows: 10.00, current rows: 100.00. (TOO_MANY_ROWS_OR_BYTES)",
      "row-cap",
    ],
    [
      "time limit",
      500,
      "Code: 159, e.displayText() = DB::Exception: Timeout exceeded: elapsed 5.0 seconds, maximum: 5, e.what() = DB::Exception",
      "timeout",
    ],
    [
      "cancelled",
      500,
      "Code: 394, e.displayText() = DB::Exception: Query was cancelled, e.what() = DB::Exception",
      "cancelled",
    ],
    [
      "quota",
      500,
      "Code: 201, e.displayText() = DB::Exception: Quota for user ana for 3600s has been exceeded, e.what() = DB::Exception",
      "query",
    ],
    [
      "unknown table",
      404,
      "Code: 60, e.displayText() = DB::Exception: Table default.nope doesn't exist., e.what() = DB::Exception",
      "query",
    ],
  ])("%s is failure %s", (_, status, body, failure) => {
    const error = clickHouseAnswerError(label, status, body);
    expect(error.failure).toBe(failure);
    expect(error.message).toContain('ClickHouse connection "warehouse" (https://ch.example.com:8443/)');
  });

  it("masks the password wherever the server's text holds it", () => {
    const error = clickHouseAnswerError(
      label,
      500,
      "Code: 62. DB::Exception: Syntax error near 'p4ss-w0rd'. (SYNTAX_ERROR)",
    );
    expect(error.message).not.toContain("p4ss-w0rd");
    expect(error.message).toContain("***");
  });

  it("keeps a current ClickHouse's syntax error (chdb) as a 'query' failure", () => {
    const error = clickHouseAnswerError(label, 400, currentError("SELEC 1"));
    expect(error.failure).toBe("query");
    expect(error.message).toMatch(/rejected the query: Syntax error: failed at position \d+/);
  });
});
