/**
 * Running generated SQL on real engines besides duckdb-wasm, for `toSQL` tests: a current ClickHouse
 * in-process (npm `chdb`), and, when `SEGBOOK_CLICKHOUSE_URL` points at one (e.g. Debian's 18.16
 * server), a ClickHouse server over HTTP.
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

interface ChdbSession {
  query(sql: string, format?: string): string;
  cleanup?(): void;
}

const require = createRequire(import.meta.url);

/** ClickHouse column types for the DuckDB types the shipped datasets have. */
const CLICKHOUSE_TYPES: Record<string, string> = {
  BIGINT: "Int64",
  INTEGER: "Int32",
  DOUBLE: "Float64",
  VARCHAR: "String",
  DATE: "Date",
  TIMESTAMP: "DateTime",
  // 18.16 reads no true/false into numbers; the tests never score on booleans.
  BOOLEAN: "String",
};

/** A ClickHouse name in backticks (test data only; the library has its own quoting). */
const tick = (name: string) => `\`${name.replaceAll("\\", "\\\\").replaceAll("`", "\\`")}\``;

/**
 * A chdb session (current ClickHouse, in-process) with CSV files loaded as tables; its columns'
 * types are inferred (Nullable), as a user loading the same file would get.
 * @example const ch = chdbWith({mall: "/path/Mall_Customers.csv"}); ch.rows("SELECT * FROM mall");
 */
export function chdbWith(tables: Record<string, string>) {
  const { Session } = require("chdb") as { Session: new () => ChdbSession };
  const session = new Session();
  for (const [name, file] of Object.entries(tables)) {
    session.query(
      `CREATE TABLE ${tick(name)} ENGINE = Memory AS SELECT * FROM file('${file.replaceAll("'", "\\'")}', 'CSVWithNames')`,
    );
  }
  return {
    version: JSON.parse(session.query("SELECT version()", "JSON")).data[0]["version()"] as string,
    /** The rows of a query, as objects (64-bit integers as strings, ClickHouse's JSON default). */
    rows(sql: string): Record<string, unknown>[] {
      const out = session.query(sql, "JSONEachRow");
      return out
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    run(sql: string): void {
      session.query(sql);
    },
    close(): void {
      session.cleanup?.();
    },
  };
}

/** The ClickHouse server at `SEGBOOK_CLICKHOUSE_URL`, or null when none is set. */
export function clickhouseServer() {
  const url = process.env.SEGBOOK_CLICKHOUSE_URL;
  if (!url) return null;
  const post = async (sql: string, body?: string) => {
    const target = body === undefined ? url : `${url}/?query=${encodeURIComponent(sql)}`;
    const response = await fetch(target, { method: "POST", body: body ?? sql });
    const text = await response.text();
    if (!response.ok) throw new Error(text);
    return text;
  };
  return {
    url,
    /** Creates `name` with the given DuckDB column types and loads the CSV file (header row) into it. */
    async load(name: string, columns: readonly { name: string; type: string }[], file: string) {
      await post(`DROP TABLE IF EXISTS ${tick(name)}`);
      const list = columns.map((c) => `${tick(c.name)} ${CLICKHOUSE_TYPES[c.type] ?? "String"}`).join(", ");
      await post(`CREATE TABLE ${tick(name)} (${list}) ENGINE = Memory`);
      await post(`INSERT INTO ${tick(name)} FORMAT CSVWithNames`, readFileSync(file, "utf8"));
    },
    async rows(sql: string): Promise<Record<string, unknown>[]> {
      const text = await post(`${sql}\nFORMAT JSONEachRow`);
      return text
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    async run(sql: string) {
      await post(sql);
    },
  };
}
