/**
 * `segbook generate` as users run it (the real bin script in a child process), and the file writer
 * behind it: same seed, same bytes; Parquet holds the same rows as CSV.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parquetReadObjects } from "hyparquet";
import { describe, expect, test, vi } from "vitest";
import { segbook } from "./segbook-bin.ts";
import { generateCommand } from "../../src/cli/generate-command.ts";
import { writeShopFiles } from "../../src/cli/shop-files.ts";
import { columnsOf, SHOP_TABLE_NAMES } from "../../src/demo/index.ts";

const temp = () => mkdtempSync(path.join(tmpdir(), "segbook-generate-"));
const files = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(path.join(dir, f))]),
  );

describe("segbook generate", () => {
  test("segbook generate --customers N --seed S --out DIR writes byte-identical files for the same seed", () => {
    const [a, b, c] = [temp(), temp(), temp()];
    const first = segbook("generate", "--customers", "300", "--seed", "5", "--out", a);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^wrote 300 customers, \d+ orders, 30 accounts and \d+ account orders .* as csv in/);
    expect(segbook("generate", "--customers", "300", "--seed", "5", "--out", b).code).toBe(0);
    writeShopFiles({ customers: 300, seed: 6 }, c);
    expect(Object.keys(files(a))).toEqual(SHOP_TABLE_NAMES.map((t) => `${t}.csv`).sort());
    expect(files(a)).toEqual(files(b));
    expect(files(a)["orders.csv"]!.equals(files(c)["orders.csv"]!)).toBe(false);
  }, 60_000);

  test.each([
    [["--out", "x"], /--customers is required/],
    [["--customers", "ten", "--out", "x"], /--customers must be a whole number >= 1, got "ten"/],
    [["--customers", "10"], /--out DIR is required/],
    [["--customers", "10", "--out", "x", "--format", "xlsx"], /--format must be csv or parquet, got "xlsx"/],
    [["--customers", "10", "--out", "x", "--colour"], /Unknown option '--colour'/],
  ])("generateCommand(%j) returns exit code 2 and names the problem", (args, message) => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(generateCommand(args)).toBe(2);
      expect(errors.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(message);
    } finally {
      errors.mockRestore();
    }
  });
});

describe("writeShopFiles", () => {
  test("writeShopFiles(options, dir, 'parquet') holds the same rows as the CSV files", async () => {
    const [csvDir, parquetDir, again] = [temp(), temp(), temp()];
    const options = { customers: 120, seed: 11 };
    const counts = writeShopFiles(options, csvDir, "csv");
    writeShopFiles(options, parquetDir, "parquet");
    writeShopFiles(options, again, "parquet");
    expect(files(parquetDir)).toEqual(files(again));
    for (const table of SHOP_TABLE_NAMES) {
      const buffer = readFileSync(path.join(parquetDir, `${table}.parquet`));
      const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
      const rows = await parquetReadObjects({ file });
      const csv = readFileSync(path.join(csvDir, `${table}.csv`), "utf8")
        .trimEnd()
        .split("\n");
      expect(csv[0]).toBe(columnsOf(table).join(","));
      expect(rows.length, table).toBe(csv.length - 1);
      // Spot-check every column of the first and last rows against the CSV text.
      for (const index of [0, rows.length - 1]) {
        const text = csv[index + 1]!.split(",");
        columnsOf(table).forEach((column, j) => {
          const value = rows[index]![column];
          const shown =
            value === null || value === undefined
              ? ""
              : value instanceof Date
                ? value.toISOString().slice(0, 10)
                : String(value);
          expect(shown, `${table}.${column}`).toBe(text[j]);
        });
      }
    }
    expect(counts.customers).toBe(120);
  });
});
