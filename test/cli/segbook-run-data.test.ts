/**
 * `segbook run` on the data formats and front matter load options, on both engines (in-process
 * through the CLI's `main`, see segbook-bin.ts; segbook-run.test.ts starts the real bin script): whitespace-separated CDNOW_master.txt, an Excel
 * workbook and its `sheet`, and `delimiter`/`header` applied as the browser applies them.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { RunReport } from "../../src/cli/run-notebook.ts";
import { root, segbookInProcess } from "./segbook-bin.ts";

const CDNOW = path.resolve(root, "../shared/datasets/cdnow/CDNOW_master.txt");
const XLSX = path.resolve(root, "test/fixtures/customers.xlsx");

/** Writes a notebook (and extra files) into a fresh folder and returns the notebook's path. */
function notebook(text: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "segbook-run-data-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  const file = path.join(dir, "notebook.md");
  writeFileSync(file, text);
  return file;
}

/** Runs `segbook run FILE --json ...args` and returns the report (failing with its text when not JSON). */
async function runJson(file: string, ...args: string[]): Promise<RunReport> {
  const { stdout, stderr } = await segbookInProcess(
    ...["run", file, "--json", ...args],
    // The notebooks are written to a temporary folder; the datasets they name are elsewhere.
    ...["--allow-read", path.dirname(CDNOW), "--allow-read", path.dirname(XLSX)],
  );
  expect(stderr).toBe("");
  return JSON.parse(stdout) as RunReport;
}

/**
 * A ts cell that fails, showing what it got, unless `expression` equals `expected` (compared as
 * JSON): the run report lists a cell's status and error, not its values.
 */
const expectCell = (expression: string, expected: unknown) =>
  "```ts\n" +
  `const got = JSON.stringify(${expression});\n` +
  `if (got !== ${JSON.stringify(JSON.stringify(expected))}) throw new Error("got " + got);\n` +
  "```\n";

/** Every cell of the report ok (failing with the report's cells when not). */
function expectAllOk(report: RunReport): void {
  expect(
    report.cells.filter((c) => c.status !== "ok").map((c) => [c.label, c.error?.message]),
    JSON.stringify(report.issues),
  ).toEqual([]);
  expect(report.ok).toBe(true);
}

const COLUMNS = "{columns: t.columns.map((c) => [c.name, c.type]), rows: t.numRows}";

const cdnowNotebook = (options: string, expected: unknown) =>
  `---\ndata:\n  t: {path: ${JSON.stringify(CDNOW)}${options}}\n---\n\n` + expectCell(COLUMNS, expected);

describe("segbook run on delimited text", () => {
  test.each(["wasm", "native"])(
    "segbook run --engine %s of a notebook naming CDNOW_master.txt loads it as four columns, 69,659 rows",
    async (engine) => {
      const expected = {
        columns: [
          ["customer_id", "VARCHAR"],
          ["date", "DATE"],
          ["number_of_cds", "BIGINT"],
          ["dollar_value", "DOUBLE"],
        ],
        rows: 69_659,
      };
      const report = await runJson(notebook(cdnowNotebook("", expected)), "--engine", engine);
      expectAllOk(report);
      const data = report.cells.find((c) => c.label === 'data "t"')!;
      expect(data.notes).toContain("columns separated by runs of spaces: read as whitespace-separated (4 columns)");
    },
    120_000,
  );

  test("segbook run applies the front matter's delimiter and header (delimiter: ' ', header: false)", async () => {
    const expected = {
      columns: [
        ["column0", "VARCHAR"],
        ["column1", "VARCHAR"],
        ["column2", "VARCHAR"],
        ["column3", "VARCHAR"],
      ],
      rows: 69_660,
    };
    expectAllOk(await runJson(notebook(cdnowNotebook(', delimiter: " ", header: false', expected))));
  }, 120_000);

  test("segbook run reads with the front matter's delimiter where the sniffer would choose another", async () => {
    const file = notebook(
      "---\ndata:\n  sniffed: mixed.txt\n  chosen: {path: mixed.txt, delimiter: ';'}\n---\n\n" +
        expectCell("[sniffed.columns.map((c) => c.name), chosen.columns.map((c) => c.name)]", [
          ["a", "b;c"],
          ["a,b", "c"],
        ]),
      { "mixed.txt": "a,b;c\n1,2;3\n4,5;6\n" },
    );
    expectAllOk(await runJson(file));
  }, 60_000);

  test("segbook run refuses a .txt it cannot split, naming the file and the front matter fix", async () => {
    const file = notebook("---\ndata:\n  notes: notes.txt\n---\n\n" + expectCell("notes.numRows", 2), {
      "notes.txt": "Quarterly notes for the team\nSales went up in March and April\n",
    });
    const { code, stdout } = await segbookInProcess("run", file);
    expect(code).toBe(1);
    expect(stdout).toMatch(/cannot tell how the columns of "notes\.txt" are separated/);
    expect(stdout).toMatch(/data: \{notes: \{path: notes\.txt, delimiter: "\|"\}\}/);
  }, 60_000);

  test("segbook run reports a front matter option the file does not take as a format error", async () => {
    const file = notebook("---\ndata:\n  t: {path: t.parquet, delimiter: ';'}\n---\n\n# x\n");
    const { code, stdout } = await segbookInProcess("run", file);
    expect(code).toBe(1);
    expect(stdout).toMatch(/error .*notebook\.md:3: front matter: data\.t\.delimiter applies to delimited text/);
  }, 60_000);
});

/** What customers.xlsx's first sheet loads as (test/engine/data-tools.test.ts checks it against its CSV twin). */
const FIRST_SHEET = {
  columns: [
    ["id", "INTEGER"],
    ["name", "VARCHAR"],
    ["signup", "DATE"],
    ["spend", "DOUBLE"],
    ["vip", "BOOLEAN"],
    ["region", "VARCHAR"],
  ],
  rows: 30,
};

describe("segbook run on Excel workbooks", () => {
  const workbook = (options: string, expression = COLUMNS, expected: unknown = FIRST_SHEET) =>
    notebook(`---\ndata:\n  t: {path: ${JSON.stringify(XLSX)}${options}}\n---\n\n` + expectCell(expression, expected));

  test.each(["wasm", "native"])(
    "segbook run --engine %s loads an .xlsx's first sheet with the types the browser gives it",
    async (engine) => {
      expectAllOk(await runJson(workbook(""), "--engine", engine));
    },
    60_000,
  );

  test("segbook run loads the front matter's sheet, and names the sheets there are when it is missing", async () => {
    // The notebook's sha256 is the workbook's, as the browser records it.
    const hash = createHash("sha256").update(readFileSync(XLSX)).digest("hex");
    expectAllOk(
      await runJson(workbook(`, sheet: notes, sha256: ${hash}`, "t.numRows > 0 && t.columns.length !== 6", true)),
    );
    const missing = await segbookInProcess("run", workbook(", sheet: Q3"), "--allow-read", path.dirname(XLSX));
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(
      /"customers\.xlsx" has no sheet "Q3"; its sheets are "customers", "notes": choose one in the data panel or name it in the front matter/,
    );
  }, 60_000);
});
