/**
 * The bad-data corpus: every messy file in test/fixtures/bad-data/ (and the large ones that
 * scripts/make-bad-data.ts writes at test time) goes through the real Node engine's loadFile. Each
 * case either loads, with notes saying what was assumed, or fails with a message naming the file,
 * the line where there is one, and a fix. BAD_DATA_CASES is the one list (its length is the count
 * in the README's testing section).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { makeBadData } from "../../scripts/make-bad-data.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/bad-data/", import.meta.url));

/** One corpus file and what loading it must give. */
interface BadDataCase {
  file: string;
  /** Written by scripts/make-bad-data.ts at test time instead of committed. */
  generated?: boolean;
  /** Loads: its row count, and a regex per note (in order; no other notes). */
  rows?: number;
  notes?: RegExp[];
  /** Fails: a regex for the message (which must also name the file). */
  error?: RegExp;
  /** Checks on the loaded table: SQL returning one row, and that row. */
  check?: [string, Record<string, unknown>];
}

/** The corpus, one row per file. */
export const BAD_DATA_CASES: BadDataCase[] = [
  {
    file: "mixed-types.csv",
    rows: 4,
    notes: [/^column amount: read as VARCHAR because 1 of 4 values are not numbers \(e\.g\. "n\/a"\); use TRY_CAST/],
  },
  {
    file: "thousands.csv",
    rows: 4,
    notes: [
      /^column amount: numbers with thousand separators \("-2,500\.00"\): read as DOUBLE with the commas removed$/,
    ],
    check: ["SELECT sum(amount) AS total FROM t", { total: 1234.5 + 12 + 1000000.25 - 2500 }],
  },
  {
    file: "unterminated-quote.csv",
    error: /"unterminated-quote\.csv" line 3: unterminated quote in .*fix: add the closing quote/,
  },
  {
    file: "stray-quote.csv",
    rows: 3,
    notes: [/^line 3: a stray quote inside a field \(.*Bo\\"b.*\) was kept as part of the text$/],
    check: ["SELECT name FROM t WHERE id = 2", { name: 'Bo"b' }],
  },
  {
    file: "bom.csv",
    rows: 2,
    notes: [/^file starts with a UTF-8 byte order mark \(removed\)$/],
    check: ["SELECT id FROM t WHERE name = 'Bob'", { id: 2n }],
  },
  {
    file: "latin1.csv",
    rows: 4,
    notes: [/^file is not UTF-8 \(first invalid byte on line 4\): read as Latin-1/],
    check: ["SELECT name FROM t WHERE id = 4", { name: "café" }],
  },
  { file: "crlf.csv", rows: 2, notes: [/^lines end with CRLF \(Windows line ends\)/] },
  {
    file: "mixed-line-ends.csv",
    rows: 3,
    notes: [/^line ends are mixed \(2 CRLF and 2 LF/, /read with strict_mode = false$/],
  },
  {
    file: "fixed-width.csv",
    rows: 3,
    notes: [/^no delimiter found: read as fixed-width columns starting at characters 1, 6, 19, 31$/],
    check: ["SELECT name, city, amount FROM t WHERE id = 2", { name: "Bob", city: "New York", amount: 7 }],
  },
  {
    file: "tab.txt",
    rows: 3,
    notes: [],
    check: ["SELECT name, amount FROM t WHERE id = 3", { name: "Cy Lee", amount: 123.25 }],
  },
  {
    file: "pipe.txt",
    rows: 3,
    notes: [],
    check: ["SELECT name, amount FROM t WHERE id = 1", { name: "Ann Smith", amount: 10.5 }],
  },
  {
    file: "semicolon.txt",
    rows: 3,
    notes: [/^column amount: numbers with a decimal comma \("10,5"\): read as DOUBLE$/],
    check: ["SELECT name, amount FROM t WHERE id = 3", { name: "Cy Lee", amount: 123.25 }],
  },
  {
    file: "whitespace.txt",
    rows: 3,
    notes: [
      /^lines end with CRLF/,
      /^columns separated by runs of spaces: read as whitespace-separated \(4 columns\)$/,
      /^column order_date: 8-digit numbers read as dates \(yyyymmdd: 19970101 is 1997-01-01\)$/,
    ],
    check: [
      "SELECT customer_id, CAST(order_date AS VARCHAR) AS d, name, amount FROM t WHERE amount > 20",
      { customer_id: "00003", d: "1997-01-02", name: "Cy Lee", amount: 20.76 },
    ],
  },
  {
    file: "prose.txt",
    error:
      /cannot tell how the columns of "prose\.txt" are separated: .*\(line 1 has 5 space-separated fields, line 2 has 7\); fix: .*front matter, e\.g\. data: \{prose: \{path: prose\.txt, delimiter: "\|"\}\}/,
  },
  { file: "empty.csv", error: /"empty\.csv" is empty .*fix: check that the export finished/ },
  {
    file: "header-only.csv",
    rows: 0,
    notes: [/^the file has a header but no rows: 0 rows, every column read as VARCHAR$/],
  },
  {
    file: "duplicate-columns.csv",
    rows: 2,
    notes: [/^duplicate column names: "amount" appears 2 times \(read as amount, amount_1\); "Name" \/ "name"/],
  },
  {
    file: "huge-line.csv",
    generated: true,
    rows: 3,
    notes: [/^line 3 is 5,242,882 bytes long, over DuckDB's 2,000,000-byte line limit: read with the limit raised$/],
    check: ["SELECT max(length(payload))::INTEGER AS longest FROM t", { longest: 5 * 1024 * 1024 }],
  },
  {
    file: "date-formats.csv",
    rows: 3,
    notes: [
      /^column d_dmy: dates written day-first \(31\/01\/2024\): kept as VARCHAR; parse with strptime\("d_dmy", '%d\/%m\/%Y'\)/,
      /^column d_mdy: dates written month-first \(01\/31\/2024\): .*'%m\/%d\/%Y'/,
      /^column d_text: dates written like "Jan 31 2024": .*'%b %d %Y'/,
    ],
  },
  {
    file: "mixed-dates.csv",
    rows: 4,
    notes: [/^column order_date: dates in several formats \(2024-01-31, 31\/01\/2024, 01\/31\/2024, Jan 31 2024\)/],
  },
  {
    file: "float-ids.csv",
    rows: 3,
    notes: [
      /^column customer_id: read 12583\.0 as DOUBLE; all values are whole numbers — cast with ::BIGINT if it is an id$/,
    ],
  },
  {
    file: "ragged.csv",
    rows: 3,
    notes: [
      /^1 row had too many fields and was skipped \(first at line 3\)/,
      /^1 row had too few fields and was skipped \(first at line 5\)/,
    ],
  },
  {
    file: "late-extra-field.csv",
    generated: true,
    rows: 24_999,
    notes: [/^1 row had too many fields and was skipped \(first at line 23001\)/],
  },
  {
    file: "late-text-value.csv",
    generated: true,
    rows: 25_000,
    notes: [/^column amount: line 24001 holds "n\/a", which does not fit the type DuckDB guessed .*read as VARCHAR$/],
  },
  {
    file: "mixed-shapes.json",
    rows: 3,
    notes: [
      /^key id: values of mixed types \(number, string\): all read as text \(VARCHAR\)$/,
      /^key name: missing in 1 of 3 rows: read as NULL there$/,
      /^key tags: missing in 2 of 3 rows/,
      /^key email: missing in 2 of 3 rows/,
      /^key address: missing in 2 of 3 rows/,
    ],
    check: ["SELECT id FROM t WHERE name = 'Bob'", { id: "2" }],
  },
  {
    file: "truncated.parquet",
    error:
      /"truncated\.parquet" as Parquet: .*\nThe file is truncated: it starts like Parquet but its footer is missing \(400 bytes\)/,
  },
  {
    file: "parquet-named.csv",
    rows: 5,
    notes: [/^"parquet-named\.csv" is a Parquet file despite its name: read as Parquet$/],
  },
  {
    file: "csv-named.json",
    error: /"csv-named\.json" is not JSON: it starts with "id,name"; it looks like CSV: pass \{format: "csv"\}/,
  },
];

describe("Engine.loadFile on the bad-data corpus", () => {
  let engine: Engine;
  let generatedDir: string;

  beforeAll(async () => {
    generatedDir = makeBadData(mkdtempSync(path.join(tmpdir(), "segbook-bad-data-")));
    engine = await createNodeEngine();
  });

  afterAll(async () => {
    await engine?.close();
    if (generatedDir) rmSync(generatedDir, { recursive: true, force: true });
  });

  it.each(BAD_DATA_CASES.map((c) => [c.file, c] as const))("loadFile(%s)", async (_, c) => {
    const file = path.join(c.generated ? generatedDir : FIXTURES, c.file);
    const loading = engine.loadFile("t", { kind: "path", path: file });
    if (c.error) {
      const error = await loading.then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(c.error);
      expect(error?.message).toContain(`"${c.file}"`);
      return;
    }
    const result = await loading;
    expect(result.numRows).toBe(c.rows);
    expect(result.notes).toHaveLength(c.notes!.length);
    c.notes!.forEach((pattern, i) => expect(result.notes[i]).toMatch(pattern));
    if (c.check) {
      const row = (await engine.query(c.check[0])).get(0)?.toJSON();
      expect(row).toEqual(c.check[1]);
    }
  });

  it("loadFile gives a clean file no notes", async () => {
    const result = await engine.loadFile("t", { kind: "path", path: path.join(FIXTURES, "../people.csv") });
    expect(result.notes).toEqual([]);
  });

  it("BAD_DATA_CASES covers every committed corpus file", async () => {
    const { readdirSync } = await import("node:fs");
    const committed = readdirSync(FIXTURES).sort();
    expect(
      BAD_DATA_CASES.filter((c) => !c.generated)
        .map((c) => c.file)
        .sort(),
    ).toEqual(committed);
  });
});

describe("createNativeEngine().loadFile on the bad-data corpus gives the wasm engine's result", () => {
  let wasm: Engine;
  let native: Engine;
  let generatedDir: string;

  beforeAll(async () => {
    generatedDir = makeBadData(mkdtempSync(path.join(tmpdir(), "segbook-bad-data-")));
    const { createNativeEngine } = await import("../../src/engine/native.ts");
    [wasm, native] = await Promise.all([createNodeEngine(), createNativeEngine({ threads: 2 })]);
  });

  afterAll(async () => {
    await wasm?.close();
    await native?.close();
    if (generatedDir) rmSync(generatedDir, { recursive: true, force: true });
  });

  /** What a user sees of a load: the result and every row as text, or the error. */
  async function outcome(engine: Engine, file: string) {
    try {
      const result = await engine.loadFile("t", { kind: "path", path: file });
      const rows = await engine.query("SELECT COLUMNS(*)::VARCHAR FROM t");
      return { result, rows: rows.toArray().map((row) => row.toJSON()) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  // Native reads the file in place (never through JS memory), so its own retries must land where wasm's do.
  it.each(BAD_DATA_CASES.map((c) => [c.file, c] as const))("loadFile(%s) on native", async (_, c) => {
    const file = path.join(c.generated ? generatedDir : FIXTURES, c.file);
    expect(await outcome(native, file)).toEqual(await outcome(wasm, file));
  });
});
