/**
 * `segbook run` with least privilege (host-lock.ts), on both engines through the CLI's `main`: once
 * the data sources load, DuckDB refuses files, network, extensions and setting changes, whatever the
 * SQL text looks like; the notebook's own data and its --out exports still work, and
 * --allow-host-access opts out.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { RunReport } from "../../src/cli/run-notebook.ts";
import { hostAccessMessage } from "../../src/cli/host-lock.ts";
import { segbookInProcess } from "./segbook-bin.ts";

const CSV = "customer_id,region\n1,north\n2,south\n3,north\n";

/** A fresh folder with customers.csv and a notebook that loads it, exports it, then runs `attack`. */
function notebook(attack: string): { file: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "segbook-least-privilege-"));
  writeFileSync(path.join(dir, "customers.csv"), CSV);
  const file = path.join(dir, "notebook.md");
  writeFileSync(
    file,
    "---\ndata:\n  customers: customers.csv\n---\n\n" +
      "```sql regions\nSELECT customer_id, region FROM customers ORDER BY customer_id\n```\n\n" +
      '```ts\nawait seg.export(regions, { file: "regions.csv" });\n```\n\n' +
      "```sql\n" +
      attack +
      "\n```\n",
  );
  return { file, dir };
}

async function run(file: string, ...args: string[]): Promise<{ code: number; report: RunReport }> {
  const { code, stdout, stderr } = await segbookInProcess("run", file, "--json", "--threads", "1", ...args);
  expect(stderr).toBe("");
  return { code, report: JSON.parse(stdout) as RunReport };
}

const LOCKED =
  /^segbook run: this notebook's SQL tried to .*; segbook run only lets cells use the data sources named in the front matter or --data; pass --allow-host-access for a trusted notebook$/;

/** Attacks whose refusal comes from DuckDB's lock, with what the message must name. */
const attacks: { name: string; sql: (dir: string) => string; names: string; leaves?: string }[] = [
  { name: "read_csv", sql: () => "SELECT * FROM read_csv('/etc/passwd')", names: 'the file "/etc/passwd"' },
  { name: "read_text", sql: () => "SELECT * FROM read_text('/etc/passwd')", names: 'the file "/etc/passwd"' },
  { name: "read_blob", sql: () => "SELECT * FROM read_blob('/etc/passwd')", names: 'the file "/etc/passwd"' },
  {
    name: "COPY … TO",
    sql: (dir) => `COPY (SELECT 1 AS x) TO '${dir}/copied.csv'`,
    names: "copied.csv",
    leaves: "copied.csv",
  },
  { name: "ATTACH", sql: (dir) => `ATTACH '${dir}/other.db' AS other`, names: "other.db", leaves: "other.db" },
  {
    name: "SET enable_external_access = true",
    sql: () => "SET enable_external_access = true",
    names: `setting "enable_external_access"`,
  },
  {
    name: "the E'\\'' trick past the SQL-text check",
    sql: () => "SELECT E'\\''; LOAD httpfs; --'",
    names: "tried to load a DuckDB extension",
  },
];

describe.each(["wasm", "native"])("segbook run --engine %s with least privilege", (engine) => {
  test.each(attacks)(
    "segbook run refuses $name with a clear message, exits 1, and still loads data and writes --out",
    async ({ sql, names, leaves }) => {
      // A folder that exists, so only the lock can stop a write into it.
      const target = mkdtempSync(path.join(tmpdir(), "segbook-least-privilege-target-"));
      const { file, dir } = notebook(sql(target));
      const out = path.join(dir, "out");
      const { code, report } = await run(file, "--engine", engine, "--out", out);
      expect(code).toBe(1);
      const failed = report.cells.filter((c) => c.status !== "ok");
      expect(failed.map((c) => c.label)).toEqual([expect.stringMatching(/^cell 3 \(sql/)]);
      const message = failed[0]!.error!.message;
      expect(message).toMatch(LOCKED);
      expect(message).toContain(names);
      expect(message).not.toMatch(/__segbook|disabled by configuration/);
      if (leaves) expect(existsSync(path.join(target, leaves))).toBe(false);
      expect(report.cells.find((c) => c.label === 'data "customers"')?.status).toBe("ok");
      expect(readFileSync(path.join(out, "regions.csv"), "utf8")).toContain("north");
    },
    60_000,
  );

  test.each(["INSTALL httpfs", "LOAD httpfs"])("segbook run refuses %s and exits 1", async (sql) => {
    const { file } = notebook(sql);
    const { code, report } = await run(file, "--engine", engine);
    expect(code).toBe(1);
    const cell = report.cells.find((c) => c.label.startsWith("cell 3"))!;
    expect(cell.status).toBe("error");
    expect(cell.error!.message).toMatch(/not allowed|--allow-host-access/);
  });

  test("segbook run whose data source is missing still locks DuckDB before a cell reads /etc/passwd", async () => {
    const { file, dir } = notebook("SELECT * FROM read_csv('/etc/passwd')");
    writeFileSync(file, readFileSync(file, "utf8").replace("customers.csv", "missing.csv"));
    const { code, report } = await run(file, "--engine", engine, "--out", path.join(dir, "out"));
    expect(code).toBe(1);
    expect(report.unsettled).toBeUndefined();
    expect(report.cells.find((c) => c.label === 'data "customers"')?.error?.message).toMatch(/missing\.csv/);
    expect(report.cells.find((c) => c.label.startsWith("cell 3"))?.error?.message).toMatch(LOCKED);
  });

  test("segbook run --allow-host-access lets a trusted notebook's read_csv read a file outside its data", async () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), "segbook-least-privilege-elsewhere-"));
    writeFileSync(path.join(elsewhere, "extra.csv"), "a,b\n1,2\n");
    const { file } = notebook(`SELECT * FROM read_csv('${elsewhere}/extra.csv')`);
    expect((await run(file, "--engine", engine)).code).toBe(1);
    const { code, report } = await run(file, "--engine", engine, "--allow-host-access");
    expect(report.cells.filter((c) => c.status !== "ok")).toEqual([]);
    expect(code).toBe(0);
  });
});

describe("hostAccessMessage", () => {
  test.each([
    [
      'Permission Error: Cannot access file "/etc/passwd" - file system operations are disabled by configuration',
      `segbook run: this notebook's SQL tried to access the file "/etc/passwd"; segbook run only lets cells use the data sources named in the front matter or --data; pass --allow-host-access for a trusted notebook`,
    ],
    [
      'Invalid Input Error: Cannot change configuration option "threads" - the configuration has been locked',
      `segbook run: this notebook's SQL tried to change DuckDB's setting "threads"; segbook run only lets cells use the data sources named in the front matter or --data; pass --allow-host-access for a trusted notebook`,
    ],
    ["Catalog Error: Table with name nope does not exist!", null],
  ])("hostAccessMessage(%j)", (message, expected) => {
    expect(hostAccessMessage(message)).toBe(expected);
  });
});
