/**
 * The ClickHouse literal encoder (clickhouse-literals.ts) against real servers: on a current ClickHouse
 * (chdb 26.x, in-process) every value gives the same result bound natively (`{v:Type}` parameters) as
 * substituted as a typed literal; on Debian's 18.16 cluster (no parameters) injection payloads come
 * back as the exact text and never change a query.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClickHouseEngine } from "../../../src/engine/remote/clickhouse.ts";
import {
  bindClickHouseLiterals,
  clickHouseLiteral,
  clickHouseParamText,
  clickHouseParamType,
  clickHouseSqlPlaceholder,
  clickHouseStringLiteral,
  clickHouseValueText,
  findClickHousePlaceholders,
} from "../../../src/engine/remote/clickhouse-literals.ts";
import type { RemoteParam } from "../../../src/engine/remote/remote-engine.ts";
import { CLICKHOUSE, clickHouseMissing, startClickHouseCluster } from "../../helpers/clickhouse.ts";

interface ChdbSession {
  query(sql: string, format: string): string;
  queryBind(sql: string, params: Record<string, unknown>, format: string): string;
  close(): void;
}
const { Session } = createRequire(import.meta.url)("chdb") as { Session: new () => ChdbSession };

/** Payloads that would change a query if a value ever became SQL text. */
const INJECTIONS = [
  "'; DROP TABLE orders_local; --",
  "x' OR 1=1 OR 'a'='a",
  "\\'",
  "\\\\'",
  "\\' OR 1=1 --",
  "a\\",
  "a\\\\",
  "\\",
  "'",
  "''",
  "' || '",
  "\u2019 OR 1=1 \u2018",
  "\uFF07 OR 1=1 --",
  "{other:String}",
  "{v:String}",
  "*/ OR 1=1 /*",
  "-- comment",
  "\0' OR 1=1 --",
  "\\0",
  "\\x27 OR 1=1",
  "a\nb\r\nc\td",
  "\\N",
  "NULL",
  "\u2028\u2029\b\f",
  "emoji 😀, 中文, ʼ ′ ″ « »",
];

/** Values of every JS type a parameter takes, with edge cases. */
const VALUES: [string, RemoteParam][] = [
  ...INJECTIONS.map((s): [string, RemoteParam] => [`string ${JSON.stringify(s)}`, s]),
  ["empty string", ""],
  ["zero", 0],
  ["negative zero", -0],
  ["integer", 42],
  ["negative integer", -7],
  ["max safe integer", Number.MAX_SAFE_INTEGER],
  ["float 0.1", 0.1],
  ["float pi", Math.PI],
  ["tiny float", -1e-7],
  ["huge float", 1e21],
  ["unsafe integer-valued float", 2 ** 60],
  ["NaN", Number.NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
  ["bigint Int64 max", 2n ** 63n - 1n],
  ["bigint Int64 min", -(2n ** 63n)],
  ["bigint UInt64 max", 2n ** 64n - 1n],
  ["bigint Int128", -(2n ** 100n)],
  ["true", true],
  ["false", false],
  ["null", null],
  ["Date", new Date("2024-05-01T10:20:30Z")],
  ["Date at epoch", new Date(0)],
  ["Date with milliseconds", new Date("1999-12-31T23:59:59.123Z")],
];

describe("clickHouseStringLiteral(text)", () => {
  it.each<[string, string]>([
    ["plain", "'plain'"],
    ["O'Brien", "'O\\'Brien'"],
    ["a\\b", "'a\\\\b'"],
    ["\\'", "'\\\\\\''"],
    ["\0\n\r\t\b\f", "'\\0\\n\\r\\t\\b\\f'"],
    ["\u2019", "'\u2019'"],
  ])("quotes %j as %s", (text, literal) => {
    expect(clickHouseStringLiteral(text)).toBe(literal);
  });
});

describe("clickHouseParamType(value) and clickHouseSqlPlaceholder(name, value)", () => {
  it.each<[RemoteParam, string]>([
    ["x", "String"],
    [1, "Int64"],
    [1.5, "Float64"],
    [Number.NaN, "Float64"],
    [1n, "Int64"],
    [2n ** 64n - 1n, "UInt64"],
    [-(2n ** 100n), "Int128"],
    [true, "UInt8"],
    [null, "Nullable(String)"],
    [new Date(0), "DateTime('UTC')"],
    [new Date(1), "DateTime64(3, 'UTC')"],
  ])("%s is bound as %s", (value, type) => {
    expect(clickHouseParamType(value)).toBe(type);
    expect(clickHouseSqlPlaceholder("v", value)).toBe(`{v:${type}}`);
  });

  it.each<[string, RemoteParam, string]>([
    ["bad name", 1, "letters, digits and _"],
    ["v", 2n ** 200n, "too large"],
    ["v", new Date(Number.NaN), "invalid Date"],
  ])("%s = %s fails saying %s", (name, value, message) => {
    expect(() => clickHouseSqlPlaceholder(name, value)).toThrow(message);
  });
});

describe("findClickHousePlaceholders(sql) and bindClickHouseLiterals(sql, params)", () => {
  it("finds placeholders outside strings, quoted identifiers and comments only", () => {
    const sql =
      "SELECT {a:Int64}, '{b:String}', \"{c:String}\", `{d:String}` -- {e:String}\n/* {f:String} */ , { g : Nullable(String) }, 'it''s {h:String}', 'x\\'{i:String}'";
    expect(findClickHousePlaceholders(sql).map((p) => [p.name, p.type])).toEqual([
      ["a", "Int64"],
      ["g", "Nullable(String)"],
    ]);
  });

  it("substitutes typed literals and leaves look-alikes in strings alone", () => {
    expect(bindClickHouseLiterals("SELECT {a:Int64}, '{a:Int64}', {s:String}", { a: 5, s: "{a:Int64}" })).toBe(
      "SELECT CAST('5' AS Int64), '{a:Int64}', CAST('{a:Int64}' AS String)",
    );
  });

  it("names a placeholder without a value", () => {
    expect(() => bindClickHouseLiterals("SELECT {missing:String}", {})).toThrow('no value named "missing"');
  });

  it("refuses a type that is not a type name", () => {
    expect(() => clickHouseLiteral("x", "String) OR 1=1 --")).toThrow("is not a ClickHouse type name");
  });
});

describe("native parameters and the literal encoder on a current ClickHouse (chdb)", () => {
  let session: ChdbSession;
  beforeAll(() => {
    session = new Session();
  });
  afterAll(() => session?.close());

  /** `SELECT {v:T}` with the parameter set the way the HTTP interface's `param_v=` sets it. */
  const viaParamText = (type: string, value: RemoteParam) => {
    session.query(`SET param_v = ${clickHouseStringLiteral(clickHouseParamText(value))}`, "TSV");
    return session.query(`SELECT {v:${type}} AS v, toTypeName(v) AS t FORMAT TSV`, "TSV");
  };
  const viaLiteral = (type: string, value: RemoteParam) =>
    session.query(
      bindClickHouseLiterals(`SELECT {v:${type}} AS v, toTypeName(v) AS t FORMAT TSV`, { v: value }),
      "TSV",
    );
  /** chdb's own binding (the reference client's escaping) of the same text. */
  const viaChdbBind = (type: string, value: RemoteParam) =>
    session.queryBind(`SELECT {v:${type}} AS v, toTypeName(v) AS t`, { v: clickHouseValueText(value) }, "TSV");

  it.each(VALUES)("%s: native, param text and literal give identical results", (_, value) => {
    const type = clickHouseParamType(value);
    const literal = viaLiteral(type, value);
    expect(literal).toMatch(/\t/);
    expect(viaParamText(type, value)).toBe(literal);
    expect(viaChdbBind(type, value)).toBe(literal);
  });

  it.each(INJECTIONS)("string %j round-trips exactly and matches nothing but itself", (payload) => {
    const sql =
      "SELECT {v:String} AS v, countIf(s = {v:String}) AS hits FROM (SELECT arrayJoin(['a', 'x', '']) AS s) FORMAT JSONEachRow";
    const literal = JSON.parse(session.query(bindClickHouseLiterals(sql, { v: payload }), "JSONEachRow")) as {
      v: string;
      hits: number;
    };
    expect(literal).toEqual({ v: payload, hits: 0 });
    session.query(`SET param_v = ${clickHouseStringLiteral(clickHouseParamText(payload))}`, "TSV");
    expect(JSON.parse(session.query(sql, "JSONEachRow"))).toEqual(literal);
  });

  it.each<[string, RemoteParam]>([
    ["UInt32", 7],
    ["Float32", 0.5],
    ["Nullable(Int64)", null],
    ["Nullable(Int64)", 12],
    ["Date", "2024-02-29"],
    ["Decimal(18, 4)", "12.3456"],
    ["LowCardinality(String)", "it's"],
  ])("a placeholder typed %s by the query's author binds %j the same both ways", (type, value) => {
    expect(viaParamText(type, value)).toBe(viaLiteral(type, value));
  });
});

describe.skipIf(clickHouseMissing)("the literal encoder on Debian's ClickHouse 18.16 (no query parameters)", () => {
  const engine = createClickHouseEngine("warehouse", { type: "clickhouse", url: CLICKHOUSE.url }, CLICKHOUSE.analyst);
  beforeAll(() => startClickHouseCluster());

  it("the server predates query parameters, so values go through the encoder", async () => {
    expect(await engine.version()).toMatch(/^18\./);
    expect(await engine.nativeParams()).toBe(false);
  });

  it("every injection payload comes back as its exact text and matches no order", async () => {
    const values = Object.fromEntries(INJECTIONS.map((s, i) => [`p${i}`, s]));
    const selects = INJECTIONS.map((s, i) => `${engine.placeholder(`p${i}`, s)} AS p${i}`).join(", ");
    const { rows } = await engine.query(`SELECT ${selects}`, { params: values });
    expect(rows).toEqual([INJECTIONS]);
    for (const [key, value] of Object.entries(values)) {
      const { rows: counts } = await engine.query(
        `SELECT count() FROM ${CLICKHOUSE.tables.orders} WHERE channel = ${engine.placeholder(key, value)}`,
        { params: { [key]: value } },
      );
      expect(counts).toEqual([[0n]]);
    }
  });

  it.each(
    VALUES.filter(
      ([, v]) => !(v instanceof Date && v.getUTCMilliseconds() !== 0) && clickHouseParamType(v) !== "Int128",
    ),
  )("%s comes back as the value the page sent", async (_, value) => {
    const { rows } = await engine.query(`SELECT ${engine.placeholder("v", value)} AS v`, { params: { v: value } });
    const expected =
      typeof value === "boolean"
        ? Number(value)
        : typeof value === "number" && Number.isSafeInteger(value)
          ? BigInt(value)
          : value;
    expect(rows).toEqual([[expected]]);
  });
});
