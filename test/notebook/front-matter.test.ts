import { describe, expect, it } from "vitest";
import type { FrontMatter, Notebook } from "../../src/notebook/index.ts";
import {
  createCell,
  parse,
  readFrontMatter,
  serialize,
  setDataSource,
  setFrontMatterField,
} from "../../src/notebook/index.ts";

const HASH = "a".repeat(64);

describe("readFrontMatter(source)", () => {
  const cases: {
    title: string;
    source: string;
    frontMatter: FrontMatter;
    issues: [severity: string, line: number, fragment: string][];
  }[] = [
    { title: "reads an empty source", source: "", frontMatter: { data: {} }, issues: [] },
    { title: "reads comments only", source: "# nothing yet\n", frontMatter: { data: {} }, issues: [] },
    {
      title: "treats empty values as not set",
      source: "title:\nseed:\nformat:\ndata:\n",
      frontMatter: { data: {} },
      issues: [],
    },
    {
      title: "reads every known key",
      source: `title: T\ndescription: What it does.\nrequires: the shared data\nformat: 1\nseed: -3\ndata:\n  a: a.csv\n  b: {path: b.json, sha256: ${HASH}, format: json}\n`,
      frontMatter: {
        title: "T",
        description: "What it does.",
        requires: "the shared data",
        format: 1,
        seed: -3,
        data: { a: { path: "a.csv" }, b: { path: "b.json", sha256: HASH, format: "json" } },
      },
      issues: [],
    },
    {
      title: "rejects a non-text title, description and requires, a zero format and an unsafe seed",
      source: "title: 12\nformat: 0\nseed: 123456789012345678901\ndescription: [a]\nrequires: {data: x}\n",
      frontMatter: { data: {} },
      issues: [
        ["error", 2, '"title" must be text, got 12'],
        ["error", 3, '"format" must be a whole number'],
        ["error", 4, '"seed" must be a whole number'],
        ["error", 5, '"description" must be text'],
        ["error", 6, '"requires" must be text'],
      ],
    },
    {
      title: "keeps a newer format but reports it",
      source: "format: 3\n",
      frontMatter: { data: {}, format: 3 },
      issues: [["error", 2, "written by a newer Segbook"]],
    },
    {
      title: "rejects data given as a list",
      source: "data:\n  - a.csv\n",
      frontMatter: { data: {} },
      issues: [["error", 2, '"data" must be a map']],
    },
    {
      title: "rejects a data entry given as a number",
      source: "data:\n  a: 5\n  b: b.tsv\n",
      frontMatter: { data: { b: { path: "b.tsv" } } },
      issues: [["error", 3, "data.a needs a path"]],
    },
    {
      title: "reports the line of a nested key",
      source: `data:\n  ok: ok.csv\n  bad:\n    path: 7\n    format: csv\n`,
      frontMatter: { data: { ok: { path: "ok.csv" } } },
      issues: [["error", 5, "data.bad.path must be text, got 7"]],
    },
    {
      title: "reads delimiter and header of delimited text, sheet of a workbook",
      source:
        'data:\n  cdnow: {path: CDNOW_master.txt, delimiter: " ", header: true}\n  eu: {path: eu.csv, delimiter: ";", header: false}\n  t: {path: x.tsv, delimiter: "\\t"}\n  q3: {path: sales.xlsx, sheet: Q3}\n  anon: {path: data, format: csv, delimiter: "|"}\n',
      frontMatter: {
        data: {
          cdnow: { path: "CDNOW_master.txt", delimiter: " ", header: true },
          eu: { path: "eu.csv", delimiter: ";", header: false },
          t: { path: "x.tsv", delimiter: "\t" },
          q3: { path: "sales.xlsx", sheet: "Q3" },
          anon: { path: "data", format: "csv", delimiter: "|" },
        },
      },
      issues: [],
    },
    {
      title: "rejects a bad delimiter, header or sheet, or one on a file it does not apply to",
      source: [
        "data:",
        '  a: {path: a.txt, delimiter: ";;"}',
        "  b: {path: b.csv, header: yes please}",
        "  c: {path: c.parquet, delimiter: ','}",
        "  d: {path: d.csv, sheet: Q3}",
        "  e: {path: e.xlsx, sheet: ''}",
        "  f: {path: f.xlsx, header: true}",
        "  g: {path: g.txt, delimiter: 5}",
        "",
      ].join("\n"),
      frontMatter: { data: {} },
      issues: [
        [
          "error",
          3,
          'data.a.delimiter must be one character such as ",", ";", "|", "\\t" (tab) or " " (runs of spaces), got ";;"',
        ],
        ["error", 4, "data.b.header must be true or false"],
        ["error", 5, "data.c.delimiter applies to delimited text (.csv, .tsv, .txt) only, not to c.parquet"],
        ["error", 6, "data.d.sheet applies to Excel workbooks (.xlsx) only"],
        ["error", 7, 'data.e.sheet must be a sheet name such as "Q3"'],
        ["error", 8, "data.f.header applies to delimited text"],
        ["error", 9, "data.g.delimiter must be one character"],
      ],
    },
    {
      title: "reads columns of a Parquet file, by extension or by format",
      source:
        "data:\n  orders: {path: orders.parquet, columns: [customer_id, order_date, amount]}\n  raw: {path: export, format: parquet, columns: [id]}\n",
      frontMatter: {
        data: {
          orders: { path: "orders.parquet", columns: ["customer_id", "order_date", "amount"] },
          raw: { path: "export", format: "parquet", columns: ["id"] },
        },
      },
      issues: [],
    },
    {
      title: "rejects columns that are not a list of distinct names, or on a file that is not Parquet",
      source: [
        "data:",
        "  a: {path: a.csv, columns: [x]}",
        "  b: {path: b.parquet, columns: amount}",
        "  c: {path: c.parquet, columns: []}",
        "  d: {path: d.parquet, columns: [x, 5]}",
        "  e: {path: e.parquet, columns: [x, y, x]}",
        "",
      ].join("\n"),
      frontMatter: { data: {} },
      issues: [
        ["error", 3, "data.a.columns applies to Parquet files only, not to a.csv; remove it"],
        ["error", 4, 'data.b.columns must be a list of column names such as [customer_id, amount], got "amount"'],
        ["error", 5, "data.c.columns must be a list of column names"],
        ["error", 6, "data.d.columns must be a list of column names"],
        ["error", 7, 'data.e.columns names "x" twice; list each column once'],
      ],
    },
    {
      title: "reports a scalar front matter",
      source: "just text\n",
      frontMatter: { data: {} },
      issues: [["error", 2, "must be a map of keys"]],
    },
    {
      title: "reads aliases",
      source: "seed: &s 5\nother: *s\n",
      frontMatter: { data: {}, seed: 5 },
      issues: [["warning", 3, 'unknown key "other"']],
    },
    {
      title: "reports an unknown tag as a warning",
      source: "title: !custom x\n",
      frontMatter: { data: {}, title: "x" },
      issues: [["warning", 2, "Unresolved tag"]],
    },
  ];

  it.each(cases)("readFrontMatter(source) $title", ({ source, frontMatter, issues }) => {
    const result = readFrontMatter(source);
    expect(result.frontMatter).toEqual(frontMatter);
    expect(result.issues.map((i) => [i.severity, i.line])).toEqual(issues.map(([s, l]) => [s, l]));
    issues.forEach(([, , fragment], n) => expect(result.issues[n]?.message).toContain(fragment));
  });

  it("readFrontMatter(source, firstLine) offsets lines for YAML errors too", () => {
    const { issues } = readFrontMatter("a: 1\nb: [\n", 10);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.severity).toBe("error");
    expect(issues[0]?.line).toBeGreaterThanOrEqual(11);
  });
});

function withFrontMatter(source: string | undefined): Notebook {
  const text = source === undefined ? "# Body\n" : `---\n${source}---\n\n# Body\n`;
  return parse(text).notebook;
}

describe("setFrontMatterField(nb, key, value)", () => {
  const source = "# Settings\ntitle: Old # the name\nseed: 1\nauthor: me\n";

  it("setFrontMatterField(nb, key, value) replaces a value in place, keeping comments and order", () => {
    const nb = withFrontMatter(source);
    const next = setFrontMatterField(nb, "title", "New: name");
    expect(next.frontMatterSource).toBe('# Settings\ntitle: "New: name" # the name\nseed: 1\nauthor: me\n');
    expect(next.frontMatter).toEqual({ data: {}, title: "New: name", seed: 1 });
    expect(next.cells).toEqual(nb.cells);
    expect(nb.frontMatterSource).toBe(source);
  });

  it("setFrontMatterField(nb, key, value) appends a new key and removes one given undefined", () => {
    const added = setFrontMatterField(withFrontMatter(source), "format", 1);
    expect(added.frontMatterSource).toBe(`${source}format: 1\n`);
    const removed = setFrontMatterField(added, "seed", undefined);
    expect(removed.frontMatterSource).toBe("# Settings\ntitle: Old # the name\nauthor: me\nformat: 1\n");
    expect(removed.frontMatter).toEqual({ data: {}, title: "Old", format: 1 });
  });

  it("setFrontMatterField(nb, key, value) creates front matter and removes it with its last key", () => {
    const nb = withFrontMatter(undefined);
    const withSeed = setFrontMatterField(nb, "seed", 99);
    expect(serialize(withSeed)).toBe("---\nseed: 99\n---\n\n# Body\n");
    expect(withSeed.frontMatter.seed).toBe(99);
    const without = setFrontMatterField(withSeed, "seed", undefined);
    expect(without.frontMatterSource).toBeUndefined();
    expect("frontMatterSource" in without).toBe(false);
    expect(serialize(without)).toBe("# Body\n");
  });

  it("setFrontMatterField(nb, key, value) throws for a value the key does not accept", () => {
    const nb = withFrontMatter(source);
    expect(() => setFrontMatterField(nb, "seed", "abc")).toThrow(/setFrontMatterField\("seed"\).*whole number/);
    expect(() => setFrontMatterField(nb, "format", 2)).toThrow(/newer Segbook/);
  });

  it("setFrontMatterField(nb, key, value) refuses to edit front matter that is not valid YAML", () => {
    const nb = withFrontMatter("title: [oops\n");
    expect(() => setFrontMatterField(nb, "seed", 1)).toThrow(/not valid YAML.*fix it in the file first/);
  });
});

describe("setDataSource(nb, name, source)", () => {
  it("setDataSource(nb, name, source) adds a data map, a plain path as a string", () => {
    const next = setDataSource(withFrontMatter("title: T\n"), "sales", { path: "data/sales.csv" });
    expect(next.frontMatterSource).toBe("title: T\ndata:\n  sales: data/sales.csv\n");
    expect(next.frontMatter.data).toEqual({ sales: { path: "data/sales.csv" } });
  });

  it("setDataSource(nb, name, source) writes a map when there is more than a path", () => {
    const nb = withFrontMatter("data:\n  # main table\n  sales: data/sales.csv\n");
    const next = setDataSource(nb, "sales", { path: "s.parquet", sha256: HASH, format: "parquet" });
    expect(next.frontMatterSource).toBe(
      `data:\n  # main table\n  sales:\n    path: s.parquet\n    sha256: ${HASH}\n    format: parquet\n`,
    );
    expect(next.frontMatter.data.sales).toEqual({ path: "s.parquet", sha256: HASH, format: "parquet" });
  });

  it("setDataSource(nb, name, source) updates an existing entry map in place, keeping its extra keys", () => {
    const nb = withFrontMatter(`data:\n  sales:\n    note: keep # why\n    path: old.csv\n    sha256: ${HASH}\n`);
    const next = setDataSource(nb, "sales", { path: "new.csv" });
    expect(next.frontMatterSource).toBe("data:\n  sales:\n    note: keep # why\n    path: new.csv\n");
    expect(next.frontMatter.data.sales).toEqual({ path: "new.csv" });
  });

  it("setDataSource(nb, name, null) removes the table and the data key with its last table", () => {
    const nb = withFrontMatter("title: T\ndata:\n  a: a.csv\n  b: b.csv\n");
    const one = setDataSource(nb, "a", null);
    expect(one.frontMatterSource).toBe("title: T\ndata:\n  b: b.csv\n");
    const none = setDataSource(one, "b", null);
    expect(none.frontMatterSource).toBe("title: T\n");
    expect(none.frontMatter.data).toEqual({});
    expect(setDataSource(none, "zzz", null).frontMatterSource).toBe("title: T\n");
  });

  it("setDataSource(nb, name, source) throws on a bad name, path, hash or non-map data", () => {
    const nb = withFrontMatter("title: T\n");
    expect(() => setDataSource(nb, "my-table", { path: "a.csv" })).toThrow(/not a valid SQL identifier/);
    expect(() => setDataSource(nb, "t", { path: "" })).toThrow(/needs a path/);
    expect(() => setDataSource(nb, "t", { path: "a", sha256: "abc" })).toThrow(/64 hex digits/);
    const listData = withFrontMatter("data: [a]\n");
    expect(() => setDataSource(listData, "t", { path: "a.csv" })).toThrow(/"data" in the front matter is not a map/);
  });

  it("setDataSource(nb, name, source) writes delimiter, header and sheet, and removes them when left out", () => {
    const nb = withFrontMatter("data:\n  cdnow: CDNOW_master.txt # the master file\n");
    const spaced = setDataSource(nb, "cdnow", { path: "CDNOW_master.txt", delimiter: " ", header: true });
    expect(spaced.frontMatterSource).toBe(
      'data:\n  cdnow:\n    path: CDNOW_master.txt\n    delimiter: " "\n    header: true\n',
    );
    expect(spaced.frontMatter.data.cdnow).toEqual({ path: "CDNOW_master.txt", delimiter: " ", header: true });
    const tab = setDataSource(spaced, "cdnow", { path: "CDNOW_master.txt", delimiter: "\t" });
    expect(tab.frontMatterSource).toBe('data:\n  cdnow:\n    path: CDNOW_master.txt\n    delimiter: "\\t"\n');
    expect(tab.frontMatter.data.cdnow).toEqual({ path: "CDNOW_master.txt", delimiter: "\t" });
    const sheet = setDataSource(tab, "sales", { path: "sales.xlsx", sha256: HASH, sheet: "Q3 2024" });
    expect(sheet.frontMatter.data.sales).toEqual({ path: "sales.xlsx", sha256: HASH, sheet: "Q3 2024" });
    expect(sheet.frontMatterSource).toContain("    sheet: Q3 2024\n");
  });

  it("setDataSource(nb, name, source) writes columns on one line, round-trips them, and refuses them for CSV", () => {
    const nb = withFrontMatter("data:\n  orders: orders.parquet # the export\n");
    const picked = setDataSource(nb, "orders", { path: "orders.parquet", columns: ["customer_id", "amount"] });
    expect(picked.frontMatterSource).toBe(
      "data:\n  orders:\n    path: orders.parquet\n    columns: [ customer_id, amount ]\n",
    );
    expect(picked.frontMatter.data.orders).toEqual({ path: "orders.parquet", columns: ["customer_id", "amount"] });
    const { notebook, issues } = parse(serialize(picked));
    expect(issues).toEqual([]);
    expect(notebook.frontMatter.data.orders).toEqual(picked.frontMatter.data.orders);
    const all = setDataSource(picked, "orders", { path: "orders.parquet" });
    expect(all.frontMatterSource).toBe("data:\n  orders:\n    path: orders.parquet\n");
    expect(() => setDataSource(nb, "t", { path: "a.csv", columns: ["x"] })).toThrow(
      /setDataSource\("t"\): columns applies to Parquet files only/,
    );
  });

  it("setDataSource(nb, name, source) throws on an option the file does not take, as the reader would report it", () => {
    const nb = withFrontMatter("title: T\n");
    expect(() => setDataSource(nb, "t", { path: "a.parquet", delimiter: ";" })).toThrow(
      /setDataSource\("t"\): delimiter applies to delimited text/,
    );
    expect(() => setDataSource(nb, "t", { path: "a.csv", delimiter: "ab" })).toThrow(/delimiter must be one character/);
    expect(() => setDataSource(nb, "t", { path: "a.csv", sheet: "Q3" })).toThrow(/sheet applies to Excel workbooks/);
  });

  it("setDataSource(nb, name, source) output with every option round-trips through serialize and parse", () => {
    let nb: Notebook = { frontMatter: { data: {} }, cells: [createCell("md", "# Hi")] };
    nb = setDataSource(nb, "cdnow", { path: "CDNOW_master.txt", delimiter: " ", header: true });
    nb = setDataSource(nb, "eu", { path: "eu.txt", delimiter: ";", header: false });
    nb = setDataSource(nb, "tabs", { path: "t.txt", delimiter: "\t" });
    nb = setDataSource(nb, "sales", { path: "sales.xlsx", sha256: HASH, sheet: "Q3" });
    const { notebook, issues } = parse(serialize(nb));
    expect(issues).toEqual([]);
    expect(notebook.frontMatter).toEqual(nb.frontMatter);
    expect(notebook.frontMatter.data).toEqual({
      cdnow: { path: "CDNOW_master.txt", delimiter: " ", header: true },
      eu: { path: "eu.txt", delimiter: ";", header: false },
      tabs: { path: "t.txt", delimiter: "\t" },
      sales: { path: "sales.xlsx", sha256: HASH, sheet: "Q3" },
    });
    expect(notebook.frontMatterSource).toBe(nb.frontMatterSource);
  });

  it("setDataSource(nb, name, source) output round-trips through serialize and parse", () => {
    let nb: Notebook = { frontMatter: { data: {} }, cells: [createCell("md", "# Hi")] };
    nb = setFrontMatterField(nb, "title", "Segments");
    nb = setDataSource(nb, "customers", { path: "../shared/datasets/customers.csv" });
    nb = setDataSource(nb, "orders", { path: "orders.parquet", sha256: HASH });
    const { notebook, issues } = parse(serialize(nb));
    expect(issues).toEqual([]);
    expect(notebook.frontMatter).toEqual(nb.frontMatter);
    expect(notebook.frontMatterSource).toBe(nb.frontMatterSource);
  });
});
