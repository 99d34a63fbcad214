import { describe, expect, it } from "vitest";
import { parse, readFrontMatter, serialize } from "../../src/notebook/index.ts";
import { connectionEnvNames } from "../../src/notebook/connections.ts";
import { DEFAULT_REMOTE_MAX_ROWS, readCellAttributes, readCellInfo } from "../../src/notebook/info-string.ts";

const URL = "https://warehouse.example.com:8443";

describe("readFrontMatter(source) connections:", () => {
  it("reads a connection with type, url and database", () => {
    const { frontMatter, issues } = readFrontMatter(
      `connections:\n  warehouse: {type: clickhouse, url: ${URL}, database: analytics}\n`,
    );
    expect(issues).toEqual([]);
    expect(frontMatter.connections).toEqual({ warehouse: { type: "clickhouse", url: URL, database: "analytics" } });
  });

  const refused: { title: string; entry: string; fragments: string[] }[] = [
    {
      title: "an unknown type, naming the known ones",
      entry: `{type: trino, url: ${URL}}`,
      fragments: ["connections.warehouse.type must be one of clickhouse", '"trino"'],
    },
    { title: "a missing type", entry: `{url: ${URL}}`, fragments: ["must be one of clickhouse", "got none"] },
    { title: "a missing url", entry: "{type: clickhouse}", fragments: ["needs a url"] },
    {
      title: "a url that is not http(s)",
      entry: "{type: clickhouse, url: ftp://x}",
      fragments: ["http:// or https://"],
    },
    {
      title: "a password key, saying where credentials go",
      entry: `{type: clickhouse, url: ${URL}, password: hunter2}`,
      fragments: [
        "connections.warehouse.password looks like a credential",
        "never go in the notebook file",
        "SEGBOOK_WAREHOUSE_USER",
        "SEGBOOK_WAREHOUSE_PASSWORD",
        "--connection warehouse=URL",
        "browser asks",
      ],
    },
    {
      title: "a user key",
      entry: `{type: clickhouse, url: ${URL}, user: ana}`,
      fragments: ["connections.warehouse.user looks like a credential"],
    },
    {
      title: "a token key",
      entry: `{type: clickhouse, url: ${URL}, accessToken: x}`,
      fragments: ["accessToken looks like a credential"],
    },
    {
      title: "an api key",
      entry: `{type: clickhouse, url: ${URL}, api_key: x}`,
      fragments: ["api_key looks like a credential"],
    },
    {
      title: "a user and password inside the url",
      entry: "{type: clickhouse, url: 'https://ana:hunter2@warehouse.example.com'}",
      fragments: ["url carries a user or password", "never go in the notebook file"],
    },
    {
      title: "a bad database",
      entry: `{type: clickhouse, url: ${URL}, database: 3}`,
      fragments: ["database must be a database name"],
    },
    { title: "an entry that is not a map", entry: "clickhouse", fragments: ["connections.warehouse must be a map"] },
  ];
  it.each(refused)("refuses $title and leaves the connection out", ({ entry, fragments }) => {
    const { frontMatter, issues } = readFrontMatter(`connections:\n  warehouse: ${entry}\n`);
    expect(frontMatter.connections).toEqual({});
    const errors = issues
      .filter((i) => i.severity === "error")
      .map((i) => i.message)
      .join("\n");
    for (const fragment of fragments) expect(errors).toContain(fragment);
    expect(issues.every((i) => i.line === 3 || i.line === 4)).toBe(true);
  });

  it("refuses a credential-like top-level key instead of keeping it as unknown", () => {
    const { issues } = readFrontMatter("password: hunter2\n");
    expect(issues).toEqual([
      expect.objectContaining({
        severity: "error",
        message: expect.stringContaining("credentials never go in the notebook file"),
      }),
    ]);
  });

  it("refuses a connection name that is not an identifier", () => {
    const { frontMatter, issues } = readFrontMatter(`connections:\n  my-wh: {type: clickhouse, url: ${URL}}\n`);
    expect(frontMatter.connections).toEqual({});
    expect(issues[0]!.message).toContain('connection name "my-wh" is not a valid identifier');
  });

  it("warns about an unknown key and keeps the connection", () => {
    const { frontMatter, issues } = readFrontMatter(
      `connections:\n  wh: {type: clickhouse, url: ${URL}, region: eu}\n`,
    );
    expect(frontMatter.connections).toEqual({ wh: { type: "clickhouse", url: URL } });
    expect(issues).toEqual([expect.objectContaining({ severity: "warning", line: 3 })]);
  });
});

describe("connectionEnvNames(name)", () => {
  it.each([
    ["warehouse", "SEGBOOK_WAREHOUSE_USER", "SEGBOOK_WAREHOUSE_PASSWORD"],
    ["eu_events", "SEGBOOK_EU_EVENTS_USER", "SEGBOOK_EU_EVENTS_PASSWORD"],
  ])("%s -> %s / %s", (name, user, password) => {
    expect(connectionEnvNames(name)).toEqual({ user, password });
  });
});

describe("readCellAttributes(kind, attrs)", () => {
  it.each([
    ["engine=warehouse", { engine: "warehouse" }, [], []],
    ["engine=warehouse maxRows=5000", { engine: "warehouse", maxRows: 5000 }, [], []],
    ["maxRows=1_000 engine=wh echo=false", { engine: "wh", maxRows: 1000 }, [], ["echo=false"]],
    ["engine=1bad", {}, ["engine= names a connection"], []],
    ["engine=wh maxRows=0", { engine: "wh" }, ["maxRows= is the most rows"], []],
    ["engine=wh maxRows=lots", { engine: "wh" }, ["maxRows= is the most rows"], []],
    ["maxRows=10", { maxRows: 10 }, ["applies to remote SQL cells only"], []],
  ])("sql %s", (attrs, attributes, errors, unknown) => {
    const read = readCellAttributes("sql", attrs);
    expect(read.attributes).toEqual(attributes);
    expect(read.errors).toHaveLength(errors.length);
    errors.forEach((e, i) => expect(read.errors[i]).toContain(e));
    expect(read.unknown).toEqual(unknown);
  });

  it("refuses engine= on a TS cell", () => {
    expect(readCellAttributes("ts", "engine=wh").errors[0]).toContain("applies to SQL cells only");
  });

  it("states the default row cap", () => {
    expect(DEFAULT_REMOTE_MAX_ROWS).toBe(1_000_000);
  });
});

describe("readCellInfo(info) with engine=", () => {
  it("understands engine= and maxRows= without a warning, and still warns about other words", () => {
    expect(readCellInfo("sql customers engine=warehouse maxRows=10")).toEqual({
      kind: "sql",
      name: "customers",
      attrs: "engine=warehouse maxRows=10",
      errors: [],
      warnings: [],
    });
    expect(readCellInfo("sql c engine=wh echo=false")!.warnings).toEqual([
      'fence attributes "echo=false" are not understood yet; kept as written',
    ]);
  });
});

describe("parse(text) with remote cells", () => {
  const file = [
    "---",
    "connections:",
    `  warehouse: {type: clickhouse, url: ${URL}, database: analytics}`,
    "---",
    "",
    "```sql customers engine=warehouse maxRows=50000",
    "SELECT customer_id, count() AS orders FROM orders WHERE country = ${country} GROUP BY customer_id",
    "```",
    "",
    "```sql other engine=lake",
    "SELECT 1",
    "```",
    "",
  ].join("\n");

  it("reports an engine= naming no connection on its fence line, naming the known ones", () => {
    const { issues } = parse(file);
    expect(issues).toEqual([
      {
        severity: "error",
        line: 10,
        message: 'engine=lake names no connection; the front matter "connections:" has warehouse',
      },
    ]);
  });

  it("round-trips the connections and the fence attributes unchanged", () => {
    const { notebook } = parse(file);
    expect(serialize(notebook)).toBe(file);
    expect(notebook.cells[0]).toMatchObject({
      kind: "sql",
      name: "customers",
      attrs: "engine=warehouse maxRows=50000",
    });
  });
});
